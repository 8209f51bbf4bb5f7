verun_add_fuzz_target(checkpoint SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/checkpoint_fuzz.cc DEPS verun_proofs_note)
