verun_add_fuzz_target(sdk_inspect SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/sdk_inspect_fuzz.cc DEPS verun_sdk)
