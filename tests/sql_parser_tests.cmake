# The Athena statement parser: every tests/sql/parser/*.test case (see tests/unit/sql_parser_test.cpp).
add_executable(xacct_sql_parser_tests unit/sql_parser_test.cpp unit/ddl_catalog_test.cpp)
target_compile_definitions(xacct_sql_parser_tests PRIVATE XACCT_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
target_link_libraries(xacct_sql_parser_tests PRIVATE xacct_sql GTest::gtest_main)
gtest_discover_tests(xacct_sql_parser_tests DISCOVERY_TIMEOUT 30 PROPERTIES LABELS unit)
