#!/usr/bin/env bash
# npm run migration:generate -- PascalVerbNoun
# Compares the entities with the development database (migrated to the latest migration first)
# and writes migrations/<timestamp>-<Name>.ts with TypeORM's generator. Review it, then add it
# to migrations/index.ts.
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"
. "$WHARF_ROOT/scripts/lib/services.sh"
. "$WHARF_ROOT/scripts/lib/platform.sh"

name=${1:-}
[[ "$name" =~ ^[A-Z][A-Za-z0-9]+$ ]] || die "usage: npm run migration:generate -- PascalVerbNoun (e.g. CreateRoutes)"
[ -f "$WHARF_ENV_FILE" ] || die "no $WHARF_ENV_FILE: run npm run up first"
ensure_build
run_migrations
cd "$WHARF_ROOT"
(set -a && . "$WHARF_ENV_FILE" && set +a &&
  npx typeorm migration:generate -d dist/apps/admin/src/data-source.js "migrations/$name")
npx prettier --write "migrations/*-$name.ts" >/dev/null
echo "Now review migrations/*-$name.ts and add its class to migrations/index.ts."
