// PREPARE, EXECUTE and DEALLOCATE PREPARE as statements, and execution parameters (Amazon Athena User Guide,
// "Use parameterized queries").
#include "services/athena/query_exec.h"

namespace xacct::services::athena {

std::optional<Result<Outcome>> RunPreparedStatementCommand(QueryEnv& /*env*/, const sql::Statement& statement) {
  if (std::holds_alternative<sql::Prepare>(statement) || std::holds_alternative<sql::Execute>(statement) ||
      std::holds_alternative<sql::Deallocate>(statement)) {
    return Result<Outcome>(
        AwsError::Client("NOT_SUPPORTED", "NOT_SUPPORTED: xacct does not run PREPARE, EXECUTE or DEALLOCATE yet"));
  }
  return std::nullopt;
}

}  // namespace xacct::services::athena
