// What another service may do with a Glue Data Catalog on a caller's behalf (Athena resolving and
// authorizing the tables a query names, DDL changing them): the small internal client STYLE.md asks for.
// Each call runs the Glue operation's own handler as the caller, so it is authorized exactly as that
// operation (catalog, database and table ARNs; the owner's catalog policy across accounts); the caller's
// RequestInfo carries aws:CalledVia.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "services/service.h"

namespace xacct::services::glue {

class CatalogClient {
 public:
  CatalogClient(identity::IdentityStore& identities, authz::Authorizer& authorizer)
      : identities_(identities), authorizer_(authorizer) {}

  //! Runs Glue operation `operation` (e.g. "GetTable") with `input` (the model's member names) as `caller`.
  Result<json::object> Invoke(const identity::Principal& caller, authz::RequestInfo& info, std::string_view operation,
                              const json::object& input, std::string* explanation = nullptr);

  Result<json::object> GetDatabase(const identity::Principal& caller, authz::RequestInfo& info,
                                   std::string_view catalog_id, std::string_view database,
                                   std::string* explanation = nullptr);
  //! The table (GetTable's "Table" member).
  Result<json::object> GetTable(const identity::Principal& caller, authz::RequestInfo& info,
                                std::string_view catalog_id, std::string_view database, std::string_view table,
                                std::string* explanation = nullptr);
  //! Every partition (all pages), optionally filtered by a Glue expression.
  Result<std::vector<json::object>> GetPartitions(const identity::Principal& caller, authz::RequestInfo& info,
                                                  std::string_view catalog_id, std::string_view database,
                                                  std::string_view table, std::string_view expression = {},
                                                  std::string* explanation = nullptr);

 private:
  identity::IdentityStore& identities_;
  authz::Authorizer& authorizer_;
};

}  // namespace xacct::services::glue
