verun_add_fuzz_target(policy SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/policy_fuzz.cc DEPS verun_verifier)
