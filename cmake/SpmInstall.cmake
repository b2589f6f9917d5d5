# Install rules and the spm package config, so that find_package(spm) gives spm::spm.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(TARGETS spm EXPORT spmTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY include/spm DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT spmTargets NAMESPACE spm:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/spm)
if(TARGET spm_cli)
  install(TARGETS spm_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()

# A static libspm hands its private dependencies to the consumer's link line, so the package
# must find yaml-cpp's target again; a shared one does not need it.
get_target_property(_spm_type spm TYPE)
set(SPM_CONFIG_FIND_YAML OFF)
if(SPM_HAS_YAML AND _spm_type STREQUAL "STATIC_LIBRARY")
  set(SPM_CONFIG_FIND_YAML ON)
endif()
configure_package_config_file(cmake/spmConfig.cmake.in
  ${PROJECT_BINARY_DIR}/spmConfig.cmake INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/spm)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/spmConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/spmConfig.cmake ${PROJECT_BINARY_DIR}/spmConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/spm)
