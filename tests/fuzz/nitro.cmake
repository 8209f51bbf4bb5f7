verun_add_fuzz_target(nitro SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/nitro_fuzz.cc DEPS verun_proofs_evidence)
