# The libFuzzer targets, one source file each (tests/fuzz/NAME.cpp) with its seed corpus in
# tests/fuzz/corpus/NAME/. Read by tests/fuzz/CMakeLists.txt (the fuzz build) and by
# tests/CMakeLists.txt (CTest's fuzz_NAME tests in `make test`).
set(KITH_FUZZ_TARGETS
  http_target
  http_headers
  client_address
  json_body
  text_folding
  identifiers
  linkage_csv
  chronology_csv
  source_feed
  token_file
  totp
  search_query
  hub_request
)
