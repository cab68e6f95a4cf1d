target_sources(xacct_services PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/athena_provider.cpp
  ${CMAKE_CURRENT_LIST_DIR}/athena_queries.cpp
  ${CMAKE_CURRENT_LIST_DIR}/athena_run.cpp
  ${CMAKE_CURRENT_LIST_DIR}/partition_projection.cpp
  ${CMAKE_CURRENT_LIST_DIR}/athena_ddl.cpp
  ${CMAKE_CURRENT_LIST_DIR}/athena_params.cpp
  ${CMAKE_CURRENT_LIST_DIR}/query_runner.cpp
  ${CMAKE_CURRENT_LIST_DIR}/result_files.cpp
  ${CMAKE_CURRENT_LIST_DIR}/athena_store.cpp
  ${CMAKE_CURRENT_LIST_DIR}/athena_workgroups.cpp
  ${CMAKE_CURRENT_LIST_DIR}/athena_catalogs.cpp
  ${CMAKE_CURRENT_LIST_DIR}/athena_named_queries.cpp
  ${CMAKE_CURRENT_LIST_DIR}/athena_prepared_statements.cpp
  ${CMAKE_CURRENT_LIST_DIR}/athena_tags.cpp)
