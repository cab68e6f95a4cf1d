target_sources(xacct_services PRIVATE ${CMAKE_CURRENT_LIST_DIR}/athena_provider.cpp)
