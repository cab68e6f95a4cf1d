# DynamoDB: the provider (tables, items, queries, resource policies). Included from src/CMakeLists.txt.
