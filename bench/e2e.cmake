# End-to-end figures (issue 4): runner overhead per job, jobs/s under 32
# concurrent clients, and the commitment over a 64 MiB file; a plain
# program (it starts verun-log and verun-runner), compared by e2e_compare.sh.
if(TARGET verun_runner_workload)
  if(NOT VERUN_CPP_HTTPLIB)
    find_library(VERUN_CPP_HTTPLIB cpp-httplib REQUIRED)
  endif()
  add_executable(e2e_bench ${CMAKE_CURRENT_SOURCE_DIR}/e2e_bench.cc ${CMAKE_SOURCE_DIR}/tests/support/process.cc)
  target_include_directories(e2e_bench PRIVATE ${CMAKE_SOURCE_DIR})
  target_compile_definitions(e2e_bench PRIVATE VERUN_SOURCE_DIR="${CMAKE_SOURCE_DIR}"
    CPPHTTPLIB_OPENSSL_SUPPORT CPPHTTPLIB_ZLIB_SUPPORT CPPHTTPLIB_BROTLI_SUPPORT)
  target_link_libraries(e2e_bench PRIVATE verun_proofs verun_runner_workload ${VERUN_CPP_HTTPLIB}
    OpenSSL::SSL Threads::Threads)
endif()
