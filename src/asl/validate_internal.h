// Internal to the validator: the diagnostics collector and the field readers shared by validate*.cpp.
#pragma once

#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "asl/definition.h"
#include "asl/interpreter.h"

namespace xacct::asl::detail {

inline constexpr const char* kSchema = "SCHEMA_VALIDATION_FAILED";

//! Collects diagnostics and reads typed fields out of JSON objects, reporting what is wrong in AWS's words.
class Checker {
 public:
  explicit Checker(const ValidateOptions& options) : options_(options) {}

  void Error(std::string code, std::string message, std::string location);
  void Schema(std::string message, std::string location) { Error(kSchema, std::move(message), std::move(location)); }
  const ValidateOptions& options() const { return options_; }
  std::vector<Diagnostic>& diagnostics() { return diagnostics_; }
  bool has_errors() const;

  //! "Field 'X' is not supported" for every member of `o` not in `allowed`.
  void AllowOnly(const json::object& o, std::initializer_list<std::string_view> allowed, const std::string& at);
  //! "These fields are required: [..]" for the members of `required` missing from `o`; true when none is.
  bool Require(const json::object& o, std::initializer_list<std::string_view> required, const std::string& at);

  std::optional<std::string> String(const json::object& o, std::string_view key, const std::string& at);
  std::optional<bool> Bool(const json::object& o, std::string_view key, const std::string& at);
  //! An integer in [min, max]; the error names the field and the bound it breaks.
  std::optional<int64_t> Integer(const json::object& o, std::string_view key, const std::string& at, int64_t min,
                                 int64_t max);
  std::optional<double> Number(const json::object& o, std::string_view key, const std::string& at, double min);
  //! A path field: `reference` demands a reference path, `allow_context` a `$$` path; `nullable` allows JSON null.
  PathField Path(const json::object& o, std::string_view key, const std::string& at, bool reference, bool nullable,
                 bool allow_context);
  std::optional<JsonPath> PathOnly(const json::object& o, std::string_view key, const std::string& at,
                                   bool allow_context);
  //! A payload template (object), checked with ValidateTemplate.
  Template ParseTemplate(const json::object& o, std::string_view key, const std::string& at);

  //! Every state name seen so far in the whole definition (names are unique across all scopes).
  std::unordered_map<std::string, std::string>& names() { return names_; }

 private:
  ValidateOptions options_;
  std::vector<Diagnostic> diagnostics_;
  std::unordered_map<std::string, std::string> names_;
};

//! "/States/X" + "/Next".
inline std::string At(const std::string& base, std::string_view field) { return base + "/" + std::string(field); }

//! A JSON type name for messages: "STRING", "INTEGER", ...
const char* TypeWord(const json::value& v);

//! Parses a scope (the top level, a branch, a processor) found at `at` ("" for the top level).
std::shared_ptr<StateMachine> ParseMachine(Checker& checker, const json::value& v, const std::string& at,
                                           bool processor);
//! Parses one state into `state` (name and location already set).
void ParseState(Checker& checker, const json::object& o, State& state);
//! Parses one Choice rule; `top` rules carry Next, nested ones must not.
bool ParseChoiceRule(Checker& checker, const json::value& v, const std::string& at, bool top, ChoiceRule& rule,
                     bool& uses_context);
//! Resolves transitions, checks reachability and terminal states of a parsed scope and its nested scopes.
void CheckGraph(Checker& checker, StateMachine& machine, const std::string& at);

//! RFC 3339 timestamp ("2016-03-14T01:59:00Z", fractions and offsets allowed) as nanoseconds since the epoch.
std::optional<int64_t> ParseTimestamp(std::string_view text);

//! True when any string in `v` mentions the context object (`$$`).
bool MentionsContext(const json::value& v);

}  // namespace xacct::asl::detail
