#!/usr/bin/env bash
# npm run down: stops what `npm run up` started from this state directory. Data is kept.
# npm run down -- --purge [--yes]: also deletes this installation: its database, its containers
# and images, its apps network and its state directory (the e2e suite starts from nothing).
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"
. "$WHARF_ROOT/scripts/lib/services.sh"
. "$WHARF_ROOT/scripts/lib/platform.sh"

purge=0 yes=0
for arg in "$@"; do
  case $arg in
    --purge) purge=1 ;;
    --yes | -y) yes=1 ;;
    *) die "unknown option $arg (usage: npm run down [-- --purge [--yes]])" ;;
  esac
done

if [ "$purge" -eq 1 ]; then
  if [ "$yes" -eq 0 ]; then
    [ -t 0 ] || die "--purge deletes every app, service and secret of installation '$WHARF_INSTALLATION'; add --yes to confirm"
    read -r -p "Delete database $WHARF_DB_NAME, the containers of installation '$WHARF_INSTALLATION' and $WHARF_STATE_DIR? [y/N] " answer
    [[ "$answer" =~ ^[yY] ]] || die "nothing deleted"
  fi
  step "Purging installation '$WHARF_INSTALLATION' (database $WHARF_DB_NAME, state directory $WHARF_STATE_DIR)"
  # The engine and PostgreSQL must run to delete what they hold; down stops them again below
  # when this state directory started them.
  ensure_docker >/dev/null
  ensure_postgres >/dev/null
  d=(docker)
  ids=$("${d[@]}" ps -aq --filter "label=wharf.installation=$WHARF_INSTALLATION")
  [ -z "$ids" ] || { "${d[@]}" rm -f $ids >/dev/null && info "removed $(wc -w <<<"$ids") container(s)"; }
fi

if [ "$purge" -eq 1 ]; then
  step "Stopping Wharf (state directory: $WHARF_STATE_DIR)"
else
  step "Stopping Wharf (state directory: $WHARF_STATE_DIR; data is kept)"
fi
stop_process brokers
stop_process worker
stop_process api

started_here haproxy && stop_component haproxy

# App instances keep running while the platform is down; only their apps.internal names stop
# resolving until `up` starts dnsmasq again.
started_here dnsmasq && stop_component dnsmasq

if [ "$purge" -eq 1 ] && redis-cli -p "$WHARF_REDIS_PORT" ping >/dev/null 2>&1; then
  # Queues, logs and leases of this installation (all under its queue prefix), also when the
  # Redis on this port belongs to another state directory.
  redis-cli -p "$WHARF_REDIS_PORT" --scan --pattern "$WHARF_QUEUE_PREFIX:*" |
    xargs -r -n 500 redis-cli -p "$WHARF_REDIS_PORT" unlink >/dev/null
  info "deleted the Redis keys under $WHARF_QUEUE_PREFIX:"
fi
if started_here redis && pid_alive "$WHARF_RUN_DIR/redis.pid"; then
  redis-cli -p "$WHARF_REDIS_PORT" shutdown >/dev/null 2>&1 || kill "$(cat "$WHARF_RUN_DIR/redis.pid")"
  info "stopped Redis"
fi
rm -f "$WHARF_RUN_DIR/started-redis"

if [ "$purge" -eq 1 ]; then
  runuser -u postgres -- psql -p "$WHARF_PG_PORT" -v ON_ERROR_STOP=1 -qtA -v db="$WHARF_DB_NAME" <<'SQL' >/dev/null ||
SELECT format('DROP DATABASE IF EXISTS %I WITH (FORCE)', :'db') \gexec
SQL
    die "could not drop database $WHARF_DB_NAME"
  info "dropped database $WHARF_DB_NAME"
  # Containers a converge started between the removal above and the worker's stop: gone too, or
  # their networks stay (and outlive the firewall removed below).
  ids=$("${d[@]}" ps -aq --filter "label=wharf.installation=$WHARF_INSTALLATION")
  [ -z "$ids" ] || { "${d[@]}" rm -f $ids >/dev/null && info "removed $(wc -w <<<"$ids") container(s) started meanwhile"; }
  ids=$("${d[@]}" images -q --filter "label=wharf.installation=$WHARF_INSTALLATION" | sort -u)
  [ -z "$ids" ] || { "${d[@]}" rmi -f $ids >/dev/null 2>&1 && info "removed $(wc -w <<<"$ids") image(s)"; } || true
  "${d[@]}" network rm "$WHARF_APPS_NETWORK" >/dev/null 2>&1 && info "removed network $WHARF_APPS_NETWORK" || true
  "${d[@]}" network rm "$WHARF_STAGING_NETWORK" >/dev/null 2>&1 && info "removed network $WHARF_STAGING_NETWORK" || true
  ids=$("${d[@]}" network ls -q --filter "label=wharf.installation=$WHARF_INSTALLATION" --filter label=wharf.space_guid)
  [ -z "$ids" ] || { "${d[@]}" network rm $ids >/dev/null && info "removed $(wc -w <<<"$ids") space network(s)"; } || true
  command -v iptables >/dev/null && remove_firewall && info "removed the firewall chains of installation $WHARF_INSTALLATION"
fi

# The built-in service brokers' data: the services cluster of this installation and the data
# volumes of its service containers (the containers went with the installation's label above).
if [ "$purge" -eq 1 ]; then
  read -r ver _ _ <<<"$(services_pg_cluster)"
  if [ -n "${ver:-}" ]; then
    pg_dropcluster --stop "$ver" "$WHARF_SERVICES_PG_CLUSTER" && info "dropped the services cluster $ver/$WHARF_SERVICES_PG_CLUSTER"
  fi
  ids=$("${d[@]}" volume ls -q --filter "label=wharf.installation=$WHARF_INSTALLATION")
  [ -z "$ids" ] || { "${d[@]}" volume rm -f $ids >/dev/null && info "removed $(wc -w <<<"$ids") volume(s)"; }
elif started_here services-postgres; then
  read -r ver _ _ <<<"$(services_pg_cluster)"
  [ -n "${ver:-}" ] && pg_ctlcluster "$ver" "$WHARF_SERVICES_PG_CLUSTER" stop -m fast >/dev/null 2>&1 && info "stopped the services PostgreSQL cluster"
fi
rm -f "$WHARF_RUN_DIR/started-services-postgres"

if started_here postgres; then
  read -r ver name _ <<<"$(pg_cluster)"
  [ -n "${ver:-}" ] && pg_ctlcluster "$ver" "$name" stop -m fast >/dev/null 2>&1 && info "stopped PostgreSQL"
fi
rm -f "$WHARF_RUN_DIR/started-postgres"

if started_here docker && [ -f "$WHARF_DOCKER_PIDFILE" ]; then
  # The engine runs with live-restore: app containers keep running and are found again on `up`.
  # It takes a few seconds to let go of its pid file; `up` right after must find it gone.
  pid=$(cat "$WHARF_DOCKER_PIDFILE")
  if kill "$pid" 2>/dev/null; then
    for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    info "stopped the Docker engine"
  fi
fi
rm -f "$WHARF_RUN_DIR/started-docker"
if [ "$purge" -eq 1 ]; then
  rm -rf "$WHARF_STATE_DIR"
  step "Installation '$WHARF_INSTALLATION' deleted. \`npm run up\` starts a new, empty one."
else
  step "Wharf is down. \`npm run up\` brings it back with all data."
fi
