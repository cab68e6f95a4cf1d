#!/usr/bin/env bash
# The bundled DuckDB loads (through the binary's RUNPATH, no LD_LIBRARY_PATH) and answers a query.
set -euo pipefail
unset LD_LIBRARY_PATH
out=$("$1" duckdb "select 42 as answer, version() as v")
echo "$out"
[ "$(cut -f1 <<<"$out")" = "42" ] || { echo "expected 42"; exit 1; }
grep -q 'v1.4.4' <<<"$out" || { echo "expected DuckDB v1.4.4"; exit 1; }
# A bad statement is an error with DuckDB's message, not a crash.
if "$1" duckdb "selec 1" 2>err.txt; then echo "a syntax error must fail"; exit 1; fi
grep -qi 'syntax error' err.txt
