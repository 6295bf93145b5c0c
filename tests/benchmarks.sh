#!/usr/bin/env bash
# Produces the single-silo figures of docs/benchmarks.md, each against a baseline measured in the same run:
#   1-2. BenchmarkDotNet, in-process: the grain's in-memory decision against a naive PostgreSQL limiter (throwaway
#        server), and grain calls on a silo hosted in the process against calls to an empty grain;
#   5.   memory per active organisation grain against an empty grain;
#   3-4. HTTP with wrk against a silo process on loopback, on SQLite and then on PostgreSQL: consume, feature check and
#        batch against /health/live of the same node, alternating rounds, with the silo's CPU time per request, and
#        database writes per 1,000 consumes.
# Its last phase runs the cluster figures of tests/Taskee.Chaos (1 silo and 3 silos, change propagation).
# Takes about 6 minutes on 2 cores (a minute more when it has to build).
# Usage: tests/benchmarks.sh [--seconds 6] [--rounds 3] [--activations 20000] [--http-sqlite | --http] [--import [ROWS]]
#   --http-sqlite: only the HTTP figures on SQLite (about 2 minutes), to compare two builds of the API quickly.
#   --http:        only the HTTP figures, on SQLite and then on PostgreSQL (about 4 minutes).
#   --import: only the customer import (issue 15 §5) on SQLite: the command with Import:Parallelism=1 (the baseline)
#        and =8 on ROWS/10 rows each, then POST /v1/imports of ROWS rows (default 100000) timed to completion.
set -uo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_RUN=6 ROUNDS=3 ACTIVATIONS=20000 HTTP_SQLITE_ONLY="" HTTP_ONLY="" IMPORT_ROWS=""
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) SECONDS_PER_RUN=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --activations) ACTIVATIONS=$2; shift 2 ;;
    --http-sqlite) HTTP_SQLITE_ONLY=1 HTTP_ONLY=1; shift ;;
    --http) HTTP_ONLY=1; shift ;;
    --import) if [[ "${2:-}" =~ ^[0-9]+$ ]]; then IMPORT_ROWS=$2; shift 2; else IMPORT_ROWS=100000; shift; fi ;;
    *) echo "usage: tests/benchmarks.sh [--seconds N] [--rounds N] [--activations N] [--http-sqlite | --http] [--import [ROWS]]" >&2; exit 2 ;;
  esac
done

source tests/postgres.sh
WORK=$(mktemp -d /tmp/taskee-bench.XXXXXX)
SILO_PID=""
cleanup() {
  [ -n "$SILO_PID" ] && kill "$SILO_PID" 2>/dev/null && wait "$SILO_PID" 2>/dev/null
  pg_stop
  rm -rf "$WORK"
}
trap cleanup EXIT
BENCH="dotnet tests/Taskee.Benchmarks/bin/Release/net10.0/Taskee.Benchmarks.dll"
STARTED=$(date +%s)
progress() { echo "==> [$(( $(date +%s) - STARTED ))s] $*"; }

if [ -n "$IMPORT_ROWS" ]; then
  progress "Building (Release): the silo"
  dotnet build silo -c Release -nologo -v quiet -clp:ErrorsOnly || exit 1
  tests/import-benchmark.sh "$WORK" "$IMPORT_ROWS"
  exit $?
fi

if ! command -v wrk >/dev/null 2>&1; then
  progress "wrk not found; installing Debian's wrk"
  [ "$(id -u)" -eq 0 ] || { echo "error: installing wrk needs root. Run: sudo apt-get install -y wrk" >&2; exit 1; }
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null || exit 1
fi

progress "Building (Release): the benchmarks and the silo; load average $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet build tests/Taskee.Benchmarks -c Release -nologo -v quiet -clp:ErrorsOnly || exit 1
dotnet build tests/Taskee.Chaos -c Release -nologo -v quiet -clp:ErrorsOnly || exit 1

if [ -z "$HTTP_ONLY" ]; then
# ---- 1-2. BenchmarkDotNet ---------------------------------------------------------------------------
pg_start || exit 1
progress "BenchmarkDotNet: decision vs naive PostgreSQL UPDATE; grain calls vs an empty grain (about 2 minutes)"
TASKEE_BENCH_PG="$PG_CONNECTION" $BENCH --filter '*DecisionBenchmarks*' '*GrainCallBenchmarks*' --artifacts "$WORK/bdn" \
  >"$WORK/bdn.log" 2>&1 || { tail -50 "$WORK/bdn.log"; exit 1; }
pg_stop
for report in "$WORK"/bdn/results/*-report-github.md; do echo; cat "$report"; done

# ---- 5. Memory per active organisation grain ----------------------------------------------------------
progress "Memory: $ACTIVATIONS organisation grains against $ACTIVATIONS empty grains"
$BENCH memory --count "$ACTIVATIONS" 2>&1 | grep -v -e '^warn:' -e '^      ' || exit 1

fi

# ---- 3-4. HTTP with wrk ------------------------------------------------------------------------------
ADMIN=tk_benchadmin_0123456789abcdef0123456789abcdef0123456789abcdef
admin() { curl -sf -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' "$@"; }
round_trips() { admin "$B/v1/ops/quota" | jq .ledgerRoundTrips; }
# The silo's CPU time (user + system) in clock ticks, to give each endpoint's CPU per request.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$SILO_PID/stat"; }
TICKS_PER_SECOND=$(getconf CLK_TCK)

# wrk's request for an endpoint: method, the usage key and a JSON body, from a Lua script.
lua() { # name method [json body]
  printf 'wrk.method = "%s"\nwrk.headers["Authorization"] = "Bearer %s"\n' "$2" "$KEY" >"$WORK/$1.lua"
  [ $# -lt 3 ] || printf 'wrk.headers["Content-Type"] = "application/json"\nwrk.body = [[%s]]\n' "$3" >>"$WORK/$1.lua"
}

# Batches of 1,000 decisions are long requests: 8 in flight keep the node busy without queueing behind each other.
declare -A CONNECTIONS=([live]=32 [consume]=32 [feature]=32 [batch]=8)
declare -A URL

# One wrk run of an endpoint; prints "name requests/s requests non-2xx p50_us p99_us silo_cpu_us_per_request".
run() { # name seconds
  local out before after
  before=$(cpu_ticks)
  out=$(wrk -t1 -c"${CONNECTIONS[$1]}" -d"$2"s --latency -s "$WORK/$1.lua" "${URL[$1]}") || { echo "$out" >&2; exit 1; }
  after=$(cpu_ticks)
  echo "$out" | awk -v name="$1" -v ticks=$((after - before)) -v hz="$TICKS_PER_SECOND" '
    function us(v) { if (v ~ /us$/) return v + 0; if (v ~ /ms$/) return v * 1000; if (v ~ /s$/) return v * 1000000; return v }
    / requests in / { requests = $1 }
    /Non-2xx or 3xx responses:/ { errors = $NF }
    /^Requests\/sec:/ { rps = $2 }
    $1 == "50%" { p50 = us($2) }
    $1 == "99%" { p99 = us($2) }
    END { printf "%s %.0f %d %d %.0f %.0f %.1f\n", name, rps, requests, errors + 0, p50, p99, ticks * 1000000 / hz / requests }'
}

# Database writes during a consume run and the consumes it acknowledged (requests that were not non-2xx).
writes() { echo "$(( $(round_trips) - $1 )) $(echo "$2" | awk '{print $3 - $4}')"; }

# Starts a silo process on one storage engine, runs the alternating rounds, prints the table, stops the silo.
http_figures() { # label storage-arguments...
  local label=$1; shift
  local port silo_port gateway_port
  port=$(pg_free_port) silo_port=$(pg_free_port) gateway_port=$(pg_free_port)
  B=http://127.0.0.1:$port
  progress "Starting a silo process on $B ($label)"
  # Started from silo/, as an operator starts it. The product API's rate limit is raised far above what this machine
  # can send, so the limiter stays in the path but never answers 429.
  (cd silo && exec dotnet bin/Release/net10.0/Taskee.Silo.dll --Urls="$B" "$@" \
    --Logging:LogLevel:Default=Warning --Auth:BootstrapAdminKey="$ADMIN" \
    --Orleans:SiloPort="$silo_port" --Orleans:GatewayPort="$gateway_port" \
    --RateLimits:Plans:enterprise:UsagePerSecond=10000000) >"$WORK/silo.log" 2>&1 &
  SILO_PID=$!
  for _ in $(seq 1 600); do
    curl -sf "$B/health/ready" >/dev/null && break
    kill -0 "$SILO_PID" 2>/dev/null || { echo "error: the silo exited while starting:" >&2; cat "$WORK/silo.log" >&2; exit 1; }
    sleep 0.1
  done
  curl -sf "$B/health/ready" >/dev/null || { echo "error: the silo did not become ready in 60 s" >&2; tail -30 "$WORK/silo.log" >&2; exit 1; }

  admin -X POST "$B/v1/organisations" -d '{"id":"bench","name":"Bench","plan":"enterprise"}' >/dev/null || exit 1
  admin -X PUT "$B/v1/organisations/bench/limits/ai_calls" -d '{"limit":1000000000000000}' >/dev/null || exit 1
  KEY=$(admin -X POST "$B/v1/organisations/bench/api-keys" -d '{"name":"bench","scopes":["usage"]}' | jq -r .key)
  [ -n "$KEY" ] && [ "$KEY" != null ] || { echo "error: could not create the usage key" >&2; exit 1; }
  lua consume POST '{"amount":1}'
  lua feature GET
  local items
  items=$(printf '{"orgId":"bench","metric":"ai_calls","op":"check","amount":1},%.0s' $(seq 1000))
  lua batch POST "{\"items\":[${items%,}]}"
  printf '' >"$WORK/live.lua" # the baseline: a plain GET, no key, no body
  URL=([live]="$B/health/live" [consume]="$B/v1/organisations/bench/usage/ai_calls/consume"
    [feature]="$B/v1/organisations/bench/features/api_access" [batch]="$B/v1/usage/batch")
  progress "wrk warm-up, 2 s per endpoint"
  for name in live consume feature batch; do run "$name" 2 >/dev/null; done
  : >"$WORK/results" && : >"$WORK/writes-from-idle"
  for round in $(seq 1 "$ROUNDS"); do
    for name in live consume feature batch; do
      [ "$name" = consume ] && before=$(round_trips)
      line=$(run "$name" "$SECONDS_PER_RUN") && [ -n "$line" ] || exit 1
      [ "$name" = consume ] && writes "$before" "$line" >>"$WORK/writes-from-idle"
      echo "$line" >>"$WORK/results"
      progress "round $round/$ROUNDS: $(echo "$line" | awk '{printf "%-8s %8s req/s  p50 %s us  p99 %s us  non-2xx %s", $1, $2, $5, $6, $4}')"
    done
  done

  # Steady state: a consume run right after another, so the grain's measured rate (which sizes its reservation) has not
  # decayed during the other endpoints' runs.
  progress "consume at steady state: ${SECONDS_PER_RUN} s right after 2 s of consume"
  run consume 2 >/dev/null
  before=$(round_trips)
  line=$(run consume "$SECONDS_PER_RUN") && [ -n "$line" ] || exit 1
  writes "$before" "$line" >"$WORK/writes-steady"
  progress "load average: $(cut -d' ' -f1-3 /proc/loadavg)"

  echo
  echo "HTTP, wrk -t1, ${SECONDS_PER_RUN} s per run, $ROUNDS alternating rounds (32 connections; batch 8), one silo process, $label:"
  echo
  awk '
    { n[$1]++; rps[$1] += $2; cpu[$1] += $7; errors[$1] += $4; p50[$1, n[$1]] = $5; p99[$1, n[$1]] = $6; per[$1] = per[$1] sep[$1] $2; sep[$1] = " / " }
    function median(a, name,   i, j, t, v) {
      for (i = 1; i <= n[name]; i++) v[i] = a[name, i]
      for (i = 1; i <= n[name]; i++) for (j = i + 1; j <= n[name]; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
      return v[int((n[name] + 1) / 2)]
    }
    END {
      live = rps["live"] / n["live"]
      print "| endpoint | requests/s (mean) | per round | / health/live | p50 (median) | p99 (median) | non-2xx | silo CPU per request (mean) |"
      print "|---|---:|---:|---:|---:|---:|---:|---:|"
      split("live consume feature batch", names, " ")
      label["live"] = "GET /health/live (baseline)"; label["consume"] = "POST .../usage/ai_calls/consume"
      label["feature"] = "GET .../features/api_access"; label["batch"] = "POST /v1/usage/batch (1,000 checks each)"
      for (k = 1; k <= 4; k++) {
        name = names[k]; mean = rps[name] / n[name]
        ratio = name == "batch" ? "(below)" : sprintf("%.0f %%", mean / live * 100) # a batch request is 1,000 decisions
        printf "| %s | %d | %s | %s | %d µs | %d µs | %d | %.1f µs |\n", label[name], mean, per[name], ratio, median(p50, name), median(p99, name), errors[name], cpu[name] / n[name]
      }
      printf "\nBatch: %d checks/s (%.1f× the requests/s of /health/live)\n", rps["batch"] / n["batch"] * 1000, rps["batch"] / n["batch"] * 1000 / live
    }' "$WORK/results"
  per_thousand='{ trips += $1; acked += $2 } END { printf "%.3f (%d writes for %d acknowledged consumes)\n", trips * 1000 / acked, trips, acked }'
  echo "Database writes (ledgerRoundTrips) per 1,000 consumes, one hot organisation:"
  echo "  steady state:                                  $(awk "$per_thousand" "$WORK/writes-steady")"
  echo "  consume runs of the rounds, each after others: $(awk "$per_thousand" "$WORK/writes-from-idle")"
  kill "$SILO_PID" 2>/dev/null && wait "$SILO_PID" 2>/dev/null; SILO_PID=""
}

pg_start || exit 1
http_figures SQLite --Storage:ConnectionString="Data Source=$WORK/http.db"
[ -z "$HTTP_SQLITE_ONLY" ] || { progress "Done (HTTP on SQLite only)"; exit 0; }
http_figures PostgreSQL --Storage:Provider=postgres --Storage:ConnectionString="$PG_CONNECTION"
[ -z "$HTTP_ONLY" ] || { progress "Done (HTTP only)"; exit 0; }
progress "Cluster: silo processes on PostgreSQL, 1 against 3, change propagation (about 2 minutes)"
TASKEE_CHAOS_PG="$PG_CONNECTION" dotnet run -c Release --no-build --project tests/Taskee.Chaos -- --measure "$SECONDS_PER_RUN" || exit 1
progress "Done"
