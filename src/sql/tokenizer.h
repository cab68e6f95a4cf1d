// The lexer of Athena's two SQL front ends. Athena sends DDL to Hive and everything else to Trino
// (https://docs.aws.amazon.com/athena/latest/ug/ddl-reference.html,
// https://docs.aws.amazon.com/athena/latest/ug/reserved-words.html: "To escape reserved keywords in DDL
// statements, enclose them in backticks (`). To escape reserved keywords in SQL SELECT statements ... enclose
// them in double quotes"), and the two lexers differ:
//   Hive:  '...' and "..." are string literals with backslash escapes (adjacent literals concatenate);
//          `...` is an identifier (`` escapes a backtick); words are [A-Za-z0-9_]+.
//   Trino: '...' is a string literal ('' escapes a quote); "..." is an identifier ("" escapes a quote);
//          words are [A-Za-z_][A-Za-z0-9_@:]*; backticks are an error the parser reports.
// Both skip -- line comments and /* block */ comments. The lexer never fails: an unterminated literal or
// comment becomes a kUnterminated token that the parser reports at its position.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace xacct::sql {

//! Which of Athena's two lexers to imitate.
enum class Dialect { kHive, kTrino };

enum class TokenKind {
  kWord,          //!< a bare word: keyword or unquoted identifier
  kBacktick,      //!< `identifier`
  kDoubleQuoted,  //!< "..." (an identifier in Trino, a string literal in Hive)
  kString,        //!< '...'
  kNumber,        //!< 12, 1.5, .5, 1e3
  kSymbol,        //!< punctuation and operators: ( ) , . ; = < > ? * [ ] and multi-character <= >= <> != || ->
  kUnterminated,  //!< a string, quoted identifier or block comment without its end
  kEnd,           //!< end of input
};

//! One token with its place in the input (line 1-based, column 0-based as Hive counts them).
struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string_view text;  //!< the raw text, quotes included
  std::string value;      //!< unescaped content of quoted tokens; the raw text otherwise
  size_t offset = 0;      //!< byte offset of the first character
  size_t end = 0;         //!< byte offset one past the last character
  int line = 1;
  int column = 0;
};

//! Splits `sql` into tokens, comments and white space dropped; the last token is always kEnd, placed at the
//! end of the input.
std::vector<Token> Tokenize(std::string_view sql, Dialect dialect);

//! ASCII lower-case copy.
std::string ToLower(std::string_view s);

//! ASCII upper-case copy.
std::string ToUpper(std::string_view s);

}  // namespace xacct::sql
