# Checkpoint sign/open vs x/mod (bench/note_compare.sh runs it beside tlogbench).
add_executable(note_bench ${CMAKE_CURRENT_SOURCE_DIR}/note_bench.cc)
target_link_libraries(note_bench PRIVATE verun_proofs_note benchmark::benchmark)
