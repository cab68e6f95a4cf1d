target_sources(xacct_asl PRIVATE ${CMAKE_CURRENT_LIST_DIR}/clock.cpp)
