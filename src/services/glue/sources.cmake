target_sources(xacct_services PRIVATE ${CMAKE_CURRENT_LIST_DIR}/glue_provider.cpp)
