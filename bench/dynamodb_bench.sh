#!/usr/bin/env bash
# DynamoDB throughput (issue 7's service), side by side on loopback with moto_server (wrk and the servers share
# this machine's cores). One table (pk S, sk N) loaded with 1,000 items (10 partitions x 100, ~115 bytes each)
# by boto3; then wrk -t2 -c8 (8 keep-alive connections) measures requests/s of:
#  (a) GetItem, rotating over 64 existing keys;
#  (b) PutItem, rotating over 16 new keys (xacct durable, the default, and --relaxed-durability; moto);
#  (c) Query of one whole 100-item partition, rotating over the 10 partitions;
#  (d) UpdateItem "ADD n :one" with ConditionExpression attribute_exists(pk), rotating over 16 keys
#      (xacct durable and relaxed; moto); the counters are read back afterwards.
# Requests carry real SigV4 (bench/dynamodb_bench_sign.py signs each distinct body with botocore's SigV4Auth; wrk
# replays them, a signature staying valid for 15 minutes); xacct verifies every one. Writes are shared out so that
# no two writes of one key are in flight. Each figure is the median of 3 wrk runs. No targets: figures for the
# record.
#
# Usage: bench/dynamodb_bench.sh [build dir] [seconds per wrk run, default 4]   (about 2.5 minutes with the default)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
seconds=${2:-4}
sign="$root/bench/dynamodb_bench_sign.py"
wrk_args=(-t2 -c8 -d"${seconds}s" --timeout 10s)
work=$(mktemp -d)
pid=  # the one server running
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ -x "$build/xacct" ] || { echo "dynamodb_bench: $build/xacct is not built" >&2; exit 1; }
command -v wrk > /dev/null && command -v moto_server > /dev/null || { echo "dynamodb_bench: needs wrk and moto_server" >&2; exit 1; }
: > "$work/results"

# Waits (up to 10 s) for `pattern` in `file`, then prints the port that line names.
port_from() {
  for _ in $(seq 200); do grep -qE "$2" "$1" 2>/dev/null && break; sleep 0.05; done
  grep -oE "$2" "$1" | head -1 | grep -oE '[0-9]+$'
}
# Each sets $pid and $port.
start_xacct() {  # name [serve flags]
  local name=$1; shift
  "$build/xacct" serve --port 0 --data-dir "$work/$name" "$@" > "$work/$name.out" 2> "$work/$name.err" &
  pid=$!
  port=$(port_from "$work/$name.out" '127\.0\.0\.1:[0-9]+')
}
start_moto() {
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  moto_server -H 127.0.0.1 -p "$port" > "$work/moto.log" 2>&1 &
  pid=$!
  for _ in $(seq 200); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.05; done
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=; }
seed() { python3 "$sign" seed --port "$port"; }

# run LABEL OP N: 3 wrk runs rotating over N signed requests of OP; records the median requests/s, the errors
# of all 3 runs (non-2xx/3xx answers, socket errors) and the requests wrk completed.
run() {
  local label=$1 op=$2 n=$3
  python3 "$sign" sign --port "$port" --op "$op" --rotate "$n" --threads 2 > "$work/request.lua"
  local rates=() errors=0 done_=0 out
  for i in 1 2 3; do
    out=$(wrk "${wrk_args[@]}" -s "$work/request.lua" "http://127.0.0.1:$port/")
    echo "$out" >> "$work/wrk.log"
    rates+=("$(awk '/Requests\/sec/ {print $2}' <<< "$out")")
    errors=$((errors + $(awk '/Non-2xx/ {n += $NF} /Socket errors/ {gsub(/[^0-9 ]/, ""); n += $1 + $2 + $3 + $4} END {print n + 0}' <<< "$out")))
    done_=$((done_ + $(awk '/requests in/ {print $1}' <<< "$out")))
  done
  local median
  median=$(printf '%s\n' "${rates[@]}" | sort -n | sed -n 2p)
  printf '%s|%s|%s|%s\n' "$label" "$median" "$errors" "$(printf '%s ' "${rates[@]}")" >> "$work/results"
  printf '  %-40s %10.0f req/s  (runs: %s) non-2xx/socket errors: %s\n' "$label" "$median" "$(printf '%s ' "${rates[@]}")" "$errors"
  last_done=$done_
}
# check_counters NAME: the updates' counters must add up to the UpdateItems wrk saw answered (a few more may
# have been in flight when a run ended).
check_counters() {
  local sum
  sum=$(python3 "$sign" count --port "$port" --rotate 16)
  echo "  $1: UpdateItem counters add up to $sum; wrk saw $last_done answered"
  [ "$sum" -ge "$last_done" ] || echo "  !! $1 lost updates"
}

echo "machine: $(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "wrk ${wrk_args[*]}, 3 runs per figure; wrk and the servers share the cores"

start_xacct xacct
seed
run "GetItem  xacct" get 64
run "Query 100 items  xacct" query 10
run "UpdateItem ADD  xacct (durable, default)" update 16
check_counters "xacct (durable)"
run "PutItem  xacct (durable, default)" put 16
xacct_rss=$(awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$pid/status")
stop

start_xacct xacct-relaxed --relaxed-durability
seed
run "UpdateItem ADD  xacct --relaxed-durability" update 16
check_counters "xacct (relaxed)"
run "PutItem  xacct --relaxed-durability" put 16
stop

start_moto
seed
run "GetItem  moto_server" get 64
run "Query 100 items  moto_server" query 10
run "UpdateItem ADD  moto_server" update 16
check_counters "moto_server"
run "PutItem  moto_server" put 16
stop

rate() { awk -F'|' -v l="$1" '$1 == l {print $2}' "$work/results"; }
times() { awk -v a="$(rate "$1")" -v b="$(rate "$2")" 'BEGIN {printf "%.1f×", a / b}'; }

echo
echo "| request | server | requests/s | non-2xx + socket errors (3 runs) |"
echo "| --- | --- | --- | --- |"
awk -F'|' 'function commas(n,  s, t) {s = sprintf("%.0f", n); t = ""; while (length(s) > 3) {t = "," substr(s, length(s) - 2) t; s = substr(s, 1, length(s) - 3)}; return s t}
  {split($1, p, /  +/); printf "| %s | %s | %s | %s |\n", p[1], p[2], commas($2), $3}' "$work/results"
echo
echo "xacct / moto: GetItem $(times "GetItem  xacct" "GetItem  moto_server")," \
  "Query $(times "Query 100 items  xacct" "Query 100 items  moto_server")," \
  "PutItem $(times "PutItem  xacct (durable, default)" "PutItem  moto_server") (durable)," \
  "$(times "PutItem  xacct --relaxed-durability" "PutItem  moto_server") (relaxed)," \
  "UpdateItem $(times "UpdateItem ADD  xacct (durable, default)" "UpdateItem ADD  moto_server") (durable)," \
  "$(times "UpdateItem ADD  xacct --relaxed-durability" "UpdateItem ADD  moto_server") (relaxed)"
echo "xacct RSS after its load: ${xacct_rss} MB; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
if awk -F'|' '$3 > 0 {bad = 1} END {exit !bad}' "$work/results"; then
  echo "!! some requests were answered with errors (see the table); wrk's output follows"
  grep -E 'Non-2xx|Socket errors' "$work/wrk.log" || true
fi
