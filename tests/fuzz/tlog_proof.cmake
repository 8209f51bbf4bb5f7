verun_add_fuzz_target(tlog_proof SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/tlog_proof_fuzz.cc DEPS verun_proofs_note)
