# Shared by every Wharf script: paths, state directory and step output.
# shellcheck shell=bash
WHARF_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export WHARF_ROOT
: "${WHARF_STATE_DIR:=$WHARF_ROOT/.state}"
export WHARF_STATE_DIR
WHARF_LOG_DIR="$WHARF_STATE_DIR/logs"
WHARF_RUN_DIR="$WHARF_STATE_DIR/run"
WHARF_SECRETS_DIR="$WHARF_STATE_DIR/secrets"
mkdir -p "$WHARF_LOG_DIR" "$WHARF_RUN_DIR" "$WHARF_SECRETS_DIR"
# Wharf's own Docker engine (services.sh, ensure_docker), apart from any engine the machine runs:
# every `docker` command of the scripts talks to it. An installation made by an earlier Wharf on
# the machine's system engine (its env file says so) stays there, so that its apps, images and
# service data stay where they are (ensure_docker says what that means).
WHARF_SYSTEM_DOCKER_SOCK=/var/run/docker.sock
[ -z "${WHARF_DOCKER_SOCK:-}" ] || WHARF_DOCKER_SOCK_GIVEN=1
if [ -z "${WHARF_DOCKER_SOCK:-}" ] &&
  grep -qx "WHARF_DOCKER_HOST=unix://$WHARF_SYSTEM_DOCKER_SOCK" "$WHARF_STATE_DIR/wharf.env" 2>/dev/null; then
  WHARF_DOCKER_SOCK=$WHARF_SYSTEM_DOCKER_SOCK
fi
: "${WHARF_DOCKER_SOCK:=/run/wharf/docker.sock}"
export WHARF_DOCKER_SOCK
export DOCKER_HOST="unix://$WHARF_DOCKER_SOCK"
chmod 700 "$WHARF_SECRETS_DIR"

_wharf_t0=$(date +%s)
if [ -t 1 ]; then _b=$'\e[1m'; _r=$'\e[0m'; _red=$'\e[31m'; else _b=''; _r=''; _red=''; fi

step() { printf '%s==>%s %s\n' "$_b" "$_r" "$*"; }
info() { printf '    %s\n' "$*"; }
elapsed() { echo $(( $(date +%s) - _wharf_t0 )); }
die() {
  printf '%sFAILED%s %s\n' "$_red" "$_r" "$*" >&2
  exit 1
}

# Prints the last lines of a log when a step fails, so the reason is on screen.
tail_log() { [ -f "$1" ] && { echo "---- last lines of $1 ----" >&2; tail -n "${2:-30}" "$1" >&2; }; }

# A secret generated once and kept in the state directory (mode 600).
secret() {
  local file="$WHARF_SECRETS_DIR/$1"
  if [ ! -s "$file" ]; then
    (umask 077; head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c "${2:-40}" > "$file")
  fi
  cat "$file"
}

# Records that this state directory's `up` started a service, so `down` stops only those.
mark_started() { touch "$WHARF_RUN_DIR/started-$1"; }
started_here() { [ -f "$WHARF_RUN_DIR/started-$1" ]; }

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

sha_of() { sha256sum | cut -c1-16; }
