# The log's durable append rate through the sequencer into SQLite, storage
# overhead per entry, open time, and inclusion proofs from storage at 1M
# entries (compare with x/mod tlogbench; see bench/RESULTS.md "log").
if(TARGET verun_log)
  add_executable(log_bench ${CMAKE_CURRENT_SOURCE_DIR}/log_bench.cc)
  target_link_libraries(log_bench PRIVATE verun_log benchmark::benchmark)
  target_include_directories(log_bench PRIVATE ${CMAKE_SOURCE_DIR}/log/src)
endif()
