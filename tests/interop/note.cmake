# Interop of the note module with golang.org/x/mod/sumdb/note (via
# shared/tools/tlog-interop). Included by tests/interop/CMakeLists.txt.
verun_add_test_binary(note_interop_test
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/note_interop_test.cc
  DEPS verun_proofs_note
  LABELS interop proofs)
