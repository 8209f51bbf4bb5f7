# Runner workloads: exec sandbox per-job cost vs bare posix_spawn, builtin
# sha256sum vs raw EVP (see bench/RESULTS.md "Workloads").
if(TARGET verun_runner_workload)
  add_executable(workload_bench ${CMAKE_CURRENT_SOURCE_DIR}/workload_bench.cc)
  target_link_libraries(workload_bench PRIVATE verun_runner_workload OpenSSL::Crypto benchmark::benchmark)
endif()
