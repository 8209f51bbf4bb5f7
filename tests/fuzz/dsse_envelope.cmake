verun_add_fuzz_target(dsse_envelope SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/dsse_envelope_fuzz.cc DEPS verun_proofs_dsse)
