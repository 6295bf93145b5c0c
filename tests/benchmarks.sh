#!/usr/bin/env bash
# Runs the benchmarks whose figures docs/benchmarks.md records: BenchmarkDotNet (fast path against a naive
# PostgreSQL limiter, on a throwaway server), the HTTP load generator and the cluster measurements.
# Takes about 6 minutes.
# Usage: tests/benchmarks.sh [--seconds N]   (load generator phase length; default 10)
set -uo pipefail
cd "$(dirname "$0")/.."
source tests/postgres.sh
trap pg_stop EXIT

echo "==> Building (Release)"
dotnet build Taskee.Orleans.sln -c Release -nologo -v quiet -clp:ErrorsOnly || exit 1
pg_start || exit 1

echo "==> BenchmarkDotNet: fast path vs naive PostgreSQL UPDATE per check"
TASKEE_BENCH_PG="$PG_CONNECTION" dotnet run -c Release --no-build --project tests/Taskee.Benchmarks -- --filter '*FastPath*' || exit 1

echo "==> HTTP load generator: consume vs bare endpoint, batch"
dotnet run -c Release --no-build --project tests/Taskee.Benchmarks -- http "$@" || exit 1

echo "==> Cluster: propagation, 3 nodes against 1, ledger round trips"
TASKEE_CHAOS_PG="$PG_CONNECTION" dotnet run -c Release --no-build --project tests/Taskee.Chaos -- --measure 8
