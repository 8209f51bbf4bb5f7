verun_add_fuzz_target(dcap_quote SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/dcap_quote_fuzz.cc DEPS verun_proofs_evidence)
