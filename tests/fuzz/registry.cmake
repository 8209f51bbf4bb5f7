# Workload registry / manifest parsing and the credit-score CSV reader (runner/src/workload).
if(TARGET verun_runner_workload)
  verun_add_fuzz_target(registry SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/registry_fuzz.cc DEPS verun_runner_workload)
endif()
