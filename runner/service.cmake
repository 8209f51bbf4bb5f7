# The runner service (DESIGN.md §7): platforms, job wire formats, the job
# pipeline (verun_runner_core, proofs only: what tests and the fuzz target
# link), its links to the sdk's log client and the workload library plus the
# HTTP API (verun_runner_service), and the program verun-runner.
verun_library(verun_runner_core INCLUDE_DIR ${CMAKE_CURRENT_SOURCE_DIR}/include
  SOURCES
    src/job_wire.cc
    src/platform/key_file.cc
    src/platform/platform.cc
    src/platform/snp_cert_table.cc
    src/platform/tsm.cc
    src/service.cc
  DEPS verun_proofs
  PRIVATE_DEPS Threads::Threads)
# Private headers (service.h, seams.h, links.h, http/server.h) live in src/.
target_include_directories(verun_runner_core PUBLIC $<BUILD_INTERFACE:${CMAKE_CURRENT_SOURCE_DIR}/src>)

if(NOT VERUN_ONLY_FUZZ AND TARGET verun_runner_workload
   AND EXISTS ${CMAKE_SOURCE_DIR}/sdk/include/verun/sdk/log_client.h)
  find_package(Boost 1.74 REQUIRED COMPONENTS program_options)
  find_library(VERUN_CPP_HTTPLIB cpp-httplib REQUIRED)
  add_library(verun_runner_service STATIC
    src/log_link.cc
    src/workload_link.cc
    src/http/server.cc)
  target_include_directories(verun_runner_service PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/src)
  target_compile_definitions(verun_runner_service PRIVATE
    CPPHTTPLIB_OPENSSL_SUPPORT CPPHTTPLIB_ZLIB_SUPPORT CPPHTTPLIB_BROTLI_SUPPORT)
  target_link_libraries(verun_runner_service PUBLIC verun_runner_core verun_runner_workload verun_sdk
    PRIVATE ${VERUN_CPP_HTTPLIB} OpenSSL::SSL Threads::Threads)

  add_executable(verun-runner cmd/verun_runner_main.cc)
  target_link_libraries(verun-runner PRIVATE verun_runner_service Boost::program_options)
  install(TARGETS verun-runner RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
