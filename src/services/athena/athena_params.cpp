// PREPARE, EXECUTE and DEALLOCATE PREPARE as statements, and execution parameters (Amazon Athena User Guide,
// "Use parameterized queries" and "Configure access to prepared statements": PREPARE needs
// athena:CreatePreparedStatement, or athena:UpdatePreparedStatement when the statement exists; EXECUTE
// athena:GetPreparedStatement; DEALLOCATE PREPARE athena:DeletePreparedStatement; all on the workgroup).
//
// A parameter value is inserted for its `?` as written: '2024-01-01' is a string, 42 a number. A query
// without any `?` ignores the values it is given, as Athena does.
#include "services/athena/athena_store.h"
#include "services/athena/query_exec.h"

namespace xacct::services::athena {

namespace {

// Where the `?` placeholders of `query` are: not inside '...' strings, "..." identifiers or comments.
std::vector<size_t> Placeholders(std::string_view query) {
  std::vector<size_t> at;
  for (size_t i = 0; i < query.size(); ++i) {
    const char c = query[i];
    if (c == '\'' || c == '"') {
      for (++i; i < query.size(); ++i) {
        if (query[i] != c) continue;
        if (i + 1 < query.size() && query[i + 1] == c) {
          ++i;  // a doubled quote stays inside
          continue;
        }
        break;
      }
    } else if (c == '-' && i + 1 < query.size() && query[i + 1] == '-') {
      while (i < query.size() && query[i] != '\n') ++i;
    } else if (c == '/' && i + 1 < query.size() && query[i + 1] == '*') {
      const size_t end = query.find("*/", i + 2);
      i = end == std::string_view::npos ? query.size() : end + 1;
    } else if (c == '?') {
      at.push_back(i);
    }
  }
  return at;
}

// athena:<operation> on the query's workgroup, with the workgroup's tags.
Status AuthorizeOnWorkGroup(QueryEnv& env, std::string_view operation) {
  CallContext ctx = env.Context();
  auto wg = FindWorkGroup(env.identities.db(), ScopeOf(ctx), env.workgroup);
  if (!wg) return wg.error();
  const json::array* tags = nullptr;
  if (*wg) {
    if (const auto* t = (*wg)->if_contains("Tags"); t != nullptr && t->is_array()) tags = &t->as_array();
  }
  auto allowed = AuthorizeAthena(ctx, operation, env.workgroup, tags);
  env.explanation = ctx.explanation;
  return allowed;
}

Outcome Utility(std::string substatement) {
  Outcome out;
  out.statement_type = "UTILITY";
  out.substatement_type = std::move(substatement);
  out.result_format = "txt";
  return out;
}

Result<Outcome> Prepare(QueryEnv& env, const sql::Prepare& p) {
  store::Database& db = env.identities.db();
  auto existing = LoadPreparedStatement(db, env.caller.account, env.request.region, env.workgroup, p.name);
  if (!existing && existing.error().code != "ResourceNotFoundException") return existing.error();
  // Running PREPARE again replaces the statement: that is an update.
  if (auto s = AuthorizeOnWorkGroup(env, existing ? "UpdatePreparedStatement" : "CreatePreparedStatement"); !s) {
    return s.error();
  }
  json::object statement =
      existing ? std::move(*existing)
               : json::object{{"StatementName", p.name}, {"WorkGroupName", env.workgroup}, {"Description", ""}};
  statement["QueryStatement"] = p.sql;
  statement["LastModifiedTime"] = env.request.now;
  const store::Scope scope{env.caller.account, env.request.region};
  const std::string body = json::serialize(statement);
  auto s = db.Write([&](store::Transaction& tx) {
    return tx.Put(scope, kPreparedStatementKind, env.workgroup + "/" + p.name, body);
  });
  if (!s) return s.error();
  return Utility("PREPARE");
}

Result<Outcome> Execute(QueryEnv& env, const sql::Execute& e) {
  if (auto s = AuthorizeOnWorkGroup(env, "GetPreparedStatement"); !s) return s.error();
  auto statement =
      LoadPreparedStatement(env.identities.db(), env.caller.account, env.request.region, env.workgroup, e.name);
  if (!statement) return statement.error();
  // EXECUTE ... USING values, or else the query's ExecutionParameters.
  const std::vector<std::string>& values = e.parameters.empty() ? env.execution_parameters : e.parameters;
  auto bound = BindParameters(Str(*statement, "QueryStatement"), values);
  if (!bound) return bound.error();
  return RunStatement(env, *bound);
}

Result<Outcome> Deallocate(QueryEnv& env, const sql::Deallocate& d) {
  if (auto s = AuthorizeOnWorkGroup(env, "DeletePreparedStatement"); !s) return s.error();
  store::Database& db = env.identities.db();
  auto statement = LoadPreparedStatement(db, env.caller.account, env.request.region, env.workgroup, d.name);
  if (!statement) return statement.error();
  const store::Scope scope{env.caller.account, env.request.region};
  auto s = db.Write(
      [&](store::Transaction& tx) { return tx.Delete(scope, kPreparedStatementKind, env.workgroup + "/" + d.name); });
  if (!s) return s.error();
  return Utility("DEALLOCATE");
}

}  // namespace

Result<std::string> BindParameters(std::string_view query, const std::vector<std::string>& parameters) {
  const std::vector<size_t> at = Placeholders(query);
  if (at.empty()) return std::string(query);
  if (at.size() != parameters.size()) {
    return AwsError::Client("INVALID_PARAMETER_USAGE", "Incorrect number of parameters: expected " +
                                                           std::to_string(at.size()) + " but found " +
                                                           std::to_string(parameters.size()));
  }
  std::string out;
  size_t from = 0;
  for (size_t i = 0; i < at.size(); ++i) {
    out.append(query.substr(from, at[i] - from));
    out += parameters[i];
    from = at[i] + 1;
  }
  out.append(query.substr(from));
  return out;
}

std::optional<Result<Outcome>> RunPreparedStatementCommand(QueryEnv& env, const sql::Statement& statement) {
  if (const auto* p = std::get_if<sql::Prepare>(&statement)) return Prepare(env, *p);
  if (const auto* e = std::get_if<sql::Execute>(&statement)) return Execute(env, *e);
  if (const auto* d = std::get_if<sql::Deallocate>(&statement)) return Deallocate(env, *d);
  return std::nullopt;
}

}  // namespace xacct::services::athena
