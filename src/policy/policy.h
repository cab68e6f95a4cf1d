// A compiled IAM policy document: what the parser produces and the evaluator reads.
// Grammar per the IAM User Guide "IAM JSON policy element reference" and "Grammar of the IAM JSON
// policy language". Matching rules per "IAM JSON policy elements: Action / NotAction / Resource /
// NotResource": actions are case-insensitive globs; resources are case-sensitive globs compared per
// ARN part, where `*` spans '/' and ':' inside the resource part but the leading resource type (up to
// the first '/' or ':', S3 excepted) is literal, and a request for resource "*" (an action without
// resource-level permissions) is matched only by "*".
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "policy/condition.h"
#include "policy/context.h"
#include "policy/pattern.h"
#include "policy/principal.h"

namespace xacct::policy {

enum class Effect : uint8_t { kAllow, kDeny };

//! What kind of policy a document is, which decides the elements it must or must not have.
enum class PolicyKind : uint8_t {
  kIdentity,  //!< inline or managed identity policy (also: permissions boundary, session policy)
  kResource,  //!< resource-based policy (S3 bucket, Glue catalog, DynamoDB table, ...)
  kTrust,     //!< role trust policy
  kScp,       //!< service control policy
  kRcp,       //!< resource control policy
  kAny,       //!< unknown: accept either form (the simulation's resource policy)
};

//! The action of a request, prepared once: service prefix and name, lowercased.
struct ActionName {
  std::string text;
  std::string service;  //!< lowercased
  std::string name;     //!< lowercased
  uint64_t service_hash = 0;
  static ActionName From(std::string_view action);
};

//! The resource of a request, prepared once.
struct ResourceName {
  std::string text;
  bool is_any = false;  //!< "*" (an action without resource-level permissions)
  bool is_arn = false;
  std::array<std::string, 6> parts;  //!< "arn", partition, service, region, account, resource
  std::string head;                  //!< "partition:service:region:account", for one-compare matching
  static ResourceName From(std::string_view resource);
};

//! FNV-1a of a lowercased service prefix: actions compare their services as integers first.
uint64_t ServiceHash(std::string_view service_lower);

struct ActionPattern {
  bool any = false;           //!< "*"
  uint64_t service_hash = 0;  //!< of the literal, lowercased service prefix (IAM forbids wildcards there)
  Pattern name;               //!< lowercased glob
  bool Matches(const ActionName& action) const {
    return any || (service_hash == action.service_hash && name.Match(action.name, nullptr));
  }
};

struct ResourcePattern {
  bool any = false;              //!< "*"
  bool split = false;            //!< an ARN with six parts, matched part by part
  bool head_exact = false;       //!< partition, service, region and account have no wildcard or variable
  std::string head;              //!< when head_exact: "partition:service:region:account"
  std::array<Pattern, 4> parts;  //!< partition, service, region, account
  std::string type_prefix;       //!< resource type and its delimiter, compared literally
  Pattern rest;                  //!< the resource part after type_prefix (or all of it); when !split, the whole text
  std::string text;
  inline bool Matches(const ResourceName& resource, const Context& context) const;
  static ResourcePattern Compile(std::string_view text, bool variables);
};

struct Statement {
  // Hot fields first: the evaluator reads these for every statement it passes over.
  //! Prefilter: the service hashes of up to four Action entries (none of them "*"), so that a
  //! statement of another service is passed over without touching its patterns.
  std::array<uint64_t, 4> action_services{};
  uint8_t action_service_count = 0;  //!< 0: no prefilter (NotAction, "*", or more than four)
  Effect effect = Effect::kAllow;
  bool not_action = false;
  bool has_resource = false;  //!< Resource or NotResource present (trust policies have neither)
  bool not_resource = false;
  uint32_t index = 0;  //!< position in the policy's Statement list
  std::vector<ActionPattern> actions;
  std::vector<ResourcePattern> resources;
  std::vector<Condition> conditions;
  PrincipalBlock principal;
  std::string sid;

  //! Action, resource and conditions all apply (the principal is checked separately).
  bool Applies(const ActionName& action, const ResourceName& resource, const Context& context) const {
    return MatchesAction(action) && MatchesResource(resource, context) && ConditionsHold(context);
  }
  bool MatchesAction(const ActionName& action) const {
    if (action_service_count != 0) {
      bool any = false;
      for (uint8_t i = 0; i < action_service_count; ++i) any |= action_services[i] == action.service_hash;
      if (!any) return false;
    }
    return MatchesActionPatterns(action);
  }
  bool MatchesActionPatterns(const ActionName& action) const;
  //! Fills the prefilter from `actions`; the parser calls it once the statement is complete.
  void BuildPrefilter();
  inline bool MatchesResource(const ResourceName& resource, const Context& context) const;
  bool ConditionsHold(const Context& context) const;
};

struct Policy {
  std::string label;    //!< how explanations name it: "identityPolicies[2]", a policy ARN, ...
  std::string version;  //!< "2012-10-17" or "2008-10-17"
  std::string id;
  std::vector<Statement> statements;

  //! The indexes, in order, of the statements that can match an action of the service with this
  //! hash: those naming the service plus those without a prefilter (NotAction, "*", long lists).
  std::span<const uint32_t> Candidates(uint64_t service_hash) const {
    for (const auto& bucket : index_) {
      if (bucket.service_hash == service_hash) return bucket.statements;
    }
    return unfiltered_;
  }
  //! Builds the per-service index; the parser calls it once the statements are complete.
  void BuildIndex();

 private:
  struct Bucket {
    uint64_t service_hash;
    std::vector<uint32_t> statements;
  };
  std::vector<Bucket> index_;
  std::vector<uint32_t> unfiltered_;
};

// The matching hot path, inline: the evaluator calls these for every candidate statement.
inline bool ResourcePattern::Matches(const ResourceName& resource, const Context& context) const {
  if (any) return true;
  if (resource.is_any) return false;
  if (!split) return rest.Match(resource.text, &context);
  if (!resource.is_arn) return false;
  if (head_exact) {
    if (resource.head.size() != head.size() || resource.head != head) return false;
  } else if (!parts[1].Match(resource.parts[2], &context) || !parts[0].Match(resource.parts[1], &context) ||
             !parts[2].Match(resource.parts[3], &context) || !parts[3].Match(resource.parts[4], &context)) {
    return false;
  }
  std::string_view rest_of_resource = resource.parts[5];
  if (!type_prefix.empty()) {
    if (!rest_of_resource.starts_with(type_prefix)) return false;
    rest_of_resource.remove_prefix(type_prefix.size());
  }
  return rest.Match(rest_of_resource, &context);
}

inline bool Statement::MatchesResource(const ResourceName& resource, const Context& context) const {
  if (!has_resource) return true;
  bool matched = false;
  for (const auto& p : resources) {
    if (p.Matches(resource, context)) {
      matched = true;
      break;
    }
  }
  return matched != not_resource;
}

}  // namespace xacct::policy
