verun_add_fuzz_target(tile_path
  SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/tile_path_fuzz.cc
  DEPS verun_proofs_merkle)
