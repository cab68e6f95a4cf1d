#include "policy/policy.h"

#include <algorithm>

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
    r.head = r.parts[1] + ":" + r.parts[2] + ":" + r.parts[3] + ":" + r.parts[4];
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
    p.rest = Pattern::Compile(text, options);
    return p;
  }
  p.split = true;
  const std::string_view head[4] = {arn->partition, arn->service, arn->region, arn->account};
  for (int i = 0; i < 4; ++i) p.parts[i] = Pattern::Compile(head[i], options);
  const std::string joined =
      std::string(head[0]) + ":" + std::string(head[1]) + ":" + std::string(head[2]) + ":" + std::string(head[3]);
  if (joined.find_first_of("*?$") == std::string::npos) {
    p.head_exact = true;
    p.head = joined;
  }
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

bool Statement::ConditionsHold(const Context& context) const {
  for (const auto& c : conditions) {
    if (!c.Evaluate(context)) return false;
  }
  return true;
}

}  // namespace xacct::policy

namespace xacct::policy {

void Policy::BuildIndex() {
  index_.clear();
  unfiltered_.clear();
  for (const auto& s : statements) {
    for (uint8_t i = 0; i < s.action_service_count; ++i) {
      const uint64_t h = s.action_services[i];
      if (std::none_of(index_.begin(), index_.end(), [h](const Bucket& b) { return b.service_hash == h; })) {
        index_.push_back(Bucket{h, {}});
      }
    }
  }
  for (uint32_t n = 0; n < statements.size(); ++n) {
    const Statement& s = statements[n];
    if (s.action_service_count == 0) {
      unfiltered_.push_back(n);
      for (auto& bucket : index_) bucket.statements.push_back(n);
      continue;
    }
    for (auto& bucket : index_) {
      const auto end = s.action_services.begin() + s.action_service_count;
      if (std::find(s.action_services.begin(), end, bucket.service_hash) != end) bucket.statements.push_back(n);
    }
  }
}

}  // namespace xacct::policy
