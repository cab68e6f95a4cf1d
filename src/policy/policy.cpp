#include "policy/policy.h"

#include "common/arn.h"

namespace xacct::policy {

uint64_t ServiceHash(std::string_view service_lower) {
  uint64_t h = 14695981039346656037ULL;
  for (const char c : service_lower) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  return h;
}

ActionName ActionName::From(std::string_view action) {
  ActionName a;
  a.text = std::string(action);
  const auto colon = action.find(':');
  if (colon == std::string_view::npos) {
    a.name = AsciiLower(action);
  } else {
    a.service = AsciiLower(action.substr(0, colon));
    a.name = AsciiLower(action.substr(colon + 1));
  }
  a.service_hash = ServiceHash(a.service);
  return a;
}

ResourceName ResourceName::From(std::string_view resource) {
  ResourceName r;
  r.text = std::string(resource);
  r.is_any = resource == "*";
  if (const auto arn = ArnView::Parse(resource)) {
    r.is_arn = true;
    r.parts = {"arn",
               std::string(arn->partition),
               std::string(arn->service),
               std::string(arn->region),
               std::string(arn->account),
               std::string(arn->resource)};
  }
  return r;
}

ResourcePattern ResourcePattern::Compile(std::string_view text, bool variables) {
  ResourcePattern p;
  p.text = std::string(text);
  const Pattern::Options options{.wildcards = true, .variables = variables};
  if (text == "*") {
    p.any = true;
    return p;
  }
  const auto arn = ArnView::Parse(text);
  if (!arn) {
    p.whole = Pattern::Compile(text, options);
    return p;
  }
  p.split = true;
  const std::string_view head[4] = {arn->partition, arn->service, arn->region, arn->account};
  for (int i = 0; i < 4; ++i) p.parts[i] = Pattern::Compile(head[i], options);
  std::string_view resource = arn->resource;
  if (arn->service != "s3") {
    if (const auto cut = resource.find_first_of("/:"); cut != std::string_view::npos) {
      p.type_prefix = std::string(resource.substr(0, cut + 1));
      resource.remove_prefix(cut + 1);
    }
  }
  p.rest = Pattern::Compile(resource, options);
  return p;
}

bool ResourcePattern::Matches(const ResourceName& resource, const Context& context) const {
  if (any) return true;
  if (resource.is_any) return false;
  if (!split) return whole.Match(resource.text, &context);
  if (!resource.is_arn) return false;
  // Service first: it differs most often.
  if (!parts[1].Match(resource.parts[2], &context) || !parts[0].Match(resource.parts[1], &context) ||
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

void Statement::BuildPrefilter() {
  action_service_count = 0;
  if (not_action || actions.size() > action_services.size()) return;
  for (const auto& a : actions) {
    if (a.any) {
      action_service_count = 0;
      return;
    }
    action_services[action_service_count++] = a.service_hash;
  }
}

bool Statement::MatchesActionPatterns(const ActionName& action) const {
  bool matched = false;
  for (const auto& p : actions) {
    if (p.Matches(action)) {
      matched = true;
      break;
    }
  }
  return matched != not_action;
}

bool Statement::MatchesResource(const ResourceName& resource, const Context& context) const {
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

bool Statement::ConditionsHold(const Context& context) const {
  for (const auto& c : conditions) {
    if (!c.Evaluate(context)) return false;
  }
  return true;
}

bool Statement::Applies(const ActionName& action, const ResourceName& resource, const Context& context) const {
  return MatchesAction(action) && MatchesResource(resource, context) && ConditionsHold(context);
}

}  // namespace xacct::policy
