# Builds Wharf and runs its api and worker under a small supervisor.
# shellcheck shell=bash

: "${WHARF_API_HOST:=127.0.0.1}"
: "${WHARF_API_PORT:=9000}"
: "${WHARF_API_URL:=http://$WHARF_API_HOST:$WHARF_API_PORT}"
: "${WHARF_DB_NAME:=wharf}"
: "${WHARF_QUEUE_PREFIX:=wharf}"
: "${WHARF_INSTALLATION:=default}"
: "${WHARF_SHARED_DOMAIN:=apps.localhost}"
WHARF_ENV_FILE="$WHARF_STATE_DIR/wharf.env"
# The built-in service brokers (apps/brokers): API port + 10 unless set (9010, 9110 test, 9210 e2e).
: "${WHARF_BROKERS_PORT:=$((WHARF_API_PORT + 10))}"

ensure_node_modules() {
  local want have
  want=$(cat "$WHARF_ROOT/package-lock.json" | sha_of)
  have=$(cat "$WHARF_ROOT/node_modules/.wharf-lock-hash" 2>/dev/null || true)
  if [ "$want" = "$have" ]; then
    info "npm dependencies up to date"
    return
  fi
  step "Installing npm dependencies (npm ci)"
  (cd "$WHARF_ROOT" && npm ci --no-audit --no-fund --loglevel=error) >>"$WHARF_LOG_DIR/npm.log" 2>&1 ||
    { tail_log "$WHARF_LOG_DIR/npm.log"; die "npm ci failed"; }
  echo "$want" >"$WHARF_ROOT/node_modules/.wharf-lock-hash"
}

source_hash() {
  (cd "$WHARF_ROOT" && find apps libs migrations -type f -name '*.ts' ! -name '*.spec.ts' -print0 |
    sort -z | xargs -0 cat tsconfig.json tsconfig.build.json package-lock.json) | sha_of
}

ensure_build() {
  local want have
  want=$(source_hash)
  have=$(cat "$WHARF_ROOT/dist/.source-hash" 2>/dev/null || true)
  if [ "$want" = "$have" ]; then
    info "build up to date"
    return
  fi
  step "Building (tsc)"
  (cd "$WHARF_ROOT" && rm -rf dist && npm run -s build) >>"$WHARF_LOG_DIR/build.log" 2>&1 ||
    { tail_log "$WHARF_LOG_DIR/build.log"; die "the build failed"; }
  echo "$want" >"$WHARF_ROOT/dist/.source-hash"
}

# The one config of api, worker and admin commands, rebuilt from the environment and the secrets.
write_env_file() {
  local db_password jwt_secret encryption_key tmp
  db_password=$(secret "postgres-$WHARF_DB_NAME")
  encryption_key=$(secret encryption-key 64)
  jwt_secret=$(secret jwt-secret 64)
  ensure_database "$WHARF_DB_NAME" "$WHARF_DB_NAME" "$db_password"
  tmp=$(mktemp "$WHARF_STATE_DIR/.env.XXXXXX")
  cat >"$tmp" <<ENV
WHARF_API_HOST=$WHARF_API_HOST
WHARF_API_PORT=$WHARF_API_PORT
WHARF_API_URL=$WHARF_API_URL
WHARF_DATABASE_URL=postgres://$WHARF_DB_NAME:$db_password@127.0.0.1:$WHARF_PG_PORT/$WHARF_DB_NAME
WHARF_REDIS_URL=redis://127.0.0.1:$WHARF_REDIS_PORT/0
WHARF_QUEUE_PREFIX=$WHARF_QUEUE_PREFIX
WHARF_INSTALLATION=$WHARF_INSTALLATION
WHARF_DOCKER_HOST=unix://$WHARF_DOCKER_SOCK
WHARF_JWT_SECRET=$jwt_secret
WHARF_ENCRYPTION_KEY=$encryption_key
WHARF_STATE_DIR=$WHARF_STATE_DIR
WHARF_SHARED_DOMAIN=$WHARF_SHARED_DOMAIN
WHARF_ROUTER_PORT=$WHARF_ROUTER_PORT
WHARF_HAPROXY_DIR=$WHARF_HAPROXY_DIR
WHARF_HAPROXY_MASTER_SOCKET=$WHARF_HAPROXY_MASTER_SOCKET
WHARF_ROUTER_LOG_PORT=$WHARF_ROUTER_LOG_PORT
WHARF_APPS_NETWORK=$WHARF_APPS_NETWORK
WHARF_APPS_DNS=${WHARF_APPS_DNS:-}
WHARF_SPACE_BRIDGE_PREFIX=$WHARF_SPACE_BRIDGE_PREFIX
WHARF_STAGING_NETWORK=$WHARF_STAGING_NETWORK
WHARF_DISCOVERY_HOSTS_DIR=$WHARF_DISCOVERY_HOSTS_DIR
WHARF_BUILDPACKS_DIR=$WHARF_ROOT/buildpacks
ENV
  write_brokers_env >>"$tmp"
  chmod 600 "$tmp"
  mv "$tmp" "$WHARF_ENV_FILE"
}

# The built-in service brokers' part of the env file: where they listen, the Basic-auth
# credentials a platform registers them with, and their admin connection to the services cluster.
write_brokers_env() {
  local broker_pg_password
  broker_pg_password=$(secret services-pg-broker)
  ensure_services_broker_role "$broker_pg_password"
  cat <<ENV
WHARF_BROKERS_HOST=127.0.0.1
WHARF_BROKERS_PORT=$WHARF_BROKERS_PORT
WHARF_BROKERS_USERNAME=wharf-brokers
WHARF_BROKERS_PASSWORD=$(secret brokers-password)
WHARF_SERVICES_PG_URL=postgres://wharf_broker:$broker_pg_password@127.0.0.1:$WHARF_SERVICES_PG_PORT/wharf_broker
WHARF_SERVICES_HOST=${WHARF_APPS_DNS:-}
ENV
}

wait_for_brokers() {
  local url="http://127.0.0.1:$WHARF_BROKERS_PORT/v2/catalog"
  for _ in $(seq 1 120); do
    if curl -fsS -o /dev/null -u "wharf-brokers:$(secret brokers-password)" \
      -H 'X-Broker-API-Version: 2.17' "$url" 2>/dev/null; then return 0; fi
    supervisor_alive brokers || break
    sleep 0.5
  done
  tail_log "$WHARF_LOG_DIR/brokers.log" 40
  die "the service brokers did not answer at $url"
}

# Runs node with the platform's environment file.
wharf_node() { (set -a && . "$WHARF_ENV_FILE" && set +a && exec node "$@"); }

run_migrations() {
  step "Running database migrations"
  if ! wharf_node "$WHARF_ROOT/dist/apps/admin/src/main.js" migrate 2>&1 | sed 's/^/    /'; then
    die "migrations failed (see the lines above)"
  fi
}

# True when the pid file names a live supervisor for NAME (not some later process given the same
# pid after a reboot or a kill -9).
supervisor_alive() {
  local pidfile="$WHARF_RUN_DIR/$1.pid"
  pid_alive "$pidfile" && tr '\0' ' ' <"/proc/$(cat "$pidfile")/cmdline" 2>/dev/null | grep -q "supervise.sh $1 "
}

# supervise_command NAME COMMAND...: runs a foreground COMMAND under scripts/supervise.sh (which
# restarts it when it dies), its output in NAME.log, the supervisor's pid in NAME.pid.
supervise_command() {
  local name=$1
  shift
  setsid nohup bash "$WHARF_ROOT/scripts/supervise.sh" "$name" --exec "$@" \
    >>"$WHARF_LOG_DIR/$name.log" 2>&1 </dev/null &
  echo $! >"$WHARF_RUN_DIR/$name.pid"
}

# start_process NAME SCRIPT: runs node SCRIPT under scripts/supervise.sh unless already running.
start_process() {
  local name=$1 script=$2 pidfile="$WHARF_RUN_DIR/$1.pid"
  local build
  build=$(cat "$WHARF_ROOT/dist/.source-hash")
  if supervisor_alive "$name"; then
    # Another state directory of this checkout (e.g. the e2e suite) may have rebuilt dist/.
    if [ "$(cat "$WHARF_RUN_DIR/$name.build" 2>/dev/null)" != "$build" ]; then
      info "restarting $name on the new build"
      stop_process "$name"
    else
      info "$name running (pid $(cat "$pidfile"))"
      return
    fi
  fi
  step "Starting $name (log: $WHARF_LOG_DIR/$name.log)"
  # Where this start's output begins, so wait_for_worker reads only what this process printed.
  stat -c %s "$WHARF_LOG_DIR/$name.log" >"$WHARF_RUN_DIR/$name.log-offset" 2>/dev/null || echo 0 >"$WHARF_RUN_DIR/$name.log-offset"
  setsid nohup bash "$WHARF_ROOT/scripts/supervise.sh" "$name" "$WHARF_ENV_FILE" "$WHARF_ROOT/$script" \
    >>"$WHARF_LOG_DIR/$name.log" 2>&1 </dev/null &
  echo $! >"$pidfile"
  echo "$build" >"$WHARF_RUN_DIR/$name.build"
}

stop_process() {
  local name=$1 pidfile="$WHARF_RUN_DIR/$1.pid"
  if ! supervisor_alive "$name"; then
    rm -f "$pidfile"
    return
  fi
  local pid
  pid=$(cat "$pidfile")
  # setsid made the supervisor a process-group leader: signal the group, node child included.
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  # The worker lets running jobs finish (up to 35 s) before it exits.
  for _ in $(seq 1 70); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -KILL -- "-$pid" 2>/dev/null || true
  rm -f "$pidfile"
  info "stopped $name"
}

# A worker that fails its boot checks would crash-loop quietly under the supervisor: after a
# start, wait for its "started" line and show its own words if it does not come.
wait_for_worker() {
  local offset_file="$WHARF_RUN_DIR/worker.log-offset" log="$WHARF_LOG_DIR/worker.log"
  [ -f "$offset_file" ] || return 0
  local offset
  offset=$(cat "$offset_file")
  for _ in $(seq 1 120); do
    if tail -c +"$((offset + 1))" "$log" 2>/dev/null | grep -q 'Wharf worker started'; then
      rm -f "$offset_file"
      return 0
    fi
    sleep 0.5
  done
  tail -c +"$((offset + 1))" "$log" | tail -n 30 >&2
  die "the worker did not start (log: $log)"
}

wait_for_api() {
  for _ in $(seq 1 120); do
    if curl -fsS -o /dev/null "$WHARF_API_URL/healthz" 2>/dev/null; then return 0; fi
    supervisor_alive api || break
    sleep 0.5
  done
  tail_log "$WHARF_LOG_DIR/api.log" 40
  curl -sS "$WHARF_API_URL/healthz" 2>/dev/null && echo
  die "the API did not become healthy at $WHARF_API_URL/healthz"
}
