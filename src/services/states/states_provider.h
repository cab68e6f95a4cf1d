// AWS Step Functions (json 1.0, signing name "states"), per the AWS Step Functions API Reference: state
// machines with versions and aliases, executions run in the background as the state machine's role
// (execution_runner.h), their history, TestState, ValidateStateMachineDefinition and the task-token callbacks
// (task_tokens.h). Activities and Map Runs answer NotImplemented. docs/step-functions.md says what is served and
// how it differs.
#pragma once

#include "services/service.h"

namespace xacct::services {

const HandlerTable& StatesHandlers();

}  // namespace xacct::services
