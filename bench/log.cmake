# The log's durable append rate through the sequencer into SQLite, storage
# overhead per entry, open time, and inclusion proofs from storage at 1M
# entries (compare with x/mod tlogbench; see bench/RESULTS.md "log").
if(TARGET verun_log)
  add_executable(log_bench ${CMAKE_CURRENT_SOURCE_DIR}/log_bench.cc)
  target_link_libraries(log_bench PRIVATE verun_log benchmark::benchmark)
  target_include_directories(log_bench PRIVATE ${CMAKE_SOURCE_DIR}/log/src)
endif()

# HTTP load driver (bench/log_http_compare.sh): 64 keep-alive clients POST
# receipts that each cost an Ed25519 verification at admission.
if(TARGET verun_log_http)
  add_executable(log_http_load ${CMAKE_CURRENT_SOURCE_DIR}/log_http_load.cc)
  target_link_libraries(log_http_load PRIVATE verun_log_http Threads::Threads)
  target_include_directories(log_http_load PRIVATE ${CMAKE_SOURCE_DIR}/tests/log/admission)
endif()
