#!/usr/bin/env bash
# npm run down: stops what `npm run up` started from this state directory. Data is kept.
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"
. "$WHARF_ROOT/scripts/lib/services.sh"
. "$WHARF_ROOT/scripts/lib/platform.sh"

step "Stopping Wharf (state directory: $WHARF_STATE_DIR; data is kept)"
stop_process worker
stop_process api

started_here haproxy && stop_component haproxy

# App instances keep running while the platform is down; only their apps.internal names stop
# resolving until `up` starts dnsmasq again.
started_here dnsmasq && stop_component dnsmasq

if started_here redis && pid_alive "$WHARF_RUN_DIR/redis.pid"; then
  redis-cli -p "$WHARF_REDIS_PORT" shutdown >/dev/null 2>&1 || kill "$(cat "$WHARF_RUN_DIR/redis.pid")"
  info "stopped Redis"
fi
rm -f "$WHARF_RUN_DIR/started-redis"

if started_here postgres; then
  read -r ver name _ <<<"$(pg_cluster)"
  [ -n "${ver:-}" ] && pg_ctlcluster "$ver" "$name" stop -m fast >/dev/null 2>&1 && info "stopped PostgreSQL"
fi
rm -f "$WHARF_RUN_DIR/started-postgres"

if started_here docker && [ -f /var/run/docker.pid ]; then
  # The engine runs with live-restore: app containers keep running and are found again on `up`.
  kill "$(cat /var/run/docker.pid)" 2>/dev/null && info "stopped the Docker engine"
fi
rm -f "$WHARF_RUN_DIR/started-docker"
step "Wharf is down. \`npm run up\` brings it back with all data."
