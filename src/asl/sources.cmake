# The Amazon States Language (DESIGN.md "Layers": asl/ knows no AWS service). Paths, templates and
# intrinsics are listed in paths_sources.cmake; the definition, validation and interpreter in
# engine_sources.cmake.
add_library(xacct_asl STATIC)
include(${CMAKE_CURRENT_LIST_DIR}/paths_sources.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/engine_sources.cmake)
target_link_libraries(xacct_asl PUBLIC xacct_common OpenSSL::Crypto)
