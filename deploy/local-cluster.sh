#!/usr/bin/env bash
# Starts a throwaway PostgreSQL and three nodes on 127.0.0.1:5081-5083 sharing it. Ctrl-C stops them all.
# Usage: deploy/local-cluster.sh        (TASKEE_ADMIN_KEY=tk_... to choose the platform admin key)
set -uo pipefail
cd "$(dirname "$0")/.."
source tests/postgres.sh

logs=$(mktemp -d /tmp/taskee-cluster.XXXXXX)
pids=()
stop_all() {
  trap "" INT TERM   # a second Ctrl-C must not cut the shutdown short
  echo
  echo "==> Stopping nodes (SIGTERM: flush, return leases, deregister)"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  for _ in $(seq 1 100); do
    alive=0; for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ $alive -eq 0 ] && break; sleep 0.1
  done
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null; done
  pg_stop
  echo "==> Stopped. Node logs were in $logs"
}
trap stop_all EXIT
trap 'exit 130' INT TERM

echo "==> Building (Release)"
dotnet build Taskee.Orleans.sln -c Release -nologo -v quiet -clp:ErrorsOnly || { echo "error: build failed; run 'dotnet build' to see why" >&2; exit 1; }
pg_start || { echo "error: PostgreSQL did not start (see above)" >&2; exit 1; }
psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -q -c "CREATE DATABASE taskee" || exit 1

key=${TASKEE_ADMIN_KEY:-tk_local$(openssl rand -hex 4)_$(openssl rand -hex 32)}
connection="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=taskee"
for port in 5081 5082 5083; do
  echo "==> Starting node on 127.0.0.1:$port"
  Storage__Provider=postgres Storage__ConnectionString="$connection" Auth__BootstrapAdminKey="$key" \
  Cluster__AdvertisedAddress="http://127.0.0.1:$port" \
    dotnet silo/bin/Release/net10.0/Taskee.Silo.dll --Urls="http://127.0.0.1:$port" > "$logs/node-$port.log" 2>&1 &
  pids+=($!)
done
for port in 5081 5082 5083; do
  for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && break; sleep 0.1; done
  curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null || { echo "error: node $port is not ready; see $logs/node-$port.log" >&2; exit 1; }
done

cat <<TEXT

Cluster ready: http://127.0.0.1:5081  http://127.0.0.1:5082  http://127.0.0.1:5083  (PostgreSQL on port $PG_PORT)
Platform admin key: $key

  curl -s http://127.0.0.1:5082/v1/cluster/nodes -H "Authorization: Bearer $key"

Logs: $logs. Press Ctrl-C to stop everything.
TEXT
wait
