#!/usr/bin/env bash
# Builds the stack images from Debian packages, never from a registry:
#   wharf/stack-build:bookworm  toolchains for staging (node+npm, python3+pip/venv, go, gcc, git, curl)
#   wharf/stack-run:bookworm    runtimes only, for app instances (node, python3, nginx-light, bash)
# Both carry the host's CA bundle, a `vcap` user (uid/gid 2000) and /home/vcap. An image is rebuilt
# only when its definition (this script, its package list, the CA bundle) changes.
#
# usage: stack-images.sh [all|build|run] [--check]
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"

SUITE=bookworm
VCAP_UID=2000
BASE_PACKAGES=(bash ca-certificates locales-all procps)
BUILD_PACKAGES=(nodejs npm python3 python3-pip python3-venv python3-dev golang-go build-essential git curl unzip)
RUN_PACKAGES=(nodejs python3 nginx-light curl)
HOST_CA=/etc/ssl/certs/ca-certificates.crt
CACHE_DIR="$WHARF_STATE_DIR/cache/stacks"
LOG="$WHARF_LOG_DIR/stack-images.log"
mkdir -p "$CACHE_DIR"

what=${1:-all}
check_only=0
[ "${2:-}" = --check ] || [ "${1:-}" = --check ] && check_only=1
[ "$what" = --check ] && what=all

mirror() {
  local uri
  uri=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  [ -n "$uri" ] || uri=$(awk '/^deb / && $3 == "'$SUITE'" { print $2; exit }' /etc/apt/sources.list 2>/dev/null || true)
  echo "${uri:-http://deb.debian.org/debian}"
}

definition_hash() { # role
  { cat "$0"; echo "$1"; cat "$HOST_CA" 2>/dev/null; } | sha_of
}

# The shared minbase tree depends only on the suite and the mirror, so editing a stack's package
# list does not repeat debootstrap.
base_hash() { echo "$SUITE minbase $(mirror) v1" | sha_of; }

image_hash() { # image
  docker image inspect --format '{{ index .Config.Labels "wharf.stack.definition" }}' "$1" 2>/dev/null || true
}

up_to_date() { [ "$(image_hash "wharf/stack-$1:$SUITE")" = "$(definition_hash "$1")" ]; }

# The debootstrap minbase tree, as a docker image shared by both stacks (cached by definition).
base_image() {
  local hash tag tarball
  hash=$(base_hash)
  tag="wharf/stack-base:$SUITE-$hash"
  if docker image inspect "$tag" >/dev/null 2>&1; then
    echo "$tag"
    return
  fi
  tarball="$CACHE_DIR/minbase-$SUITE-$hash.tar"
  if [ ! -s "$tarball" ]; then
    local work t0
    work=$(mktemp -d "$CACHE_DIR/rootfs.XXXXXX")
    trap 'rm -rf "$work"' RETURN
    t0=$(date +%s)
    info "debootstrap --variant=minbase $SUITE from $(mirror) (about 30 s)..." >&2
    debootstrap --variant=minbase "$SUITE" "$work" "$(mirror)" >>"$LOG" 2>&1 ||
      { tail_log "$LOG" >&2; die "debootstrap failed"; }
    tar -C "$work" --numeric-owner -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
    info "minbase tree ready in $(( $(date +%s) - t0 )) s" >&2
  fi
  docker import "$tarball" "$tag" >>"$LOG" 2>&1 || { tail_log "$LOG" >&2; die "docker import failed"; }
  echo "$tag"
}

build_stack() { # role packages...
  local role=$1
  shift
  local image="wharf/stack-$role:$SUITE" hash base cid t0
  hash=$(definition_hash "$role")
  t0=$(date +%s)
  step "Building $image (packages: $*)"
  base=$(base_image)
  info "installing $# packages with apt (1-2 minutes)..."
  cid=$(docker create -v "$HOST_CA:/tmp/host-ca.crt:ro" -e DEBIAN_FRONTEND=noninteractive "$base" bash -c "
    set -e
    apt-get update -o Acquire::Retries=3
    apt-get install -y --no-install-recommends -o Dpkg::Use-Pty=0 ${BASE_PACKAGES[*]} $*
    apt-get clean
    rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /usr/share/doc/* /usr/share/man/*
    # The host's CA bundle, so TLS works wherever the host's does (e.g. the npm registry).
    cp /tmp/host-ca.crt /etc/ssl/certs/ca-certificates.crt
    groupadd -g $VCAP_UID vcap
    useradd -u $VCAP_UID -g $VCAP_UID -d /home/vcap -s /bin/bash vcap
    mkdir -p /home/vcap/app /home/vcap/deps /home/vcap/tmp /home/vcap/logs /home/vcap/profile.d
    chown -R vcap:vcap /home/vcap
  ")
  trap 'docker rm -f "$cid" >/dev/null 2>&1 || true' RETURN
  # One line per package being set up, so the long step visibly progresses.
  set +o pipefail
  docker start -a "$cid" 2>&1 | tee -a "$LOG" | grep --line-buffered '^Setting up ' |
    awk '{ n++; if (n % 50 == 0) { printf "    %d packages set up (now: %s)\n", n, $3; fflush() } }
         END { printf "    %d packages set up\n", n }'
  set -o pipefail
  local rc
  rc=$(docker wait "$cid")
  [ "$rc" = 0 ] || { tail_log "$LOG"; die "installing packages into $image failed (exit $rc)"; }
  docker commit \
    --change "LABEL wharf.stack=$SUITE wharf.stack.role=$role wharf.stack.definition=$hash" \
    --change 'ENV LANG=en_US.UTF-8 PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'WORKDIR /home/vcap' \
    --change 'CMD ["bash"]' \
    "$cid" "$image" >>"$LOG" 2>&1 || { tail_log "$LOG"; die "docker commit of $image failed"; }
  info "$image built in $(( $(date +%s) - t0 )) s ($(docker image inspect --format '{{.Size}}' "$image" | awk '{ printf "%.0f MB", $1 / 1e6 }'))"
}

roles=()
case "$what" in
  all) roles=(build run) ;;
  build | run) roles=("$what") ;;
  *) die "usage: stack-images.sh [all|build|run] [--check]" ;;
esac

stale=0
for role in "${roles[@]}"; do
  if up_to_date "$role"; then
    [ "$check_only" = 1 ] || info "stack image wharf/stack-$role:$SUITE is up to date"
  else
    stale=1
    [ "$check_only" = 1 ] && continue
    if [ "$role" = build ]; then build_stack build "${BUILD_PACKAGES[@]}"; else build_stack run "${RUN_PACKAGES[@]}"; fi
  fi
done
[ "$check_only" = 1 ] && exit "$stale"
# Older definitions of the shared base are no longer needed once both stacks are current.
for old in $(docker images --format '{{.Repository}}:{{.Tag}}' "wharf/stack-base" | grep -v -- "-$(base_hash)\$" || true); do
  docker rmi "$old" >/dev/null 2>&1 || true
done
find "$CACHE_DIR" -maxdepth 1 -name "minbase-*.tar" ! -name "minbase-$SUITE-$(base_hash).tar" -delete
exit 0
