# DSSE envelopes, verun statements, commitments and report_data.
add_executable(dsse_bench ${CMAKE_CURRENT_SOURCE_DIR}/dsse_bench.cc)
target_link_libraries(dsse_bench PRIVATE verun_proofs_dsse benchmark::benchmark)
