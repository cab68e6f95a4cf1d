// Lexer for Athena's Hive (DDL) and Trino (DML) dialects; see tokenizer.h for the rules followed.
#include "sql/tokenizer.h"

#include <cctype>

namespace xacct::sql {

namespace {

bool IsAlpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// Hive's unescapeSQLString: \0 \b \n \r \t \Z (ctrl-Z) \\ \' \" and any other escaped character as itself.
char HiveUnescape(char c) {
  switch (c) {
    case '0':
      return '\0';
    case 'b':
      return '\b';
    case 'n':
      return '\n';
    case 'r':
      return '\r';
    case 't':
      return '\t';
    case 'Z':
      return '\x1a';
    default:
      return c;
  }
}

class Lexer {
 public:
  Lexer(std::string_view sql, Dialect dialect) : sql_(sql), dialect_(dialect) {}

  std::vector<Token> Run() {
    std::vector<Token> out;
    while (true) {
      SkipSpaceAndComments();
      if (pos_ >= sql_.size()) break;
      out.push_back(Next());
    }
    Token end;
    end.kind = TokenKind::kEnd;
    end.text = "<EOF>";
    end.value = "<EOF>";
    end.offset = end.end = sql_.size();
    end.line = line_;
    end.column = static_cast<int>(pos_ - line_start_);
    out.push_back(std::move(end));
    return out;
  }

 private:
  char At(size_t i) const { return i < sql_.size() ? sql_[i] : '\0'; }

  void Advance() {
    if (sql_[pos_] == '\n') {
      ++line_;
      line_start_ = pos_ + 1;
    }
    ++pos_;
  }

  void SkipSpaceAndComments() {
    while (pos_ < sql_.size()) {
      const char c = sql_[pos_];
      if (IsSpace(c)) {
        Advance();
      } else if (c == '-' && At(pos_ + 1) == '-') {
        while (pos_ < sql_.size() && sql_[pos_] != '\n') Advance();
      } else if (c == '/' && At(pos_ + 1) == '*') {
        // An unterminated block comment is left for Next() to report.
        const size_t close = sql_.find("*/", pos_ + 2);
        if (close == std::string_view::npos) return;
        while (pos_ < close + 2) Advance();
      } else {
        return;
      }
    }
  }

  Token Start() const {
    Token t;
    t.offset = pos_;
    t.line = line_;
    t.column = static_cast<int>(pos_ - line_start_);
    return t;
  }

  void Finish(Token& t) const {
    t.end = pos_;
    t.text = sql_.substr(t.offset, pos_ - t.offset);
    if (t.kind != TokenKind::kBacktick && t.kind != TokenKind::kDoubleQuoted && t.kind != TokenKind::kString) {
      t.value = std::string(t.text);
    }
  }

  Token Next() {
    Token t = Start();
    const char c = sql_[pos_];
    if (c == '/' && At(pos_ + 1) == '*') {
      while (pos_ < sql_.size()) Advance();
      t.kind = TokenKind::kUnterminated;
    } else if (c == '\'' || (c == '"' && dialect_ == Dialect::kHive)) {
      if (dialect_ == Dialect::kHive) {
        LexHiveString(t);
      } else {
        LexQuoted(t, '\'', TokenKind::kString);
      }
    } else if (c == '"') {
      LexQuoted(t, '"', TokenKind::kDoubleQuoted);
    } else if (c == '`') {
      LexQuoted(t, '`', TokenKind::kBacktick);
    } else if (IsDigit(c) || (c == '.' && IsDigit(At(pos_ + 1)))) {
      LexNumber(t);
    } else if (IsAlpha(c) || c == '_') {
      t.kind = TokenKind::kWord;
      while (pos_ < sql_.size() && IsWordChar(sql_[pos_])) Advance();
    } else {
      t.kind = TokenKind::kSymbol;
      static constexpr std::string_view kTwo[] = {"<=", ">=", "<>", "!=", "||", "->", "=>"};
      bool two = false;
      for (std::string_view op : kTwo) {
        if (sql_.substr(pos_, 2) == op) two = true;
      }
      Advance();
      if (two) Advance();
    }
    Finish(t);
    return t;
  }

  bool IsWordChar(char c) const {
    if (IsAlpha(c) || IsDigit(c) || c == '_') return true;
    return dialect_ == Dialect::kTrino && (c == '@' || c == ':');
  }

  // A quoted token whose quote character is escaped by doubling it.
  void LexQuoted(Token& t, char quote, TokenKind kind) {
    t.kind = kind;
    Advance();
    while (pos_ < sql_.size()) {
      if (sql_[pos_] == quote) {
        if (At(pos_ + 1) != quote) {
          Advance();
          return;
        }
        Advance();
      }
      t.value.push_back(sql_[pos_]);
      Advance();
    }
    t.kind = TokenKind::kUnterminated;
  }

  // Hive: 'x' or "x" with backslash escapes; literals separated only by white space concatenate.
  void LexHiveString(Token& t) {
    t.kind = TokenKind::kString;
    while (true) {
      const char quote = sql_[pos_];
      Advance();
      bool closed = false;
      while (pos_ < sql_.size()) {
        const char c = sql_[pos_];
        if (c == quote) {
          Advance();
          closed = true;
          break;
        }
        if (c == '\\' && pos_ + 1 < sql_.size()) {
          Advance();
          t.value.push_back(HiveUnescape(sql_[pos_]));
        } else {
          t.value.push_back(c);
        }
        Advance();
      }
      if (!closed) {
        t.kind = TokenKind::kUnterminated;
        return;
      }
      const char next = At(pos_);
      if (next != '\'' && next != '"') return;
    }
  }

  void LexNumber(Token& t) {
    t.kind = TokenKind::kNumber;
    while (IsDigit(At(pos_))) Advance();
    if (At(pos_) == '.') {
      Advance();
      while (IsDigit(At(pos_))) Advance();
    }
    if ((At(pos_) == 'e' || At(pos_) == 'E') &&
        (IsDigit(At(pos_ + 1)) || ((At(pos_ + 1) == '+' || At(pos_ + 1) == '-') && IsDigit(At(pos_ + 2))))) {
      Advance();
      Advance();
      while (IsDigit(At(pos_))) Advance();
    }
    // Hive identifiers may start with a digit (e.g. a column named 1st_col).
    if (dialect_ == Dialect::kHive && (IsAlpha(At(pos_)) || At(pos_) == '_') &&
        sql_.substr(t.offset, pos_ - t.offset).find('.') == std::string_view::npos) {
      t.kind = TokenKind::kWord;
      while (pos_ < sql_.size() && IsWordChar(sql_[pos_])) Advance();
    }
  }

  std::string_view sql_;
  Dialect dialect_;
  size_t pos_ = 0;
  int line_ = 1;
  size_t line_start_ = 0;
};

}  // namespace

std::vector<Token> Tokenize(std::string_view sql, Dialect dialect) { return Lexer(sql, dialect).Run(); }

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string ToUpper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace xacct::sql
