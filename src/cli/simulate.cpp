#include "cli/simulate.h"

#include <deque>
#include <optional>

#include "policy/evaluator.h"
#include "policy/explain.h"
#include "policy/parser.h"

namespace xacct::cli {

namespace {

using policy::Policy;
using policy::PolicyKind;

// Holds the compiled policies of one case; PolicySet borrows pointers into it.
struct CaseInput {
  std::deque<Policy> storage;
  policy::Request request;
  policy::PolicySet set;
};

AwsError CaseError(std::string message) { return AwsError::Client("InvalidCase", std::move(message)); }

Result<const Policy*> Compile(CaseInput* in, const json::value& doc, PolicyKind kind, const std::string& label) {
  auto parsed = policy::ParsePolicyDocument(doc, {.kind = kind, .label = label, .strict = false});
  if (!parsed) {
    AwsError e = parsed.error();
    e.message = label + ": " + e.code + ": " + e.message + (e.detail.empty() ? "" : " (" + e.detail + ")");
    return e;
  }
  in->storage.push_back(std::move(*parsed));
  return &in->storage.back();
}

// Reads a nullable policy field: nullptr for absent or null.
Result<const Policy*> Optional(CaseInput* in, const json::object& c, const char* field, PolicyKind kind) {
  const auto* v = c.if_contains(field);
  if (v == nullptr || v->is_null()) return static_cast<const Policy*>(nullptr);
  return Compile(in, *v, kind, field);
}

Status Levels(CaseInput* in, const json::object& c, const char* field, PolicyKind kind,
              std::vector<std::vector<const Policy*>>* out) {
  const auto* v = c.if_contains(field);
  if (v == nullptr || v->is_null()) return Ok{};
  const auto* levels = v->if_array();
  if (levels == nullptr) return CaseError(std::string(field) + " must be an array of arrays of policies");
  for (size_t l = 0; l < levels->size(); ++l) {
    const auto* level = (*levels)[l].if_array();
    if (level == nullptr) return CaseError(std::string(field) + "[" + std::to_string(l) + "] must be an array");
    auto& compiled = out->emplace_back();
    for (size_t i = 0; i < level->size(); ++i) {
      auto p =
          Compile(in, (*level)[i], kind, std::string(field) + "[" + std::to_string(l) + "][" + std::to_string(i) + "]");
      if (!p) return p.error();
      compiled.push_back(*p);
    }
  }
  return Ok{};
}

Status ReadContext(const json::value* v, policy::Context* context) {
  if (v == nullptr || v->is_null()) return Ok{};
  const auto* object = v->if_object();
  if (object == nullptr) return CaseError("request.context must be an object");
  auto text = [](const json::value& x, std::string* out) {
    if (x.is_string()) {
      *out = std::string(JsonString(x));
    } else if (x.is_bool()) {
      *out = x.as_bool() ? "true" : "false";
    } else if (x.is_number()) {
      *out = json::serialize(x);
    } else {
      return false;
    }
    return true;
  };
  for (const auto& [key, value] : *object) {
    std::string s;
    if (const auto* array = value.if_array()) {
      std::vector<std::string> values;
      for (const auto& item : *array) {
        if (!text(item, &s)) return CaseError("request.context." + std::string(key) + " has a non-string value");
        values.push_back(s);
      }
      context->SetMulti(key, std::move(values));
    } else if (text(value, &s)) {
      context->Set(key, s);
    } else {
      return CaseError("request.context." + std::string(key) + " must be a string or an array of strings");
    }
  }
  return Ok{};
}

Status ReadCase(const json::object& c, CaseInput* in) {
  const auto* request = c.if_contains("request");
  if (request == nullptr || !request->is_object()) return CaseError("the case has no request object");
  const auto& r = request->as_object();
  const auto* principal = r.if_contains("principal");
  std::optional<std::string> caller;
  if (principal != nullptr && !principal->is_null()) {
    if (!principal->is_string()) return CaseError("request.principal must be a string or null");
    caller = std::string(JsonString(*principal));
  }
  const auto* action = r.if_contains("action");
  const auto* resource = r.if_contains("resource");
  if (action == nullptr || !action->is_string()) return CaseError("request.action must be a string");
  if (resource == nullptr || !resource->is_string()) return CaseError("request.resource must be a string");
  in->request.caller = policy::Caller::From(caller);
  in->request.action = policy::ActionName::From(JsonString(*action));
  in->request.resource = policy::ResourceName::From(JsonString(*resource));
  if (const auto* account = r.if_contains("resourceAccount"); account != nullptr && account->is_string()) {
    in->request.resource_account = std::string(JsonString(*account));
  } else if (in->request.resource.is_arn && !in->request.resource.parts[4].empty()) {
    in->request.resource_account = in->request.resource.parts[4];
  } else {
    in->request.resource_account = in->request.caller.account;
  }
  if (auto s = ReadContext(r.if_contains("context"), &in->request.context); !s) return s.error();
  // aws:PrincipalArn of a session is its role's ARN with the path, which the session ARN lacks.
  if (auto role_arn = in->request.context.Single("aws:principalarn")) in->request.caller.WithRoleArn(*role_arn);

  if (const auto* identity = c.if_contains("identityPolicies"); identity != nullptr && !identity->is_null()) {
    const auto* list = identity->if_array();
    if (list == nullptr) return CaseError("identityPolicies must be an array of policies");
    for (size_t i = 0; i < list->size(); ++i) {
      auto p = Compile(in, (*list)[i], PolicyKind::kIdentity, "identityPolicies[" + std::to_string(i) + "]");
      if (!p) return p.error();
      in->set.identity.push_back(*p);
    }
  }
  // A role trust policy has no Resource element; other resource policies must name a Principal.
  const PolicyKind resource_kind = policy::IsTrustCheck(in->request) ? PolicyKind::kAny : PolicyKind::kResource;
  auto resource_policy = Optional(in, c, "resourcePolicy", resource_kind);
  if (!resource_policy) return resource_policy.error();
  in->set.resource = *resource_policy;
  auto boundary = Optional(in, c, "permissionBoundary", PolicyKind::kIdentity);
  if (!boundary) return boundary.error();
  in->set.boundary = *boundary;
  auto session = Optional(in, c, "sessionPolicy", PolicyKind::kIdentity);
  if (!session) return session.error();
  in->set.session = *session;
  if (auto s = Levels(in, c, "scps", PolicyKind::kScp, &in->set.scps); !s) return s.error();
  // RCPs are read leniently (kAny): only their Deny statements take part in evaluation.
  if (auto s = Levels(in, c, "rcps", PolicyKind::kAny, &in->set.rcps); !s) return s.error();
  return Ok{};
}

}  // namespace

Result<json::array> Simulate(std::string_view input, SimulationSummary* summary) {
  auto document = ParseJson(input);
  if (!document) return document.error();
  const auto* cases = document->if_array();
  if (cases == nullptr) return AwsError::Client("InvalidInput", "a case file is a JSON array of cases");
  json::array out;
  out.reserve(cases->size());
  for (const auto& item : *cases) {
    ++summary->cases;
    if (!item.is_object()) {
      ++summary->errors;
      json::object bad;
      bad["case"] = item;
      bad["error"] = "InvalidCase: a case must be a JSON object";
      out.push_back(std::move(bad));
      continue;
    }
    json::object c = item.as_object();
    CaseInput in;
    if (auto status = ReadCase(c, &in); !status) {
      ++summary->errors;
      c["error"] = status.error().message;
      out.push_back(std::move(c));
      continue;
    }
    const policy::Decision d = policy::Evaluate(in.request, in.set);
    const std::string_view verdict = policy::VerdictName(d.verdict);
    c["decision"] = verdict;
    c["explanation"] = policy::Explain(d, in.request, in.set);
    if (const auto* expected = c.if_contains("expected"); expected != nullptr && expected->is_string()) {
      ++summary->checked;
      if (JsonString(*expected) != verdict) ++summary->mismatched;
    }
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace xacct::cli
