# sev-snp-report: report parsing, chain checks, whole verification (Turin vector).
add_executable(sev_snp_bench ${CMAKE_CURRENT_SOURCE_DIR}/sev_snp_bench.cc)
target_link_libraries(sev_snp_bench PRIVATE verun_proofs_evidence OpenSSL::Crypto benchmark::benchmark)
target_compile_definitions(sev_snp_bench PRIVATE VERUN_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
