#!/usr/bin/env bash
# Builds once, starts a throwaway PostgreSQL, runs every test on SQLite and on PostgreSQL,
# stops the server whatever happens, and exits non-zero when anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
source tests/postgres.sh

results=$(mktemp -d /tmp/taskee-test-results.XXXXXX)
cleanup() { pg_stop; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# The dashboard's browser test drives Debian's Chromium; no browser download works here.
if [ ! -x /usr/bin/chromium ]; then
  echo "==> Installing Debian's chromium for the browser test"
  if [ "$(id -u)" -ne 0 ]; then echo "error: /usr/bin/chromium is missing; run: sudo apt-get install -y chromium" >&2; exit 1; fi
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=300 chromium >/dev/null \
    || { echo "error: could not install chromium" >&2; exit 1; }
fi

# The contract documents' PDF test turns the first page into an image with poppler's pdftoppm.
if [ ! -x /usr/bin/pdftoppm ]; then
  echo "==> Installing Debian's poppler-utils for the PDF test"
  if [ "$(id -u)" -ne 0 ]; then echo "error: /usr/bin/pdftoppm is missing; run: sudo apt-get install -y poppler-utils" >&2; exit 1; fi
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=300 poppler-utils >/dev/null \
    || { echo "error: could not install poppler-utils" >&2; exit 1; }
fi

echo "==> Building (Release)"
dotnet build Taskee.Orleans.sln -c Release -nologo -v quiet -clp:ErrorsOnly || { echo "error: build failed" >&2; exit 1; }

echo "==> Packing Taskee.Client"
dotnet pack sdk/dotnet/Taskee.Client -c Release --no-build -nologo -v quiet -clp:ErrorsOnly -o "$results/packages" >/dev/null \
  || { echo "error: dotnet pack sdk/dotnet/Taskee.Client failed" >&2; exit 1; }

pg_start || { echo "error: could not start PostgreSQL (see above)" >&2; exit 1; }

status=0
run_suite() {
  local provider=$1 filter=${2:-}
  echo "==> Tests on $provider"
  TASKEE_TEST_PROVIDER=$provider TASKEE_TEST_PG="$PG_CONNECTION" \
    dotnet test tests/Taskee.Tests -c Release --no-build -nologo ${filter:+--filter "$filter"} \
      --logger "console;verbosity=minimal" --results-directory "$results/$provider" 2>&1 | tee "$results/$provider.log"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
}

run_suite sqlite "Category!=Cluster"     # a cluster needs PostgreSQL
run_suite postgres "Category!=Browser"   # the browser test needs no second engine
find tests/Taskee.Tests/bin -name ops-dashboard.png -exec cp {} "$results/" \; 2>/dev/null
echo "    dashboard screenshot: $results/ops-dashboard.png"

echo "==> Chaos: node processes on PostgreSQL; kill -9, kill -STOP, database restart"
TASKEE_CHAOS_PG="$PG_CONNECTION" TASKEE_CHAOS_PG_RESTART="source $PWD/tests/postgres.sh && pg_restart" \
  dotnet run -c Release --no-build --project tests/Taskee.Chaos 2>&1 | tee "$results/chaos.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1

passed=$(grep -ohE "Passed: +[0-9]+|^chaos: [0-9]+ passed" "$results"/*.log | grep -oE "[0-9]+" | awk '{s+=$1} END {print s+0}')
failed=$(grep -ohE "Failed: +[0-9]+|, [0-9]+ failed$" "$results"/*.log | grep -oE "[0-9]+" | awk '{s+=$1} END {print s+0}')
[ "$passed" -gt 0 ] || status=1
echo
echo "Summary: $passed passed, $failed failed"
exit $status
