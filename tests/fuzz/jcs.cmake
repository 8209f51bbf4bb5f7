verun_add_fuzz_target(jcs SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/jcs_fuzz.cc
  DEPS verun_proofs_json)
