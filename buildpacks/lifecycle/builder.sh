#!/usr/bin/env bash
# The staging lifecycle, run inside a wharf/stack-build container (Cloud Foundry's buildpack API):
#   detect → supply (every buildpack but the last) → finalize, or compile (the last) → release.
# Layout: /tmp/app (the bits), /tmp/cache (this app's build cache), /tmp/deps (dependencies),
# /tmp/buildpacks/<name> (read-only), /tmp/output (staging_info.yml).
# Env: BUILDPACKS="a,b" (explicit list, no detection); otherwise detection follows BUILDPACK_ORDER
# ("a,b,...") or, by default, the order file beside the buildpacks (their admin positions).
# Exit codes as Cloud Foundry's: 222 detect, 223 compile, 224 release, 225 supply, 226 finalize.
set -uo pipefail

APP=${APP_DIR:-/tmp/app}
CACHE=${CACHE_DIR:-/tmp/cache}
DEPS=${DEPS_DIR:-/tmp/deps}
BPS=${BUILDPACKS_DIR:-/tmp/buildpacks}
OUT=${OUTPUT_DIR:-/tmp/output}
mkdir -p "$CACHE" "$DEPS" "$OUT"

fail() { echo "$2" >&2; exit "$1"; }

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
} >"$OUT/staging_info.yml"
printf '%s\n' "$release" >"$OUT/release.yml"
echo "Exit status 0"
