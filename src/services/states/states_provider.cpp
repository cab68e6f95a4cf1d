#include "services/states/states_provider.h"

#include "services/states/states_ops.h"

namespace xacct::services {

const HandlerTable& StatesHandlers() {
  namespace s = states;
  static const HandlerTable table{
      {"CreateStateMachine", &s::CreateStateMachine},
      {"DescribeStateMachine", &s::DescribeStateMachine},
      {"UpdateStateMachine", &s::UpdateStateMachine},
      {"DeleteStateMachine", &s::DeleteStateMachine},
      {"ListStateMachines", &s::ListStateMachines},
      {"ValidateStateMachineDefinition", &s::ValidateStateMachineDefinition},
      {"PublishStateMachineVersion", &s::PublishStateMachineVersion},
      {"ListStateMachineVersions", &s::ListStateMachineVersions},
      {"DeleteStateMachineVersion", &s::DeleteStateMachineVersion},
      {"CreateStateMachineAlias", &s::CreateStateMachineAlias},
      {"DescribeStateMachineAlias", &s::DescribeStateMachineAlias},
      {"UpdateStateMachineAlias", &s::UpdateStateMachineAlias},
      {"DeleteStateMachineAlias", &s::DeleteStateMachineAlias},
      {"ListStateMachineAliases", &s::ListStateMachineAliases},
      {"StartExecution", &s::StartExecution},
      {"StartSyncExecution", &s::StartSyncExecution},
      {"StopExecution", &s::StopExecution},
      {"RedriveExecution", &s::RedriveExecution},
      {"DescribeExecution", &s::DescribeExecution},
      {"DescribeStateMachineForExecution", &s::DescribeStateMachineForExecution},
      {"ListExecutions", &s::ListExecutions},
      {"GetExecutionHistory", &s::GetExecutionHistory},
      {"TestState", &s::TestState},
      {"SendTaskSuccess", &s::SendTaskSuccess},
      {"SendTaskFailure", &s::SendTaskFailure},
      {"SendTaskHeartbeat", &s::SendTaskHeartbeat},
      {"TagResource", &s::TagResource},
      {"UntagResource", &s::UntagResource},
      {"ListTagsForResource", &s::ListTagsForResource},
  };
  return table;
}

}  // namespace xacct::services
