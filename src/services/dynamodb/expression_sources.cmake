# DynamoDB attribute values and expressions: pure code, its own library so that the unit tests and the fuzz
# target link exactly it. Included from src/CMakeLists.txt.
add_library(xacct_dynamodb_expressions STATIC
  ${CMAKE_CURRENT_LIST_DIR}/attribute_value.cpp
  ${CMAKE_CURRENT_LIST_DIR}/reserved_words.cpp
  ${CMAKE_CURRENT_LIST_DIR}/expression_parser.cpp
  ${CMAKE_CURRENT_LIST_DIR}/expression_semantics.cpp
  ${CMAKE_CURRENT_LIST_DIR}/expressions.cpp
  ${CMAKE_CURRENT_LIST_DIR}/expression_update.cpp
)
target_link_libraries(xacct_dynamodb_expressions PUBLIC xacct_protocol xacct_common)
target_link_libraries(xacct_services PUBLIC xacct_dynamodb_expressions)
