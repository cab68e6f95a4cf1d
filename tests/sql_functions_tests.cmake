# Trino functions on DuckDB: every tests/sql/functions/*.test case, translated and run on a real engine
# (see tests/unit/sql_functions_test.cpp). libduckdb.so is copied next to the test, where the loader looks first.
add_executable(xacct_sql_functions_tests unit/sql_functions_test.cpp)
target_compile_definitions(xacct_sql_functions_tests PRIVATE XACCT_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
target_link_libraries(xacct_sql_functions_tests PRIVATE xacct_sql GTest::gtest_main)
add_custom_command(TARGET xacct_sql_functions_tests POST_BUILD
  COMMAND ${CMAKE_COMMAND} -E copy_if_different ${DUCKDB_LIBRARY} $<TARGET_FILE_DIR:xacct_sql_functions_tests>/libduckdb.so)
gtest_discover_tests(xacct_sql_functions_tests DISCOVERY_TIMEOUT 30 PROPERTIES LABELS unit)
