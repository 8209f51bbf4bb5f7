verun_add_fuzz_target(sev_snp SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/sev_snp_fuzz.cc DEPS verun_proofs_evidence)
