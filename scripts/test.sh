#!/usr/bin/env bash
# npm test: installs and starts what the tests need, then runs lint, unit, integration, security
# and e2e.
# It never touches a running platform: its own state directory, databases, ports, queue prefix
# and container label (installation "test"/"e2e").
set -euo pipefail
export WHARF_STATE_DIR="${WHARF_TEST_STATE_DIR:-$(cd "$(dirname "$0")/.." && pwd)/.state/test}"
# Its own Redis (port 6381, data under its state directory) so a platform never depends on it.
export WHARF_DB_NAME=wharf_test WHARF_API_PORT=9100 WHARF_REDIS_PORT=6381 WHARF_ROUTER_PORT=8180 WHARF_QUEUE_PREFIX=wharf-test WHARF_INSTALLATION=test
# The built-in brokers' services cluster (wharf-services-test); brokers listen on API port + 10.
export WHARF_SERVICES_PG_PORT=5435
. "$(dirname "$0")/lib/common.sh"
. "$WHARF_ROOT/scripts/lib/services.sh"
. "$WHARF_ROOT/scripts/lib/platform.sh"

step "Preparing the test environment (state: $WHARF_STATE_DIR)"
ensure_services
ensure_node_modules
# The integration tests stage and run apps too: on a fresh machine the stack images are built here
# (once; later runs find them up to date), not only by the e2e setup's `npm run up`.
step "Stack images"
bash "$WHARF_ROOT/scripts/stack-images.sh" all
write_env_file
export WHARF_TEST_ENV_FILE="$WHARF_ENV_FILE"
cd "$WHARF_ROOT"

failed_suites=()
suite() {
  local name=$1
  shift
  step "$name"
  local t0
  t0=$(date +%s)
  if "$@"; then
    info "$name passed in $(( $(date +%s) - t0 )) s"
  else
    failed_suites+=("$name")
    info "$name FAILED after $(( $(date +%s) - t0 )) s"
  fi
}

suite "lint (tsc, eslint, prettier, circular imports)" npm run -s lint
lint_ok=$([ ${#failed_suites[@]} -eq 0 ] && echo 1 || echo 0)
results="$WHARF_STATE_DIR/results"
rm -rf "$results" && mkdir -p "$results"
jest_run() { # minutes project [jest args...]: passes when jest does, in time, and wrote its results
  local minutes=$1 project=$2 rc=0
  shift 2
  # A watchdog far above the suite's usual time: whatever hangs, CI gets a failure and a report
  # instead of running into its own limit.
  timeout --kill-after=60 "${minutes}m" \
    npx jest --selectProjects "$project" --ci --json --outputFile="$results/$project.json" "$@" || rc=$?
  [ "$rc" -ne 124 ] || echo "the $project suite did not end within $minutes minutes: stopped" >&2
  [ "$rc" -eq 0 ] || return 1
  [ -s "$results/$project.json" ] || { echo "jest wrote no results ($results/$project.json)" >&2; return 1; }
}
jest_suite() { # name minutes project [jest args...]
  local name=$1
  shift
  suite "$name" jest_run "$@"
}
jest_suite "unit tests" 10 unit
# --forceExit: the results are written when the last suite ends; anything a suite left open is
# named by the projects' global teardown (test/support/open-handles-report.ts), never waited on.
jest_suite "integration tests (real PostgreSQL, Redis, Docker)" 20 integration --runInBand --forceExit
jest_suite "security tests (the bad-input catalogue)" 10 security --runInBand --forceExit
jest_suite "e2e tests (the platform as npm run up starts it, driven by the wharf CLI)" 35 e2e --runInBand --forceExit
if [ ${#failed_suites[@]} -eq 0 ]; then
  step "All test suites passed ($(elapsed) s)"
else
  step "Failed: ${failed_suites[*]} ($(elapsed) s)"
fi
# One closing line over every suite, the way CI reads results.
node -e '
  // The lint suite counts as one check.
  let passed = Number(process.argv[1]), failed = 1 - passed;
  // A suite that wrote no results (it ended early) counts as one failure, never as nothing.
  for (const project of ["unit", "integration", "security", "e2e"]) {
    let r;
    try { r = require(`${process.argv[2]}/${project}.json`); } catch {
      console.log(`no test results from the ${project} suite`);
      failed += 1;
      continue;
    }
    passed += r.numPassedTests;
    failed += r.numFailedTests;
  }
  console.log(`${passed} passed, ${failed} failed`);
' "$lint_ok" "$results" || true
[ ${#failed_suites[@]} -eq 0 ]
