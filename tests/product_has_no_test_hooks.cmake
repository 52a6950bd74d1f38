# Checks that the product binary (BINARY, `kith`) contains none of the test build's hooks, and
# that the test binary (TEST_BINARY, `kith-test`) does, so that the check cannot pass by looking
# for the wrong strings. Run by CTest as product_has_no_test_hooks.
set(hooks "/api/v1/test/clock" "/api/v1/test/injectable" "x-kith-test-fault" "crash-after-write")
foreach(hook IN LISTS hooks)
  file(STRINGS "${TEST_BINARY}" in_test REGEX "${hook}" LIMIT_COUNT 1)
  if(NOT in_test)
    message(FATAL_ERROR "${TEST_BINARY} does not contain '${hook}': this check looks for the wrong strings; "
                        "update tests/product_has_no_test_hooks.cmake to match server/test_hooks.cpp.")
  endif()
  file(STRINGS "${BINARY}" in_product REGEX "${hook}" LIMIT_COUNT 1)
  if(in_product)
    message(FATAL_ERROR "${BINARY} contains the test hook '${hook}'. Test hooks belong in "
                        "src/server/test_hooks.cpp (linked only into kith-test), never in the product.")
  endif()
endforeach()
message(STATUS "${BINARY} contains no test hooks")
