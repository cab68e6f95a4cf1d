# DynamoDB attribute values and expressions (pure). Included from src/CMakeLists.txt.
target_sources(xacct_services PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/attribute_value.cpp
  ${CMAKE_CURRENT_LIST_DIR}/reserved_words.cpp
  ${CMAKE_CURRENT_LIST_DIR}/expression_parser.cpp
  ${CMAKE_CURRENT_LIST_DIR}/expression_semantics.cpp
  ${CMAKE_CURRENT_LIST_DIR}/expressions.cpp
  ${CMAKE_CURRENT_LIST_DIR}/expression_update.cpp
)
