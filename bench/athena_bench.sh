#!/usr/bin/env bash
# Athena on DuckDB (issue 6, section 5): xacct end to end against raw DuckDB on ~1 GiB of CSV, and the
# overhead of a query over a 10-row table. See bench/athena_bench.py for what is measured.
# Usage: bench/athena_bench.sh [build dir, default build] [athena_bench.py options...]   (~20 min on 2 cores)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
shift || true
[ -x "$build/xacct" ] || { echo "athena_bench: $build/xacct is not built" >&2; exit 1; }
python3 -c 'import boto3' 2> /dev/null || { echo "athena_bench: needs boto3" >&2; exit 1; }
exec python3 "$root/bench/athena_bench.py" --build "$build" "$@"
