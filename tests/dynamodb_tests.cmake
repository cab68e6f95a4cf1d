# DynamoDB expression and attribute-value unit tests. Included from tests/CMakeLists.txt.
# Pure logic: the test compiles the sources it checks (and the base64 helper they use) rather than linking the
# services library.
set(XACCT_DYNAMODB_EXPRESSION_DIR ${CMAKE_SOURCE_DIR}/src/services/dynamodb)
add_executable(xacct_dynamodb_expression_tests
  unit/dynamodb_expressions_test.cpp
  ${XACCT_DYNAMODB_EXPRESSION_DIR}/attribute_value.cpp
  ${XACCT_DYNAMODB_EXPRESSION_DIR}/reserved_words.cpp
  ${XACCT_DYNAMODB_EXPRESSION_DIR}/expression_parser.cpp
  ${XACCT_DYNAMODB_EXPRESSION_DIR}/expression_semantics.cpp
  ${XACCT_DYNAMODB_EXPRESSION_DIR}/expressions.cpp
  ${XACCT_DYNAMODB_EXPRESSION_DIR}/expression_update.cpp
  ${CMAKE_SOURCE_DIR}/src/protocol/values.cpp
  ${CMAKE_SOURCE_DIR}/src/model/pattern.cpp
  ${CMAKE_SOURCE_DIR}/src/model/pattern_parser.cpp
  ${CMAKE_SOURCE_DIR}/src/model/unicode_category.cpp
)
target_link_libraries(xacct_dynamodb_expression_tests PRIVATE xacct_common GTest::gtest_main)
gtest_discover_tests(xacct_dynamodb_expression_tests DISCOVERY_TIMEOUT 30 PROPERTIES LABELS unit)
