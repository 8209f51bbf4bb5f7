# nitro-cose (CBOR, COSE_Sign1, AWS Nitro attestation documents), the trust
# directory and AMD CRL checking, added to verun_proofs_evidence. libcbor is
# linked privately by full path (Debian ships it shared only), so the
# exported static library needs no find_dependency for it.
find_path(VERUN_CBOR_INCLUDE_DIR cbor.h REQUIRED)
find_library(VERUN_CBOR_LIBRARY NAMES cbor REQUIRED)
target_sources(verun_proofs_evidence PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/cbor.cc
  ${CMAKE_CURRENT_LIST_DIR}/cose.cc
  ${CMAKE_CURRENT_LIST_DIR}/nitro.cc)
target_include_directories(verun_proofs_evidence SYSTEM PRIVATE ${VERUN_CBOR_INCLUDE_DIR})
target_link_libraries(verun_proofs_evidence PRIVATE ${VERUN_CBOR_LIBRARY})
target_sources(verun_proofs_evidence PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/trust_dir.cc
  ${CMAKE_CURRENT_LIST_DIR}/amd_crl.cc)
