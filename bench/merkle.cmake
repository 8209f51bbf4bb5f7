# Merkle appends, proofs and tiles vs x/mod (bench/run_merkle_vs_go.sh runs
# it beside tlogbench). Links OpenSSL directly only for the raw EVP SHA-256
# baseline.
add_executable(merkle_bench ${CMAKE_CURRENT_SOURCE_DIR}/merkle_bench.cc)
target_link_libraries(merkle_bench PRIVATE verun_proofs_merkle OpenSSL::Crypto benchmark::benchmark)
