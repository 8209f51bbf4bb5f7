verun_add_fuzz_target(strict_json SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/strict_json_fuzz.cc
  DEPS verun_proofs_json)
