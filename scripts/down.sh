#!/usr/bin/env bash
# npm run down: stops what `npm run up` started from this state directory. Data is kept.
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"
. "$WHARF_ROOT/scripts/lib/services.sh"
. "$WHARF_ROOT/scripts/lib/platform.sh"

step "Stopping Wharf (state directory: $WHARF_STATE_DIR; data is kept)"
stop_process worker
stop_process api

if started_here haproxy && pid_alive "$WHARF_RUN_DIR/haproxy.pid"; then
  kill "$(cat "$WHARF_RUN_DIR/haproxy.pid")" && info "stopped HAProxy"
fi
rm -f "$WHARF_RUN_DIR/started-haproxy"

# App instances keep running while the platform is down; only their apps.internal names stop
# resolving until `up` starts dnsmasq again.
if started_here dnsmasq && pid_alive "$WHARF_RUN_DIR/dnsmasq.pid"; then
  kill "$(cat "$WHARF_RUN_DIR/dnsmasq.pid")" && info "stopped dnsmasq"
fi
rm -f "$WHARF_RUN_DIR/started-dnsmasq"

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
