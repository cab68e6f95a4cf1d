# The internal clients other services use (services/s3/object_client.h, services/glue/catalog_client.h),
# against a real store and authorizer.
add_executable(xacct_internal_client_tests unit/s3_object_client_test.cpp unit/glue_catalog_client_test.cpp)
target_link_libraries(xacct_internal_client_tests PRIVATE xacct_services GTest::gtest_main)
gtest_discover_tests(xacct_internal_client_tests DISCOVERY_TIMEOUT 30 PROPERTIES LABELS unit)
