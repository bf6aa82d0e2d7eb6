# Installs and starts the real components from Debian packages: Docker, PostgreSQL, Redis, HAProxy.
# Each start is idempotent: a running service is reused, never duplicated.
# shellcheck shell=bash

: "${WHARF_PG_PORT:=5432}"
: "${WHARF_REDIS_PORT:=6379}"
: "${WHARF_ROUTER_PORT:=8080}"
WHARF_HAPROXY_DIR="$WHARF_STATE_DIR/haproxy"
WHARF_HAPROXY_MASTER_SOCKET="$WHARF_RUN_DIR/haproxy-master.sock"
# HAProxy sends its access log here (UDP, 127.0.0.1); the worker turns it into [RTR] lines.
: "${WHARF_ROUTER_LOG_PORT:=$((WHARF_ROUTER_PORT + 1))}"
WHARF_APPS_NETWORK="wharf-${WHARF_INSTALLATION:-default}-apps"
WHARF_DISCOVERY_HOSTS_DIR="$WHARF_STATE_DIR/discovery/hosts.d"
: "${WHARF_DOCKER_SOCK:=/var/run/docker.sock}"

REQUIRED_PACKAGES=(docker.io postgresql redis-server haproxy dnsmasq-base debootstrap socat docker-compose ca-certificates curl busybox-static)

ensure_packages() {
  local missing=()
  for p in "${REQUIRED_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    info "Debian packages present (${REQUIRED_PACKAGES[*]})"
    return
  fi
  [ "$(id -u)" -eq 0 ] || die "missing Debian packages: ${missing[*]}. Run as root or install them with apt-get."
  local log="$WHARF_LOG_DIR/apt.log"
  step "Installing Debian packages: ${missing[*]} (first run: 1-3 minutes; log: $log)"
  DEBIAN_FRONTEND=noninteractive apt-get update >>"$log" 2>&1 || { tail_log "$log"; die "apt-get update failed"; }
  # Show one line per package being set up, so a long install visibly progresses.
  set +o pipefail
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
    -o Dpkg::Use-Pty=0 "${missing[@]}" 2>&1 | tee -a "$log" |
    grep --line-buffered -E '^(Setting up|Need to get)' | sed -u 's/^/    /'
  local rc=${PIPESTATUS[0]}
  set -o pipefail
  [ "$rc" -eq 0 ] || { tail_log "$log"; die "apt-get install failed"; }
}

ensure_docker() {
  if docker -H "unix://$WHARF_DOCKER_SOCK" version --format '{{.Server.Version}}' >/dev/null 2>&1; then
    info "Docker engine running ($(docker -H "unix://$WHARF_DOCKER_SOCK" version --format '{{.Server.Version}}'))"
    return
  fi
  step "Starting Docker engine (log: $WHARF_LOG_DIR/dockerd.log)"
  # A pid file left by a killed engine makes dockerd refuse to start.
  if [ -f /var/run/docker.pid ] && ! kill -0 "$(cat /var/run/docker.pid)" 2>/dev/null; then
    rm -f /var/run/docker.pid
  fi
  # live-restore: app containers keep running while the engine restarts.
  setsid nohup dockerd --host "unix://$WHARF_DOCKER_SOCK" --live-restore \
    >>"$WHARF_LOG_DIR/dockerd.log" 2>&1 </dev/null &
  for _ in $(seq 1 60); do
    docker -H "unix://$WHARF_DOCKER_SOCK" info >/dev/null 2>&1 && { mark_started docker; info "Docker engine up"; return; }
    sleep 0.5
  done
  tail_log "$WHARF_LOG_DIR/dockerd.log"
  die "the Docker engine did not start within 30 s"
}

pg_cluster() { pg_lsclusters -h 2>/dev/null | awk -v port="$WHARF_PG_PORT" '$3 == port { print $1, $2, $4; exit }'; }

ensure_postgres() {
  local ver name status
  read -r ver name status <<<"$(pg_cluster)"
  if [ -z "${ver:-}" ]; then
    ver=$(ls /usr/lib/postgresql | sort -V | tail -1)
    step "Creating PostgreSQL $ver cluster ${WHARF_PG_CLUSTER:-main} on port $WHARF_PG_PORT"
    name=${WHARF_PG_CLUSTER:-main}
    pg_createcluster "$ver" "$name" --port "$WHARF_PG_PORT" >>"$WHARF_LOG_DIR/postgres.log" 2>&1 ||
      { tail_log "$WHARF_LOG_DIR/postgres.log"; die "could not create the PostgreSQL cluster $ver/$name"; }
    status=down
  fi
  if [ "$status" = online ]; then
    info "PostgreSQL $ver/$name running on port $WHARF_PG_PORT"
  else
    step "Starting PostgreSQL $ver/$name on port $WHARF_PG_PORT"
    # Right after a crash the old postmaster's children may still hold the socket lock and shared
    # memory for a moment; PostgreSQL refuses to start until they are gone, so retry briefly.
    local attempt
    for attempt in $(seq 1 20); do
      pg_ctlcluster "$ver" "$name" start >>"$WHARF_LOG_DIR/postgres.log" 2>&1 && break
      if [ "$attempt" -eq 20 ]; then
        tail_log "/var/log/postgresql/postgresql-$ver-$name.log"
        die "PostgreSQL did not start"
      fi
      sleep 1
    done
    mark_started postgres
  fi
  for _ in $(seq 1 40); do
    pg_isready -q -h 127.0.0.1 -p "$WHARF_PG_PORT" && return
    sleep 0.25
  done
  die "PostgreSQL does not accept connections on 127.0.0.1:$WHARF_PG_PORT"
}

# ensure_database ROLE DB PASSWORD: an owner role (allowed to create per-test databases) and its
# database. Never drops or recreates anything that exists.
ensure_database() {
  local role=$1 db=$2 password=$3
  [[ "$role" =~ ^[a-z_][a-z0-9_]*$ && "$db" =~ ^[a-z_][a-z0-9_]*$ ]] ||
    die "database and role names must be lowercase letters, digits and _ (got '$role' / '$db')"
  # The password travels as a psql variable on stdin: not on a command line, quoted by psql.
  runuser -u postgres -- psql -p "$WHARF_PG_PORT" -v ON_ERROR_STOP=1 -qtA \
    -v role="$role" -v db="$db" -v pw="$password" >/dev/null <<'SQL' || die "could not prepare database $db"
SELECT format('CREATE ROLE %I LOGIN CREATEDB', :'role') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
ALTER ROLE :"role" LOGIN CREATEDB PASSWORD :'pw';
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'role') WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
SQL
}

# True when the Redis on WHARF_REDIS_PORT works in a directory that no longer exists.
redis_dir_gone() {
  local pid cwd
  pid=$(redis-cli -p "$WHARF_REDIS_PORT" info server 2>/dev/null | tr -d '\r' | sed -n 's/^process_id://p')
  [ -n "$pid" ] || return 1
  cwd=$(readlink "/proc/$pid/cwd" 2>/dev/null) || return 1
  [[ $cwd == *" (deleted)" ]] || [ ! -d "$cwd" ]
}

ensure_redis() {
  local answer
  answer=$(redis-cli -p "$WHARF_REDIS_PORT" ping 2>&1 || true)
  if redis_dir_gone; then
    # A Redis whose data directory was deleted under it (a state directory or checkout removed
    # while it ran) can no longer persist: writes, and then even PING, fail with MISCONF.
    # Its data is already lost with the directory; stop it and start one of our own.
    info "the Redis on port $WHARF_REDIS_PORT lost its data directory (deleted); replacing it"
    redis-cli -p "$WHARF_REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
    for _ in $(seq 1 40); do
      redis-cli -p "$WHARF_REDIS_PORT" ping >/dev/null 2>&1 || break
      sleep 0.25
    done
    answer=""
  fi
  if [ "$answer" = PONG ]; then
    info "Redis running on port $WHARF_REDIS_PORT"
    return
  fi
  if ss -ltn "sport = :$WHARF_REDIS_PORT" 2>/dev/null | grep -q LISTEN; then
    die "port $WHARF_REDIS_PORT is taken by something that is not a healthy Redis (it answered: ${answer:0:200}). Stop it, or set WHARF_REDIS_PORT."
  fi
  step "Starting Redis on 127.0.0.1:$WHARF_REDIS_PORT (append-only file under $WHARF_STATE_DIR/redis)"
  mkdir -p "$WHARF_STATE_DIR/redis"
  # The append-only file makes queued jobs survive a kill -9 of Redis.
  redis-server --bind 127.0.0.1 --port "$WHARF_REDIS_PORT" --dir "$WHARF_STATE_DIR/redis" \
    --appendonly yes --appendfsync everysec --daemonize yes \
    --pidfile "$WHARF_RUN_DIR/redis.pid" --logfile "$WHARF_LOG_DIR/redis.log" \
    --maxmemory-policy noeviction
  for _ in $(seq 1 40); do
    redis-cli -p "$WHARF_REDIS_PORT" ping 2>/dev/null | grep -q PONG && { mark_started redis; return; }
    sleep 0.25
  done
  tail_log "$WHARF_LOG_DIR/redis.log"
  die "Redis did not start"
}

# The router: Debian's HAProxy in master-worker mode. The worker's routing sync owns its
# configuration (haproxy.cfg, rewritten and reloaded through the master socket); until the first
# sync it answers every request with the 404 of an unknown route.
haproxy_answers() {
  [ -S "$WHARF_HAPROXY_MASTER_SOCKET" ] &&
    echo "show proc" | socat -t 2 - "unix-connect:$WHARF_HAPROXY_MASTER_SOCKET" 2>/dev/null | grep -q master
}

ensure_haproxy() {
  if haproxy_answers; then
    info "HAProxy running (router on 127.0.0.1:$WHARF_ROUTER_PORT)"
    return
  fi
  if ss -ltn "sport = :$WHARF_ROUTER_PORT" 2>/dev/null | grep -q LISTEN; then
    die "port $WHARF_ROUTER_PORT is taken by something else: stop it, or set WHARF_ROUTER_PORT."
  fi
  # A supervisor whose HAProxy does not answer (e.g. crash-looping): start over.
  supervisor_alive haproxy && stop_process haproxy
  step "Starting HAProxy (router on 127.0.0.1:$WHARF_ROUTER_PORT)"
  mkdir -p "$WHARF_HAPROXY_DIR"
  local cfg="$WHARF_HAPROXY_DIR/haproxy.cfg"
  # A configuration from an earlier run may name another port: start from the empty router;
  # the routing sync sees the file changed and writes the real one within a second.
  cat >"$cfg" <<CFG
# Written by npm run up; replaced by the worker's routing sync.
global
  stats socket $WHARF_HAPROXY_DIR/admin.sock mode 600 level admin expose-fd listeners
  maxconn 4096
defaults
  mode http
  timeout connect 2s
  timeout client 60s
  timeout server 60s
frontend router
  bind 127.0.0.1:$WHARF_ROUTER_PORT
  http-request return status 404 content-type text/plain lf-string "Requested route ('%[req.hdr(host),field(1,:)]') does not exist.\n"
CFG
  haproxy -c -q -f "$cfg" >>"$WHARF_LOG_DIR/haproxy.log" 2>&1 || { tail_log "$WHARF_LOG_DIR/haproxy.log"; die "the initial HAProxy configuration is invalid"; }
  # In the foreground under the supervisor, which starts it again if it dies: it comes back with
  # the last configuration the routing sync applied.
  supervise_command haproxy haproxy -W -S "$WHARF_HAPROXY_MASTER_SOCKET,mode,600" -f "$cfg"
  for _ in $(seq 1 40); do
    haproxy_answers && { mark_started haproxy; return; }
    sleep 0.25
  done
  tail_log "$WHARF_LOG_DIR/haproxy.log"
  die "HAProxy did not start"
}

# The Docker network app instances run on, one per installation. Its gateway address is where
# their DNS server (dnsmasq, below) listens.
ensure_apps_network() {
  local d=(docker -H "unix://$WHARF_DOCKER_SOCK")
  if ! "${d[@]}" network inspect "$WHARF_APPS_NETWORK" >/dev/null 2>&1; then
    step "Creating the Docker network $WHARF_APPS_NETWORK for app instances"
    "${d[@]}" network create --driver bridge --label wharf.managed=true \
      --label "wharf.installation=${WHARF_INSTALLATION:-default}" "$WHARF_APPS_NETWORK" >/dev/null ||
      die "could not create the Docker network $WHARF_APPS_NETWORK"
  fi
  WHARF_APPS_DNS=$("${d[@]}" network inspect "$WHARF_APPS_NETWORK" -f '{{(index .IPAM.Config 0).Gateway}}')
  [ -n "$WHARF_APPS_DNS" ] || die "the Docker network $WHARF_APPS_NETWORK has no gateway address"
}

# Internal discovery: Debian's dnsmasq, the DNS server of the app instances, on the apps network's
# gateway. It answers <host>.apps.internal from the hosts files the worker's routing sync writes
# (one address per healthy instance, re-read by dnsmasq on every change, TTL 0) and forwards every
# other name to the machine's own resolvers.
dnsmasq_answers() {
  pid_alive "$WHARF_RUN_DIR/dnsmasq.pid" &&
    tr '\0' ' ' <"/proc/$(cat "$WHARF_RUN_DIR/dnsmasq.pid")/cmdline" 2>/dev/null | grep -q -- "--listen-address=$WHARF_APPS_DNS "
}

# Stops a component started by supervise_command (or, from before, started on its own).
stop_component() {
  local name=$1 pidfile="$WHARF_RUN_DIR/$1.pid"
  if supervisor_alive "$name"; then
    stop_process "$name"
  elif pid_alive "$pidfile"; then
    kill "$(cat "$pidfile")" && info "stopped $name"
  fi
  rm -f "$pidfile" "$WHARF_RUN_DIR/started-$name"
}

ensure_dnsmasq() {
  if dnsmasq_answers; then
    info "dnsmasq running (apps.internal on $WHARF_APPS_DNS)"
    return
  fi
  # One from before that listens elsewhere (the network was recreated with another address).
  pid_alive "$WHARF_RUN_DIR/dnsmasq.pid" && stop_component dnsmasq
  if ss -lun "sport = :53" 2>/dev/null | grep -qF "$WHARF_APPS_DNS:53"; then
    die "$WHARF_APPS_DNS:53 (the DNS address of network $WHARF_APPS_NETWORK) is taken by another process, perhaps the dnsmasq of another checkout using the same installation name: stop it, or set WHARF_INSTALLATION."
  fi
  step "Starting dnsmasq (apps.internal for app instances, on $WHARF_APPS_DNS:53)"
  mkdir -p "$WHARF_DISCOVERY_HOSTS_DIR"
  # Under the supervisor, which starts it again if it dies.
  supervise_command dnsmasq dnsmasq --keep-in-foreground --conf-file=/dev/null \
    --listen-address="$WHARF_APPS_DNS" --bind-interfaces --no-hosts \
    --hostsdir="$WHARF_DISCOVERY_HOSTS_DIR" --local=/apps.internal/ --domain-needed --local-ttl=0 \
    --cache-size=1000 --log-facility=-
  for _ in $(seq 1 20); do
    if dnsmasq_answers && ss -lun "sport = :53" 2>/dev/null | grep -qF "$WHARF_APPS_DNS:53"; then
      mark_started dnsmasq
      return
    fi
    sleep 0.1
  done
  tail_log "$WHARF_LOG_DIR/dnsmasq.log"
  die "dnsmasq did not start"
}

# ---- Built-in service brokers: the services PostgreSQL cluster -------------------------------
# The postgresql broker's databases live in a cluster of their own per installation, apart from the
# platform's: app containers reach it on the apps network's gateway, so it listens there and on
# 127.0.0.1 only, and pg_hba admits the apps network's subnet with passwords. The broker
# administers it as wharf_broker (CREATEDB, CREATEROLE, never a superuser) and keeps its
# bookkeeping in the database wharf_broker.
: "${WHARF_SERVICES_PG_PORT:=5434}"
WHARF_SERVICES_PG_CLUSTER="wharf-services-${WHARF_INSTALLATION:-default}"

services_pg_cluster() {
  pg_lsclusters -h 2>/dev/null | awk -v name="$WHARF_SERVICES_PG_CLUSTER" '$2 == name { print $1, $3, $4; exit }'
}

ensure_services_postgres() {
  local ver port status subnet listen log="$WHARF_LOG_DIR/postgres.log" changed=0
  [ -n "${WHARF_APPS_DNS:-}" ] || die "ensure_services_postgres needs the apps network (ensure_apps_network)"
  subnet=$(docker -H "unix://$WHARF_DOCKER_SOCK" network inspect "$WHARF_APPS_NETWORK" -f '{{(index .IPAM.Config 0).Subnet}}')
  read -r ver port status <<<"$(services_pg_cluster)"
  if [ -z "${ver:-}" ]; then
    ver=$(ls /usr/lib/postgresql | sort -V | tail -1)
    step "Creating the services PostgreSQL cluster $ver/$WHARF_SERVICES_PG_CLUSTER on port $WHARF_SERVICES_PG_PORT"
    pg_createcluster "$ver" "$WHARF_SERVICES_PG_CLUSTER" --port "$WHARF_SERVICES_PG_PORT" >>"$log" 2>&1 ||
      { tail_log "$log"; die "could not create the PostgreSQL cluster $ver/$WHARF_SERVICES_PG_CLUSTER"; }
    port=$WHARF_SERVICES_PG_PORT status=down
  fi
  [ "$port" = "$WHARF_SERVICES_PG_PORT" ] ||
    die "the services cluster $ver/$WHARF_SERVICES_PG_CLUSTER listens on port $port, not WHARF_SERVICES_PG_PORT=$WHARF_SERVICES_PG_PORT"
  listen="127.0.0.1,$WHARF_APPS_DNS"
  if [ "$(pg_conftool -s "$ver" "$WHARF_SERVICES_PG_CLUSTER" show listen_addresses 2>/dev/null)" != "$listen" ]; then
    pg_conftool "$ver" "$WHARF_SERVICES_PG_CLUSTER" set listen_addresses "$listen"
    changed=1
  fi
  # The apps network's line, rewritten when the network (and so its subnet) changed.
  local hba="/etc/postgresql/$ver/$WHARF_SERVICES_PG_CLUSTER/pg_hba.conf"
  local line="host all all $subnet scram-sha-256 # wharf apps network"
  if ! grep -qxF "$line" "$hba"; then
    sed -i '/# wharf apps network$/d' "$hba"
    echo "$line" >>"$hba"
    changed=1
  fi
  if [ "$status" = online ] && [ "$changed" = 1 ]; then
    # listen_addresses takes a restart; service containers reconnect.
    pg_ctlcluster "$ver" "$WHARF_SERVICES_PG_CLUSTER" restart >>"$log" 2>&1 ||
      { tail_log "/var/log/postgresql/postgresql-$ver-$WHARF_SERVICES_PG_CLUSTER.log"; die "the services cluster did not restart"; }
  elif [ "$status" = online ]; then
    info "services PostgreSQL $ver/$WHARF_SERVICES_PG_CLUSTER running on $listen port $WHARF_SERVICES_PG_PORT"
  else
    step "Starting services PostgreSQL $ver/$WHARF_SERVICES_PG_CLUSTER on $listen port $WHARF_SERVICES_PG_PORT"
    pg_ctlcluster "$ver" "$WHARF_SERVICES_PG_CLUSTER" start >>"$log" 2>&1 ||
      { tail_log "/var/log/postgresql/postgresql-$ver-$WHARF_SERVICES_PG_CLUSTER.log"; die "the services cluster did not start"; }
    mark_started services-postgres
  fi
  for _ in $(seq 1 40); do
    pg_isready -q -h 127.0.0.1 -p "$WHARF_SERVICES_PG_PORT" && return
    sleep 0.25
  done
  die "the services cluster does not accept connections on 127.0.0.1:$WHARF_SERVICES_PG_PORT"
}

# ensure_services_broker_role PASSWORD: the broker's administrative role and bookkeeping database.
# Nobody else may connect to the cluster's own databases (a bound app's role only to its own).
ensure_services_broker_role() {
  runuser -u postgres -- psql -p "$WHARF_SERVICES_PG_PORT" -v ON_ERROR_STOP=1 -qtA -v pw="$1" >/dev/null <<'SQL' ||
SELECT 'CREATE ROLE wharf_broker' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'wharf_broker') \gexec
ALTER ROLE wharf_broker LOGIN CREATEDB CREATEROLE NOSUPERUSER PASSWORD :'pw';
SELECT 'CREATE DATABASE wharf_broker OWNER wharf_broker' WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'wharf_broker') \gexec
REVOKE CONNECT, TEMPORARY ON DATABASE postgres, template1, wharf_broker FROM PUBLIC;
SQL
    die "could not prepare the broker's role in the services cluster"
}

ensure_services() {
  ensure_packages
  ensure_docker
  ensure_postgres
  ensure_redis
  ensure_haproxy
  ensure_apps_network
  ensure_dnsmasq
  ensure_services_postgres
}
