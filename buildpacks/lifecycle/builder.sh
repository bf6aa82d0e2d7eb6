#!/usr/bin/env bash
# The staging lifecycle, run inside a wharf/stack-build container (Cloud Foundry's buildpack API):
#   detect → supply (every buildpack but the last) → finalize, or compile (the last) → release.
# Layout: /tmp/app (the bits), /tmp/cache (this app's build cache), /tmp/deps (dependencies),
# /tmp/buildpacks/<name> (read-only), /tmp/output (staging_info.yml, droplet.tgz, cache.tgz).
# When the platform stages, it copies its inputs into /tmp/input instead of mounting directories:
# package.zip or package.tar (the app bits) and cache.tgz (the build cache), unpacked here first;
# the droplet (app, deps, staging_info.yml, as /home/vcap holds them) and the new cache leave as
# tarballs in /tmp/output.
# Env: BUILDPACKS="a,b" (explicit list, no detection); otherwise detection follows BUILDPACK_ORDER
# ("a,b,...") or, by default, the order file beside the buildpacks (their admin positions).
# Exit codes as Cloud Foundry's: 222 detect, 223 compile, 224 release, 225 supply, 226 finalize.
set -uo pipefail

APP=${APP_DIR:-/tmp/app}
CACHE=${CACHE_DIR:-/tmp/cache}
DEPS=${DEPS_DIR:-/tmp/deps}
BPS=${BUILDPACKS_DIR:-/tmp/buildpacks}
OUT=${OUTPUT_DIR:-/tmp/output}
IN=${INPUT_DIR:-/tmp/input}
mkdir -p "$APP" "$CACHE" "$DEPS" "$OUT"

fail() { echo "$2" >&2; exit "$1"; }

# Zip entries keep their unix modes (executables stay executable); the platform has already
# refused archives with absolute paths, '..' or links leading outside.
unzip_keeping_modes() { # zip dir
  python3 - "$1" "$2" <<'PY'
import os, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    for info in z.infolist():
        path = z.extract(info, sys.argv[2])
        mode = (info.external_attr >> 16) & 0o7777
        if mode and not info.is_dir():
            os.chmod(path, mode)
PY
}

if [ -f "$IN/package.zip" ]; then
  unzip_keeping_modes "$IN/package.zip" "$APP" || fail 1 "Failed to unpack the app's package"
elif [ -f "$IN/package.tar" ]; then
  tar -xf "$IN/package.tar" -C "$APP" --no-same-owner || fail 1 "Failed to unpack the app's package"
fi
if [ -f "$IN/cache.tgz" ]; then
  tar -xzf "$IN/cache.tgz" -C "$CACHE" --no-same-owner || echo "Could not restore the build cache; staging without it"
fi

buildpacks=()
detect_output=""
if [ -n "${BUILDPACKS:-}" ]; then
  IFS=',' read -r -a buildpacks <<<"$BUILDPACKS"
  for bp in "${buildpacks[@]}"; do
    [ -d "$BPS/$bp" ] || fail 222 "Buildpack '$bp' is not installed. Installed: $(ls "$BPS" | grep -v '^lifecycle$' | tr '\n' ' ')"
  done
else
  if [ -n "${BUILDPACK_ORDER:-}" ]; then
    IFS=',' read -r -a order <<<"$BUILDPACK_ORDER"
  else
    mapfile -t order <"$BPS/order"
  fi
  for bp in "${order[@]}"; do
    [ -x "$BPS/$bp/bin/detect" ] || continue
    if detect_output=$("$BPS/$bp/bin/detect" "$APP" 2>&1); then
      buildpacks=("$bp")
      break
    fi
  done
  [ ${#buildpacks[@]} -gt 0 ] || fail 222 "None of the buildpacks detected a compatible application"
fi

last=$(( ${#buildpacks[@]} - 1 ))
for i in "${!buildpacks[@]}"; do
  bp=${buildpacks[$i]}
  dir="$BPS/$bp"
  mkdir -p "$CACHE/$bp" "$DEPS/$i"
  if [ "$i" -lt "$last" ]; then
    [ -x "$dir/bin/supply" ] || fail 225 "Buildpack $bp cannot be used before the last one: it has no bin/supply"
    "$dir/bin/supply" "$APP" "$CACHE/$bp" "$DEPS" "$i" || fail 225 "Failed to run supply of buildpack $bp"
  elif [ -x "$dir/bin/finalize" ]; then
    if [ -x "$dir/bin/supply" ]; then
      "$dir/bin/supply" "$APP" "$CACHE/$bp" "$DEPS" "$i" || fail 225 "Failed to run supply of buildpack $bp"
    fi
    "$dir/bin/finalize" "$APP" "$CACHE/$bp" "$DEPS" "$i" || fail 226 "Failed to run finalize of buildpack $bp"
  elif [ -x "$dir/bin/compile" ]; then
    env_dir=$(mktemp -d)
    "$dir/bin/compile" "$APP" "$CACHE/$bp" "$env_dir" || fail 223 "Failed to compile droplet with buildpack $bp"
  else
    fail 223 "Buildpack $bp has neither bin/finalize nor bin/compile"
  fi
done

# The runtimes the buildpacks declared (deps/<index>/runtime.yml: name, version, and the path of
# the runtime's directory inside deps/<index>), for the platform to provide as a shared layer.
# Only plain names and versions are passed on; the platform checks them again.
runtimes() {
  local i file name version path listed=0
  for i in "${!buildpacks[@]}"; do
    file="$DEPS/$i/runtime.yml"
    [ -f "$file" ] || continue
    name=$(sed -n 's/^name: *//p' "$file" | head -n 1)
    version=$(sed -n 's/^version: *//p' "$file" | head -n 1)
    path=$(sed -n 's/^path: *//p' "$file" | head -n 1)
    [[ $name =~ ^[a-z][a-z0-9-]*$ && $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ && $path =~ ^[a-z][a-z0-9_-]*$ ]] || continue
    [ "$listed" = 1 ] || echo "runtimes:"
    listed=1
    printf '  - {buildpack: "%s", name: "%s", version: "%s", path: "deps/%s/%s"}\n' \
      "${buildpacks[$i]}" "$name" "$version" "$i" "$path"
  done
}

final=${buildpacks[$last]}
release=$("$BPS/$final/bin/release" "$APP") || fail 224 "Failed to build droplet release with buildpack $final"
# default_process_types: {web: "..."} — the web command, YAML-unquoted.
web=$(printf '%s\n' "$release" | sed -n 's/^[[:space:]]*web:[[:space:]]*//p' | head -n 1)
web=${web#\"}; web=${web%\"}; web=${web#\'}; web=${web%\'}

{
  echo "detected_buildpack: $final"
  echo "detect_output: \"${detect_output//\"/\\\"}\""
  echo "buildpacks: [$(IFS=,; echo "${buildpacks[*]}")]"
  printf 'start_command: %s\n' "\"${web//\"/\\\"}\""
  runtimes
} >"$OUT/staging_info.yml"
printf '%s\n' "$release" >"$OUT/release.yml"
[ -f "$APP/Procfile" ] && cp "$APP/Procfile" "$OUT/Procfile"

echo "Exit status 0"
if [ -d "$IN" ]; then
  mkdir -p /tmp/profile.d
  # Fast compression: the droplet is unpacked once, right after, on the same machine.
  tar --use-compress-program='gzip -1' -cf "$OUT/droplet.tgz" -C /tmp app deps profile.d -C "$OUT" staging_info.yml ||
    fail 1 "Failed to pack the droplet"
  tar --use-compress-program='gzip -1' -cf "$OUT/cache.tgz" -C "$CACHE" . || echo "Could not save the build cache"
fi
