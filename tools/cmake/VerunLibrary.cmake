# verun_library(NAME SOURCES ... [DEPS ...] [PRIVATE_DEPS ...] [INCLUDE_DIR dir])
include(GNUInstallDirs)
# Declares one static library of a component. Its public headers live in the
# component's include/ folder; its private headers beside its sources. Every
# library is exported under the verun:: namespace for find_package(verun).
set(VERUN_EXPORTED_TARGETS "" CACHE INTERNAL "")

function(verun_library name)
  cmake_parse_arguments(A "" "INCLUDE_DIR" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  if(NOT A_INCLUDE_DIR)
    message(FATAL_ERROR "verun_library(${name}): INCLUDE_DIR is required")
  endif()
  add_library(${name} STATIC ${A_SOURCES})
  string(REPLACE "verun_" "" short "${name}")
  add_library(verun::${short} ALIAS ${name})
  set_target_properties(${name} PROPERTIES EXPORT_NAME ${short})
  target_include_directories(${name} PUBLIC
    $<BUILD_INTERFACE:${A_INCLUDE_DIR}>
    $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
  target_include_directories(${name} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
  target_link_libraries(${name} PUBLIC ${A_DEPS} PRIVATE ${A_PRIVATE_DEPS})
  set(VERUN_EXPORTED_TARGETS ${VERUN_EXPORTED_TARGETS} ${name} CACHE INTERNAL "")
endfunction()
