// The syntax trees behind expressions.h's Condition, Update and Projection, the tokenizer and parser that build
// them, and the attribute-value helpers the evaluator shares with attribute_value.cpp.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "services/dynamodb/expressions.h"

namespace xacct::services::dynamodb {

inline constexpr std::string_view kNumberOverflow =
    "Number overflow. Attempting to store a number with magnitude larger than supported range";
inline constexpr std::string_view kNumberUnderflow =
    "Number underflow. Attempting to store a number with magnitude smaller than supported range";
inline constexpr std::string_view kTooManyDigits = "Attempting to store more than 38 significant digits in a Number";

// DynamoDB's expression limits (Developer Guide, "Quotas": "Expression parameters"): 4 KB of text, 300 operators or
// functions, document paths of 32 levels.
inline constexpr size_t kMaxExpressionBytes = 4096;
inline constexpr int kMaxOperators = 300;
inline constexpr size_t kMaxPathLevels = 32;
//! xacct's own bound on nested parentheses and function calls, so that no text within 4 KB recurses deeply (2,000
//! levels overflowed the stack). A meaningful level holds an operator or a function, so an expression within
//! DynamoDB's 300 operators needs no deeper nesting. DynamoDB's message for this case is not known; xacct's follows
//! its wording for deep document paths.
inline constexpr int kMaxNesting = kMaxOperators;

// ---- attribute-value helpers (attribute_value.cpp) ----

//! -1, 0 or 1 comparing two canonical numbers by value.
int CompareNumbers(std::string_view a, std::string_view b);
//! The bytes of a base64 B or BS member.
std::string DecodedBytes(std::string_view base64);
//! Sorts a set's members as DynamoDB returns them: SS and BS by bytes, NS by value.
void SortSet(std::string_view type, json::array& members);

//! Whether `word` is one of DynamoDB's reserved words (case-insensitive; reserved_words.cpp).
bool IsReservedWord(std::string_view word);

// ---- syntax trees ----

//! One step of a document path: a map member or attribute name, or a list index.
struct PathElement {
  std::string name;    //!< resolved name (placeholders replaced once resolved)
  std::string raw;     //!< as written: "a" or "#n"
  int64_t index = -1;  //!< >= 0 for "[n]"
  bool IsIndex() const { return index >= 0; }
};
using Path = std::vector<PathElement>;

//! "[a, b, [2]]", as DynamoDB names paths in messages.
std::string PathString(const Path& path);

//! An operand: a document path, a value placeholder, a function call or + / -.
struct Operand {
  enum class Kind { kPath, kValue, kFunction, kPlus, kMinus };
  Kind kind = Kind::kPath;
  Path path;                  //!< kPath
  std::string placeholder;    //!< kValue: ":v"
  json::value value;          //!< kValue, once resolved
  std::string function;       //!< kFunction: "size", "if_not_exists", "list_append", ...
  std::vector<Operand> args;  //!< kFunction arguments; kPlus/kMinus left and right
  size_t token = 0;           //!< the first token, for messages
};

//! A condition: OR/AND/NOT over comparisons, BETWEEN, IN and boolean functions.
struct CondNode {
  enum class Kind { kOr, kAnd, kNot, kCompare, kBetween, kIn, kFunction };
  Kind kind = Kind::kCompare;
  std::string op;                  //!< comparator ("=", "<>", ...) or function name
  std::vector<CondNode> children;  //!< kOr, kAnd (two), kNot (one)
  std::vector<Operand> operands;   //!< kCompare (two), kBetween (three), kIn (1 + list), kFunction (args)
  bool parenthesized = false;      //!< written as "( ... )", for the redundant-parentheses check
};

//! One action of an update expression.
struct UpdateAction {
  enum class Kind { kSet, kRemove, kAdd, kDelete };
  Kind kind = Kind::kSet;
  Path path;
  Operand value;  //!< kSet: the value; kAdd/kDelete: the value placeholder
};

struct Node {
  CondNode condition;                 //!< Condition
  std::vector<UpdateAction> actions;  //!< Update
  std::vector<Path> paths;            //!< Projection
};

//! The value at `path` in `item`, or nullptr.
const json::value* Lookup(const Item& item, const Path& path);

// ---- tokens and parsing (expression_parser.cpp) ----

struct Token {
  enum class Kind { kName, kNamePlaceholder, kValuePlaceholder, kNumber, kSymbol, kEnd };
  Kind kind = Kind::kEnd;
  std::string text;
  size_t begin = 0, end = 0;  //!< byte offsets in the expression
};

//! Splits an expression into tokens; characters that start no token become one-character symbols, which the
//! parser then refuses as a syntax error.
std::vector<Token> Tokenize(std::string_view text);

//! Parses one expression of kind `what` ("ConditionExpression", "UpdateExpression", ...): first the syntax,
//! then DynamoDB's semantic checks (reserved words, functions, placeholders, operand types), each error as
//! "Invalid <what>: ...".
class Parser {
 public:
  Parser(std::string_view text, std::string_view what, ExpressionInputs& inputs);

  Result<CondNode> ParseCondition();
  Result<std::vector<UpdateAction>> ParseUpdate();
  Result<std::vector<Path>> ParseProjection();

  AwsError Error(std::string_view message) const;

 private:
  // Syntax (the first problem ends the parse).
  const Token& Peek(size_t ahead = 0) const;
  bool AtKeyword(std::string_view word) const;
  bool AtSymbol(std::string_view symbol) const;
  AwsError SyntaxError() const;
  Result<Path> ParsePath();
  Result<Operand> ParseOperand(bool update);
  Result<Operand> ParseSetValue();
  Result<CondNode> ParseOr();
  Result<CondNode> ParseAnd();
  Result<CondNode> ParseNot();
  Result<CondNode> ParsePrimary();
  Result<CondNode> ParseComparison();
  Status ExpectSymbol(std::string_view symbol);
  Status CheckNotEmpty() const;

  // Limits: an error from one of these ends the parse whatever alternative ParsePrimary is trying.
  Status CheckSize() const;
  AwsError LimitError(std::string message);
  Status CountOperator();
  Status Enter();  //!< one more level of parentheses or function call; Leave() when it is parsed
  void Leave() { --nesting_; }

  //! The checks found while parsing, in the order DynamoDB reports them.
  enum Rank { kRedundantParens = 0, kUnknownFunction = 1, kMisusedFunction = 2, kReserved = 3, kSection = 4 };

  // Semantics, after the syntax is known to be good (expression_semantics.cpp).
  void Defer(int rank, std::string message);
  Status DeferredError() const;
  void NoteReserved(const Path& path);
  Status Resolve(Path& path);
  Status Resolve(Operand& operand);
  Status CheckCondition(CondNode& node);
  Status CheckFunction(CondNode& node);
  Status CheckUpdateOperand(Operand& operand);
  Status CheckUpdate(std::vector<UpdateAction>& actions);
  Status CheckProjection(std::vector<Path>& paths);

  std::string_view text_;
  std::string what_;
  ExpressionInputs& inputs_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  mutable size_t error_pos_ = 0;                       //!< where the last syntax error was found
  int operators_ = 0;                                  //!< operators and functions parsed so far
  int nesting_ = 0;                                    //!< parentheses and function calls open
  std::optional<AwsError> limit_error_;                //!< a limit exceeded: the parse's outcome
  std::vector<std::pair<int, std::string>> deferred_;  //!< (rank, message): the lowest rank is reported
};

}  // namespace xacct::services::dynamodb
