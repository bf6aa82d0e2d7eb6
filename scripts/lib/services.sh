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
: "${WHARF_DOCKER_DATA_ROOT:=/var/lib/wharf/docker}"
# Where the engine takes its networks' subnets (/24 each): apart from the 172.17-31 and 192.168
# ranges of Docker's defaults, which another engine on the machine allocates without seeing ours.
# The system engine (an installation from before Wharf's own engine) takes Docker's defaults, of
# which its space networks get 172.16.0.0/12 (the firewall and pg_hba name the pool).
if [ "$WHARF_DOCKER_SOCK" = "${WHARF_SYSTEM_DOCKER_SOCK:-/var/run/docker.sock}" ]; then
  : "${WHARF_DOCKER_ADDRESS_POOL:=172.16.0.0/12}"
fi
: "${WHARF_DOCKER_ADDRESS_POOL:=10.213.0.0/16}"
# The engine's runtime state and pid file, next to its socket (common.sh sets WHARF_DOCKER_SOCK).
WHARF_DOCKER_EXEC_ROOT="${WHARF_DOCKER_SOCK%.sock}.exec"
WHARF_DOCKER_PIDFILE="${WHARF_DOCKER_SOCK%.sock}.pid"

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

docker_not_remapped_warning() {
  info "WARNING: the Docker engine on $WHARF_DOCKER_SOCK does not remap user namespaces: root in a container is root on the host."
  if [ "$WHARF_DOCKER_SOCK" = "$WHARF_SYSTEM_DOCKER_SOCK" ] && [ -z "${WHARF_DOCKER_SOCK_GIVEN:-}" ]; then
    info "         This installation was made on the machine's system engine and stays there so that its"
    info "         apps, images and service data are kept. A new installation (npm run down -- --purge, which"
    info "         deletes this one's data, then npm run up) runs on Wharf's own remapped engine."
  fi
}

# Kernel limits per user that a few hundred instances outgrow; each is raised, never lowered.
# - kernel.keys.maxkeys, maxbytes: every container's init makes a session keyring, charged to the
#   host uid its processes run as; all the apps of an installation run as one uid (vcap,
#   remapped), and the default 200 keys and 20,000 bytes end at about 190 instances with "unable
#   to create session key: disk quota exceeded".
# - fs.inotify.max_user_instances: the engine opens an inotify instance for every log it follows
#   (the worker follows every instance's output), all as root; at the default 128 it falls back to
#   polling, and every other root process that needs one (dnsmasq, which watches the
#   apps.internal hosts file) fails to start: "failed to create inotify: Too many open files".
WHARF_KERNEL_MAXKEYS=${WHARF_KERNEL_MAXKEYS:-20000}
WHARF_KERNEL_MAXBYTES=${WHARF_KERNEL_MAXBYTES:-2000000}
WHARF_INOTIFY_INSTANCES=${WHARF_INOTIFY_INSTANCES:-8192}
ensure_kernel_limits() {
  local setting want file
  for setting in "kernel.keys.maxkeys=$WHARF_KERNEL_MAXKEYS" \
    "kernel.keys.maxbytes=$WHARF_KERNEL_MAXBYTES" \
    "fs.inotify.max_user_instances=$WHARF_INOTIFY_INSTANCES"; do
    want=${setting#*=}
    file=/proc/sys/$(echo "${setting%%=*}" | tr . /)
    [ "$(cat "$file")" -ge "$want" ] && continue
    sysctl -qw "$setting" ||
      info "WARNING: ${setting%%=*} stays at $(cat "$file") (wanted $want): a few hundred instances at most"
  done
}

# True when the engine on WHARF_DOCKER_SOCK maps container uids to an unprivileged host range.
docker_remapped() { docker info --format '{{json .SecurityOptions}}' 2>/dev/null | grep -q 'name=userns'; }

# Wharf's own engine, one per machine, shared by its installations. It never shares a socket, data
# root or firewall with an engine the machine already runs (Debian's docker.service, say):
# - --userns-remap=default: uid 0 in a container is an unprivileged uid on the host (dockerd
#   creates the user dockremap and its /etc/subuid, /etc/subgid ranges on first start);
# - --bridge none: no default bridge to clash with another engine's docker0; every container
#   Wharf makes names its network;
# - --iptables=false: another engine that starts flushes the DOCKER chains, its own and ours, so
#   this one keeps out of them; ensure_firewall writes Wharf's rules in chains of its own;
# - --no-new-privileges by default, --live-restore (containers outlive an engine restart).
ensure_docker() {
  ensure_kernel_limits
  if docker version --format '{{.Server.Version}}' >/dev/null 2>&1; then
    if docker_remapped; then
      info "Docker engine running on $WHARF_DOCKER_SOCK ($(docker version --format '{{.Server.Version}}'), user namespaces remapped)"
    else
      docker_not_remapped_warning
    fi
    return
  fi
  if [ "$WHARF_DOCKER_SOCK" = "$WHARF_SYSTEM_DOCKER_SOCK" ]; then
    # An installation from before Wharf ran its own engine: the system engine, as it was started.
    step "Starting the system Docker engine on $WHARF_DOCKER_SOCK (log: $WHARF_LOG_DIR/dockerd.log)"
    if [ -f /var/run/docker.pid ] && ! kill -0 "$(cat /var/run/docker.pid)" 2>/dev/null; then
      rm -f /var/run/docker.pid
    fi
    setsid nohup dockerd --host "unix://$WHARF_DOCKER_SOCK" --live-restore \
      >>"$WHARF_LOG_DIR/dockerd.log" 2>&1 </dev/null &
    for _ in $(seq 1 60); do
      docker info >/dev/null 2>&1 && { mark_started docker; info "Docker engine up"; docker_not_remapped_warning; return; }
      sleep 0.5
    done
    tail_log "$WHARF_LOG_DIR/dockerd.log"
    die "the Docker engine did not start within 30 s"
  fi
  step "Starting Wharf's Docker engine on $WHARF_DOCKER_SOCK (data: $WHARF_DOCKER_DATA_ROOT; log: $WHARF_LOG_DIR/dockerd.log)"
  mkdir -p "$(dirname "$WHARF_DOCKER_SOCK")" "$WHARF_DOCKER_DATA_ROOT"
  # An engine still shutting down (stopped a moment ago) holds its pid file: let it finish. A pid
  # file left by a killed engine makes dockerd refuse to start.
  if [ -f "$WHARF_DOCKER_PIDFILE" ]; then
    local old_pid
    old_pid=$(cat "$WHARF_DOCKER_PIDFILE")
    for _ in $(seq 1 120); do [ "$(cat "/proc/$old_pid/comm" 2>/dev/null)" = dockerd ] || break; sleep 0.25; done
    [ "$(cat "/proc/$old_pid/comm" 2>/dev/null)" = dockerd ] && die "the Docker engine (pid $old_pid) neither answers on $WHARF_DOCKER_SOCK nor stops: stop it, then run this again"
    rm -f "$WHARF_DOCKER_PIDFILE"
  fi
  setsid nohup dockerd --host "unix://$WHARF_DOCKER_SOCK" --data-root "$WHARF_DOCKER_DATA_ROOT" \
    --exec-root "$WHARF_DOCKER_EXEC_ROOT" --pidfile "$WHARF_DOCKER_PIDFILE" \
    --userns-remap=default --bridge none --iptables=false --no-new-privileges --live-restore \
    --default-address-pool "base=$WHARF_DOCKER_ADDRESS_POOL,size=24" \
    >>"$WHARF_LOG_DIR/dockerd.log" 2>&1 </dev/null &
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && { mark_started docker; info "Docker engine up"; return; }
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
# sync it answers every request with the 404 of an unknown route. It listens on 127.0.0.1 and on
# the apps network's gateway, where app containers reach it (`transparent`: the bind holds even
# while that address is missing, so a recreated network never stops the router from loading).
haproxy_answers() {
  [ -S "$WHARF_HAPROXY_MASTER_SOCKET" ] &&
    echo "show proc" | socat -t 2 - "unix-connect:$WHARF_HAPROXY_MASTER_SOCKET" 2>/dev/null | grep -q master
}

ensure_haproxy() {
  [ -n "${WHARF_APPS_DNS:-}" ] || die "ensure_haproxy needs the apps network (ensure_apps_network)"
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
  bind $WHARF_APPS_DNS:$WHARF_ROUTER_PORT transparent
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

# The Docker networks of an installation: app instances and service containers on the apps network
# (its gateway address is where their DNS server, dnsmasq below, listens); staging containers on a
# network of their own, which reaches the internet and nothing of the platform or of the apps.
# Their bridges get fixed names so ensure_firewall can name them.
WHARF_STAGING_NETWORK="wharf-${WHARF_INSTALLATION:-default}-staging"

bridge_name() { # PREFIX: at most 15 characters, an interface name's limit
  local inst=${WHARF_INSTALLATION:-default}
  if [ ${#inst} -le 11 ]; then echo "$1-$inst"; else echo "$1-$(printf %s "$inst" | sha_of | cut -c1-11)"; fi
}

# The bridges of the space networks (one per space with app instances, created and removed by the
# scheduler): wp<4 hex of the installation>-<8 hex of the space>, 15 characters, so that the
# firewall names them all with one wildcard. up writes the prefix into the env file.
WHARF_SPACE_BRIDGE_PREFIX="wp$(printf %s "${WHARF_INSTALLATION:-default}" | sha256sum | cut -c1-4)"

# ensure_network NAME PREFIX: creates NAME unless it exists; prints its bridge interface.
ensure_network() {
  local name=$1 bridge
  if ! docker network inspect "$name" >/dev/null 2>&1; then
    step "Creating the Docker network $name" >&2
    docker network create --driver bridge --label wharf.managed=true \
      --label "wharf.installation=${WHARF_INSTALLATION:-default}" \
      -o "com.docker.network.bridge.name=$(bridge_name "$2")" "$name" >/dev/null ||
      die "could not create the Docker network $name"
  fi
  bridge=$(docker network inspect "$name" -f '{{index .Options "com.docker.network.bridge.name"}}')
  [ -n "$bridge" ] || bridge="br-$(docker network inspect "$name" -f '{{.Id}}' | cut -c1-12)"
  echo "$bridge"
}

ensure_apps_network() {
  WHARF_APPS_BRIDGE=$(ensure_network "$WHARF_APPS_NETWORK" wa) || exit 1
  WHARF_STAGING_BRIDGE=$(ensure_network "$WHARF_STAGING_NETWORK" ws) || exit 1
  WHARF_APPS_DNS=$(docker network inspect "$WHARF_APPS_NETWORK" -f '{{(index .IPAM.Config 0).Gateway}}')
  [ -n "$WHARF_APPS_DNS" ] || die "the Docker network $WHARF_APPS_NETWORK has no gateway address"
}

# The firewall of an installation's networks, in chains of Wharf's own (iptables; Debian's is the
# nf_tables one), rewritten whole and atomically by every `up`:
# - to the host itself, an app container reaches only dnsmasq (53), the services cluster and the
#   router on the apps network's gateway, whatever else listens there or on 0.0.0.0 (the
#   platform's PostgreSQL, Redis, API, brokers, a Docker API on TCP); a staging container only DNS;
# - app instances run on a network per space (the scheduler creates them, bridges named
#   <WHARF_SPACE_BRIDGE_PREFIX>-<8 hex>, so one wildcard names them all): bridged traffic inside
#   one space bridge passes, traffic routed from one space bridge to another does not, and a space
#   reaches the apps network (the built-in service containers) but not the other way round;
# - it reaches no other Docker network (other installations, other engines);
# - it reaches the rest of the world, masqueraded, as far as the machine does;
# - nothing from elsewhere opens a connection into these networks: HAProxy, the brokers and the
#   health checks connect from the host itself (OUTPUT), which these chains do not filter.
# Every chain accepts established connections first, then gives every other packet it sees a
# verdict: whichever installation's chain FORWARD reaches first decides, so they must agree.
firewall_chain() { echo "WHARF-$1-$2"; } # KIND BRIDGE (≤ 28 characters)

# Rejects what a container would forward into Docker networks other than its own (any engine's).
firewall_reject_other_networks() { # CHAIN INTERFACE
  local out
  for out in br-+ docker+ wa-+ ws-+ wp+; do
    echo "-A $1 -i $2 -o $out -j REJECT"
  done
}

# firewall_forward_jump -i|-o IFACE CHAIN: a jump first in FORWARD and, where the system's Docker
# engine keeps its rules, first in its DOCKER-USER chain too. That engine's DOCKER-ISOLATION rules
# drop what ours allow between its networks (a space's app to the service containers on the apps
# network) unless ours come first: whenever it makes a network it puts the DOCKER-USER jump first
# in FORWARD, and when it starts it puts its isolation jump above everything, so at every `up` the
# FORWARD jump is moved back to the top rather than left where an earlier `up` put it.
firewall_forward_jump() {
  while iptables -D FORWARD "$1" "$2" -j "$3" 2>/dev/null; do :; done
  iptables -I FORWARD 1 "$1" "$2" -j "$3"
  iptables -n -L DOCKER-USER >/dev/null 2>&1 || return 0
  iptables -C DOCKER-USER "$1" "$2" -j "$3" 2>/dev/null || iptables -I DOCKER-USER 1 "$1" "$2" -j "$3"
}
firewall_forward_unjump() { # -i|-o IFACE CHAIN
  local parent
  for parent in FORWARD DOCKER-USER; do
    iptables -D "$parent" "$1" "$2" -j "$3" 2>/dev/null || true
  done
}

ensure_firewall() {
  command -v iptables-restore >/dev/null || die "iptables is missing (apt-get install iptables)"
  [ "$(cat /proc/sys/net/ipv4/ip_forward)" = 1 ] || sysctl -qw net.ipv4.ip_forward=1
  local br subnet in fwd nat rules spaces="$WHARF_SPACE_BRIDGE_PREFIX-+"
  local apps_in
  apps_in=$(firewall_chain IN "$WHARF_APPS_BRIDGE")
  firewall_check_owner
  for br in "$WHARF_APPS_BRIDGE" "$WHARF_STAGING_BRIDGE"; do
    if [ "$br" = "$WHARF_APPS_BRIDGE" ]; then
      subnet=$(docker network inspect "$WHARF_APPS_NETWORK" -f '{{(index .IPAM.Config 0).Subnet}}')
    else
      subnet=$(docker network inspect "$WHARF_STAGING_NETWORK" -f '{{(index .IPAM.Config 0).Subnet}}')
    fi
    in=$(firewall_chain IN "$br") fwd=$(firewall_chain FWD "$br") nat=$(firewall_chain NAT "$br")
    rules="*filter
:$in - [0:0]
:$fwd - [0:0]
-A $in -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
"
    if [ "$br" = "$WHARF_APPS_BRIDGE" ]; then
      # App containers (of the apps network and of every space network, which share this chain):
      # the installation's own dnsmasq, services cluster and router, on the gateway only.
      rules+="-A $in -d $WHARF_APPS_DNS/32 -p udp --dport 53 -j ACCEPT
-A $in -d $WHARF_APPS_DNS/32 -p tcp --dport 53 -j ACCEPT
-A $in -d $WHARF_APPS_DNS/32 -p tcp --dport $WHARF_SERVICES_PG_PORT -j ACCEPT
-A $in -d $WHARF_APPS_DNS/32 -p tcp --dport $WHARF_ROUTER_PORT -j ACCEPT
"
    else
      rules+="-A $in -p udp --dport 53 -j ACCEPT
-A $in -p tcp --dport 53 -j ACCEPT
"
    fi
    rules+="-A $in -p tcp -j REJECT --reject-with tcp-reset
-A $in -j REJECT
-A $fwd -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
"
    if [ "$br" = "$WHARF_APPS_BRIDGE" ]; then
      # Service containers and instances still on this network (from before space networks)
      # reach each other; app containers of every space reach the service containers.
      rules+="-A $fwd -i $br -o $br -j ACCEPT
-A $fwd -i $spaces -o $br -j ACCEPT
"
    fi
    rules+="-A $fwd -o $br -p tcp -j REJECT --reject-with tcp-reset
-A $fwd -o $br -j REJECT
$(firewall_reject_other_networks "$fwd" "$br")
-A $fwd -i $br -j ACCEPT
COMMIT
*nat
:$nat - [0:0]
-A $nat -s $subnet ! -o $br -j MASQUERADE
COMMIT
"
    printf '%s' "$rules" | iptables-restore --noflush || die "could not write the firewall rules of $br"
    # The jumps, first in their chains, once.
    iptables -C INPUT -i "$br" -j "$in" 2>/dev/null || iptables -I INPUT 1 -i "$br" -j "$in"
    firewall_forward_jump -i "$br" "$fwd"
    firewall_forward_jump -o "$br" "$fwd"
    iptables -t nat -C POSTROUTING -j "$nat" 2>/dev/null || iptables -t nat -I POSTROUTING 1 -j "$nat"
  done

  # The space networks. Their subnets come and go with them, all inside the engine's address
  # pool: what leaves the pool is masqueraded (the apps and staging chains above do the same for
  # their own subnets), what stays inside it is not, so a service container sees its client.
  fwd=$(firewall_chain FWD "$WHARF_SPACE_BRIDGE_PREFIX") nat=$(firewall_chain NAT "$WHARF_SPACE_BRIDGE_PREFIX")
  rules="*filter
:$fwd - [0:0]
-A $fwd -m comment --comment wharf-installation=${WHARF_INSTALLATION:-default} -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
-A $fwd -i $spaces -o $spaces -m physdev --physdev-is-bridged -j ACCEPT
-A $fwd -i $spaces -o $WHARF_APPS_BRIDGE -j ACCEPT
-A $fwd -o $spaces -p tcp -j REJECT --reject-with tcp-reset
-A $fwd -o $spaces -j REJECT
$(firewall_reject_other_networks "$fwd" "$spaces")
-A $fwd -i $spaces -j ACCEPT
COMMIT
*nat
:$nat - [0:0]
-A $nat -s $WHARF_DOCKER_ADDRESS_POOL ! -d $WHARF_DOCKER_ADDRESS_POOL -j MASQUERADE
COMMIT
"
  printf '%s' "$rules" | iptables-restore --noflush || die "could not write the firewall rules of the space networks ($spaces)"
  iptables -C INPUT -i "$spaces" -j "$apps_in" 2>/dev/null || iptables -I INPUT 1 -i "$spaces" -j "$apps_in"
  firewall_forward_jump -i "$spaces" "$fwd"
  firewall_forward_jump -o "$spaces" "$fwd"
  iptables -t nat -C POSTROUTING -j "$nat" 2>/dev/null || iptables -t nat -I POSTROUTING 1 -j "$nat"
  info "firewall of $WHARF_APPS_BRIDGE, $WHARF_STAGING_BRIDGE and the space networks $spaces in place (iptables chains WHARF-*)"
}

# Two installations whose names hash to the same space bridge prefix would share the space
# networks' rules: refuse rather than let one's apps into the other's networks.
firewall_check_owner() {
  local chain mark
  chain=$(firewall_chain FWD "$WHARF_SPACE_BRIDGE_PREFIX")
  mark=$(iptables -S "$chain" 2>/dev/null | sed -n 's/.*--comment "\{0,1\}wharf-installation=\([a-z0-9-]*\).*/\1/p' | head -1) || true
  [ -z "$mark" ] || [ "$mark" = "${WHARF_INSTALLATION:-default}" ] ||
    die "the space bridge prefix $WHARF_SPACE_BRIDGE_PREFIX of installation '${WHARF_INSTALLATION:-default}' is taken by installation '$mark': choose another WHARF_INSTALLATION"
}

# Internal discovery: Debian's dnsmasq, the DNS server of the app instances, on the apps network's
# gateway. It answers <host>.apps.internal from the hosts files the worker's routing sync writes
# (one address per healthy instance, re-read by dnsmasq on every change, TTL 0), the built-in
# service containers' names in services.internal from the brokers' hosts file, the shared domain
# and its subdomains with the gateway (the router listens there too, so an app reaches another's
# route as the world does), and forwards every other name to the machine's own resolvers.
: "${WHARF_SHARED_DOMAIN:=apps.localhost}"
dnsmasq_answers() {
  local cmdline
  pid_alive "$WHARF_RUN_DIR/dnsmasq.pid" &&
    cmdline=$(tr '\0' ' ' <"/proc/$(cat "$WHARF_RUN_DIR/dnsmasq.pid")/cmdline" 2>/dev/null) &&
    grep -q -- "--listen-address=$WHARF_APPS_DNS " <<<"$cmdline" &&
    grep -qF -- "--address=/$WHARF_SHARED_DOMAIN/$WHARF_APPS_DNS " <<<"$cmdline" &&
    grep -qF -- "--local=/services.internal/ " <<<"$cmdline"
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
  # One from before that listens elsewhere (the network was recreated with another address),
  # answers another shared domain or predates services.internal.
  pid_alive "$WHARF_RUN_DIR/dnsmasq.pid" && stop_component dnsmasq
  if ss -lun "sport = :53" 2>/dev/null | grep -qF "$WHARF_APPS_DNS:53"; then
    die "$WHARF_APPS_DNS:53 (the DNS address of network $WHARF_APPS_NETWORK) is taken by another process, perhaps the dnsmasq of another checkout using the same installation name: stop it, or set WHARF_INSTALLATION."
  fi
  step "Starting dnsmasq (apps.internal for app instances, on $WHARF_APPS_DNS:53)"
  mkdir -p "$WHARF_DISCOVERY_HOSTS_DIR"
  # Under the supervisor, which starts it again if it dies.
  supervise_command dnsmasq dnsmasq --keep-in-foreground --conf-file=/dev/null \
    --listen-address="$WHARF_APPS_DNS" --bind-interfaces --no-hosts \
    --hostsdir="$WHARF_DISCOVERY_HOSTS_DIR" --local=/apps.internal/ --local=/services.internal/ \
    --domain-needed --local-ttl=0 \
    --address="/$WHARF_SHARED_DOMAIN/$WHARF_APPS_DNS" \
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
# 127.0.0.1 only, and pg_hba admits the apps and space networks' subnets with passwords. The broker
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
  subnet=$(docker network inspect "$WHARF_APPS_NETWORK" -f '{{(index .IPAM.Config 0).Subnet}}')
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
  # The space networks come and go, their subnets all inside the engine's address pool; the
  # firewall lets only this installation's app containers reach the cluster.
  line="host all all $WHARF_DOCKER_ADDRESS_POOL scram-sha-256 # wharf space networks"
  if ! grep -qxF "$line" "$hba"; then
    sed -i '/# wharf space networks$/d' "$hba"
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

# Removes an installation's chains and their jumps (down --purge).
remove_firewall() {
  local br kind chain spaces="$WHARF_SPACE_BRIDGE_PREFIX-+"
  iptables -D INPUT -i "$spaces" -j "$(firewall_chain IN "$(bridge_name wa)")" 2>/dev/null || true
  chain=$(firewall_chain FWD "$WHARF_SPACE_BRIDGE_PREFIX")
  firewall_forward_unjump -i "$spaces" "$chain"
  firewall_forward_unjump -o "$spaces" "$chain"
  iptables -F "$chain" 2>/dev/null && iptables -X "$chain"
  chain=$(firewall_chain NAT "$WHARF_SPACE_BRIDGE_PREFIX")
  iptables -t nat -D POSTROUTING -j "$chain" 2>/dev/null || true
  iptables -t nat -F "$chain" 2>/dev/null && iptables -t nat -X "$chain"
  for br in "$(bridge_name wa)" "$(bridge_name ws)"; do
    iptables -D INPUT -i "$br" -j "$(firewall_chain IN "$br")" 2>/dev/null || true
    firewall_forward_unjump -i "$br" "$(firewall_chain FWD "$br")"
    firewall_forward_unjump -o "$br" "$(firewall_chain FWD "$br")"
    iptables -t nat -D POSTROUTING -j "$(firewall_chain NAT "$br")" 2>/dev/null || true
    for kind in IN FWD; do
      chain=$(firewall_chain "$kind" "$br")
      iptables -F "$chain" 2>/dev/null && iptables -X "$chain"
    done
    chain=$(firewall_chain NAT "$br")
    iptables -t nat -F "$chain" 2>/dev/null && iptables -t nat -X "$chain"
  done
  return 0
}

ensure_services() {
  ensure_packages
  ensure_docker
  ensure_postgres
  ensure_redis
  ensure_apps_network
  ensure_haproxy
  ensure_dnsmasq
  ensure_services_postgres
  ensure_firewall
}
