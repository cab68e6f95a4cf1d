# DynamoDB attribute values and expressions (pure). Included from src/CMakeLists.txt.
