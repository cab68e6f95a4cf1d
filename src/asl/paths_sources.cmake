target_sources(xacct_asl PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/json_path.cpp
  ${CMAKE_CURRENT_LIST_DIR}/intrinsics.cpp
  ${CMAKE_CURRENT_LIST_DIR}/payload.cpp
)
