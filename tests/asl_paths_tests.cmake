# JSONPath, intrinsic functions and payload templates of the States Language: pure logic over Boost.JSON.
add_executable(xacct_asl_paths_tests
  unit/asl_json_path_test.cpp
  unit/asl_intrinsics_test.cpp
  unit/asl_payload_test.cpp
)
target_link_libraries(xacct_asl_paths_tests PRIVATE xacct_asl GTest::gtest_main)
gtest_discover_tests(xacct_asl_paths_tests DISCOVERY_TIMEOUT 30 PROPERTIES LABELS unit)
