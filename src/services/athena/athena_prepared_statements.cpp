// Athena prepared statements (Amazon Athena API Reference: CreatePreparedStatement, GetPreparedStatement,
// ListPreparedStatements, BatchGetPreparedStatement, UpdatePreparedStatement, DeletePreparedStatement).
// A statement is named within its workgroup and authorized on it; its text is stored for EXECUTE.
#include <algorithm>

#include "services/athena/athena_ops.h"
#include "services/athena/athena_store.h"

namespace xacct::services::athena {

namespace {

std::string Id(std::string_view workgroup, std::string_view name) {
  return std::string(workgroup) + "/" + std::string(name);
}

// Authorizes `operation` on the workgroup (with its tags), then requires that it exists.
Status AuthorizeOnWorkGroup(CallContext& ctx, std::string_view operation, std::string_view workgroup) {
  auto w = FindWorkGroup(ctx.identities.db(), ScopeOf(ctx), workgroup);
  if (!w) return w.error();
  const json::array* tags = nullptr;
  if (*w) {
    if (const auto* t = (*w)->if_contains("Tags"); t != nullptr && t->is_array()) tags = &t->get_array();
  }
  if (auto s = AuthorizeAthena(ctx, operation, workgroup, tags); !s) return s;
  if (!*w) return WorkGroupNotFound(workgroup);
  return Ok{};
}

Status Save(CallContext& ctx, const json::object& statement) {
  const std::string body = json::serialize(statement);
  const std::string id = Id(Str(statement, "WorkGroupName"), Str(statement, "StatementName"));
  return ctx.identities.db().Write(
      [&](store::Transaction& tx) { return tx.Put(ScopeOf(ctx), kPreparedStatementKind, id, body); });
}

json::object Public(json::object statement) {
  if (Str(statement, "Description").empty()) statement.erase("Description");
  return statement;
}

}  // namespace

Result<json::object> CreatePreparedStatement(CallContext& ctx, const json::object& in) {
  const std::string workgroup = Str(in, "WorkGroup");
  const std::string name = Str(in, "StatementName");
  if (auto s = AuthorizeOnWorkGroup(ctx, "CreatePreparedStatement", workgroup); !s) return s.error();
  auto existing = LoadPreparedStatement(ctx.identities.db(), ctx.caller.account, ctx.request.region, workgroup, name);
  if (existing) {
    return InvalidRequest("Prepared statement " + name + " already exists in workgroup " + workgroup + ".");
  }
  if (existing.error().code != "ResourceNotFoundException") return existing.error();
  json::object statement{{"StatementName", name},
                         {"QueryStatement", Str(in, "QueryStatement")},
                         {"WorkGroupName", workgroup},
                         {"Description", Str(in, "Description")},
                         {"LastModifiedTime", ctx.request.now}};
  if (auto s = Save(ctx, statement); !s) return s.error();
  return json::object{};
}

Result<json::object> GetPreparedStatement(CallContext& ctx, const json::object& in) {
  const std::string workgroup = Str(in, "WorkGroup");
  if (auto s = AuthorizeOnWorkGroup(ctx, "GetPreparedStatement", workgroup); !s) return s.error();
  auto statement = LoadPreparedStatement(ctx.identities.db(), ctx.caller.account, ctx.request.region, workgroup,
                                         Str(in, "StatementName"));
  if (!statement) return statement.error();
  return json::object{{"PreparedStatement", Public(std::move(*statement))}};
}

Result<json::object> ListPreparedStatements(CallContext& ctx, const json::object& in) {
  const std::string workgroup = Str(in, "WorkGroup");
  if (auto s = AuthorizeOnWorkGroup(ctx, "ListPreparedStatements", workgroup); !s) return s.error();
  auto docs = ctx.identities.db().List(ScopeOf(ctx), kPreparedStatementKind, workgroup + "/");
  if (!docs) return docs.error();
  std::vector<json::object> all;
  for (const auto& d : *docs) {
    auto parsed = ParseJson(d.body);
    if (parsed && parsed->is_object()) all.push_back(parsed->get_object());
  }
  std::sort(all.begin(), all.end(), [](const json::object& a, const json::object& b) {
    return Str(a, "StatementName") < Str(b, "StatementName");
  });
  auto page = Paginate(in, all.size(), 50, 50);
  if (!page) return page.error();
  json::array out;
  for (size_t i = page->begin; i < page->end; ++i) {
    out.push_back(json::object{{"StatementName", Str(all[i], "StatementName")},
                               {"LastModifiedTime", all[i].at("LastModifiedTime")}});
  }
  json::object result{{"PreparedStatements", std::move(out)}};
  if (!page->next_token.empty()) result["NextToken"] = page->next_token;
  return result;
}

Result<json::object> BatchGetPreparedStatement(CallContext& ctx, const json::object& in) {
  const std::string workgroup = Str(in, "WorkGroup");
  if (auto s = AuthorizeOnWorkGroup(ctx, "BatchGetPreparedStatement", workgroup); !s) return s.error();
  const auto* names = in.if_contains("PreparedStatementNames");
  if (names == nullptr || !names->is_array() || names->get_array().empty() || names->get_array().size() > 50) {
    return InvalidRequest("PreparedStatementNames must hold between 1 and 50 names.");
  }
  json::array found;
  json::array unprocessed;
  for (const auto& v : names->get_array()) {
    const std::string name(JsonString(v));
    auto statement =
        LoadPreparedStatement(ctx.identities.db(), ctx.caller.account, ctx.request.region, workgroup, name);
    if (statement) {
      found.push_back(Public(std::move(*statement)));
    } else if (statement.error().code == "ResourceNotFoundException") {
      unprocessed.push_back(json::object{
          {"StatementName", name}, {"ErrorCode", "STATEMENT_NOT_FOUND"}, {"ErrorMessage", statement.error().message}});
    } else {
      return statement.error();
    }
  }
  return json::object{{"PreparedStatements", std::move(found)},
                      {"UnprocessedPreparedStatementNames", std::move(unprocessed)}};
}

Result<json::object> UpdatePreparedStatement(CallContext& ctx, const json::object& in) {
  const std::string workgroup = Str(in, "WorkGroup");
  if (auto s = AuthorizeOnWorkGroup(ctx, "UpdatePreparedStatement", workgroup); !s) return s.error();
  auto statement = LoadPreparedStatement(ctx.identities.db(), ctx.caller.account, ctx.request.region, workgroup,
                                         Str(in, "StatementName"));
  if (!statement) return statement.error();
  (*statement)["QueryStatement"] = Str(in, "QueryStatement");
  if (in.contains("Description")) (*statement)["Description"] = Str(in, "Description");
  (*statement)["LastModifiedTime"] = ctx.request.now;
  if (auto s = Save(ctx, *statement); !s) return s.error();
  return json::object{};
}

Result<json::object> DeletePreparedStatement(CallContext& ctx, const json::object& in) {
  const std::string workgroup = Str(in, "WorkGroup");
  const std::string name = Str(in, "StatementName");
  if (auto s = AuthorizeOnWorkGroup(ctx, "DeletePreparedStatement", workgroup); !s) return s.error();
  auto statement = LoadPreparedStatement(ctx.identities.db(), ctx.caller.account, ctx.request.region, workgroup, name);
  if (!statement) return statement.error();
  auto s = ctx.identities.db().Write(
      [&](store::Transaction& tx) { return tx.Delete(ScopeOf(ctx), kPreparedStatementKind, Id(workgroup, name)); });
  if (!s) return s.error();
  return json::object{};
}

}  // namespace xacct::services::athena
