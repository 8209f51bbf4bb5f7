# The runner's per-job pipeline without workload and log (bench/runner_bench.cc).
add_executable(runner_bench ${CMAKE_CURRENT_SOURCE_DIR}/runner_bench.cc)
target_link_libraries(runner_bench PRIVATE verun_runner_core benchmark::benchmark)
