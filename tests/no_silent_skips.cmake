# Issue 17: the functional, web and browser suites were quietly not registered when Node.js or
# Chromium was missing, so `make test` could pass without them. This configures a scratch build
# in which Node.js and clang are "missing" (KITH_NODE, KITH_NPX and KITH_FUZZ_CXX point nowhere)
# and checks that the suites and the fuzz stage are replaced by tests that fail, naming what to
# install. Run by CTest as no_silent_skips with
# -DSOURCE_DIR=... -DSCRATCH_DIR=...
file(REMOVE_RECURSE "${SCRATCH_DIR}")
execute_process(COMMAND ${CMAKE_COMMAND} -S "${SOURCE_DIR}" -B "${SCRATCH_DIR}" -G Ninja -DKITH_BUILD_BENCH=OFF
                        -DKITH_NODE=/nonexistent/node -DKITH_NPX=/nonexistent/npx
                        -DKITH_FUZZ_CXX=/nonexistent/clang++-14
                RESULT_VARIABLE configured OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT configured EQUAL 0)
  message(FATAL_ERROR "configuring ${SCRATCH_DIR} failed:\n${out}\n${err}")
endif()
execute_process(COMMAND ${CMAKE_CTEST_COMMAND} --test-dir "${SCRATCH_DIR}" -N OUTPUT_VARIABLE listed ERROR_QUIET)
foreach(test functional_http_dependencies web_tests_dependencies fuzz_dependencies)
  if(NOT listed MATCHES "${test}")
    message(FATAL_ERROR "without Node.js, ${test} is not registered:\n${listed}")
  endif()
endforeach()
if(listed MATCHES "functional_http_session")
  message(FATAL_ERROR "without Node.js the functional suite is still registered as if it could run")
endif()
if(listed MATCHES "fuzz_build")
  message(FATAL_ERROR "without clang the fuzz stage is still registered as if it could run")
endif()
execute_process(COMMAND ${CMAKE_CTEST_COMMAND} --test-dir "${SCRATCH_DIR}" -R functional_http_dependencies
                        --output-on-failure
                RESULT_VARIABLE ran OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(ran EQUAL 0)
  message(FATAL_ERROR "functional_http_dependencies passed without Node.js:\n${out}")
endif()
if(NOT out MATCHES "Node.js 20 or newer" OR NOT out MATCHES "KITH_SKIP_FUNCTIONAL_TESTS")
  message(FATAL_ERROR "functional_http_dependencies does not say what to install or how to skip:\n${out}")
endif()
execute_process(COMMAND ${CMAKE_CTEST_COMMAND} --test-dir "${SCRATCH_DIR}" -R fuzz_dependencies --output-on-failure
                RESULT_VARIABLE ran OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(ran EQUAL 0 OR NOT out MATCHES "libclang-rt-14-dev" OR NOT out MATCHES "KITH_SKIP_FUZZ_TESTS")
  message(FATAL_ERROR "fuzz_dependencies passes without clang or does not say what to install:\n${out}")
endif()
file(REMOVE_RECURSE "${SCRATCH_DIR}")
message(STATUS "a missing Node.js or clang fails make test, naming what to install")
