#!/usr/bin/env bash
# Instructions per decision for each policy benchmark, counted by callgrind: repeatable on a noisy
# machine where wall-clock figures swing by 15%. Usage: bench/policy_instructions.sh [build dir]
set -euo pipefail
build=${1:-build}
out=$(mktemp)
for b in SameAccountRoleWith100Statements 'SeedCrossAccountGlue$' SeedCrossAccountGlueWith3ScpLevels; do
  valgrind --tool=callgrind --callgrind-out-file="$out" --toggle-collect='xacct::policy::Evaluate(*' \
    "$build/bench/policy_bench" --benchmark_filter="$b" --benchmark_min_time=0.2 >/dev/null 2>&1
  python3 - "$out" "$b" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
total = int(re.search(r'^summary: (\d+)', text, re.M).group(1))
names = {m.group(1): m.group(2) for m in re.finditer(r'^c?fn=\((\d+)\) (.*)$', text, re.M)}
calls, current = 0, ''
for line in text.splitlines():
    m = re.match(r'^cfn=\((\d+)\)', line)
    if m:
        current = names.get(m.group(1), '')
    m = re.match(r'^calls=(\d+)', line)
    if m and current.startswith('xacct::policy::Evaluate('):
        calls += int(m.group(1))
print(f"{sys.argv[2].rstrip('$'):40s} {total / calls:8.0f} instructions per decision")
PY
done
rm -f "$out"
