#!/usr/bin/env bash
# Seed 000's pipeline (issue 7, section 6): StartExecution -> SUCCEEDED of the CDK-synthesized state machine
# (athena:startQueryExecution.sync running the cross-account INSERT). See bench/states_seed_bench.py.
# Usage: bench/states_seed_bench.sh [build dir, default build] [states_seed_bench.py options...]   (~1 min)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
shift || true
[ -x "$build/xacct" ] || { echo "states_seed_bench: $build/xacct is not built" >&2; exit 1; }
python3 -c 'import boto3' 2> /dev/null || { echo "states_seed_bench: needs boto3" >&2; exit 1; }
exec python3 "$root/bench/states_seed_bench.py" --build "$build" "$@"
