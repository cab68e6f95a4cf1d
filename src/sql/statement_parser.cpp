// ParseStatement: routes a statement to Athena's Hive or Trino front end the way Athena does (DDL to Hive,
// the rest to Trino; https://docs.aws.amazon.com/athena/latest/ug/ddl-reference.html), and the cursor, error
// formats and small DDL statements both families share. Statement grammar: the Athena pages cited per rule.
#include <algorithm>

#include "sql/statement_parser.h"

namespace xacct::sql {

namespace internal {

namespace {

std::string Quote(const Token& t) {
  if (t.kind == TokenKind::kEnd) return "'<EOF>'";
  return "'" + std::string(t.text) + "'";
}

// Trino counts columns from 1, Hive from 0.
std::string Position(const Token& t, Dialect d) {
  return std::to_string(t.line) + ":" + std::to_string(t.column + (d == Dialect::kTrino ? 1 : 0));
}

AwsError HiveError(std::string message) {
  AwsError e = AwsError::Client(std::string(kHiveCode), "FAILED: ParseException " + std::move(message));
  e.detail = "hive";
  return e;
}

}  // namespace

Cursor::Cursor(std::string_view sql, Dialect dialect) : sql_(sql), dialect_(dialect), tokens_(Tokenize(sql, dialect)) {
  // Athena accepts one statement with an optional trailing ';'.
  if (tokens_.size() >= 2) {
    const Token& last = tokens_[tokens_.size() - 2];
    if (last.kind == TokenKind::kSymbol && last.text == ";") tokens_.erase(tokens_.end() - 2);
  }
}

const Token& Cursor::Peek(size_t k) const { return tokens_[std::min(pos_ + k, tokens_.size() - 1)]; }

const Token& Cursor::Prev() const { return tokens_[pos_ == 0 ? 0 : std::min(pos_, tokens_.size()) - 1]; }

const Token& Cursor::Next() {
  const Token& t = Peek();
  if (pos_ < tokens_.size() - 1) ++pos_;
  return t;
}

bool Cursor::IsWord(std::string_view keyword, size_t k) const {
  const Token& t = Peek(k);
  return t.kind == TokenKind::kWord && ToUpper(t.text) == keyword;
}

bool Cursor::IsSymbol(std::string_view symbol, size_t k) const {
  const Token& t = Peek(k);
  return t.kind == TokenKind::kSymbol && t.text == symbol;
}

bool Cursor::AcceptWord(std::string_view keyword) {
  if (!IsWord(keyword)) return false;
  Next();
  return true;
}

bool Cursor::AcceptSymbol(std::string_view symbol) {
  if (!IsSymbol(symbol)) return false;
  Next();
  return true;
}

std::string_view Cursor::TextFrom(size_t first) const { return TextBetween(first, tokens_.size() - 1); }

std::string_view Cursor::TextBetween(size_t first, size_t last) const {
  if (first >= last || first >= tokens_.size()) return {};
  const size_t begin = tokens_[first].offset;
  const size_t end = tokens_[std::min(last, tokens_.size()) - 1].end;
  return sql_.substr(begin, end - begin);
}

size_t Cursor::FindSemicolon(size_t from) const {
  for (size_t i = from; i < tokens_.size(); ++i) {
    if (tokens_[i].kind == TokenKind::kSymbol && tokens_[i].text == ";") return i;
  }
  return std::string_view::npos;
}

AwsError Cursor::NoViable(std::string_view rule) const {
  return HiveError("line " + Position(Peek(), dialect_) + " cannot recognize input near " + Quote(Peek(0)) + " " +
                   Quote(Peek(1)) + " " + Quote(Peek(2)) + " in " + std::string(rule));
}

AwsError Cursor::HiveMismatch(std::string_view expected, std::string_view rule) const {
  return HiveError("line " + Position(Peek(), dialect_) + " mismatched input " + Quote(Peek()) + " expecting " +
                   std::string(expected) + " near " + Quote(Prev()) + " in " + std::string(rule));
}

AwsError Cursor::MissingEof() const {
  return HiveError("line " + Position(Peek(), dialect_) + " missing EOF at " + Quote(Peek()) + " near " +
                   Quote(Prev()));
}

AwsError Cursor::TrinoMismatch(std::string_view expected) const {
  return TrinoError(Peek(), "mismatched input " + Quote(Peek()) + ". Expecting: " + std::string(expected));
}

AwsError Cursor::TrinoError(const Token& token, std::string_view message) const {
  AwsError e = AwsError::Client(std::string(kTrinoCode),
                                "line " + Position(token, Dialect::kTrino) + ": " + std::string(message));
  e.detail = "trino";
  return e;
}

AwsError Unsupported() {
  AwsError e = AwsError::Client(std::string(kTrinoCode), "Queries of this type are not supported");
  e.detail = "unsupported";
  return e;
}

Result<std::string> ParseIdentifier(Cursor& c, std::string_view rule) {
  const Token& t = c.Peek();
  if (c.dialect() == Dialect::kHive) {
    if (t.kind == TokenKind::kWord) return ToLower(c.Next().text);
    if (t.kind == TokenKind::kBacktick && !t.value.empty()) return ToLower(c.Next().value);
    return c.NoViable(rule);
  }
  if (t.kind == TokenKind::kWord) return ToLower(c.Next().text);
  if (t.kind == TokenKind::kDoubleQuoted && !t.value.empty()) return ToLower(c.Next().value);
  if (t.kind == TokenKind::kBacktick) {
    return c.TrinoError(t, "backquoted identifiers are not supported; use double quotes to quote identifiers");
  }
  return c.TrinoMismatch("<identifier>");
}

Result<QualifiedName> ParseQualifiedName(Cursor& c, std::string_view rule) {
  std::vector<std::string> parts;
  auto first = ParseIdentifier(c, rule);
  if (!first) return first.error();
  parts.push_back(std::move(*first));
  while (parts.size() < 3 && c.IsSymbol(".")) {
    c.Next();
    auto part = ParseIdentifier(c, rule);
    if (!part) return part.error();
    parts.push_back(std::move(*part));
  }
  QualifiedName name;
  name.table = parts.back();
  if (parts.size() >= 2) name.database = parts[parts.size() - 2];
  if (parts.size() == 3) name.catalog = parts[0];
  return name;
}

Result<std::string> ParseHiveString(Cursor& c, std::string_view rule) {
  if (c.Peek().kind != TokenKind::kString) return c.HiveMismatch("StringLiteral", rule);
  return c.Next().value;
}

Result<Properties> ParseHiveProperties(Cursor& c, std::string_view rule) {
  if (!c.AcceptSymbol("(")) return c.HiveMismatch("(", rule);
  Properties out;
  do {
    auto key = ParseHiveString(c, rule);
    if (!key) return key.error();
    if (!c.AcceptSymbol("=")) return c.HiveMismatch("=", rule);
    auto value = ParseHiveString(c, rule);
    if (!value) return value.error();
    out.emplace_back(std::move(*key), std::move(*value));
  } while (c.AcceptSymbol(","));
  if (!c.AcceptSymbol(")")) return c.HiveMismatch(")", rule);
  return out;
}

// https://docs.aws.amazon.com/athena/latest/ug/alter-table-add-partition.html:
// PARTITION (partition_col_name = partition_col_value [,...]); values are literals.
Result<Properties> ParsePartitionSpec(Cursor& c) {
  constexpr std::string_view kRule = "partition specification";
  if (!c.AcceptSymbol("(")) return c.HiveMismatch("(", kRule);
  Properties out;
  do {
    auto key = ParseIdentifier(c, kRule);
    if (!key) return key.error();
    if (!c.AcceptSymbol("=")) return c.HiveMismatch("=", kRule);
    const Token& v = c.Peek();
    const bool negative = v.kind == TokenKind::kSymbol && v.text == "-" && c.Peek(1).kind == TokenKind::kNumber;
    if (negative) {
      c.Next();
      out.emplace_back(std::move(*key), "-" + c.Next().value);
    } else if (v.kind == TokenKind::kString || v.kind == TokenKind::kNumber) {
      out.emplace_back(std::move(*key), c.Next().value);
    } else if (c.IsWord("TRUE") || c.IsWord("FALSE")) {
      out.emplace_back(std::move(*key), ToLower(c.Next().text));
    } else {
      return c.NoViable("constant");
    }
  } while (c.AcceptSymbol(","));
  if (!c.AcceptSymbol(")")) return c.HiveMismatch(")", kRule);
  return out;
}

namespace {

// https://docs.aws.amazon.com/athena/latest/ug/create-database.html
// CREATE {DATABASE|SCHEMA} [IF NOT EXISTS] name [COMMENT c] [LOCATION l] [WITH DBPROPERTIES (...)]
Result<Statement> ParseCreateDatabase(Cursor& c) {
  constexpr std::string_view kRule = "create database statement";
  c.Next();  // DATABASE | SCHEMA
  CreateDatabase out;
  if (c.IsWord("IF")) {
    c.Next();
    if (!c.AcceptWord("NOT")) return c.HiveMismatch("NOT", kRule);
    if (!c.AcceptWord("EXISTS")) return c.HiveMismatch("EXISTS", kRule);
    out.if_not_exists = true;
  }
  auto name = ParseIdentifier(c, kRule);
  if (!name) return name.error();
  out.name = std::move(*name);
  if (c.AcceptWord("COMMENT")) {
    auto comment = ParseHiveString(c, kRule);
    if (!comment) return comment.error();
    out.comment = std::move(*comment);
  }
  if (c.AcceptWord("LOCATION")) {
    auto location = ParseHiveString(c, kRule);
    if (!location) return location.error();
    out.location = std::move(*location);
  }
  if (c.AcceptWord("WITH")) {
    if (!c.AcceptWord("DBPROPERTIES")) return c.HiveMismatch("DBPROPERTIES", kRule);
    auto props = ParseHiveProperties(c, "dbproperties list");
    if (!props) return props.error();
    out.properties = std::move(*props);
  }
  return Statement(std::move(out));
}

// https://docs.aws.amazon.com/athena/latest/ug/drop-table.html, drop-database.html
Result<Statement> ParseDrop(Cursor& c) {
  c.Next();  // DROP
  const bool table = c.IsWord("TABLE");
  if (!table && !c.IsWord("DATABASE") && !c.IsWord("SCHEMA")) return c.NoViable("ddl statement");
  c.Next();
  const std::string_view rule = table ? "drop table statement" : "drop database statement";
  bool if_exists = false;
  if (c.IsWord("IF")) {
    c.Next();
    if (!c.AcceptWord("EXISTS")) return c.HiveMismatch("EXISTS", rule);
    if_exists = true;
  }
  if (table) {
    auto name = ParseQualifiedName(c, "table name");
    if (!name) return name.error();
    return Statement(DropTable{std::move(*name), if_exists});
  }
  auto name = ParseIdentifier(c, rule);
  if (!name) return name.error();
  DropDatabase out{std::move(*name), if_exists, false};
  if (c.AcceptWord("CASCADE")) {
    out.cascade = true;
  } else {
    c.AcceptWord("RESTRICT");
  }
  return Statement(std::move(out));
}

// https://docs.aws.amazon.com/athena/latest/ug/msck-repair-table.html: MSCK REPAIR TABLE table_name
Result<Statement> ParseMsck(Cursor& c) {
  c.Next();  // MSCK
  if (!c.AcceptWord("REPAIR")) return c.NoViable("ddl statement");
  if (!c.AcceptWord("TABLE")) return c.HiveMismatch("TABLE", "repair statement");
  auto name = ParseQualifiedName(c, "table name");
  if (!name) return name.error();
  return Statement(MsckRepairTable{std::move(*name)});
}

enum class Route { kHive, kTrino, kUnsupported };

// Athena's split: Hive takes the DDL of https://docs.aws.amazon.com/athena/latest/ug/ddl-reference.html,
// Trino the queries, DML, CTAS, views, UNLOAD and prepared statements.
Route Classify(const Cursor& c) {
  if (c.IsWord("CREATE")) {
    if (c.IsWord("VIEW", 1) || c.IsWord("OR", 1) || c.IsWord("MATERIALIZED", 1) || c.IsWord("ROLE", 1) ||
        c.IsWord("FUNCTION", 1)) {
      return Route::kUnsupported;
    }
    if (!c.IsWord("TABLE", 1)) return Route::kHive;
    // CREATE TABLE name (WITH (...) | AS ...) is CTAS (Trino); with a column list it is Hive DDL.
    size_t k = 2;
    if (c.IsWord("IF", k) && c.IsWord("NOT", k + 1) && c.IsWord("EXISTS", k + 2)) k += 3;
    ++k;
    while (c.IsSymbol(".", k)) k += 2;
    return c.IsWord("WITH", k) || c.IsWord("AS", k) ? Route::kTrino : Route::kHive;
  }
  if (c.IsWord("DROP")) {
    return c.IsWord("VIEW", 1) || c.IsWord("MATERIALIZED", 1) || c.IsWord("ROLE", 1) || c.IsWord("FUNCTION", 1)
               ? Route::kUnsupported
               : Route::kHive;
  }
  if (c.IsWord("ALTER") || c.IsWord("MSCK")) return Route::kHive;
  if (c.IsWord("SHOW")) {
    for (std::string_view kw : {"VIEWS", "FUNCTIONS", "CATALOGS", "SESSION", "STATS", "GRANTS", "ROLES", "ROLE",
                                "CURRENT", "MATERIALIZED", "BRANCHES"}) {
      if (c.IsWord(kw, 1)) return Route::kUnsupported;
    }
    if (c.IsWord("CREATE", 1) && !c.IsWord("TABLE", 2)) return Route::kUnsupported;
    return Route::kHive;
  }
  if (c.IsWord("DESCRIBE") || c.IsWord("DESC")) {
    return c.IsWord("INPUT", 1) || c.IsWord("OUTPUT", 1) ? Route::kUnsupported : Route::kHive;
  }
  for (std::string_view kw :
       {"DELETE", "UPDATE", "MERGE", "USE", "SET", "RESET", "CALL", "COMMIT", "ROLLBACK", "START", "GRANT", "REVOKE",
        "DENY", "ANALYZE", "COMMENT", "TRUNCATE", "REFRESH", "OPTIMIZE", "VACUUM"}) {
    if (c.IsWord(kw)) return Route::kUnsupported;
  }
  return Route::kTrino;
}

}  // namespace

Result<Statement> ParseHiveStatement(Cursor& c) {
  Result<Statement> out = [&]() -> Result<Statement> {
    if (c.IsWord("CREATE")) {
      if (c.IsWord("DATABASE", 1) || c.IsWord("SCHEMA", 1)) {
        c.Next();
        return ParseCreateDatabase(c);
      }
      return ParseCreateTable(c);
    }
    if (c.IsWord("DROP")) return ParseDrop(c);
    if (c.IsWord("ALTER")) return ParseAlterTable(c);
    if (c.IsWord("MSCK")) return ParseMsck(c);
    return ParseShowOrDescribe(c);
  }();
  if (!out) return out;
  if (!c.AtEnd()) return c.MissingEof();
  return out;
}

}  // namespace internal

Result<Statement> ParseStatement(std::string_view sql) {
  using namespace internal;
  Cursor probe(sql, Dialect::kTrino);
  switch (Classify(probe)) {
    case Route::kHive: {
      Cursor hive(sql, Dialect::kHive);
      return ParseHiveStatement(hive);
    }
    case Route::kUnsupported:
      return Unsupported();
    case Route::kTrino:
      break;
  }
  return ParseTrinoStatement(probe);
}

}  // namespace xacct::sql
