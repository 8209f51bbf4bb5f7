verun_add_fuzz_target(statement SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/statement_fuzz.cc DEPS verun_proofs_dsse)
