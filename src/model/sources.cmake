# The model layer (AWS service models embedded at build time) and the protocol codecs (query, JSON).
# Included from src/CMakeLists.txt; paths are relative to src/.
find_package(Python3 REQUIRED COMPONENTS Interpreter)

set(XACCT_BOTOCORE_DATA "/usr/lib/python3/dist-packages/botocore/data" CACHE PATH
    "botocore's data directory, whose <service>/<version>/service-2.json models are embedded")

# What AWS added to the models since botocore's (operations, members, shapes) is overlaid from the
# aws-sdk npm package that scripts/setup fetches (its apis/ directory, linked as aws-models). Optional:
# without it the generator notes so and embeds botocore's models alone.
set(XACCT_SDK_APIS "${XACCT_DEPS}/aws-models")

set(XACCT_MODEL_GENERATOR ${CMAKE_SOURCE_DIR}/tools/gen_models.py)
set(XACCT_MODEL_OUT ${CMAKE_CURRENT_BINARY_DIR}/model_generated)
execute_process(
  COMMAND ${Python3_EXECUTABLE} ${XACCT_MODEL_GENERATOR} --data ${XACCT_BOTOCORE_DATA} --sdk-apis ${XACCT_SDK_APIS} --list-inputs
  OUTPUT_VARIABLE xacct_model_inputs
  RESULT_VARIABLE xacct_model_inputs_result
  OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT xacct_model_inputs_result EQUAL 0)
  message(FATAL_ERROR "tools/gen_models.py found no botocore models in ${XACCT_BOTOCORE_DATA} "
                      "(install python3-botocore or set XACCT_BOTOCORE_DATA)")
endif()
string(REPLACE "\n" ";" xacct_model_inputs "${xacct_model_inputs}")
# Which model files (and so which outputs) there are is decided here: configure again when they change.
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${XACCT_MODEL_GENERATOR} ${xacct_model_inputs})
if(IS_DIRECTORY ${XACCT_SDK_APIS})
  # Files appearing there (scripts/setup run after configuring) change the inputs too.
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${XACCT_SDK_APIS})
else()
  message(STATUS "No aws-sdk models in ${XACCT_SDK_APIS} (run scripts/setup): embedding botocore's models alone")
endif()
execute_process(
  COMMAND ${Python3_EXECUTABLE} ${XACCT_MODEL_GENERATOR} --data ${XACCT_BOTOCORE_DATA} --list-outputs
  OUTPUT_VARIABLE xacct_model_outputs
  OUTPUT_STRIP_TRAILING_WHITESPACE)
string(REPLACE "\n" ";" xacct_model_outputs "${xacct_model_outputs}")
list(TRANSFORM xacct_model_outputs PREPEND ${XACCT_MODEL_OUT}/)

# The generator rewrites a source only when its content changes; the stamp records each run.
add_custom_command(
  OUTPUT ${XACCT_MODEL_OUT}/models.stamp
  BYPRODUCTS ${xacct_model_outputs}
  COMMAND ${Python3_EXECUTABLE} ${XACCT_MODEL_GENERATOR} --data ${XACCT_BOTOCORE_DATA} --sdk-apis ${XACCT_SDK_APIS}
          --out ${XACCT_MODEL_OUT}
          --stamp ${XACCT_MODEL_OUT}/models.stamp
  DEPENDS ${XACCT_MODEL_GENERATOR} ${xacct_model_inputs}
  COMMENT "Embedding AWS service models from ${XACCT_BOTOCORE_DATA} (+ ${XACCT_SDK_APIS})"
  VERBATIM)
add_custom_target(xacct_model_sources DEPENDS ${XACCT_MODEL_OUT}/models.stamp)

add_library(xacct_model STATIC
  model/pattern.cpp
  model/pattern_parser.cpp
  model/unicode_category.cpp
  model/service_model.cpp
  ${xacct_model_outputs}
)
add_dependencies(xacct_model xacct_model_sources)
target_link_libraries(xacct_model PUBLIC xacct_common)

add_library(xacct_protocol STATIC
  protocol/form.cpp
  protocol/values.cpp
  protocol/validate.cpp
  protocol/query.cpp
  protocol/query_xml.cpp
  protocol/json_protocol.cpp
)
target_link_libraries(xacct_protocol PUBLIC xacct_model xacct_common)
