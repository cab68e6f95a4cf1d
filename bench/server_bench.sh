#!/usr/bin/env bash
# Server benchmarks (issue "The server"): signed sts:GetCallerIdentity requests per second over keep-alive
# from wrk on loopback (the same 2-core machine), p50/p99 latency; time from exec to the ready line; idle
# RSS. Usage: bench/server_bench.sh [build dir] [seconds]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
seconds=${2:-10}
work=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT

# Start-up: exec to ready line, 15 runs, median.
for i in $(seq 15); do
  python3 - "$build/xacct" "$work/start$i" <<'PY'
import subprocess, sys, time
t = time.perf_counter()
p = subprocess.Popen([sys.argv[1], "serve", "--port", "0", "--data-dir", sys.argv[2]], stdout=subprocess.PIPE, text=True)
p.stdout.readline()
print(f"{(time.perf_counter() - t) * 1000:.1f}")
p.terminate(); p.wait()
PY
done > "$work/startup.txt"
echo "start-up to ready line (ms, median of 15): $(sort -n "$work/startup.txt" | sed -n 8p)"

"$build/xacct" serve --port 0 --data-dir "$work/data" > "$work/ready.txt" &
pid=$!
for _ in $(seq 100); do grep -q ready "$work/ready.txt" 2>/dev/null && break; sleep 0.05; done
port=$(sed -E 's/.*127\.0\.0\.1:([0-9]+).*/\1/' "$work/ready.txt" | head -1)
sleep 0.5
echo "idle RSS (MB): $(awk '/VmRSS/ {printf "%.1f", $2/1024}' /proc/$pid/status)"

# One signed request, replayed: a SigV4 signature stays valid for 15 minutes.
python3 - "$port" > "$work/request.lua" <<'PY'
import sys, botocore.auth, botocore.awsrequest, botocore.credentials
port = sys.argv[1]
body = "Action=GetCallerIdentity&Version=2011-06-15"
r = botocore.awsrequest.AWSRequest(method="POST", url=f"http://127.0.0.1:{port}/", data=body,
                                   headers={"Content-Type": "application/x-www-form-urlencoded"})
botocore.auth.SigV4Auth(botocore.credentials.Credentials("AKIATARGET0000000001",
    "xacct/target/root/secret/key/00000000001"), "sts", "ap-northeast-1").add_auth(r)
print('wrk.method = "POST"')
print(f'wrk.body = "{body}"')
for k, v in r.headers.items():
    print(f'wrk.headers["{k}"] = "{v}"')
PY
wrk -t1 -c16 -d"${seconds}s" --latency -s "$work/request.lua" "http://127.0.0.1:$port/" | tee "$work/wrk.txt" \
  | grep -E 'Requests/sec|50%|99%|Non-2xx|Socket errors'
echo "RSS after load (MB): $(awk '/VmRSS/ {printf "%.1f", $2/1024}' /proc/$pid/status)"
