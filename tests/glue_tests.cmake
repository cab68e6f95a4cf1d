# The Glue Data Catalog's filter languages (GetTables and GetPartitions Expression): pure logic, so the
# test compiles the one source it checks rather than linking the services library.
add_executable(xacct_glue_tests
  unit/glue_expression_test.cpp
  ${CMAKE_SOURCE_DIR}/src/services/glue/glue_expression.cpp
)
target_link_libraries(xacct_glue_tests PRIVATE xacct_common GTest::gtest_main)
gtest_discover_tests(xacct_glue_tests DISCOVERY_TIMEOUT 30 PROPERTIES LABELS unit)
