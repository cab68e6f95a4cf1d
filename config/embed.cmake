# Embeds config/default.yaml as a C++ string (the built-in configuration).
file(READ ${INPUT} content)
file(WRITE ${OUTPUT} "// Generated from config/default.yaml; do not edit.\nnamespace xacct::identity {\nextern const char* const kDefaultConfigYaml;\nconst char* const kDefaultConfigYaml = R\"xacct_yaml(${content})xacct_yaml\";\n}  // namespace xacct::identity\n")
