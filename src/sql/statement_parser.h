// Internal to the statement parser (statement_*.cpp): a token cursor that formats errors in the words of
// Athena's two front ends. Not for use outside src/sql/.
//
// Error shapes, from Athena's own messages as users report them:
//  - Hive:  "FAILED: ParseException line 2:4 cannot recognize input near 'FORMAT' 'SERDE'
//           ''org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'' in column type"
//           (github.com/secdatabase/SEC-XBRL-Financial-Statement-Dataset/issues/1),
//           "FAILED: ParseException line 1:63 mismatched input ',' expecting < near 'MAP' in map type"
//           (github.com/awslabs/open-data-docs/issues/4), and Hive's "missing EOF at 'LOCATION' near ')'".
//           Columns are 0-based ("line 2:0 cannot recognize input near 'WITH' '(' ..." for a token that opens
//           line 2, github.com/localstack/localstack/issues/7414); tokens are quoted with their own quotes.
//  - Trino: "line 1:8: mismatched input 'EXTERNAL'. Expecting: 'MATERIALIZED', 'OR', 'ROLE', 'SCHEMA',
//           'TABLE', 'VIEW'" and "line 1:1: mismatched input 'MSCK'. Expecting: 'ALTER', ..., <query>"
//           (github.com/OvertureMaps/data/issues/32), "line 1:10: mismatched input '<EOF>'. Expecting: ..."
//           (github.com/guardian/athena-cli/issues/39). Columns are 1-based.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "sql/statement.h"
#include "sql/tokenizer.h"

namespace xacct::sql::internal {

inline constexpr std::string_view kHiveCode = "ParseError";
inline constexpr std::string_view kTrinoCode = "InvalidRequestException";

class Cursor {
 public:
  //! Tokenizes `sql`; a final ';' (and only a final one) is dropped.
  Cursor(std::string_view sql, Dialect dialect);

  Dialect dialect() const { return dialect_; }
  std::string_view sql() const { return sql_; }
  size_t index() const { return pos_; }
  void set_index(size_t i) { pos_ = i; }

  //! The token `k` ahead of the current one (kEnd past the end).
  const Token& Peek(size_t k = 0) const;
  //! The token before the current one, or the current one at the start.
  const Token& Prev() const;
  const Token& Next();
  bool AtEnd() const { return Peek().kind == TokenKind::kEnd; }
  //! Token `i` of the statement; `size()` is the index of the kEnd token.
  const Token& At(size_t i) const { return tokens_[std::min(i, tokens_.size() - 1)]; }
  size_t size() const { return tokens_.size() - 1; }

  //! Whether token `k` ahead is the bare word `keyword` (case-insensitive; `keyword` given in upper case).
  bool IsWord(std::string_view keyword, size_t k = 0) const;
  bool IsSymbol(std::string_view symbol, size_t k = 0) const;
  bool AcceptWord(std::string_view keyword);
  bool AcceptSymbol(std::string_view symbol);

  //! The source text from token `first` through the last token before the end, verbatim.
  std::string_view TextFrom(size_t first) const;
  //! The source text of tokens [first, last).
  std::string_view TextBetween(size_t first, size_t last) const;
  //! Index of the first ';' token at or after `from`, or npos.
  size_t FindSemicolon(size_t from) const;

  // Hive errors (code kHiveCode).
  //! "cannot recognize input near 'a' 'b' 'c' in <rule>" at the current token.
  AwsError NoViable(std::string_view rule) const;
  //! "mismatched input 'x' expecting <expected> near 'prev' in <rule>" at the current token.
  AwsError HiveMismatch(std::string_view expected, std::string_view rule) const;
  //! "missing EOF at 'x' near 'prev'" at the current token.
  AwsError MissingEof() const;

  // Trino errors (code kTrinoCode).
  //! "line L:C: mismatched input 'x'. Expecting: <expected>" at the current token.
  AwsError TrinoMismatch(std::string_view expected) const;
  //! "line L:C: <message>" at `token`.
  AwsError TrinoError(const Token& token, std::string_view message) const;

 private:
  std::string_view sql_;
  Dialect dialect_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
};

//! "Queries of this type are not supported": Athena's answer for statements it does not run.
AwsError Unsupported();

// Shared pieces.
//! An identifier in the cursor's dialect (Hive: word or `quoted`; Trino: word or "quoted"), lower-cased.
Result<std::string> ParseIdentifier(Cursor& c, std::string_view rule);
//! [catalog.][database.]table
Result<QualifiedName> ParseQualifiedName(Cursor& c, std::string_view rule);
//! A Hive string literal's value.
Result<std::string> ParseHiveString(Cursor& c, std::string_view rule);
//! ('k' = 'v', ...)
Result<Properties> ParseHiveProperties(Cursor& c, std::string_view rule);
//! PARTITION (k = v, ...): the PARTITION keyword already consumed.
Result<Properties> ParsePartitionSpec(Cursor& c);
//! Trino WITH ( name = value, ... ): the WITH keyword already consumed.
Result<std::vector<WithProperty>> ParseWithProperties(Cursor& c);

//! Trino: whether token `i` starts a query (SELECT, WITH, VALUES, TABLE or '(').
bool IsQueryStart(const Cursor& c, size_t i);
//! Trino: errors for what Trino's lexer refuses in tokens [from, to): a second statement after ';', an
//! unterminated literal or comment, a backquoted identifier.
Status CheckTokens(const Cursor& c, size_t from, size_t to);

// Statement families; each starts at the statement's first token.
Result<Statement> ParseHiveStatement(Cursor& c);
Result<Statement> ParseCreateTable(Cursor& c);
Result<Statement> ParseAlterTable(Cursor& c);
Result<Statement> ParseShowOrDescribe(Cursor& c);
Result<Statement> ParseTrinoStatement(Cursor& c);

}  // namespace xacct::sql::internal
