# nitro-cose: document parsing, chain checks, whole verification with and without a chain cache (blocky vector).
add_executable(nitro_bench ${CMAKE_CURRENT_SOURCE_DIR}/nitro_bench.cc)
target_link_libraries(nitro_bench PRIVATE verun_proofs_evidence benchmark::benchmark)
target_compile_definitions(nitro_bench PRIVATE VERUN_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
