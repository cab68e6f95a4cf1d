# S3 rules that need no store: which bucket policies are public, bucket names and object keys
# (src/services/s3/public_policy.cpp, s3_names.cpp). Included from tests/CMakeLists.txt; the sources are
# compiled here directly so the tests need only the policy engine.
add_executable(xacct_s3_rules_tests
  ${CMAKE_CURRENT_LIST_DIR}/unit/s3_rules_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../src/services/s3/public_policy.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../src/services/s3/s3_names.cpp
)
target_link_libraries(xacct_s3_rules_tests PRIVATE xacct_policy GTest::gtest_main)
gtest_discover_tests(xacct_s3_rules_tests DISCOVERY_TIMEOUT 30 PROPERTIES LABELS unit)
