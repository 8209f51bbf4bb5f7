# Install rules and the CMake package config, so that an SDK user can
#   find_package(verun CONFIG REQUIRED)
#   target_link_libraries(app PRIVATE verun::proofs)
# after `cmake --install`.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(TARGETS ${VERUN_EXPORTED_TARGETS} EXPORT verunTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
foreach(component proofs verifier sdk log)
  if(IS_DIRECTORY ${CMAKE_SOURCE_DIR}/${component}/include)
    install(DIRECTORY ${CMAKE_SOURCE_DIR}/${component}/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
  endif()
endforeach()
install(EXPORT verunTargets NAMESPACE verun:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/verun)

configure_package_config_file(${CMAKE_SOURCE_DIR}/tools/cmake/verunConfig.cmake.in
  ${CMAKE_BINARY_DIR}/verunConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/verun)
write_basic_package_version_file(${CMAKE_BINARY_DIR}/verunConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/verunConfig.cmake ${CMAKE_BINARY_DIR}/verunConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/verun)
