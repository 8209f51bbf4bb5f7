verun_add_fuzz_target(tlog_policy SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/tlog_policy_fuzz.cc DEPS verun_proofs_note)
