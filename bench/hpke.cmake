# HPKE seal/open against the raw EVP AEAD (see hpke_bench.cc).
add_executable(hpke_bench ${CMAKE_CURRENT_SOURCE_DIR}/hpke_bench.cc)
target_link_libraries(hpke_bench PRIVATE verun_proofs_hpke OpenSSL::Crypto benchmark::benchmark)
