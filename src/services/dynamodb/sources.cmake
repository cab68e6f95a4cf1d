# DynamoDB: the provider (tables, items, queries, resource policies). Included from src/CMakeLists.txt.
target_sources(xacct_services PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/dynamodb_provider.cpp
  ${CMAKE_CURRENT_LIST_DIR}/dynamodb_common.cpp
  ${CMAKE_CURRENT_LIST_DIR}/tables.cpp
  ${CMAKE_CURRENT_LIST_DIR}/table_settings.cpp
  ${CMAKE_CURRENT_LIST_DIR}/policy.cpp
  ${CMAKE_CURRENT_LIST_DIR}/items.cpp
  ${CMAKE_CURRENT_LIST_DIR}/query_scan.cpp
  ${CMAKE_CURRENT_LIST_DIR}/batch.cpp
  ${CMAKE_CURRENT_LIST_DIR}/transact.cpp)
