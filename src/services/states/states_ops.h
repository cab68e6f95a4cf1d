// The Step Functions handlers, one file per resource: state_machines.cpp, versions_aliases.cpp,
// executions.cpp (start, stop, redrive), execution_reads.cpp (describe, list, history), test_state.cpp,
// tags.cpp. states_provider.cpp lists them.
#pragma once

#include "services/service.h"

namespace xacct::services::states {

Result<json::object> CreateStateMachine(CallContext& ctx, const json::object& in);
Result<json::object> DescribeStateMachine(CallContext& ctx, const json::object& in);
Result<json::object> UpdateStateMachine(CallContext& ctx, const json::object& in);
Result<json::object> DeleteStateMachine(CallContext& ctx, const json::object& in);
Result<json::object> ListStateMachines(CallContext& ctx, const json::object& in);
Result<json::object> ValidateStateMachineDefinition(CallContext& ctx, const json::object& in);

Result<json::object> PublishStateMachineVersion(CallContext& ctx, const json::object& in);
Result<json::object> ListStateMachineVersions(CallContext& ctx, const json::object& in);
Result<json::object> DeleteStateMachineVersion(CallContext& ctx, const json::object& in);
Result<json::object> CreateStateMachineAlias(CallContext& ctx, const json::object& in);
Result<json::object> DescribeStateMachineAlias(CallContext& ctx, const json::object& in);
Result<json::object> UpdateStateMachineAlias(CallContext& ctx, const json::object& in);
Result<json::object> DeleteStateMachineAlias(CallContext& ctx, const json::object& in);
Result<json::object> ListStateMachineAliases(CallContext& ctx, const json::object& in);

Result<json::object> StartExecution(CallContext& ctx, const json::object& in);
Result<json::object> StartSyncExecution(CallContext& ctx, const json::object& in);
Result<json::object> StopExecution(CallContext& ctx, const json::object& in);
Result<json::object> RedriveExecution(CallContext& ctx, const json::object& in);

Result<json::object> DescribeExecution(CallContext& ctx, const json::object& in);
Result<json::object> DescribeStateMachineForExecution(CallContext& ctx, const json::object& in);
Result<json::object> ListExecutions(CallContext& ctx, const json::object& in);
Result<json::object> GetExecutionHistory(CallContext& ctx, const json::object& in);

Result<json::object> TestState(CallContext& ctx, const json::object& in);

// task_callbacks.cpp
Result<json::object> SendTaskSuccess(CallContext& ctx, const json::object& in);
Result<json::object> SendTaskFailure(CallContext& ctx, const json::object& in);
Result<json::object> SendTaskHeartbeat(CallContext& ctx, const json::object& in);

Result<json::object> TagResource(CallContext& ctx, const json::object& in);
Result<json::object> UntagResource(CallContext& ctx, const json::object& in);
Result<json::object> ListTagsForResource(CallContext& ctx, const json::object& in);

//! A version of the state machine `machine` (its current revision) as a version document; shared by
//! CreateStateMachine/UpdateStateMachine (publish) and PublishStateMachineVersion. Writes through `tx`.
Result<std::string> PublishVersion(store::Transaction& tx, const store::Scope& scope, json::object& machine,
                                   const std::string& description, int64_t now_ms);

}  // namespace xacct::services::states
