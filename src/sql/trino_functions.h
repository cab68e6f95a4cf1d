// Trino's functions on DuckDB: Athena runs SELECT, WITH and VALUES on Trino ("Functions in Amazon Athena",
// https://docs.aws.amazon.com/athena/latest/ug/functions.html, and https://trino.io/docs/current/functions.html),
// xacct runs them on DuckDB. TranslateTrinoSql rewrites the calls whose names or arguments differ, token by
// token; everything else (white space, comments, literals, quoted identifiers) is kept byte for byte. The
// rules, each with the Trino page it follows, are the table in trino_functions.cpp.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace xacct::sql {

//! `sql` with Trino-only function calls rewritten for DuckDB. Fails (InvalidRequestException, Trino-style
//! message naming the function) when a call cannot be translated faithfully, e.g. date_parse with a format
//! that is not a literal, or a MySQL/Joda specifier DuckDB has no equivalent for.
Result<std::string> TranslateTrinoSql(std::string_view sql);

//! CREATE OR REPLACE MACRO statements the translation relies on (names start with xacct_); run them once on
//! each engine before translated queries. DuckDB macros cannot shadow built-in names, hence the prefix.
const std::vector<std::string>& TrinoCompatibilityMacros();

}  // namespace xacct::sql
