# CTest's short fuzz stage (issue 17), included by tests/CMakeLists.txt in the ordinary build:
# fuzz_build makes the fuzz targets with clang in ${PROJECT_BINARY_DIR}/fuzz (the build `make fuzz`
# uses too), then each fuzz_NAME replays its checked-in corpus and fuzzes for
# KITH_FUZZ_TEST_SECONDS. A missing clang fails `make test`, naming what to install; only
# KITH_SKIP_FUZZ_TESTS=ON leaves the stage out.
option(KITH_SKIP_FUZZ_TESTS "Leave out the short fuzz stage (it needs clang-14 and libclang-rt-14-dev)" OFF)
set(KITH_FUZZ_TEST_SECONDS 5 CACHE STRING "Seconds of fuzzing per target in make test")
if(KITH_SKIP_FUZZ_TESTS)
  message(WARNING "KITH_SKIP_FUZZ_TESTS is ON: the fuzz tests are not registered")
  return()
endif()
# api_body (every API route's body through the pipeline, over SQLite) needs most of the product's
# libraries: built a second time with clang and the sanitizers it would add minutes to `make test`.
# Here it is linked with this build's own libraries (ASan and UBSan in CI's KITH_SANITIZE build)
# and run by a standalone driver: the seeds, then KITH_FUZZ_TEST_SECONDS of mutations of them
# (tests/fuzz/standalone_main.cpp; no coverage guidance).
add_executable(fuzz_api_body_standalone ${CMAKE_CURRENT_LIST_DIR}/api_body.cpp
               ${CMAKE_CURRENT_LIST_DIR}/standalone_main.cpp)
target_link_libraries(fuzz_api_body_standalone PRIVATE kith_http kith_storage_sqlite)
add_test(NAME fuzz_api_body COMMAND fuzz_api_body_standalone ${CMAKE_CURRENT_LIST_DIR}/corpus/api_body
                                    ${KITH_FUZZ_TEST_SECONDS})
set_tests_properties(fuzz_api_body PROPERTIES TIMEOUT 120 LABELS fuzz)

find_program(KITH_FUZZ_CXX NAMES clang++-14)
if(NOT KITH_FUZZ_CXX OR NOT EXISTS "${KITH_FUZZ_CXX}")
  message(WARNING "clang++-14 not found: the fuzz tests will fail until it is installed")
  add_test(NAME fuzz_dependencies
           COMMAND ${CMAKE_COMMAND} "-DSUITE=fuzz stage" "-DMISSING=clang++-14 (libFuzzer)"
                   "-DINSTALL=apt-get install clang-14 libclang-rt-14-dev" -DSKIP_OPTION=KITH_SKIP_FUZZ_TESTS
                   -P ${PROJECT_SOURCE_DIR}/tests/missing_dependency.cmake)
  return()
endif()
include(${CMAKE_CURRENT_LIST_DIR}/targets.cmake)
set(fuzz_dir ${PROJECT_BINARY_DIR}/fuzz)
add_test(NAME fuzz_build COMMAND ${CMAKE_CURRENT_LIST_DIR}/run-fuzz build ${fuzz_dir})
set_tests_properties(fuzz_build PROPERTIES FIXTURES_SETUP fuzz_build TIMEOUT 900
                     ENVIRONMENT "KITH_FUZZ_CXX=${KITH_FUZZ_CXX};JOBS=2")
foreach(name IN LISTS KITH_FUZZ_TARGETS)
  add_test(NAME fuzz_${name} COMMAND ${CMAKE_CURRENT_LIST_DIR}/run-fuzz run ${fuzz_dir} ${KITH_FUZZ_TEST_SECONDS} ${name})
  set_tests_properties(fuzz_${name} PROPERTIES FIXTURES_REQUIRED fuzz_build TIMEOUT 120 LABELS fuzz)
endforeach()
