# Trino functions on DuckDB: call rewriting and the compatibility macros (see trino_functions.h).
target_sources(xacct_sql PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/trino_functions.cpp
  ${CMAKE_CURRENT_LIST_DIR}/table_scan.cpp
)
