# The Amazon States Language: unit tests of the pure parts and the conformance suite (tests/asl/).
# Paths/intrinsics/templates list their tests in asl_paths_tests.cmake, the engine in asl_engine_tests.cmake.
include(${CMAKE_CURRENT_LIST_DIR}/asl_paths_tests.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/asl_engine_tests.cmake)
