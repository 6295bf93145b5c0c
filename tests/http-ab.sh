#!/usr/bin/env bash
# Compares the product API of two builds side by side (docs/benchmarks.md, "Issue 11, third pass"): starts each tree's
# built silo (Release) on SQLite, creates an organisation with a usage key on each, then runs wrk on /health/live,
# consume and the feature check, alternating A and B run by run, so both see the same machine. Prints requests/s and
# the silo's CPU per request per run, then the means with the ratios to /health/live of the same silo.
# Usage: tests/http-ab.sh <tree A> <tree B> [rounds=3] [seconds=5]   (build both first: dotnet build -c Release)
set -euo pipefail
A=$1 B_TREE=$2 ROUNDS=${3:-3} SECS=${4:-5}
WORK=$(mktemp -d /tmp/taskee-ab.XXXXXX)
ADMIN=tk_benchadmin_0123456789abcdef0123456789abcdef0123456789abcdef
HZ=$(getconf CLK_TCK)
declare -A PID BASE
start() { # name tree port
  (cd "$2/silo" && exec dotnet bin/Release/net10.0/Taskee.Silo.dll --Urls="http://127.0.0.1:$3" --Storage:ConnectionString="Data Source=$WORK/$1.db" \
    --Logging:LogLevel:Default=Warning --Auth:BootstrapAdminKey="$ADMIN" --Orleans:SiloPort=$(($3 + 1)) --Orleans:GatewayPort=$(($3 + 2)) \
    --RateLimits:Plans:enterprise:UsagePerSecond=10000000) >"$WORK/$1.log" 2>&1 &
  PID[$1]=$! BASE[$1]=http://127.0.0.1:$3
}
start A "$A" 18600
start B "$B_TREE" 18700
trap 'kill ${PID[A]} ${PID[B]} 2>/dev/null; rm -rf "$WORK"' EXIT
admin() { curl -sf -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' "$@"; }
for n in A B; do
  b=${BASE[$n]}
  for _ in $(seq 1 600); do curl -sf "$b/health/ready" >/dev/null && break; sleep 0.1; done
  curl -sf "$b/health/ready" >/dev/null || { echo "error: silo $n did not become ready; its log: $WORK/$n.log" >&2; tail -20 "$WORK/$n.log" >&2; exit 1; }
  admin -X POST "$b/v1/organisations" -d '{"id":"bench","name":"Bench","plan":"enterprise"}' >/dev/null
  admin -X PUT "$b/v1/organisations/bench/limits/ai_calls" -d '{"limit":1000000000000000}' >/dev/null
  key=$(admin -X POST "$b/v1/organisations/bench/api-keys" -d '{"name":"bench","scopes":["usage"]}' | jq -r .key)
  printf 'wrk.method = "POST"\nwrk.headers["Authorization"] = "Bearer %s"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = [[{"amount":1}]]\n' "$key" >"$WORK/consume-$n.lua"
  printf 'wrk.headers["Authorization"] = "Bearer %s"\n' "$key" >"$WORK/feature-$n.lua"
  : >"$WORK/live-$n.lua"
done
url() { case $1 in live) echo "${BASE[$2]}/health/live" ;; consume) echo "${BASE[$2]}/v1/organisations/bench/usage/ai_calls/consume" ;; feature) echo "${BASE[$2]}/v1/organisations/bench/features/api_access" ;; esac; }
run() { # endpoint node seconds: prints "node endpoint requests/s cpu_us_per_request"
  local before after out
  before=$(awk '{print $14 + $15}' "/proc/${PID[$2]}/stat")
  out=$(wrk -t1 -c32 -d"$3"s -s "$WORK/$1-$2.lua" "$(url "$1" "$2")")
  after=$(awk '{print $14 + $15}' "/proc/${PID[$2]}/stat")
  echo "$out" | awk -v n="$2" -v w="$1" -v ticks=$((after - before)) -v hz="$HZ" '/ requests in /{r=$1} /^Requests\/sec:/{rps=$2} END{printf "%s %s %.0f %.2f\n", n, w, rps, ticks*1e6/hz/r}'
}
echo "==> warm-up, 2 s per endpoint and build"
for n in A B; do for w in live consume feature; do run $w $n 2 >/dev/null; done; done
: >"$WORK/runs"
for r in $(seq 1 "$ROUNDS"); do
  echo "==> round $r/$ROUNDS (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  for w in live consume feature; do for n in A B; do run $w $n "$SECS" | tee -a "$WORK/runs"; done; done
done
awk '{k=$1" "$2; rps[k]+=$3; cpu[k]+=$4; c[k]++}
  END { for (i = 1; i <= 2; i++) { n = i == 1 ? "A" : "B"; live = rps[n" live"]/c[n" live"]
    printf "%s: live %.0f req/s (%.1f us CPU)  consume %.0f = %.0f%% (%.1f us)  feature %.0f = %.0f%% (%.1f us)\n", n, live, cpu[n" live"]/c[n" live"],
      rps[n" consume"]/c[n" consume"], 100*rps[n" consume"]/c[n" consume"]/live, cpu[n" consume"]/c[n" consume"],
      rps[n" feature"]/c[n" feature"], 100*rps[n" feature"]/c[n" feature"]/live, cpu[n" feature"]/c[n" feature"] } }' "$WORK/runs"
