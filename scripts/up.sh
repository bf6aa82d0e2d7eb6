#!/usr/bin/env bash
# npm run up: installs what is missing, starts every component, and leaves `wharf` logged in.
# Safe to run again at any time: what already runs is left alone.
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"
. "$WHARF_ROOT/scripts/lib/services.sh"
. "$WHARF_ROOT/scripts/lib/platform.sh"

: "${WHARF_ADMIN_USER:=admin}"
: "${WHARF_DEFAULT_ORG:=wharf}"
: "${WHARF_DEFAULT_SPACE:=dev}"
# Where `wharf` is linked so it is on PATH; empty to skip (the e2e suite does).
: "${WHARF_BIN_LINK=/usr/local/bin/wharf}"

step "Wharf: bringing the platform up (state directory: $WHARF_STATE_DIR)"
ensure_services
ensure_node_modules
ensure_build

step "Stack images"
bash "$WHARF_ROOT/scripts/stack-images.sh" all

write_env_file
run_migrations
start_process api dist/apps/api/src/main.js
start_process worker dist/apps/worker/src/main.js
start_process brokers dist/apps/brokers/src/main.js
wait_for_api
wait_for_worker
wait_for_brokers

step "Bootstrapping org $WHARF_DEFAULT_ORG, space $WHARF_DEFAULT_SPACE, user $WHARF_ADMIN_USER and the local cell"
secret admin-password 20 >/dev/null
if ! wharf_node "$WHARF_ROOT/dist/apps/admin/src/main.js" bootstrap \
  --admin-password-file "$WHARF_SECRETS_DIR/admin-password" --admin-username "$WHARF_ADMIN_USER" \
  --org "$WHARF_DEFAULT_ORG" --space "$WHARF_DEFAULT_SPACE" 2>&1 | sed 's/^/    /'; then
  die "bootstrap failed (see the lines above)"
fi

step "Registering the built-in service brokers (postgresql, redis, memcached)"
if ! wharf_node "$WHARF_ROOT/dist/apps/admin/src/main.js" register-broker --name wharf \
  --url "http://127.0.0.1:$WHARF_BROKERS_PORT" --username wharf-brokers \
  --password-file "$WHARF_SECRETS_DIR/brokers-password" --public 2>&1 | sed 's/^/    /'; then
  die "registering the built-in service brokers failed (see the lines above; logs: $WHARF_LOG_DIR/brokers.log, worker.log)"
fi

chmod +x "$WHARF_ROOT/bin/wharf"
wharf_cmd="$WHARF_ROOT/bin/wharf"
if [ -n "$WHARF_BIN_LINK" ]; then
  if ln -sfn "$WHARF_ROOT/bin/wharf" "$WHARF_BIN_LINK" 2>/dev/null; then
    wharf_cmd=wharf
  else
    info "could not link $WHARF_BIN_LINK; use $WHARF_ROOT/bin/wharf or add $WHARF_ROOT/bin to PATH"
  fi
fi

step "Logging the wharf CLI in"
"$WHARF_ROOT/bin/wharf" login -a "$WHARF_API_URL" -u "$WHARF_ADMIN_USER" \
  -p "$(cat "$WHARF_SECRETS_DIR/admin-password")" -o "$WHARF_DEFAULT_ORG" -s "$WHARF_DEFAULT_SPACE" \
  >>"$WHARF_LOG_DIR/cli-login.log" 2>&1 || { tail_log "$WHARF_LOG_DIR/cli-login.log"; die "wharf login failed"; }

cat <<DONE

Wharf is up ($(elapsed) s).
  API:       $WHARF_API_URL   (health: $WHARF_API_URL/healthz, docs: $WHARF_API_URL/docs)
  brokers:   http://127.0.0.1:$WHARF_BROKERS_PORT   (OSB 2.17; user wharf-brokers, password in $WHARF_SECRETS_DIR/brokers-password)
  user:      $WHARF_ADMIN_USER
  password:  $(cat "$WHARF_SECRETS_DIR/admin-password")   (kept in $WHARF_SECRETS_DIR/admin-password)
  target:    org $WHARF_DEFAULT_ORG / space $WHARF_DEFAULT_SPACE
  logs:      $WHARF_LOG_DIR

Next: $wharf_cmd orgs
DONE
