verun_add_fuzz_target(bundle SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/bundle_fuzz.cc DEPS verun_verifier)
