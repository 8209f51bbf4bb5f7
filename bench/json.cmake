# JSON: strict parse and RFC 8785 canonicalization vs nlohmann parse + dump.
add_executable(json_bench ${CMAKE_CURRENT_SOURCE_DIR}/json_bench.cc)
target_link_libraries(json_bench PRIVATE verun_proofs_json benchmark::benchmark)
