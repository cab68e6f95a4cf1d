# The ASL engine: the conformance suite (every tests/asl/conformance/*.json case) and focused unit tests of
# validation, the interpreter's concurrency and cancellation, and TestState.
add_executable(xacct_asl_engine_tests
  ${CMAKE_CURRENT_LIST_DIR}/unit/asl_conformance_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unit/asl_engine_test.cpp
)
target_compile_definitions(xacct_asl_engine_tests PRIVATE XACCT_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
target_link_libraries(xacct_asl_engine_tests PRIVATE xacct_asl GTest::gtest_main)
gtest_discover_tests(xacct_asl_engine_tests DISCOVERY_TIMEOUT 30 PROPERTIES LABELS unit)
