# tdx-quote / sgx-quote: quote parsing and whole verification (quote-only and
# with collateral), PCK chain checks uncached and cached (corpus vectors).
add_executable(intel_bench ${CMAKE_CURRENT_SOURCE_DIR}/intel_bench.cc)
target_link_libraries(intel_bench PRIVATE verun_proofs_evidence benchmark::benchmark nlohmann_json::nlohmann_json)
target_compile_definitions(intel_bench PRIVATE VERUN_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
