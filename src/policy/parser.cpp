#include "policy/parser.h"

#include <set>

#include "common/arn.h"

namespace xacct::policy {

namespace {

constexpr std::string_view kSyntax = "Syntax errors in policy.";

AwsError Malformed(std::string_view message, std::string detail) {
  AwsError e = AwsError::Client("MalformedPolicyDocument", std::string(message));
  e.detail = std::move(detail);
  return e;
}

std::string Where(const json::object& statement, size_t index) {
  std::string where = "Statement[" + std::to_string(index) + "]";
  if (const auto* sid = statement.if_contains("Sid"); sid != nullptr && sid->is_string()) {
    where += " (Sid \"" + std::string(JsonString(*sid)) + "\")";
  }
  return where;
}

// A JSON scalar as IAM reads it in a condition: strings as they are, numbers and booleans as text.
bool ScalarText(const json::value& v, std::string* out) {
  if (v.is_string()) {
    *out = std::string(JsonString(v));
  } else if (v.is_bool()) {
    *out = v.as_bool() ? "true" : "false";
  } else if (v.is_int64()) {
    *out = std::to_string(v.as_int64());
  } else if (v.is_uint64()) {
    *out = std::to_string(v.as_uint64());
  } else if (v.is_double()) {
    *out = json::serialize(v);
  } else {
    return false;
  }
  return true;
}

// A string or a list of strings (Action, Resource, principal values).
bool StringList(const json::value& v, std::vector<std::string>* out) {
  if (v.is_string()) {
    out->emplace_back(JsonString(v));
    return true;
  }
  const auto* array = v.if_array();
  if (array == nullptr) return false;
  for (const auto& item : *array) {
    if (!item.is_string()) return false;
    out->emplace_back(JsonString(item));
  }
  return true;
}

class StatementParser {
 public:
  StatementParser(const ParseOptions& options, bool variables) : options_(options), variables_(variables) {}

  Result<Statement> Parse(const json::value& value, size_t index) {
    const auto* object = value.if_object();
    if (object == nullptr) return Malformed(kSyntax, "Statement[" + std::to_string(index) + "] is not an object");
    where_ = Where(*object, index);
    Statement s;
    s.index = static_cast<uint32_t>(index);
    for (const auto& [key, field] : *object) {
      if (key != "Sid" && key != "Effect" && key != "Principal" && key != "NotPrincipal" && key != "Action" &&
          key != "NotAction" && key != "Resource" && key != "NotResource" && key != "Condition") {
        return Malformed(kSyntax, where_ + ": unknown field \"" + std::string(key) + "\"");
      }
    }
    if (const auto* sid = object->if_contains("Sid")) {
      if (!sid->is_string()) return Malformed(kSyntax, where_ + ": Sid must be a string");
      s.sid = std::string(JsonString(*sid));
      const bool iam = options_.kind == PolicyKind::kIdentity || options_.kind == PolicyKind::kTrust;
      if (options_.strict && iam &&
          s.sid.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") !=
              std::string::npos) {
        return Malformed(
            "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular "
            "expression [0-9A-Za-z]*",
            where_ + ": Sid \"" + s.sid + "\"");
      }
    }
    if (auto status = ParseEffect(*object, &s); !status) return status.error();
    if (auto status = ParsePrincipal(*object, &s); !status) return status.error();
    if (auto status = ParseActions(*object, &s); !status) return status.error();
    if (auto status = ParseResources(*object, &s); !status) return status.error();
    if (auto status = ParseConditions(*object, &s); !status) return status.error();
    s.BuildPrefilter();
    return s;
  }

 private:
  // The element `name` or its Not- form, at most one of them; nullptr when neither is present.
  Result<const json::value*> ElementOrNot(const json::object& o, const std::string& name, bool* negated) {
    const auto* plain = o.if_contains(name);
    const auto* negative = o.if_contains("Not" + name);
    if (plain != nullptr && negative != nullptr) {
      return Malformed(kSyntax, where_ + ": " + name + " and Not" + name + " cannot both be present");
    }
    *negated = negative != nullptr;
    return plain != nullptr ? plain : negative;
  }

  Status ParseEffect(const json::object& o, Statement* s) {
    const auto* effect = o.if_contains("Effect");
    if (effect == nullptr) return Malformed(kSyntax, where_ + ": missing field Effect");
    const std::string_view e = JsonString(*effect);
    if (e == "Allow") {
      s->effect = Effect::kAllow;
    } else if (e == "Deny") {
      s->effect = Effect::kDeny;
    } else if (EqualsIgnoreCase(e, "allow") || EqualsIgnoreCase(e, "deny")) {
      return Malformed("The policy failed legacy parsing", where_ + ": Effect must be \"Allow\" or \"Deny\"");
    } else {
      return Malformed(kSyntax, where_ + ": Effect must be \"Allow\" or \"Deny\"");
    }
    if (options_.kind == PolicyKind::kRcp && s->effect == Effect::kAllow) {
      // Custom RCPs may only deny; RCPFullAWSAccess is AWS's own and is not parsed from a document.
      return Malformed(kSyntax, where_ + ": a resource control policy can only have Deny statements");
    }
    return Ok{};
  }

  Status ParsePrincipal(const json::object& o, Statement* s) {
    const bool forbidden = options_.kind == PolicyKind::kIdentity || options_.kind == PolicyKind::kScp;
    const bool required = options_.kind == PolicyKind::kResource || options_.kind == PolicyKind::kTrust ||
                          options_.kind == PolicyKind::kRcp;
    bool negated = false;
    auto element = ElementOrNot(o, "Principal", &negated);
    if (!element) return element.error();
    const json::value* block = *element;
    if (block == nullptr) {
      if (required) return Malformed("Missing required field Principal", where_ + ": Principal is required");
      return Ok{};
    }
    if (forbidden) {
      return Malformed("Policy document should not specify a principal.",
                       where_ + ": identity-based policies and SCPs have no Principal");
    }
    s->principal.present = true;
    s->principal.negated = negated;
    const std::string field = negated ? "NotPrincipal" : "Principal";
    if (block->is_string()) {
      if (JsonString(*block) != "*") {
        return Malformed("Invalid principal in policy: \"" + std::string(JsonString(*block)) + "\"",
                         where_ + ": " + field + " must be \"*\" or an object");
      }
      s->principal.entries.push_back({PrincipalEntry::Type::kEveryone, "*", "", ""});
      return Ok{};
    }
    const auto* object = block->if_object();
    if (object == nullptr || object->empty()) {
      return Malformed(kSyntax, where_ + ": " + field + " must be \"*\" or an object");
    }
    for (const auto& member : *object) {
      const std::string type(member.key());
      const json::value& values = member.value();
      std::vector<std::string> list;
      if (!StringList(values, &list) || list.empty()) {
        return Malformed(kSyntax, where_ + ": " + field + "." + type + " must be a string or a list");
      }
      for (const auto& v : list) {
        auto invalid = [&] {
          return Malformed("Invalid principal in policy: \"" + type + "\":\"" + v + "\"",
                           where_ + ": " + field + " names \"" + v + "\", which is not a valid principal");
        };
        if (type == "AWS") {
          auto entry = ParseAwsPrincipal(v);
          if (!entry) return invalid();
          // "You cannot use a wildcard to match part of a principal name or ARN" (IAM User Guide).
          if (options_.strict && v != "*" && v.find_first_of("*?") != std::string::npos) return invalid();
          s->principal.entries.push_back(std::move(*entry));
        } else if (type == "Service") {
          if (v.empty()) return invalid();
          s->principal.entries.push_back(
              {v == "*" ? PrincipalEntry::Type::kEveryone : PrincipalEntry::Type::kService, v, "", ""});
        } else if (type == "Federated") {
          s->principal.entries.push_back({PrincipalEntry::Type::kFederated, v, "", ""});
        } else if (type == "CanonicalUser") {
          s->principal.entries.push_back({PrincipalEntry::Type::kCanonicalUser, v, "", ""});
        } else {
          return invalid();
        }
      }
    }
    return Ok{};
  }

  Status ParseActions(const json::object& o, Statement* s) {
    auto element = ElementOrNot(o, "Action", &s->not_action);
    if (!element) return element.error();
    const json::value* block = *element;
    std::vector<std::string> list;
    if (block == nullptr) return Malformed("Policy statement must contain actions.", where_ + ": no Action");
    if (!StringList(*block, &list)) return Malformed(kSyntax, where_ + ": Action must be a string or a list");
    if (list.empty()) return Malformed("Policy statement must contain actions.", where_ + ": Action is empty");
    for (const auto& a : list) {
      ActionPattern p;
      if (a == "*") {
        p.any = true;
        s->actions.push_back(std::move(p));
        continue;
      }
      const auto colon = a.find(':');
      if (colon == std::string::npos || colon == 0) {
        return Malformed("Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.",
                         where_ + ": action \"" + a + "\" has no service prefix");
      }
      if (a.find(':', colon + 1) != std::string::npos) {
        return Malformed("Actions/Condition can contain only one colon.", where_ + ": action \"" + a + "\"");
      }
      const std::string_view vendor = std::string_view(a).substr(0, colon);
      if (vendor.find_first_of("*?") != std::string_view::npos) {
        return Malformed("Action vendors (e.g., aws, ec2, etc.) must not contain wildcards",
                         where_ + ": action \"" + a + "\"");
      }
      const Pattern::Options options{.wildcards = true, .variables = false, .lowercase = true};
      p.service_hash = ServiceHash(AsciiLower(vendor));
      p.name = Pattern::Compile(std::string_view(a).substr(colon + 1), options);
      s->actions.push_back(std::move(p));
    }
    return Ok{};
  }

  Status ParseResources(const json::object& o, Statement* s) {
    auto element = ElementOrNot(o, "Resource", &s->not_resource);
    if (!element) return element.error();
    const json::value* block = *element;
    if (block == nullptr) {
      if (options_.kind == PolicyKind::kTrust || options_.kind == PolicyKind::kAny) return Ok{};
      return Malformed("Policy statement must contain resources.", where_ + ": no Resource");
    }
    if (options_.kind == PolicyKind::kTrust) {
      return Malformed("Has prohibited field Resource", where_ + ": a role trust policy has no Resource");
    }
    std::vector<std::string> list;
    if (!StringList(*block, &list)) return Malformed(kSyntax, where_ + ": Resource must be a string or a list");
    if (list.empty()) return Malformed("Policy statement must contain resources.", where_ + ": Resource is empty");
    s->has_resource = true;
    for (const auto& r : list) {
      if (r != "*" && !ArnView::Parse(r)) {
        return Malformed("Resource " + r + " must be in ARN format or \"*\".",
                         where_ + ": resource \"" + r + "\" is not an ARN");
      }
      s->resources.push_back(ResourcePattern::Compile(r, variables_));
    }
    return Ok{};
  }

  Status ParseConditions(const json::object& o, Statement* s) {
    const auto* block = o.if_contains("Condition");
    if (block == nullptr) return Ok{};
    const auto* operators = block->if_object();
    if (operators == nullptr) return Malformed(kSyntax, where_ + ": Condition must be an object");
    for (const auto& [name, keys] : *operators) {
      const auto op = Operator::Parse(name);
      if (!op) {
        return Malformed(kSyntax, where_ + ": \"" + std::string(name) + "\" is not a condition operator");
      }
      const auto* key_object = keys.if_object();
      if (key_object == nullptr || key_object->empty()) {
        return Malformed(kSyntax, where_ + ": Condition operator " + std::string(name) + " needs an object of keys");
      }
      for (const auto& [key, raw] : *key_object) {
        if (key.empty()) return Malformed(kSyntax, where_ + ": empty condition key");
        std::vector<std::string> values;
        std::string text;
        if (const auto* array = raw.if_array()) {
          for (const auto& item : *array) {
            if (!ScalarText(item, &text)) {
              return Malformed(kSyntax, where_ + ": condition " + std::string(name) + " " + std::string(key) +
                                            " has a value that is not a string, number or boolean");
            }
            values.push_back(text);
          }
        } else if (ScalarText(raw, &text)) {
          values.push_back(text);
        } else {
          return Malformed(kSyntax, where_ + ": condition " + std::string(name) + " " + std::string(key) +
                                        " has a value that is not a string, number or boolean");
        }
        s->conditions.push_back(Condition::Make(name, *op, key, values, variables_));
      }
    }
    return Ok{};
  }

  const ParseOptions& options_;
  bool variables_;
  std::string where_;
};

}  // namespace

Result<Policy> ParsePolicy(std::string_view text, const ParseOptions& options) {
  auto document = ParseJson(text);
  if (!document) return Malformed(kSyntax, document.error().message);
  // JSON parsers keep one of two duplicate keys; IAM rejects the document.
  if (options.strict) {
    if (auto key = FindDuplicateKey(text))
      return Malformed(kSyntax, "the key \"" + *key + "\" appears twice in one object");
  }
  return ParsePolicyDocument(*document, options);
}

Result<Policy> ParsePolicyDocument(const json::value& document, const ParseOptions& options) {
  const auto* root = document.if_object();
  if (root == nullptr) return Malformed(kSyntax, "the policy document is not a JSON object");
  for (const auto& [key, value] : *root) {
    if (key != "Version" && key != "Id" && key != "Statement") {
      return Malformed(kSyntax, "unknown top-level field \"" + std::string(key) + "\"");
    }
  }
  Policy policy;
  policy.label = options.label;
  policy.version = "2008-10-17";  // IAM's default when Version is absent
  if (const auto* version = root->if_contains("Version")) {
    const std::string_view v = JsonString(*version);
    if (v != "2012-10-17" && v != "2008-10-17") {
      return Malformed(kSyntax, "Version must be \"2012-10-17\" or \"2008-10-17\"");
    }
    policy.version = std::string(v);
  }
  if (const auto* id = root->if_contains("Id")) {
    if (!id->is_string()) return Malformed(kSyntax, "Id must be a string");
    policy.id = std::string(JsonString(*id));
  }
  const auto* statements = root->if_contains("Statement");
  if (statements == nullptr) return Malformed(kSyntax, "missing field Statement");
  // Policy variables exist only in version 2012-10-17; in 2008-10-17 "${...}" is literal text.
  StatementParser parser(options, policy.version == "2012-10-17");
  std::set<std::string> sids;
  auto add = [&](const json::value& v, size_t index) -> Status {
    auto statement = parser.Parse(v, index);
    if (!statement) return statement.error();
    if (!statement->sid.empty() && !sids.insert(statement->sid).second) {
      return Malformed("Statement IDs (SID) in a single policy must be unique.",
                       "Sid \"" + statement->sid + "\" appears twice");
    }
    policy.statements.push_back(std::move(*statement));
    return Ok{};
  };
  if (const auto* list = statements->if_array()) {
    if (list->empty()) return Malformed(kSyntax, "Statement is empty");
    for (size_t i = 0; i < list->size(); ++i) {
      if (auto status = add((*list)[i], i); !status) return status.error();
    }
  } else if (statements->is_object()) {
    if (auto status = add(*statements, 0); !status) return status.error();
  } else {
    return Malformed(kSyntax, "Statement must be an object or a list of objects");
  }
  policy.BuildIndex();
  return policy;
}

size_t PolicySize(std::string_view text) {
  size_t n = 0;
  for (const char c : text) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') ++n;
  }
  return n;
}

Status CheckPolicySize(std::string_view text, size_t limit, std::string_view quota_name) {
  if (PolicySize(text) <= limit) return Ok{};
  AwsError e = AwsError::Client(
      "LimitExceeded", "Cannot exceed quota for " + std::string(quota_name) + ": " + std::to_string(limit), 409);
  e.detail = "the document has " + std::to_string(PolicySize(text)) + " characters without white space";
  return e;
}

}  // namespace xacct::policy
