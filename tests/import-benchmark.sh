#!/usr/bin/env bash
# The customer import figures of docs/benchmarks.md (issue 15 §5), run by `tests/benchmarks.sh --import [ROWS]`:
# one silo process on SQLite; the import command on ROWS/10 rows with Import:Parallelism=1 (the baseline, rows one
# after another) and with 8, then POST /v1/imports of ROWS rows timed from the upload to "completed". Every file has
# organisations of 5 members (an owner and 4 members), each organisation with a Stripe customer and an AI-call limit.
# Usage: tests/import-benchmark.sh WORK_DIR ROWS
set -uo pipefail
cd "$(dirname "$0")/.."
WORK=$1 ROWS=$2
SMALL=$(( ROWS / 10 ))
ADMIN=tk_benchadmin_0123456789abcdef0123456789abcdef0123456789abcdef
source tests/postgres.sh # pg_free_port
PORT=$(pg_free_port) SILO_PORT=$(pg_free_port) GATEWAY_PORT=$(pg_free_port)
B=http://127.0.0.1:$PORT
STORAGE="--Storage:ConnectionString=Data Source=$WORK/import.db"
SILO="silo/bin/Release/net10.0/Taskee.Silo.dll"
now() { date +%s.%N; }

generate() { # file prefix rows
  awk -v prefix="$2" -v rows="$3" 'BEGIN {
    print "organisation_id,organisation_name,plan,stripe_customer_id,stripe_subscription_id,member_email,member_role,ai_calls_limit"
    for (r = 0; r < rows; r++) {
      o = int(r / 5); m = r % 5
      printf "%s-%d,Customer %d,pro,cus_%s%d,sub_%s%d,user%d@%s-%d.example,%s,5000\n", prefix, o, o, prefix, o, prefix, o, m, prefix, o, (m == 0 ? "owner" : "member")
    }
  }' >"$1"
}

generate "$WORK/seq.csv" seq "$SMALL"
generate "$WORK/par.csv" par "$SMALL"
generate "$WORK/http.csv" http "$ROWS"
echo "==> Files: $SMALL, $SMALL and $ROWS rows ($(du -h "$WORK/http.csv" | cut -f1)); load average $(cut -d' ' -f1-3 /proc/loadavg)"

dotnet "$SILO" --Urls="$B" "$STORAGE" --Auth:BootstrapAdminKey="$ADMIN" --Logging:LogLevel:Default=Warning \
  --Orleans:SiloPort="$SILO_PORT" --Orleans:GatewayPort="$GATEWAY_PORT" >"$WORK/import-silo.log" 2>&1 &
SILO_PID=$!
trap 'kill "$SILO_PID" 2>/dev/null; wait "$SILO_PID" 2>/dev/null' EXIT
for _ in $(seq 1 600); do curl -sf "$B/health/ready" >/dev/null && break; sleep 0.1; done
curl -sf "$B/health/ready" >/dev/null || { echo "error: the silo did not become ready; see $WORK/import-silo.log" >&2; exit 1; }

command_run() { # label file parallelism
  local start end
  start=$(now)
  dotnet "$SILO" import "$2" "$STORAGE" --Orleans:GatewayPort="$GATEWAY_PORT" --Import:Parallelism="$3" >"$WORK/$1.log" 2>&1 \
    || { echo "error: the import command failed:" >&2; tail -20 "$WORK/$1.log" >&2; exit 1; }
  end=$(now)
  awk -v label="$1" -v rows="$SMALL" -v s="$start" -v e="$end" -v last="$(tail -1 "$WORK/$1.log")" \
    'BEGIN { printf "| command, Import:Parallelism=%s | %d | %.1f s | %.0f rows/s | %s |\n", label, rows, e - s, rows / (e - s), last }'
}

echo "| run | rows | wall time | rows/s | outcome |"
echo "|---|---|---|---|---|"
command_run 1 "$WORK/seq.csv" 1
command_run 8 "$WORK/par.csv" 8

start=$(now)
ID=$(curl -sf -H "Authorization: Bearer $ADMIN" -H 'Content-Type: text/csv' --data-binary @"$WORK/http.csv" "$B/v1/imports" | jq -r .id)
[ -n "$ID" ] && [ "$ID" != null ] || { echo "error: POST /v1/imports failed" >&2; exit 1; }
uploaded=$(now)
while true; do
  JOB=$(curl -sf -H "Authorization: Bearer $ADMIN" "$B/v1/imports/$ID")
  case "$(echo "$JOB" | jq -r .status)" in completed|failed) break ;; esac
  sleep 1
done
end=$(now)
awk -v rows="$ROWS" -v s="$start" -v u="$uploaded" -v e="$end" -v counts="$(echo "$JOB" | jq -c .counts)" \
  'BEGIN { printf "| POST /v1/imports (default Import:Parallelism=8), upload %.1f s | %d | %.1f s | %.0f rows/s | %s |\n", u - s, rows, e - s, rows / (e - s), counts }'
