# Test registration helpers (the model is CCF's add_unit_test).
#
# verun_add_test_binary(NAME SOURCES ... [DEPS ...] LABELS ...)
#   One GoogleTest binary; its tests are discovered at test time (PRE_TEST,
#   so discovery costs nothing at build time) and carry LABELS, so that
#   `ctest -L proofs` or `ctest -L unit` selects them. Every binary is also
#   added to the `verun_unit_tests` target that the asan preset builds.
#
# verun_add_fuzz_target(NAME SOURCE file [DEPS ...])
#   A libFuzzer entry point (LLVMFuzzerTestOneInput). Under the fuzz preset
#   (clang, VERUN_FUZZ=ON) it links with libFuzzer and its ctest runs it for
#   VERUN_FUZZ_SECONDS over a copy of tests/fuzz/corpus/NAME. Otherwise it
#   links with replay_main.cc and its ctest replays every corpus file.
find_package(GTest REQUIRED)
find_package(rapidcheck QUIET)
include(GoogleTest)

set(VERUN_FUZZ_SECONDS 10 CACHE STRING "Seconds each fuzz target runs in the test command")
set(VERUN_VECTORS_DIR "${CMAKE_SOURCE_DIR}/../shared/vectors" CACHE PATH "Shared test vectors")
set(VERUN_SHARED_DIR "${CMAKE_SOURCE_DIR}/../shared" CACHE PATH "The shared folder beside the project")

if(NOT TARGET verun_unit_tests)
  add_custom_target(verun_unit_tests)
endif()

function(verun_add_test_binary name)
  cmake_parse_arguments(A "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  if(VERUN_ONLY_FUZZ)
    return()
  endif()
  add_executable(${name} ${A_SOURCES})
  target_link_libraries(${name} PRIVATE verun_test_support ${A_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  if(TARGET rapidcheck)
    target_link_libraries(${name} PRIVATE rapidcheck rapidcheck_gtest)
  endif()
  target_compile_definitions(${name} PRIVATE
    VERUN_SOURCE_DIR="${CMAKE_SOURCE_DIR}" VERUN_BINARY_DIR="${CMAKE_BINARY_DIR}")
  gtest_discover_tests(${name}
    DISCOVERY_MODE PRE_TEST)
  # CMake 3.25's discovery script flattens PROPERTIES, so a list of labels
  # would keep only its first one. Label the discovered tests (the list
  # ${name}_TESTS) in an include file that runs after discovery instead.
  set(label_script "${CMAKE_CURRENT_BINARY_DIR}/${name}_labels.cmake")
  file(WRITE "${label_script}"
    "foreach(t IN LISTS ${name}_TESTS)\n  set_tests_properties(\"\${t}\" PROPERTIES LABELS \"${A_LABELS}\")\nendforeach()\n")
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES "${label_script}")
  add_dependencies(verun_unit_tests ${name})
endfunction()

function(verun_add_fuzz_target name)
  cmake_parse_arguments(A "" "SOURCE" "DEPS" ${ARGN})
  set(corpus "${CMAKE_SOURCE_DIR}/tests/fuzz/corpus/${name}")
  add_executable(${name}_fuzz ${A_SOURCE})
  target_link_libraries(${name}_fuzz PRIVATE ${A_DEPS})
  if(VERUN_FUZZ)
    target_link_options(${name}_fuzz PRIVATE -fsanitize=fuzzer,address,undefined)
    set(work "${CMAKE_BINARY_DIR}/fuzz-work/${name}")
    set(test_name fuzz.${name})
    add_test(NAME ${test_name}
      COMMAND ${CMAKE_COMMAND} -E env ASAN_OPTIONS=detect_leaks=1
              sh -c "rm -rf '${work}' && mkdir -p '${work}' && cp -r '${corpus}/.' '${work}/' 2>/dev/null; exec \"$0\" -max_total_time=${VERUN_FUZZ_SECONDS} -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 '${work}'"
              $<TARGET_FILE:${name}_fuzz>)
  else()
    target_sources(${name}_fuzz PRIVATE ${CMAKE_SOURCE_DIR}/tests/fuzz/replay_main.cc)
    set(test_name fuzz_replay.${name})
    add_test(NAME ${test_name} COMMAND ${name}_fuzz ${corpus})
    add_dependencies(verun_unit_tests ${name}_fuzz)
  endif()
  set_tests_properties(${test_name} PROPERTIES LABELS "fuzz")
endfunction()
