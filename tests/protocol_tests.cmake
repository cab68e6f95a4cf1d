# The model layer and the query/JSON codecs: GoogleTest unit tests, golden exchanges, and real
# clients' serializers and parsers (botocore) driving the codecs through xacct_protocol_driver.
# Included from tests/CMakeLists.txt.
add_executable(xacct_protocol_tests
  protocol/form_test.cpp
  protocol/model_test.cpp
  protocol/pattern_test.cpp
  protocol/validation_test.cpp
  protocol/query_test.cpp
  protocol/json_protocol_test.cpp
  protocol/golden_test.cpp
)
target_compile_definitions(xacct_protocol_tests PRIVATE XACCT_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
target_link_libraries(xacct_protocol_tests PRIVATE xacct_protocol GTest::gtest_main)
gtest_discover_tests(xacct_protocol_tests DISCOVERY_TIMEOUT 30 PROPERTIES LABELS unit)

add_executable(xacct_protocol_driver protocol/protocol_driver.cpp)
target_link_libraries(xacct_protocol_driver PRIVATE xacct_protocol)

# The same round trips through three real clients' botocore: the AWS CLI v1 / boto3 one on PATH,
# Debian's python3-botocore (whose models xacct embeds), and the one inside Debian's AWS CLI v2.
set(xacct_roundtrip ${CMAKE_CURRENT_SOURCE_DIR}/protocol/roundtrip_test.py)
add_test(NAME protocol_roundtrip
         COMMAND python3 ${xacct_roundtrip} --driver $<TARGET_FILE:xacct_protocol_driver>
                 --models ${XACCT_BOTOCORE_DATA})
set_tests_properties(protocol_roundtrip PROPERTIES LABELS unit)
if(EXISTS /usr/bin/python3)
  add_test(NAME protocol_roundtrip_debian_botocore
           COMMAND /usr/bin/python3 ${xacct_roundtrip} --driver $<TARGET_FILE:xacct_protocol_driver>
                   --models ${XACCT_BOTOCORE_DATA})
  add_test(NAME protocol_roundtrip_awscli_v2
           COMMAND /usr/bin/python3 ${xacct_roundtrip} --driver $<TARGET_FILE:xacct_protocol_driver>
                   --models ${XACCT_BOTOCORE_DATA} --client awscli-v2)
  set_tests_properties(protocol_roundtrip_debian_botocore protocol_roundtrip_awscli_v2 PROPERTIES LABELS unit)
endif()
