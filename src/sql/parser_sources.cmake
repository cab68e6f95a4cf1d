# The Athena statement front end (pure, no I/O): tokenizer and parser of Hive DDL and Trino statement heads.
target_sources(xacct_sql PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/tokenizer.cpp
  ${CMAKE_CURRENT_LIST_DIR}/statement_parser.cpp
  ${CMAKE_CURRENT_LIST_DIR}/statement_ddl.cpp
  ${CMAKE_CURRENT_LIST_DIR}/statement_dml.cpp
  ${CMAKE_CURRENT_LIST_DIR}/statement_json.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ddl_catalog.cpp
)
