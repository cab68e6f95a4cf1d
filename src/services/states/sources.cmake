target_sources(xacct_services PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/states_provider.cpp
  ${CMAKE_CURRENT_LIST_DIR}/states_common.cpp
  ${CMAKE_CURRENT_LIST_DIR}/state_machines.cpp
  ${CMAKE_CURRENT_LIST_DIR}/versions_aliases.cpp
  ${CMAKE_CURRENT_LIST_DIR}/executions.cpp
  ${CMAKE_CURRENT_LIST_DIR}/execution_reads.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_state_tags.cpp
  ${CMAKE_CURRENT_LIST_DIR}/history_sink.cpp
  ${CMAKE_CURRENT_LIST_DIR}/execution_runner.cpp
  ${CMAKE_CURRENT_LIST_DIR}/execution_resume.cpp
  ${CMAKE_CURRENT_LIST_DIR}/integrations.cpp
  ${CMAKE_CURRENT_LIST_DIR}/integrations_athena.cpp
  ${CMAKE_CURRENT_LIST_DIR}/integrations_states.cpp
  ${CMAKE_CURRENT_LIST_DIR}/integrations_dynamodb.cpp
  ${CMAKE_CURRENT_LIST_DIR}/integrations_s3.cpp
  ${CMAKE_CURRENT_LIST_DIR}/task_tokens.cpp
  ${CMAKE_CURRENT_LIST_DIR}/task_callbacks.cpp)
