verun_add_fuzz_target(hpke_open SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/hpke_open_fuzz.cc DEPS verun_proofs_hpke)
