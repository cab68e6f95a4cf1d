#!/usr/bin/env bash
# Step Functions (issue 7, section 6): xacct's States Language interpreter (bench/states_bench.cpp) and the
# npm package aws-local-stepfunctions (bench/states_bench.js, pinned in bench/npm-pins.txt) run the cases of
# bench/states/cases.json one after the other in one run; prints both medians and the ratios. xacct runs each
# case twice: keeping the history (the figure the target is about) and with a sink that only counts events.
# Usage: bench/states_bench.sh [build dir, default build] [--runs N (default 9)] [--pin CPU (taskset both)]
# The package and its dependencies are installed once into $XACCT_DEPS/npm-bench/ (npm pack of the pinned
# tarball, its sha512 checked against the pin, then `npm install` of that tarball).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build
case "${1:-}" in ''|--*) ;; *) build=$(cd "$1" && pwd); shift ;; esac
runs=9
pin=()
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --pin) pin=(taskset -c "$2"); shift 2 ;;
    *) echo "usage: bench/states_bench.sh [build dir] [--runs N] [--pin CPU]" >&2; exit 2 ;;
  esac
done
deps=${XACCT_DEPS:-${XDG_CACHE_HOME:-$HOME/.cache}/xacct/deps}
log() { echo "states_bench: $*" >&2; }

# install SPEC INTEGRITY DEST: the pinned tarball, checked, installed with its dependencies into DEST (once).
install_pinned() {
  local spec=$1 integrity=$2 dest=$3
  [ -f "$dest/.ok" ] && return 0
  log "installing $spec into $dest"
  rm -rf "$dest"; mkdir -p "$dest"
  (cd "$dest" && npm pack --silent "$spec" > /dev/null 2> "$dest/npm.log") || { cat "$dest/npm.log" >&2; log "npm pack $spec failed"; return 1; }
  local tgz; tgz=$(cd "$dest" && ls ./*.tgz)
  local got; got="sha512-$(openssl dgst -sha512 -binary "$dest/$tgz" | base64 -w0)"
  if [ "$got" != "$integrity" ]; then
    log "integrity mismatch for $spec: got $got, pinned $integrity"; rm -rf "$dest"; return 1
  fi
  echo '{"private": true}' > "$dest/package.json"
  (cd "$dest" && npm install --no-audit --no-fund "$tgz" >> "$dest/npm.log" 2>&1) || { cat "$dest/npm.log" >&2; log "npm install $tgz failed"; return 1; }
  touch "$dest/.ok"
}

prefix=
while read -r spec integrity; do
  case "$spec" in ''|'#'*) continue ;; esac
  dir="$deps/npm-bench/$(echo "$spec" | tr '/@' '__')"
  install_pinned "$spec" "$integrity" "$dir"
  case "$spec" in aws-local-stepfunctions@*) prefix=$dir ;; esac
done < "$root/bench/npm-pins.txt"
[ -n "$prefix" ] || { log "bench/npm-pins.txt pins no aws-local-stepfunctions"; exit 1; }

if [ ! -f "$build/build.ninja" ]; then
  export CCACHE_DIR=${CCACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/xacct/ccache}
  cmake -S "$root" -B "$build" -G Ninja -DXACCT_DEPS="$deps" -DCMAKE_BUILD_TYPE=RelWithDebInfo > /dev/null
fi
ninja -C "$build" states_bench > /dev/null

out=$(mktemp)
trap 'rm -f "$out"' EXIT
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg); node $(node --version); ${pin[*]:-not pinned}"
for name in $(node -e 'for (const c of require(process.argv[1]).cases) console.log(c.name)' "$root/bench/states/cases.json"); do
  {
    "${pin[@]}" "$build/bench/states_bench" --only "$name" --runs "$runs" --json
    "${pin[@]}" "$build/bench/states_bench" --only "$name" --runs "$runs" --json --sink count
    "${pin[@]}" node "$root/bench/states_bench.js" --prefix "$prefix" --only "$name" --runs "$runs" --json
  } >> "$out"
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
node - "$out" <<'JS'
const rows = require('fs').readFileSync(process.argv[2], 'utf8').trim().split('\n').map(JSON.parse);
const fmt = (n, d = 0) => n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
console.log('| case | implementation | states entered | median wall time (min–max) | transitions/s | history events | xacct ÷ aws-local-stepfunctions |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows) {
  const other = rows.find((o) => o.case === r.case && !o.impl.startsWith('xacct'));
  const ratio = r.impl.startsWith('xacct') ? `**${(r.transitions_per_s / other.transitions_per_s).toFixed(1)}×**` : '';
  const span = `${fmt(Math.min(...r.runs_ms), 1)}–${fmt(Math.max(...r.runs_ms), 1)}`;
  console.log(`| ${r.case} | ${r.impl} | ${fmt(r.transitions)} | ${fmt(r.median_ms, 1)} ms (${span}) | ` +
    `${fmt(r.transitions_per_s)} | ${fmt(r.events)} | ${ratio} |`);
}
JS
