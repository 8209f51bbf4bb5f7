verun_add_fuzz_target(entry_bundle
  SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/entry_bundle_fuzz.cc
  DEPS verun_proofs_merkle)
