target_sources(xacct_asl PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/clock.cpp
  ${CMAKE_CURRENT_LIST_DIR}/validate.cpp
  ${CMAKE_CURRENT_LIST_DIR}/validate_states.cpp
  ${CMAKE_CURRENT_LIST_DIR}/validate_choice.cpp
  ${CMAKE_CURRENT_LIST_DIR}/interpreter.cpp
  ${CMAKE_CURRENT_LIST_DIR}/interpreter_io.cpp
  ${CMAKE_CURRENT_LIST_DIR}/interpreter_states.cpp
  ${CMAKE_CURRENT_LIST_DIR}/interpreter_task.cpp
  ${CMAKE_CURRENT_LIST_DIR}/interpreter_map.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_state.cpp
)
