# verun's Ed25519/SHA-256 wrappers vs raw EVP (bench/crypto_compare.sh prints the ratios).
add_executable(crypto_bench ${CMAKE_CURRENT_SOURCE_DIR}/crypto_bench.cc)
target_link_libraries(crypto_bench PRIVATE verun_proofs_core OpenSSL::Crypto benchmark::benchmark)
