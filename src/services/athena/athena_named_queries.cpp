// Athena named (saved) queries (Amazon Athena API Reference: CreateNamedQuery, GetNamedQuery,
// ListNamedQueries, BatchGetNamedQuery, UpdateNamedQuery, DeleteNamedQuery). A named query belongs to a
// workgroup (primary when none is given) and is authorized on it; its id is a UUID, and a repeated
// ClientRequestToken returns the query it first created.
#include <algorithm>

#include "services/athena/athena_ops.h"
#include "services/athena/athena_store.h"

namespace xacct::services::athena {

namespace {

std::string WorkGroupOf(const json::object& in) {
  std::string name = Str(in, "WorkGroup");
  return name.empty() ? std::string(kPrimaryWorkGroup) : name;
}

AwsError NamedQueryNotFound(std::string_view id) {
  return InvalidRequest("NamedQuery " + std::string(id) + " was not found.");
}

Result<std::optional<json::object>> FindQuery(CallContext& ctx, std::string_view id) {
  auto text = ctx.identities.db().Get(ScopeOf(ctx), kNamedQueryKind, id);
  if (!text) return text.error();
  if (!*text) return std::optional<json::object>();
  auto parsed = ParseJson(**text);
  if (!parsed || !parsed->is_object()) return AwsError::Server("InternalServerException", "corrupt named query");
  return std::optional<json::object>(parsed->get_object());
}

// The workgroup's tags, for aws:ResourceTag; an error only when the store fails.
Result<json::array> WorkGroupTags(CallContext& ctx, std::string_view workgroup) {
  auto w = FindWorkGroup(ctx.identities.db(), ScopeOf(ctx), workgroup);
  if (!w) return w.error();
  if (*w) {
    if (const auto* t = (*w)->if_contains("Tags"); t != nullptr && t->is_array()) return t->get_array();
  }
  return json::array{};
}

// Loads a named query and authorizes `operation` on its workgroup.
Result<json::object> LoadAuthorized(CallContext& ctx, std::string_view operation, std::string_view id) {
  auto query = FindQuery(ctx, id);
  if (!query) return query.error();
  const std::string workgroup = *query ? Str(**query, "WorkGroup") : std::string(kPrimaryWorkGroup);
  auto tags = WorkGroupTags(ctx, workgroup);
  if (!tags) return tags.error();
  if (auto s = AuthorizeAthena(ctx, operation, workgroup, &*tags); !s) return s.error();
  if (!*query) return NamedQueryNotFound(id);
  return std::move(**query);
}

json::object Public(json::object query) {
  query.erase("ClientRequestToken");
  if (Str(query, "Description").empty()) query.erase("Description");
  return query;
}

Status Save(CallContext& ctx, const json::object& query) {
  const std::string body = json::serialize(query);
  const std::string id = Str(query, "NamedQueryId");
  return ctx.identities.db().Write(
      [&](store::Transaction& tx) { return tx.Put(ScopeOf(ctx), kNamedQueryKind, id, body); });
}

}  // namespace

Result<json::object> CreateNamedQuery(CallContext& ctx, const json::object& in) {
  const std::string workgroup_name = WorkGroupOf(in);
  auto tags = WorkGroupTags(ctx, workgroup_name);
  if (!tags) return tags.error();
  if (auto s = AuthorizeAthena(ctx, "CreateNamedQuery", workgroup_name, &*tags); !s) return s.error();
  auto workgroup = LoadWorkGroup(ctx, workgroup_name);
  if (!workgroup) return workgroup.error();
  if (Str(*workgroup, "State") == "DISABLED") {
    return InvalidRequest("WorkGroup " + workgroup_name + " is disabled.");
  }
  const std::string token = Str(in, "ClientRequestToken");
  if (!token.empty()) {
    auto docs = ctx.identities.db().List(ScopeOf(ctx), kNamedQueryKind);
    if (!docs) return docs.error();
    for (const auto& d : *docs) {
      auto parsed = ParseJson(d.body);
      if (parsed && parsed->is_object() && Str(parsed->get_object(), "ClientRequestToken") == token) {
        return json::object{{"NamedQueryId", d.id}};
      }
    }
  }
  const std::string id = NewUuid();
  json::object query{{"NamedQueryId", id},
                     {"Name", Str(in, "Name")},
                     {"Description", Str(in, "Description")},
                     {"Database", Str(in, "Database")},
                     {"QueryString", Str(in, "QueryString")},
                     {"WorkGroup", workgroup_name}};
  if (!token.empty()) query["ClientRequestToken"] = token;
  if (auto s = Save(ctx, query); !s) return s.error();
  return json::object{{"NamedQueryId", id}};
}

Result<json::object> GetNamedQuery(CallContext& ctx, const json::object& in) {
  auto query = LoadAuthorized(ctx, "GetNamedQuery", Str(in, "NamedQueryId"));
  if (!query) return query.error();
  return json::object{{"NamedQuery", Public(std::move(*query))}};
}

Result<json::object> ListNamedQueries(CallContext& ctx, const json::object& in) {
  const std::string workgroup = WorkGroupOf(in);
  auto tags = WorkGroupTags(ctx, workgroup);
  if (!tags) return tags.error();
  if (auto s = AuthorizeAthena(ctx, "ListNamedQueries", workgroup, &*tags); !s) return s.error();
  if (auto w = LoadWorkGroup(ctx, workgroup); !w) return w.error();
  auto docs = ctx.identities.db().List(ScopeOf(ctx), kNamedQueryKind);
  if (!docs) return docs.error();
  std::vector<std::string> ids;
  for (const auto& d : *docs) {
    auto parsed = ParseJson(d.body);
    if (parsed && parsed->is_object() && Str(parsed->get_object(), "WorkGroup") == workgroup) ids.push_back(d.id);
  }
  std::sort(ids.begin(), ids.end());
  auto page = Paginate(in, ids.size(), 50, 50);
  if (!page) return page.error();
  json::array out;
  for (size_t i = page->begin; i < page->end; ++i) out.emplace_back(ids[i]);
  json::object result{{"NamedQueryIds", std::move(out)}};
  if (!page->next_token.empty()) result["NextToken"] = page->next_token;
  return result;
}

Result<json::object> BatchGetNamedQuery(CallContext& ctx, const json::object& in) {
  json::array found;
  json::array unprocessed;
  const auto* ids = in.if_contains("NamedQueryIds");
  if (ids == nullptr || !ids->is_array() || ids->get_array().empty() || ids->get_array().size() > 50) {
    return InvalidRequest("NamedQueryIds must hold between 1 and 50 ids.");
  }
  for (const auto& v : ids->get_array()) {
    const std::string id(JsonString(v));
    auto query = LoadAuthorized(ctx, "BatchGetNamedQuery", id);
    if (query) {
      found.push_back(Public(std::move(*query)));
      continue;
    }
    const AwsError& e = query.error();
    if (e.code == "InternalServerException" || e.code == "InternalFailure") return e;
    const bool denied = e.code == "AccessDeniedException";
    unprocessed.push_back(json::object{
        {"NamedQueryId", id}, {"ErrorCode", denied ? "UNAUTHORIZED" : "INVALID_INPUT"}, {"ErrorMessage", e.message}});
  }
  return json::object{{"NamedQueries", std::move(found)}, {"UnprocessedNamedQueryIds", std::move(unprocessed)}};
}

Result<json::object> UpdateNamedQuery(CallContext& ctx, const json::object& in) {
  auto query = LoadAuthorized(ctx, "UpdateNamedQuery", Str(in, "NamedQueryId"));
  if (!query) return query.error();
  (*query)["Name"] = Str(in, "Name");
  (*query)["QueryString"] = Str(in, "QueryString");
  if (in.contains("Description")) (*query)["Description"] = Str(in, "Description");
  if (auto s = Save(ctx, *query); !s) return s.error();
  return json::object{};
}

Result<json::object> DeleteNamedQuery(CallContext& ctx, const json::object& in) {
  const std::string id = Str(in, "NamedQueryId");
  auto query = LoadAuthorized(ctx, "DeleteNamedQuery", id);
  if (!query) return query.error();
  auto s =
      ctx.identities.db().Write([&](store::Transaction& tx) { return tx.Delete(ScopeOf(ctx), kNamedQueryKind, id); });
  if (!s) return s.error();
  return json::object{};
}

}  // namespace xacct::services::athena
