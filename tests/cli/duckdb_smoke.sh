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
# Athena's type names for the result columns (Athena User Guide, "Data types in Amazon Athena").
types=$("$1" duckdb --types "select 1 as i, 2::bigint as b, 1.5::decimal(10,2) as d, 'x' as s, date '2024-01-02' as dt" | head -1)
[ "$types" = "i:integer	b:bigint	d:decimal(10,2)	s:varchar	dt:date" ] || { echo "unexpected types: $types"; exit 1; }
# The tables a SELECT reads (json_serialize_sql), CTE names left out, quoted catalog ARNs kept whole.
tables=$("$1" duckdb --tables 'WITH c AS (SELECT * FROM "glue:arn:aws:glue:ap-northeast-1:111111111111:catalog".db.sales) SELECT * FROM c JOIN Target.Sales_Copy ON true')
expected=$'glue:arn:aws:glue:ap-northeast-1:111111111111:catalog.db.sales\n.target.sales_copy'
[ "$tables" = "$expected" ] || { echo "unexpected tables: $tables"; exit 1; }
# Queries compute in UTC, as Athena does.
[ "$("$1" duckdb "select current_setting('TimeZone')")" = "UTC" ] || { echo "expected UTC"; exit 1; }
# Nested values are rendered, not NULL (arrays as Athena prints them: [1, 2]; maps {k=1}).
nested=$("$1" duckdb "select [1, 2] as l, map {'k': 1} as m")
[ "$nested" = $'[1, 2]\t{k=1}' ] || { echo "unexpected nested rendering: $nested"; exit 1; }
