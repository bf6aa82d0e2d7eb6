#!/usr/bin/env bash
# Builds the stack images from Debian packages with debootstrap, never from a registry:
#   wharf/stack-build:bookworm  staging toolchains: node+npm, python3+pip/venv, go, gcc/make, git, curl
#   wharf/stack-run:bookworm    app runtimes only (no compilers): node, python3, nginx-light, bash
# Both carry the host's CA bundle at /etc/ssl/certs/ca-certificates.crt (TLS through the host's
# trust, e.g. to the npm registry), a `vcap` user (uid/gid 2000, home /home/vcap with app, deps,
# tmp and logs) and LANG=en_US.UTF-8. Each image is labelled with the sha256 of its definition
# (this script with its package lists, plus the host's CA bundle and apt sources) and is rebuilt
# only when that changes. The debootstrap minbase tree is cached as a tarball, so building both
# images debootstraps once; packages are installed in a chroot and the tree is `docker import`ed.
#
# usage: scripts/stack-images.sh [all|build|run] [--check]
#   --check  exit 0 when the images are up to date, 1 when one is missing or stale; builds nothing
# Full output: $WHARF_STATE_DIR/logs/stack-images.log (the last 30 lines are shown on failure).
set -euo pipefail
SELF="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
# shellcheck source=lib/common.sh
. "$(dirname "$SELF")/lib/common.sh"

SUITE=bookworm
VCAP_ID=2000
HOST_CA=/etc/ssl/certs/ca-certificates.crt
HOST_SOURCES=/etc/apt/sources.list.d/debian.sources
IMAGE_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
# In both images. `locales` (16 MB) generates en_US.UTF-8 only (locales-all would add 230 MB).
COMMON_PACKAGES=(bash ca-certificates locales)
BUILD_PACKAGES=(nodejs npm python3 python3-pip python3-venv golang-go build-essential git curl)
RUN_PACKAGES=(nodejs python3 nginx-light)
# Bump when the way the cached minbase tree is made changes (its key does not hash this script).
MINBASE_RECIPE=2

CACHE_DIR="$WHARF_STATE_DIR/cache/stacks"
LOG="$WHARF_LOG_DIR/stack-images.log"
LOCK=/tmp/wharf-stack-images.lock # one build at a time on this machine, whatever the state dir

usage() { echo "usage: scripts/stack-images.sh [all|build|run] [--check]"; }

what=all
check_only=0
for arg in "$@"; do
  case "$arg" in
    all | build | run) what=$arg ;;
    --check) check_only=1 ;;
    -h | --help)
      usage
      exit 0
      ;;
    *)
      usage >&2
      exit 2
      ;;
  esac
done
if [ "$what" = all ]; then roles=(build run); else roles=("$what"); fi

[ -r "$HOST_CA" ] || die "the host's CA bundle $HOST_CA is missing (apt-get install ca-certificates)"
docker info >/dev/null 2>&1 || die "the Docker engine is not reachable (is dockerd running?)"

# ---- definitions and their hashes ------------------------------------------------------------

mirror() {
  local uri=''
  if [ -r "$HOST_SOURCES" ]; then
    uri=$(awk '$1 == "URIs:" && $2 !~ /security/ { print $2; exit }' "$HOST_SOURCES")
  fi
  echo "${uri:-http://deb.debian.org/debian}"
}

# The chroot's apt sources: the host's own (same mirror, updates and security), or the mirror.
apt_sources() {
  if [ -r "$HOST_SOURCES" ]; then
    cat "$HOST_SOURCES"
  else
    printf 'Types: deb\nURIs: %s\nSuites: %s %s-updates\nComponents: main\n' "$(mirror)" "$SUITE" "$SUITE"
    printf 'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n'
  fi
}

packages_of() { # role
  if [ "$1" = build ]; then echo "${COMMON_PACKAGES[*]} ${BUILD_PACKAGES[*]}"; else echo "${COMMON_PACKAGES[*]} ${RUN_PACKAGES[*]}"; fi
}

definition_hash() { # role
  {
    printf 'suite=%s role=%s packages=%s\n' "$SUITE" "$1" "$(packages_of "$1")"
    cat "$SELF"
    apt_sources
    cat "$HOST_CA"
  } | sha256sum | cut -d' ' -f1
}

# The minbase tree depends only on the suite, the mirror and the recipe, so editing this script
# (e.g. a package list) does not repeat debootstrap.
minbase_key() { printf '%s minbase %s recipe %s\n' "$SUITE" "$(mirror)" "$MINBASE_RECIPE" | sha256sum | cut -c1-16; }

image_hash() { # image
  docker image inspect --format '{{ index .Config.Labels "wharf.stack.definition" }}' "$1" 2>/dev/null || true
}

image_size() { # image
  docker image inspect --format '{{ .Size }}' "$1" | awk '{ printf "%.0f MB", $1 / 1e6 }'
}

# ---- failure handling: unmount, remove the work dir, show the log ----------------------------

WORK=''
BUILDING=0
FAIL_MSG=''
CURRENT=''

say() { # a step line on screen and in the log
  CURRENT=$*
  step "$*"
  echo "==> $*" >>"$LOG"
}

fail() {
  FAIL_MSG=$*
  exit 1
}

unmount_under() { # dir: everything mounted below it, deepest first
  [ -n "$1" ] || return 0
  local m
  findmnt -rn -o TARGET | awk -v p="$1/" 'index($0, p) == 1' | sort -r | while read -r m; do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
  done
}

cleanup() {
  local rc=$?
  set +e
  trap - EXIT INT TERM
  if [ -n "$WORK" ] && [ -d "$WORK" ]; then
    unmount_under "$WORK"
    # --one-file-system: never descend into something still mounted.
    rm -rf --one-file-system "$WORK"
  fi
  if [ "$rc" -ne 0 ] && [ "$BUILDING" = 1 ]; then
    tail_log "$LOG" 30
    printf 'FAILED %s\n' "${FAIL_MSG:-during: $CURRENT (exit $rc)}" >&2
    echo "    full log: $LOG" >&2
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'FAIL_MSG="interrupted during: $CURRENT"; exit 130' INT
trap 'FAIL_MSG="terminated during: $CURRENT"; exit 143' TERM

# ---- the chroot ------------------------------------------------------------------------------

mount_chroot() { # rootfs
  mount -t proc proc "$1/proc"
  mount -t sysfs -o ro sysfs "$1/sys"
  mount --bind /dev/pts "$1/dev/pts"
}

in_chroot() { # rootfs command...
  local root=$1
  shift
  chroot "$root" /usr/bin/env -i PATH="$IMAGE_PATH" HOME=/root LANG=C.UTF-8 \
    DEBIAN_FRONTEND=noninteractive DEBCONF_NONINTERACTIVE_SEEN=true "$@"
}

# apt's output, condensed: a few lines per phase so it is visibly alive (all of it is in the log).
condense_apt() {
  awk '
    # True when n reaches the next quarter of the total.
    function quarter(name, n) { q = int(n * 4 / total); if (total == 0 || q <= last[name]) return 0; last[name] = q; return 1 }
    / newly installed, / { total = $3 + 0; printf "    %d packages to install\n", total; fflush() }
    /^Need to get / { sub(/ of archives\.$/, ""); printf "    downloading %s\n", substr($0, 13); fflush() }
    /^Get:[0-9]+ / { if (quarter("get", ++got)) { printf "      fetched %d/%d\n", got, total; fflush() } }
    /^Fetched / { printf "    %s\n", $0; fflush() }
    /^Unpacking / { if (quarter("unpack", ++unpacked)) { printf "      unpacked %d/%d\n", unpacked, total; fflush() } }
    /^Setting up / { if (quarter("setup", ++set)) { printf "      set up %d/%d (%s)\n", set, total, $3; fflush() } }
  '
}

# debootstrap --variant=minbase once, kept as a tarball under the cache dir.
ensure_minbase() { # label; sets MINBASE
  MINBASE="$CACHE_DIR/minbase-$SUITE-$(minbase_key).tar"
  if [ -s "$MINBASE" ]; then
    info "minbase tree cached: $MINBASE"
    return
  fi
  local t0=$SECONDS dir="$WORK/minbase"
  say "$1: debootstrap --variant=minbase $SUITE from $(mirror) (≈25 s)..."
  debootstrap --variant=minbase "$SUITE" "$dir" "$(mirror)" >>"$LOG" 2>&1 || fail "debootstrap failed"
  # Files debootstrap copied from the host; Docker provides its own at run time.
  printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' >"$dir/etc/hosts"
  echo localhost >"$dir/etc/hostname"
  : >"$dir/etc/resolv.conf"
  unmount_under "$dir"
  tar -C "$dir" --numeric-owner -cf "$MINBASE.tmp" . || fail "archiving the minbase tree failed"
  mv "$MINBASE.tmp" "$MINBASE"
  rm -rf --one-file-system "$dir"
  info "minbase tree cached in $((SECONDS - t0)) s ($(du -m "$MINBASE" | cut -f1) MB): $MINBASE"
}

build_image() { # role
  local role=$1 label="stack-$1" image="wharf/stack-$1:$SUITE" t0=$SECONDS
  local hash root old new
  local -a packages
  read -r -a packages <<<"$(packages_of "$role")"
  hash=$(definition_hash "$role")
  ensure_minbase "$label"

  root="$WORK/$role"
  mkdir -p "$root"
  say "$label: unpacking the minbase tree..."
  tar -C "$root" --numeric-owner -xpf "$MINBASE" || fail "unpacking $MINBASE failed"

  # Same mirror as the host; no services started; no docs, man pages or translations.
  rm -f "$root/etc/apt/sources.list"
  apt_sources >"$root/etc/apt/sources.list.d/debian.sources"
  cp --remove-destination /etc/resolv.conf "$root/etc/resolv.conf"
  printf '#!/bin/sh\n# no services start while the image is built\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
  chmod 755 "$root/usr/sbin/policy-rc.d"
  cat >"$root/etc/dpkg/dpkg.cfg.d/90wharf-slim" <<'EOF'
# Wharf stack image: no documentation, manual pages or translations.
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
EOF
  mount_chroot "$root"

  local ti=$SECONDS
  say "$label: installing ${#packages[@]} packages (${packages[*]}) (≈$([ "$role" = build ] && echo 60 || echo 15) s)..."
  local apt_opts=(-o Acquire::Retries=3 -o Acquire::Languages=none -o Dpkg::Use-Pty=0)
  in_chroot "$root" apt-get "${apt_opts[@]}" update >>"$LOG" 2>&1 || fail "apt-get update failed"
  if ! in_chroot "$root" apt-get "${apt_opts[@]}" install -y --no-install-recommends "${packages[@]}" 2>&1 |
    tee -a "$LOG" | condense_apt; then
    fail "apt-get install failed"
  fi
  info "installed in $((SECONDS - ti)) s"

  say "$label: vcap user, en_US.UTF-8, CA bundle, cleanup..."
  in_chroot "$root" bash -euo pipefail -c "
    sed -i 's/^# *\(en_US.UTF-8 UTF-8\)/\1/' /etc/locale.gen
    locale-gen
    update-locale LANG=en_US.UTF-8
    groupadd -g $VCAP_ID vcap
    useradd -u $VCAP_ID -g $VCAP_ID -d /home/vcap -m -s /bin/bash vcap
    mkdir -p /home/vcap/app /home/vcap/deps /home/vcap/tmp /home/vcap/logs
    chown -R $VCAP_ID:$VCAP_ID /home/vcap
    apt-get clean
    rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/cache/debconf/*-old /var/lib/dpkg/*-old
    rm -rf /var/log/apt/* /var/log/*.log /tmp/* /var/tmp/* /root/.cache
    find /usr/share/doc -mindepth 1 ! -type d ! -name copyright -delete
    find /usr/share/doc -mindepth 1 -type d -empty -delete
    rm -rf /usr/share/man/* /usr/share/info/* /usr/share/groff/* /usr/share/lintian/*
    find /usr/share/locale -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} +
  " >>"$LOG" 2>&1 || fail "configuring the image failed"
  # The host's CA bundle, also as a local certificate so an update-ca-certificates keeps it
  # (NODE_EXTRA_CA_CERTS in the image env points Node binaries not built by Debian at it too).
  cp --remove-destination "$HOST_CA" "$root/etc/ssl/certs/ca-certificates.crt"
  cp "$HOST_CA" "$root/usr/local/share/ca-certificates/wharf-host-bundle.crt"
  chmod 644 "$root/etc/ssl/certs/ca-certificates.crt" "$root/usr/local/share/ca-certificates/wharf-host-bundle.crt"
  rm -f "$root/usr/sbin/policy-rc.d"
  : >"$root/etc/resolv.conf"
  unmount_under "$root"

  ti=$SECONDS
  say "$label: importing into docker as $image (≈$([ "$role" = build ] && echo 35 || echo 5) s)..."
  old=$(docker image inspect --format '{{ .Id }}' "$image" 2>/dev/null || true)
  if ! tar -C "$root" --numeric-owner -cf - . | docker import \
    --change "LABEL wharf.stack=$SUITE wharf.stack.role=$role wharf.stack.definition=$hash" \
    --change "ENV PATH=$IMAGE_PATH LANG=en_US.UTF-8 NODE_EXTRA_CA_CERTS=$HOST_CA" \
    --change 'WORKDIR /home/vcap' \
    --change 'CMD ["/bin/bash"]' \
    --message "wharf stack $role $SUITE, definition $hash" \
    - "$image" >>"$LOG" 2>&1; then
    fail "docker import of $image failed"
  fi
  rm -rf --one-file-system "$root"
  new=$(docker image inspect --format '{{ .Id }}' "$image")
  # The image this one replaces, unless a container still uses it.
  if [ -n "$old" ] && [ "$old" != "$new" ]; then docker rmi "$old" >/dev/null 2>&1 || true; fi
  info "$image: $(image_size "$image"), imported in $((SECONDS - ti)) s, built in $((SECONDS - t0)) s"
}

# ---- main ------------------------------------------------------------------------------------

stale_roles() {
  local role
  for role in "${roles[@]}"; do
    [ "$(image_hash "wharf/stack-$role:$SUITE")" = "$(definition_hash "$role")" ] || echo "$role"
  done
}

mkdir -p "$CACHE_DIR"
mapfile -t stale < <(stale_roles)
for role in "${roles[@]}"; do
  if [[ " ${stale[*]} " != *" $role "* ]]; then
    echo "stack image wharf/stack-$role:$SUITE is up to date"
  elif [ "$check_only" = 1 ]; then
    echo "stack image wharf/stack-$role:$SUITE is missing or out of date"
  fi
done
[ "$check_only" = 0 ] || exit $((${#stale[@]} > 0 ? 1 : 0))
[ ${#stale[@]} -gt 0 ] || exit 0

exec 9>"$LOCK"
if ! flock -n 9; then
  echo "waiting for another stack-images.sh to finish..."
  flock 9
  mapfile -t stale < <(stale_roles) # it may have built them
fi

[ "$(id -u)" -eq 0 ] || die "building the stack images needs root (debootstrap, chroot, mount)"
command -v debootstrap >/dev/null || die "debootstrap is missing (apt-get install debootstrap)"
BUILDING=1
T0=$SECONDS
mkdir -p "$WHARF_STATE_DIR/tmp"
WORK=$(mktemp -d "$WHARF_STATE_DIR/tmp/stack-images.XXXXXX")
echo "=== stack-images.sh ${*:-all} at $(date -Is) (building: ${stale[*]:-nothing})" >"$LOG"
for role in "${stale[@]}"; do
  build_image "$role"
done
# Minbase trees of older recipes or mirrors.
find "$CACHE_DIR" -maxdepth 1 -name 'minbase-*.tar*' ! -name "minbase-$SUITE-$(minbase_key).tar" -delete
echo "done in $((SECONDS - T0)) s"
