# SigV4 verification (DESIGN.md "Layers": auth/). Included from src/CMakeLists.txt.
find_package(OpenSSL REQUIRED)

add_library(xacct_auth STATIC
  ${CMAKE_CURRENT_LIST_DIR}/sigv4.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sigv4_canonical.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sigv4_crypto.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sigv4_errors.cpp
  ${CMAKE_CURRENT_LIST_DIR}/chunked_payload.cpp
  ${CMAKE_CURRENT_LIST_DIR}/checksum.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sigv2.cpp
)
target_link_libraries(xacct_auth PUBLIC xacct_common OpenSSL::Crypto isal)
