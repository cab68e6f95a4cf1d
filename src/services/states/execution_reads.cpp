// Reading executions (AWS Step Functions API Reference: DescribeExecution, DescribeStateMachineForExecution,
// ListExecutions, GetExecutionHistory). None of them serves EXPRESS executions, as AWS does not: an express
// execution ARN is InvalidArn ("Resource type not valid in this context: express") and ListExecutions of an
// EXPRESS state machine is StateMachineTypeNotSupported.
#include <algorithm>

#include "services/states/execution_runner.h"
#include "services/states/states_internal.h"
#include "services/states/states_ops.h"

namespace xacct::services::states {

namespace {

struct Loaded {
  ExecutionRef ref;
  store::Scope scope;
  std::string id;
  json::object record;
};

Result<Loaded> LoadExecution(CallContext& ctx, const std::string& arn, std::string_view action) {
  auto ref = ParseExecutionArn(arn);
  if (!ref) return ref.error();
  if (auto s = AuthorizeStates(ctx, action, arn, ref->account); !s) return s.error();
  if (ref->express) return InvalidArn("Resource type not valid in this context: express");
  Loaded out{*ref, ScopeOf(ref->account, ref->region), ExecutionId(ref->machine, ref->name), {}};
  auto record = LoadDoc(ctx.identities.db(), out.scope, kExecutionKind, out.id);
  if (!record) return record.error();
  if (!*record) return ExecutionDoesNotExist(arn);
  out.record = std::move(**record);
  return out;
}

void CopyIf(const json::object& from, json::object& to, std::string_view key) {
  if (const auto* v = from.if_contains(key)) to[key] = *v;
}

}  // namespace

Result<json::object> DescribeExecution(CallContext& ctx, const json::object& in) {
  auto loaded = LoadExecution(ctx, Str(in, "executionArn"), "DescribeExecution");
  if (!loaded) return loaded.error();
  const json::object& r = loaded->record;
  const std::string status = Str(r, "status");
  json::object out{{"executionArn", Str(r, "executionArn")},
                   {"stateMachineArn", Str(r, "stateMachineArn")},
                   {"name", Str(r, "name")},
                   {"status", status},
                   {"startDate", Seconds(IntOr(r, "startDate", 0))},
                   {"input", Str(r, "input")},
                   {"inputDetails", json::object{{"included", true}}},
                   {"redriveCount", IntOr(r, "redriveCount", 0)}};
  if (r.contains("stopDate")) out["stopDate"] = Seconds(IntOr(r, "stopDate", 0));
  if (r.contains("output")) {
    out["output"] = Str(r, "output");
    out["outputDetails"] = json::object{{"included", true}};
  }
  for (const char* key : {"error", "cause", "traceHeader", "stateMachineVersionArn", "stateMachineAliasArn"}) {
    CopyIf(r, out, key);
  }
  if (r.contains("redriveDate")) out["redriveDate"] = Seconds(IntOr(r, "redriveDate", 0));
  // Redrive status (API Reference, DescribeExecution redriveStatus and redriveStatusReason).
  if (status == "FAILED" || status == "ABORTED" || status == "TIMED_OUT") {
    if (NowMs() - IntOr(r, "stopDate", 0) <= kRedriveWindowMs) {
      out["redriveStatus"] = "REDRIVABLE";
    } else {
      out["redriveStatus"] = "NOT_REDRIVABLE";
      out["redriveStatusReason"] = "Execution can only be redriven within 14 days of its end";
    }
  } else {
    out["redriveStatus"] = "NOT_REDRIVABLE";
    out["redriveStatusReason"] = "Execution is " + status + " and cannot be redriven";
  }
  return out;
}

Result<json::object> DescribeStateMachineForExecution(CallContext& ctx, const json::object& in) {
  auto loaded = LoadExecution(ctx, Str(in, "executionArn"), "DescribeStateMachineForExecution");
  if (!loaded) return loaded.error();
  const json::object* machine = Obj(loaded->record, "xMachine");
  const json::object empty;
  const json::object& m = machine != nullptr ? *machine : empty;
  json::object out{{"stateMachineArn", Str(loaded->record, "stateMachineArn")},
                   {"name", Str(m, "name")},
                   {"definition", Str(m, "definition")},
                   {"roleArn", Str(m, "roleArn")},
                   {"updateDate", Seconds(IntOr(m, "updateDate", 0))}};
  CopyIf(m, out, "loggingConfiguration");
  CopyIf(m, out, "tracingConfiguration");
  if (const std::string revision = Str(m, "revisionId"); !revision.empty()) out["revisionId"] = revision;
  return out;
}

Result<json::object> ListExecutions(CallContext& ctx, const json::object& in) {
  const std::string arn = Str(in, "stateMachineArn");
  if (arn.empty()) return Validation("Must provide a StateMachine ARN or MapRun ARN");
  auto ref = ParseMachineArn(arn);
  if (!ref) return ref.error();
  if (auto s = AuthorizeStates(ctx, "ListExecutions", arn, ref->account); !s) return s.error();
  const store::Scope scope = ScopeOf(ref->account, ref->region);
  store::Database& db = ctx.identities.db();
  auto machine = LoadDoc(db, scope, kMachineKind, ref->name);
  if (!machine) return machine.error();
  if (!*machine) return StateMachineDoesNotExist(arn);
  if (Str(**machine, "type") == "EXPRESS") return TypeNotSupported();
  auto docs = ListDocs(db, scope, kExecutionKind, ref->name + "/");
  if (!docs) return docs.error();
  const std::string status = Str(in, "statusFilter");
  const std::string redrive = Str(in, "redriveFilter");
  std::vector<const json::object*> found;
  for (const auto& d : *docs) {
    if (!status.empty() && Str(d, "status") != status) continue;
    if (ref->version && Str(d, "stateMachineVersionArn") != arn) continue;
    if (!ref->alias.empty() && Str(d, "stateMachineAliasArn") != arn) continue;
    if (redrive == "REDRIVEN" && IntOr(d, "redriveCount", 0) == 0) continue;
    if (redrive == "NOT_REDRIVEN" && IntOr(d, "redriveCount", 0) > 0) continue;
    found.push_back(&d);
  }
  // Newest first.
  std::stable_sort(found.begin(), found.end(), [](const json::object* a, const json::object* b) {
    return IntOr(*a, "startDate", 0) > IntOr(*b, "startDate", 0);
  });
  auto page = Paginate(in, found.size(), 100, 1000);
  if (!page) return page.error();
  json::array executions;
  for (size_t i = page->begin; i < page->end; ++i) {
    const json::object& d = *found[i];
    json::object item{{"executionArn", Str(d, "executionArn")},
                      {"stateMachineArn", Str(d, "stateMachineArn")},
                      {"name", Str(d, "name")},
                      {"status", Str(d, "status")},
                      {"startDate", Seconds(IntOr(d, "startDate", 0))}};
    if (d.contains("stopDate")) item["stopDate"] = Seconds(IntOr(d, "stopDate", 0));
    CopyIf(d, item, "stateMachineVersionArn");
    CopyIf(d, item, "stateMachineAliasArn");
    if (IntOr(d, "redriveCount", 0) > 0) {
      item["redriveCount"] = IntOr(d, "redriveCount", 0);
      item["redriveDate"] = Seconds(IntOr(d, "redriveDate", 0));
    }
    executions.push_back(std::move(item));
  }
  json::object out{{"executions", std::move(executions)}};
  if (!page->next_token.empty()) out["nextToken"] = page->next_token;
  return out;
}

Result<json::object> GetExecutionHistory(CallContext& ctx, const json::object& in) {
  auto loaded = LoadExecution(ctx, Str(in, "executionArn"), "GetExecutionHistory");
  if (!loaded) return loaded.error();
  if (ctx.backends.executions != nullptr) {
    ctx.backends.executions->Flush(ExecutionRunner::KeyOf(loaded->scope, loaded->id));
  }
  auto chunks = ctx.identities.db().List(loaded->scope, kHistoryKind, loaded->id + "/");
  if (!chunks) return chunks.error();
  json::array events;
  for (const auto& c : *chunks) {
    auto parsed = ParseJson(c.body);
    if (!parsed || !parsed->is_array()) continue;
    for (auto& e : parsed->as_array()) events.push_back(std::move(e));
  }
  if (Bool(in, "reverseOrder")) std::reverse(events.begin(), events.end());
  auto page = Paginate(in, events.size(), 100, 1000);
  if (!page) return page.error();
  // includeExecutionData false: the events without their input and output (API Reference).
  const bool data = !in.contains("includeExecutionData") || Bool(in, "includeExecutionData");
  json::array out_events;
  for (size_t i = page->begin; i < page->end; ++i) {
    json::object e = events[i].as_object();
    if (!data) {
      for (auto& [key, value] : e) {
        if (key.ends_with("EventDetails") && value.is_object()) {
          value.as_object().erase("input");
          value.as_object().erase("output");
        }
      }
    }
    out_events.push_back(std::move(e));
  }
  json::object out{{"events", std::move(out_events)}};
  if (!page->next_token.empty()) out["nextToken"] = page->next_token;
  return out;
}

}  // namespace xacct::services::states
