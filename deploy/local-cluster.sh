#!/usr/bin/env bash
# Starts a throwaway PostgreSQL and three Orleans silos on 127.0.0.1:5081, 5082 and 5083 (silo ports 11111-11113,
# gateways 30001-30003) forming one cluster on it.
# Ctrl-C (or SIGTERM) stops the nodes gracefully, then PostgreSQL; the database is deleted, node logs are kept.
#
# Usage: deploy/local-cluster.sh
#   TASKEE_ADMIN_KEY=tk_<id>_<secret>   the platform admin key (default: a new random one, printed at the end)
#   any other setting as an environment variable reaches every node, e.g.
#   Quota__FlushInterval=00:00:01 Orleans__ProbeTimeout=00:00:02 deploy/local-cluster.sh
#
# Try the cluster: kill -9 one node (its pid is printed) and watch the others keep serving; see docs/operations.md.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
source tests/postgres.sh

ports=(5081 5082 5083)
dll=silo/bin/Release/net10.0/Taskee.Silo.dll
logs=""
pids=()

fail() { echo "error: $*" >&2; exit 1; }
# Sleeps in the background and waits for it, so a signal runs its trap at once: bash defers a trap until a
# foreground child ends, and drops a SIGINT sent to itself alone when that child then exits normally.
nap() { sleep "$1" & wait $!; }

node_port() { # the port of a node pid
  local i
  for i in "${!pids[@]}"; do [ "${pids[$i]}" = "$1" ] && { echo "${ports[$i]}"; return; }; done
  echo "?"
}

stop_all() {
  trap '' INT TERM # a second Ctrl-C must not cut the shutdown short
  local alive=() pid
  for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive+=("$pid"); done
  if [ ${#alive[@]} -gt 0 ]; then
    echo
    echo "==> Stopping silos with SIGTERM (readiness false, grains write their usage, each leaves the cluster)"
    kill -TERM "${alive[@]}" 2>/dev/null
    for _ in $(seq 1 50); do # 10 s
      local still=()
      for pid in "${alive[@]}"; do kill -0 "$pid" 2>/dev/null && still+=("$pid"); done
      alive=("${still[@]}")
      [ ${#alive[@]} -eq 0 ] && break
      nap 0.2
    done
    for pid in "${alive[@]}"; do
      echo "    node on port $(node_port "$pid") did not stop within 10 s; killing it (SIGKILL). See $logs/node-$(node_port "$pid").log"
      kill -KILL "$pid" 2>/dev/null
    done
  fi
  if [ -n "${PG_DIR:-}" ]; then
    echo "==> Stopping PostgreSQL (its data is deleted)"
    pg_stop
  fi
  [ ${#pids[@]} -gt 0 ] && echo "==> Stopped. Node logs: $logs"
  [ -n "$logs" ] && [ ${#pids[@]} -eq 0 ] && rm -rf "$logs"
  return 0
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- preflight: fail before building anything when something is missing ----------------------------------------
command -v dotnet >/dev/null || fail "dotnet not found: install the .NET 10 SDK (https://dot.net) and run this again."
command -v curl >/dev/null || fail "curl not found: install it (sudo apt-get install -y curl) and run this again."
for port in "${ports[@]}" 11111 11112 11113 30001 30002 30003; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    fail "port $port on 127.0.0.1 is in use (another cluster still running?). Stop what listens there (ss -ltnp 'sport = :$port' shows it) and run this again."
  fi
done
if [ -n "${TASKEE_ADMIN_KEY:-}" ]; then
  [[ $TASKEE_ADMIN_KEY =~ ^tk_[a-z0-9]{4,32}_[A-Za-z0-9]{32,128}$ ]] \
    || fail "TASKEE_ADMIN_KEY must look like tk_<id>_<secret> (id: 4-32 of a-z0-9; secret: 32-128 letters or digits). Unset it to get a random one, or make one with: echo tk_\$(openssl rand -hex 8)_\$(openssl rand -hex 32)"
  key=$TASKEE_ADMIN_KEY
else
  command -v openssl >/dev/null || fail "openssl not found: install it (sudo apt-get install -y openssl), or set TASKEE_ADMIN_KEY=tk_<id>_<secret>."
  key=tk_local$(openssl rand -hex 4)_$(openssl rand -hex 32)
fi

logs=$(mktemp -d /tmp/taskee-cluster.XXXXXX)

# --- build once, then a PostgreSQL with an empty database --------------------------------------------------------
echo "==> Building the node (Release)"
dotnet build silo/Taskee.Silo.csproj -c Release -nologo -v quiet -clp:ErrorsOnly \
  || fail "the build failed (errors above). Fix them, or run 'dotnet build silo -c Release' to see the full output."
[ -f "$dll" ] || fail "the build produced no $dll; run 'dotnet build silo -c Release' and check its output path."

pg_start || fail "PostgreSQL did not start (see above). It needs Debian's postgresql package: sudo apt-get install -y postgresql"
psql=$(command -v psql || echo "$PG_BIN/psql")
echo "==> Creating database taskee"
PGCONNECT_TIMEOUT=10 "$psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -q -c 'CREATE DATABASE taskee' \
  || fail "could not create database taskee on 127.0.0.1:$PG_PORT; the server log is $PG_DIR/server.log (deleted on exit)."
connection=${PG_CONNECTION/Database=postgres/Database=taskee}

# --- three nodes -----------------------------------------------------------------------------------------------
for i in "${!ports[@]}"; do
  port=${ports[$i]}
  echo "==> Starting silo on http://127.0.0.1:$port, silo port $((11111 + i)), gateway $((30001 + i)) (log: $logs/node-$port.log)"
  Storage__Provider=postgres \
  Storage__ConnectionString="$connection" \
  Auth__BootstrapAdminKey="$key" \
  Orleans__SiloPort=$((11111 + i)) \
  Orleans__GatewayPort=$((30001 + i)) \
    dotnet "$dll" --Urls="http://127.0.0.1:$port" >"$logs/node-$port.log" 2>&1 &
  pids+=($!)
done

echo "==> Waiting for /health/ready of each node (the first one applies the migrations)"
for i in "${!ports[@]}"; do
  port=${ports[$i]} pid=${pids[$i]} deadline=$((SECONDS + 90))
  until curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:$port/health/ready"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      { wait "$pid"; } 2>/dev/null; code=$?
      if [ "$code" -eq 2 ] && grep -q "^Configuration error" "$logs/node-$port.log"; then
        grep "^Configuration error" "$logs/node-$port.log" >&2
        fail "fix that setting (an exported Storage__/Quota__/Orleans__... variable, or TASKEE_ADMIN_KEY) and run this again."
      fi
      echo "error: the node on port $port exited with code $code before it was ready. The end of its log:" >&2
      tail -n 15 "$logs/node-$port.log" | sed 's/^/    /' >&2
      fail "fix what the log names, then run this again (full log: $logs/node-$port.log)."
    fi
    if [ $SECONDS -ge $deadline ]; then
      fail "the node on port $port is not ready after 90 s. Read $logs/node-$port.log (a database error? a port taken?), then run this again."
    fi
    nap 0.2
  done
  echo "    ready: http://127.0.0.1:$port (pid $pid)"
done

B=http://127.0.0.1
cat <<TEXT

Cluster ready: $B:5081  $B:5082  $B:5083
  PostgreSQL:   psql -h 127.0.0.1 -p $PG_PORT -U postgres taskee   (deleted on exit)
  Admin key:    $key
  Node logs:    $logs
  Dashboard:    $B:5081/ops   (sign in with the admin key)
  Orleans:      $B:5081/dashboard/   (after signing in to /ops: silos, grains, activations)

Try it: create an organisation on one node, read it on another, list the nodes on a third:
  KEY=$key
  curl -s -X POST $B:5081/v1/organisations -H "Authorization: Bearer \$KEY" -H 'Content-Type: application/json' -d '{"id":"zorg-noord","name":"Zorg Noord","plan":"pro"}'
  curl -s $B:5082/v1/organisations/zorg-noord -H "Authorization: Bearer \$KEY"
  curl -s $B:5083/v1/cluster/nodes -H "Authorization: Bearer \$KEY"

Press Ctrl-C to stop everything.
TEXT

# Watch the nodes: one that exits (say, kill -9 for a test) is reported; the others keep serving.
while :; do
  running=0
  for i in "${!pids[@]}"; do
    pid=${pids[$i]}
    [ -z "$pid" ] && continue
    if kill -0 "$pid" 2>/dev/null; then running=$((running + 1)); continue; fi
    { wait "$pid"; } 2>/dev/null; code=$? # quietly: no "Killed" line from bash
    echo "==> The node on port ${ports[$i]} (pid $pid) exited with code $code; the others keep serving. Its log: $logs/node-${ports[$i]}.log"
    pids[i]=""
  done
  [ $running -eq 0 ] && fail "every node has exited; their logs are in $logs."
  nap 1
done
