verun_add_fuzz_target(note SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/note_fuzz.cc DEPS verun_proofs_note)
