// The statements Athena hands to Trino that xacct must take apart before DuckDB sees the query: INSERT INTO
// (https://docs.aws.amazon.com/athena/latest/ug/insert-into.html), CREATE TABLE AS
// (create-table-as.html, ctas-table-properties.html), UNLOAD (unload.html), EXPLAIN (athena-explain-statement.html),
// PREPARE / EXECUTE / DEALLOCATE PREPARE (sql-prepare.html, sql-execute.html, sql-deallocate-prepare.html).
// The query inside is kept verbatim; only its first token is checked, as Trino would.
#include "sql/statement_parser.h"

namespace xacct::sql::internal {

namespace {

// Trino's list for an unknown first word, as Athena engine v3 prints it (github.com/OvertureMaps/data/issues/32).
constexpr std::string_view kStatementStart =
    "'ALTER', 'ANALYZE', 'CALL', 'COMMENT', 'COMMIT', 'CREATE', 'DEALLOCATE', 'DELETE', 'DENY', 'DESC', "
    "'DESCRIBE', 'DROP', 'EXECUTE', 'EXPLAIN', 'GRANT', 'INSERT', 'MERGE', 'PREPARE', 'REFRESH', 'RESET', "
    "'REVOKE', 'ROLLBACK', 'SET', 'SHOW', 'START', 'TRUNCATE', 'UNLOAD', 'UPDATE', 'USE', <query>";
constexpr std::string_view kQueryStart = "'(', 'SELECT', 'TABLE', 'VALUES', 'WITH'";

Status Fail(AwsError e) { return Status(std::move(e)); }

// The rest of the statement from the cursor as a query: verbatim, checked to start like one.
Result<std::string> RestAsQuery(Cursor& c, size_t end) {
  if (!IsQueryStart(c, c.index())) return c.TrinoMismatch(kQueryStart);
  if (auto s = CheckTokens(c, c.index(), end); !s) return s.error();
  std::string query(c.TextBetween(c.index(), end));
  c.set_index(end);
  return query;
}

Result<WithProperty> ParseWithProperty(Cursor& c) {
  WithProperty p;
  auto name = ParseIdentifier(c, "");
  if (!name) return name.error();
  p.name = std::move(*name);
  if (!c.AcceptSymbol("=")) return c.TrinoMismatch("'='");
  const Token& v = c.Peek();
  if (v.kind == TokenKind::kString) {
    p.kind = WithProperty::Kind::kString;
    p.value = c.Next().value;
  } else if (v.kind == TokenKind::kNumber) {
    p.kind = WithProperty::Kind::kNumber;
    p.value = std::string(c.Next().text);
  } else if (c.IsWord("TRUE") || c.IsWord("FALSE")) {
    p.kind = WithProperty::Kind::kBoolean;
    p.value = ToLower(c.Next().text);
  } else if (c.IsWord("ARRAY")) {
    c.Next();
    p.kind = WithProperty::Kind::kArray;
    if (!c.AcceptSymbol("[")) return c.TrinoMismatch("'['");
    if (!c.IsSymbol("]")) {
      do {
        if (c.Peek().kind != TokenKind::kString) return c.TrinoMismatch("<string>");
        p.values.push_back(c.Next().value);
      } while (c.AcceptSymbol(","));
    }
    if (!c.AcceptSymbol("]")) return c.TrinoMismatch("',', ']'");
  } else {
    return c.TrinoMismatch("<expression>");
  }
  return p;
}

}  // namespace

// Trino: WITH ( name = value [, ...] )
Result<std::vector<WithProperty>> ParseWithProperties(Cursor& c) {
  if (!c.AcceptSymbol("(")) return c.TrinoMismatch("'('");
  std::vector<WithProperty> out;
  do {
    auto p = ParseWithProperty(c);
    if (!p) return p.error();
    out.push_back(std::move(*p));
  } while (c.AcceptSymbol(","));
  if (!c.AcceptSymbol(")")) return c.TrinoMismatch("')', ','");
  return out;
}

bool IsQueryStart(const Cursor& c, size_t i) {
  const Token& t = c.At(i);
  if (t.kind == TokenKind::kSymbol) return t.text == "(";
  if (t.kind != TokenKind::kWord) return false;
  const std::string word = ToUpper(t.text);
  return word == "SELECT" || word == "WITH" || word == "VALUES" || word == "TABLE";
}

Status CheckTokens(const Cursor& c, size_t from, size_t to) {
  for (size_t i = from; i < to; ++i) {
    const Token& t = c.At(i);
    if (t.kind == TokenKind::kSymbol && t.text == ";") {
      return Fail(c.TrinoError(t, "mismatched input ';'. Expecting: <EOF>"));
    }
    if (t.kind == TokenKind::kUnterminated) {
      return Fail(c.TrinoError(t, "token recognition error at: '" + std::string(t.text) + "'"));
    }
    if (t.kind == TokenKind::kBacktick) {
      return Fail(c.TrinoError(t, "backquoted identifiers are not supported; use double quotes to quote identifiers"));
    }
  }
  return Ok{};
}

namespace {

// INSERT INTO table [(column, ...)] query
Result<Statement> ParseInsert(Cursor& c) {
  c.Next();  // INSERT
  if (!c.AcceptWord("INTO")) return c.TrinoMismatch("'INTO'");
  auto name = ParseQualifiedName(c, "");
  if (!name) return name.error();
  InsertInto out{std::move(*name), {}, {}};
  if (c.IsSymbol("(") && !IsQueryStart(c, c.index() + 1)) {
    c.Next();
    do {
      auto column = ParseIdentifier(c, "");
      if (!column) return column.error();
      out.columns.push_back(std::move(*column));
    } while (c.AcceptSymbol(","));
    if (!c.AcceptSymbol(")")) return c.TrinoMismatch("')', ','");
  }
  auto query = RestAsQuery(c, c.size());
  if (!query) return query.error();
  out.query_sql = std::move(*query);
  return Statement(std::move(out));
}

// CREATE TABLE [IF NOT EXISTS] table [WITH (property = value, ...)] AS query [WITH [NO] DATA]
Result<Statement> ParseCreateTableAs(Cursor& c) {
  c.Next();  // CREATE
  c.Next();  // TABLE (checked when routing)
  CreateTableAs out;
  if (c.IsWord("IF") && c.IsWord("NOT", 1) && c.IsWord("EXISTS", 2)) {
    c.set_index(c.index() + 3);
    out.if_not_exists = true;
  }
  auto name = ParseQualifiedName(c, "");
  if (!name) return name.error();
  out.name = std::move(*name);
  if (c.AcceptWord("WITH")) {
    auto props = ParseWithProperties(c);
    if (!props) return props.error();
    out.with_properties = std::move(*props);
  }
  if (!c.AcceptWord("AS")) return c.TrinoMismatch("'AS'");
  size_t end = c.size();
  if (end >= 2 && c.At(end - 1).kind == TokenKind::kWord && ToUpper(c.At(end - 1).text) == "DATA") {
    const bool no = c.At(end - 2).kind == TokenKind::kWord && ToUpper(c.At(end - 2).text) == "NO";
    const size_t with = end - (no ? 3 : 2);
    if (with > c.index() && c.At(with).kind == TokenKind::kWord && ToUpper(c.At(with).text) == "WITH") {
      out.with_data = !no;
      end = with;
    }
  }
  auto query = RestAsQuery(c, end);
  if (!query) return query.error();
  out.query_sql = std::move(*query);
  c.set_index(c.size());
  return Statement(std::move(out));
}

// UNLOAD (SELECT ...) TO 's3://...' WITH (property = value, ...)
Result<Statement> ParseUnload(Cursor& c) {
  c.Next();  // UNLOAD
  if (!c.AcceptSymbol("(")) return c.TrinoMismatch("'('");
  const size_t start = c.index();
  int depth = 1;
  size_t close = start;
  for (; close < c.size(); ++close) {
    const Token& t = c.At(close);
    if (t.kind != TokenKind::kSymbol) continue;
    if (t.text == "(") ++depth;
    if (t.text == ")" && --depth == 0) break;
  }
  Unload out;
  auto query = RestAsQuery(c, close);
  if (!query) return query.error();
  out.query_sql = std::move(*query);
  if (!c.AcceptSymbol(")")) return c.TrinoMismatch("')'");
  if (!c.AcceptWord("TO")) return c.TrinoMismatch("'TO'");
  if (c.Peek().kind != TokenKind::kString) return c.TrinoMismatch("<string>");
  out.location = c.Next().value;
  if (c.AcceptWord("WITH")) {
    auto props = ParseWithProperties(c);
    if (!props) return props.error();
    out.with_properties = std::move(*props);
  }
  return Statement(std::move(out));
}

// EXPLAIN [ANALYZE [VERBOSE]] [(FORMAT {TEXT|GRAPHVIZ|JSON}, TYPE {LOGICAL|DISTRIBUTED|VALIDATE|IO})] statement
Result<Statement> ParseExplain(Cursor& c) {
  c.Next();  // EXPLAIN
  Explain out;
  if (c.AcceptWord("ANALYZE")) {
    out.analyze = true;
    out.verbose = c.AcceptWord("VERBOSE");
  }
  if (c.IsSymbol("(") && !IsQueryStart(c, c.index() + 1)) {
    c.Next();
    do {
      const bool type = c.AcceptWord("TYPE");
      if (!type && !c.AcceptWord("FORMAT")) return c.TrinoMismatch("'FORMAT', 'TYPE'");
      const std::string value = ToUpper(c.Peek().text);
      const bool ok = c.Peek().kind == TokenKind::kWord &&
                      (type ? (value == "LOGICAL" || value == "DISTRIBUTED" || value == "VALIDATE" || value == "IO")
                            : (value == "TEXT" || value == "GRAPHVIZ" || value == "JSON"));
      if (!ok)
        return c.TrinoMismatch(type ? "'DISTRIBUTED', 'IO', 'LOGICAL', 'VALIDATE'" : "'GRAPHVIZ', 'JSON', 'TEXT'");
      c.Next();
      (type ? out.type : out.format) = value;
    } while (c.AcceptSymbol(","));
    if (!c.AcceptSymbol(")")) return c.TrinoMismatch("')', ','");
  }
  if (c.AtEnd()) return c.TrinoMismatch(kStatementStart);
  if (auto s = CheckTokens(c, c.index(), c.size()); !s) return s.error();
  out.statement_sql = std::string(c.TextFrom(c.index()));
  c.set_index(c.size());
  return Statement(std::move(out));
}

// PREPARE statement_name FROM statement
Result<Statement> ParsePrepare(Cursor& c) {
  c.Next();  // PREPARE
  auto name = ParseIdentifier(c, "");
  if (!name) return name.error();
  if (!c.AcceptWord("FROM")) return c.TrinoMismatch("'FROM'");
  if (c.AtEnd()) return c.TrinoMismatch(kStatementStart);
  if (auto s = CheckTokens(c, c.index(), c.size()); !s) return s.error();
  Prepare out{std::move(*name), std::string(c.TextFrom(c.index()))};
  c.set_index(c.size());
  return Statement(std::move(out));
}

// EXECUTE statement_name [USING parameter1[, parameter2, ...]]
Result<Statement> ParseExecute(Cursor& c) {
  c.Next();  // EXECUTE
  auto name = ParseIdentifier(c, "");
  if (!name) return name.error();
  Execute out{std::move(*name), {}};
  if (c.AtEnd()) return Statement(std::move(out));
  if (!c.AcceptWord("USING")) return c.TrinoMismatch("'USING', <EOF>");
  if (auto s = CheckTokens(c, c.index(), c.size()); !s) return s.error();
  int depth = 0;
  size_t first = c.index();
  for (size_t i = c.index(); i <= c.size(); ++i) {
    const Token& t = c.At(i);
    const bool end = t.kind == TokenKind::kEnd;
    if (t.kind == TokenKind::kSymbol && (t.text == "(" || t.text == "[")) ++depth;
    if (t.kind == TokenKind::kSymbol && (t.text == ")" || t.text == "]")) --depth;
    if (end || (depth == 0 && t.kind == TokenKind::kSymbol && t.text == ",")) {
      if (i == first) {
        c.set_index(i);
        return c.TrinoMismatch("<expression>");
      }
      out.parameters.emplace_back(c.TextBetween(first, i));
      first = i + 1;
    }
  }
  c.set_index(c.size());
  return Statement(std::move(out));
}

// DEALLOCATE PREPARE statement_name
Result<Statement> ParseDeallocate(Cursor& c) {
  c.Next();  // DEALLOCATE
  if (!c.AcceptWord("PREPARE")) return c.TrinoMismatch("'PREPARE'");
  auto name = ParseIdentifier(c, "");
  if (!name) return name.error();
  return Statement(Deallocate{std::move(*name)});
}

}  // namespace

Result<Statement> ParseTrinoStatement(Cursor& c) {
  if (IsQueryStart(c, 0)) {
    if (auto s = CheckTokens(c, 0, c.size()); !s) return s.error();
    return Statement(Select{std::string(c.TextFrom(0))});
  }
  Result<Statement> out = [&]() -> Result<Statement> {
    if (c.IsWord("INSERT")) return ParseInsert(c);
    if (c.IsWord("CREATE")) return ParseCreateTableAs(c);
    if (c.IsWord("UNLOAD")) return ParseUnload(c);
    if (c.IsWord("EXPLAIN")) return ParseExplain(c);
    if (c.IsWord("PREPARE")) return ParsePrepare(c);
    if (c.IsWord("EXECUTE")) return ParseExecute(c);
    if (c.IsWord("DEALLOCATE")) return ParseDeallocate(c);
    if (c.Peek().kind == TokenKind::kUnterminated) {
      return c.TrinoError(c.Peek(), "token recognition error at: '" + std::string(c.Peek().text) + "'");
    }
    return c.TrinoMismatch(kStatementStart);
  }();
  if (!out) return out;
  if (!c.AtEnd()) {
    if (auto s = CheckTokens(c, c.index(), c.index() + 1); !s) return s.error();
    return c.TrinoMismatch("<EOF>");
  }
  return out;
}

}  // namespace xacct::sql::internal
