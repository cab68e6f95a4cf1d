// Condition operators, per the IAM User Guide "IAM JSON policy elements: Condition operators" and
// "Single-valued vs. multivalued context keys". Semantics pinned down here:
//  - operators AND together, keys within an operator AND, values of one key OR, values of a negated
//    operator (StringNotEquals, ArnNotLike, NotIpAddress, ...) NOR;
//  - an absent key makes a condition false, except: negated operators are true, ...IfExists is true,
//    Null tests presence, ForAllValues is true, ForAnyValue is false (an empty list counts as absent);
//  - without a set qualifier a multivalued key matches when any of its values does (negated: none does);
//  - a set qualifier on a single-valued key treats its value as a one-element set.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "policy/context.h"
#include "policy/pattern.h"

namespace xacct::policy {

enum class OperatorFamily : uint8_t { kString, kNumeric, kDate, kBool, kBinary, kIp, kArn, kNull };
enum class Comparison : uint8_t { kEquals, kLike, kLess, kLessEquals, kGreater, kGreaterEquals };
enum class SetQualifier : uint8_t { kNone, kForAnyValue, kForAllValues };

struct Operator {
  OperatorFamily family = OperatorFamily::kString;
  Comparison comparison = Comparison::kEquals;
  bool negated = false;
  bool ignore_case = false;
  bool if_exists = false;
  SetQualifier qualifier = SetQualifier::kNone;

  //! Parses "ForAnyValue:StringLikeIfExists" and the like; nullopt for an unknown operator
  //! (NullIfExists included: IAM rejects it).
  static std::optional<Operator> Parse(std::string_view name);
};

//! An IPv4 or IPv6 network in CIDR form (a bare address is a /32 or /128).
struct IpNetwork {
  std::array<uint8_t, 16> bytes{};
  uint8_t prefix = 0;
  bool v6 = false;
  static std::optional<IpNetwork> Parse(std::string_view text);
  bool Contains(const IpNetwork& address) const;
};

//! Parses an IAM date: ISO 8601 (date, date-time with optional fraction and zone) or epoch seconds.
std::optional<double> ParseIamDate(std::string_view text);

//! One condition value, precompiled for its operator family.
struct ConditionValue {
  std::string text;
  Pattern pattern;             //!< kString (and kBool/kBinary: exact)
  std::array<Pattern, 6> arn;  //!< kArn: one pattern per ARN part
  bool arn_split = false;      //!< kArn: false when the value has fewer than six parts
  double number = 0;           //!< kNumeric, kDate (epoch seconds)
  bool valid = true;           //!< false when the value cannot be read for its operator
  IpNetwork network;           //!< kIp
};

struct Condition {
  std::string operator_name;  //!< as written
  std::string key;            //!< as written
  std::string key_lower;
  Operator op;
  std::vector<ConditionValue> values;

  //! Compiles one operator/key/values triple; `variables` enables ${...} in string and ARN values.
  static Condition Make(std::string_view operator_name, Operator op, std::string_view key,
                        const std::vector<std::string>& values, bool variables);
  bool Evaluate(const Context& context) const;

 private:
  bool MatchOne(std::string_view context_value, const ConditionValue& v, const Context& context) const;
  bool AnyValueMatches(std::string_view context_value, const Context& context) const;
};

}  // namespace xacct::policy
