#include "services/s3/public_policy.h"

#include <string_view>

#include "common/arn.h"

namespace xacct::services::s3 {

namespace {

using policy::Comparison;
using policy::Condition;
using policy::ConditionValue;
using policy::OperatorFamily;
using policy::PrincipalEntry;

// How S3 reads a condition key that can hold a wildcard grant to fixed values.
enum class KeyRule : uint8_t {
  kNone,            // not a key S3 accepts: the condition does not make the grant non-public
  kFixed,           // any fixed value
  kSourceIp,        // a CIDR no broader than /8 (IPv4) or /32 (IPv6)
  kUserId,          // a fixed value, or "AROLEID:*" (the sessions of one role)
  kAccessPointArn,  // a wildcard access point name is fixed as long as the account is
};

struct LimitingKey {
  std::string_view key_lower;
  KeyRule rule;
};

// The User Guide's list. The principal-naming keys are its first item ("An AWS principal, user, role, or
// service principal (e.g. aws:PrincipalOrgID)").
constexpr LimitingKey kLimitingKeys[] = {
    {"aws:principalorgid", KeyRule::kFixed},
    {"aws:principalaccount", KeyRule::kFixed},
    {"aws:principalarn", KeyRule::kFixed},
    {"aws:sourceip", KeyRule::kSourceIp},
    {"aws:sourcearn", KeyRule::kFixed},
    {"aws:sourcevpc", KeyRule::kFixed},
    {"aws:sourcevpce", KeyRule::kFixed},
    {"aws:sourceowner", KeyRule::kFixed},
    {"aws:sourceaccount", KeyRule::kFixed},
    {"s3:x-amz-server-side-encryption-aws-kms-key-id", KeyRule::kFixed},
    {"aws:userid", KeyRule::kUserId},
    {"s3:dataaccesspointarn", KeyRule::kAccessPointArn},
    {"s3:dataaccesspointaccount", KeyRule::kFixed},
};

KeyRule RuleFor(std::string_view key_lower) {
  for (const auto& k : kLimitingKeys) {
    if (k.key_lower == key_lower) return k.rule;
  }
  return KeyRule::kNone;
}

bool HasWildcard(std::string_view s) { return s.find_first_of("*?") != std::string_view::npos; }
bool HasVariable(std::string_view s) { return s.find("${") != std::string_view::npos; }
std::string Quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

// "AROLEID:*": a role's unique id, then any session name.
bool IsRoleSessionPattern(std::string_view v) {
  if (!v.ends_with(":*")) return false;
  const std::string_view id = v.substr(0, v.size() - 2);
  return !id.empty() && id.find_first_of("*?:") == std::string_view::npos;
}

// "Values broader than /8 for IPv4 and /32 for IPv6" are public. An IPv4-mapped IPv6 network
// (::ffff:0:0/96 and longer) is read as the IPv4 network it covers.
std::optional<std::string> WhyCidrIsBroad(const policy::IpNetwork& net, std::string_view text) {
  bool v4 = !net.v6;
  int prefix = net.prefix;
  if (net.v6 && net.prefix >= 96) {
    bool mapped = net.bytes[10] == 0xFF && net.bytes[11] == 0xFF;
    for (int i = 0; i < 10; ++i) mapped = mapped && net.bytes[i] == 0;
    if (mapped) {
      v4 = true;
      prefix -= 96;
    }
  }
  if (v4 && prefix < 8) return Quoted(text) + " is broader than /8";
  if (!v4 && prefix < 32) return Quoted(text) + " is broader than /32";
  return std::nullopt;
}

std::optional<std::string> WhyValueIsOpen(const Condition& c, KeyRule rule, const ConditionValue& v) {
  if (HasVariable(v.text)) return Quoted(v.text) + " contains a policy variable";
  switch (c.op.family) {
    case OperatorFamily::kString:
      // StringEquals reads '*' and '?' literally: its values are fixed whatever they contain.
      if (c.op.comparison == Comparison::kEquals) return std::nullopt;
      if (rule == KeyRule::kUserId && IsRoleSessionPattern(v.text)) return std::nullopt;
      if (HasWildcard(v.text)) return Quoted(v.text) + " contains a wildcard";
      return std::nullopt;
    case OperatorFamily::kArn:
      // ArnEquals matches like ArnLike: a wildcard is a wildcard under either.
      if (rule == KeyRule::kAccessPointArn) {
        const auto arn = ArnView::Parse(v.text);
        if (arn && IsAccountId(arn->account)) return std::nullopt;
      }
      if (HasWildcard(v.text)) return Quoted(v.text) + " contains a wildcard";
      return std::nullopt;
    case OperatorFamily::kIp:
      if (!v.valid) return Quoted(v.text) + " is not a CIDR";
      return WhyCidrIsBroad(v.network, v.text);
    case OperatorFamily::kNumeric:
    case OperatorFamily::kDate:
    case OperatorFamily::kBool:
    case OperatorFamily::kBinary:
    case OperatorFamily::kNull:
      break;  // WhyConditionIsOpen turns these away before looking at values
  }
  return c.operator_name + " does not limit the key to values";
}

// Why a statement's Principal is not a set of fixed principals, or nullopt when it is.
std::optional<std::string> WhyPrincipalIsOpen(const policy::PrincipalBlock& principal) {
  if (principal.negated) return "NotPrincipal grants to every principal it does not name";
  for (const auto& e : principal.entries) {
    switch (e.type) {
      case PrincipalEntry::Type::kEveryone:
        return "it grants to the wildcard principal \"*\"";
      case PrincipalEntry::Type::kFederated:
        // The User Guide's first public example: {"Federated": "graph.facebook.com"}.
        return "it grants to the federated principal " + Quoted(e.value) +
               ", which is not a fixed AWS principal, user, role or service principal";
      case PrincipalEntry::Type::kAccount:
      case PrincipalEntry::Type::kUser:
      case PrincipalEntry::Type::kRole:
      case PrincipalEntry::Type::kArn:
      case PrincipalEntry::Type::kService:
      case PrincipalEntry::Type::kCanonicalUser:
        if (HasWildcard(e.value)) return "its principal " + Quoted(e.value) + " contains a wildcard";
        break;
    }
  }
  return std::nullopt;
}

}  // namespace

std::string PublicGrant::Describe() const {
  std::string out = "statement ";
  if (!sid.empty()) out += Quoted(sid) + " ";
  return out + "(Statement[" + std::to_string(index) + "]) is public: " + reason;
}

std::optional<std::string> WhyConditionIsOpen(const Condition& c) {
  const KeyRule rule = RuleFor(c.key_lower);
  const std::string name = c.operator_name + " " + c.key;
  if (rule == KeyRule::kNone) return c.key + " is not a key S3 accepts as limiting access";
  if (c.op.negated) return name + " is negated: it matches every value but the ones it names";
  if (c.op.if_exists) return name + " is true when the key is absent";
  if (c.op.qualifier == policy::SetQualifier::kForAllValues) return name + " is true when the key is absent";
  if (c.op.family != OperatorFamily::kString && c.op.family != OperatorFamily::kArn &&
      c.op.family != OperatorFamily::kIp) {
    return name + " does not limit the key to values";
  }
  if (c.values.empty()) return name + " has no values";
  for (const auto& v : c.values) {
    if (auto why = WhyValueIsOpen(c, rule, v)) return name + ": " + *why;
  }
  return std::nullopt;
}

std::optional<PublicGrant> PublicStatement(const policy::Policy& policy) {
  for (const auto& s : policy.statements) {
    // Deny never grants; a statement without Principal grants no one through a resource policy.
    if (s.effect != policy::Effect::kAllow || !s.principal.present) continue;
    const auto open = WhyPrincipalIsOpen(s.principal);
    if (!open) continue;
    bool limited = false;
    std::optional<std::string> near_miss;  // the first condition on an accepted key that is not fixed
    for (const auto& c : s.conditions) {
      auto why = WhyConditionIsOpen(c);
      if (!why) {
        limited = true;  // conditions AND together: one fixed key holds the whole statement
        break;
      }
      if (!near_miss && RuleFor(c.key_lower) != KeyRule::kNone) near_miss = std::move(why);
    }
    if (limited) continue;
    std::string reason = *open + ", and ";
    reason += near_miss ? *near_miss
                        : "no condition fixes aws:SourceIp, aws:SourceVpc, aws:SourceArn, aws:PrincipalOrgID or "
                          "another key S3 accepts";
    return PublicGrant{s.index, s.sid, std::move(reason)};
  }
  return std::nullopt;
}

}  // namespace xacct::services::s3
