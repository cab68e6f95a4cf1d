# The store layer: the S3 object index and the metadata database's writes (group commit, durability).
add_executable(xacct_store_tests
  unit/object_index_test.cpp
  unit/database_test.cpp
)
target_link_libraries(xacct_store_tests PRIVATE xacct_store GTest::gtest_main Threads::Threads)
gtest_discover_tests(xacct_store_tests DISCOVERY_TIMEOUT 30 PROPERTIES LABELS unit)
