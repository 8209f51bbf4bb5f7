verun_add_fuzz_target(sim_evidence SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/sim_evidence_fuzz.cc DEPS verun_verifier)
