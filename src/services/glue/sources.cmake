target_sources(xacct_services PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/glue_provider.cpp
  ${CMAKE_CURRENT_LIST_DIR}/glue_common.cpp
  ${CMAKE_CURRENT_LIST_DIR}/glue_databases.cpp
  ${CMAKE_CURRENT_LIST_DIR}/glue_tables.cpp
  ${CMAKE_CURRENT_LIST_DIR}/glue_partitions.cpp
  ${CMAKE_CURRENT_LIST_DIR}/glue_policy.cpp
  ${CMAKE_CURRENT_LIST_DIR}/glue_expression.cpp)
target_sources(xacct_services PRIVATE ${CMAKE_CURRENT_LIST_DIR}/catalog_client.cpp)
