# DynamoDB expression and attribute-value unit tests. Included from tests/CMakeLists.txt.
