# Bundle verification throughput (bench/verify_compare.sh compares it with
# `openssl speed ed25519`). Needs the test bundle factory (built with the tests).
if(TARGET verun_test_bundle_factory)
  add_executable(verify_bench ${CMAKE_CURRENT_SOURCE_DIR}/verify_bench.cc)
  target_link_libraries(verify_bench PRIVATE verun_test_bundle_factory verun_verifier benchmark::benchmark)
endif()
