# Intel TDX / SGX DCAP quote verification (dcap_quote.h, dcap_collateral.h, dcap.h).
target_sources(verun_proofs_evidence PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/dcap_quote.cc
  ${CMAKE_CURRENT_LIST_DIR}/dcap_collateral.cc
  ${CMAKE_CURRENT_LIST_DIR}/dcap_chain.cc
  ${CMAKE_CURRENT_LIST_DIR}/dcap.cc)
