#include "services/service.h"

#include "services/athena/athena_provider.h"
#include "services/dynamodb/dynamodb_provider.h"
#include "services/glue/glue_provider.h"
#include "services/iam/iam_provider.h"
#include "services/organizations/organizations_provider.h"
#include "services/states/states_provider.h"
#include "services/sts/sts_provider.h"

namespace xacct::services {

const std::vector<Provider>& Providers() {
  static const std::vector<Provider> providers{
      {"iam", &IamHandlers()},           {"sts", &StsHandlers()},       {"organizations", &OrganizationsHandlers()},
      {"glue", &GlueHandlers()},         {"athena", &AthenaHandlers()}, {"states", &StatesHandlers()},
      {"dynamodb", &DynamoDbHandlers()},
  };
  return providers;
}

const Provider* FindProvider(std::string_view service) {
  for (const auto& p : Providers()) {
    if (p.service == service) return &p;
  }
  return nullptr;
}

std::string Str(const json::object& o, std::string_view key) { return StringField(o, key); }

std::optional<int64_t> Int(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (v == nullptr) return std::nullopt;
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64()) return static_cast<int64_t>(v->as_uint64());
  if (v->is_string()) {
    try {
      return std::stoll(std::string(JsonString(*v)));
    } catch (...) {
      return std::nullopt;
    }
  }
  return std::nullopt;
}

AwsError NoSuchEntity(const std::string& message) { return AwsError::Client("NoSuchEntity", message, 404); }
AwsError ValidationError(const std::string& message) { return AwsError::Client("ValidationError", message, 400); }

}  // namespace xacct::services
