# Installation: the library, the header, a CMake package (find_package(libquant))
# and a pkg-config file, so an application links libquant in two lines.
set(_lq_targets "")
if(TARGET quant)
  list(APPEND _lq_targets quant)
endif()
if(TARGET quant_static)
  list(APPEND _lq_targets quant_static)
endif()

install(TARGETS ${_lq_targets} EXPORT libquantTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  PUBLIC_HEADER DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/libquant)

set(LQ_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/libquant)
install(EXPORT libquantTargets NAMESPACE libquant:: DESTINATION ${LQ_CMAKE_DIR})
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/libquantConfig.cmake.in
  ${CMAKE_BINARY_DIR}/libquantConfig.cmake INSTALL_DESTINATION ${LQ_CMAKE_DIR})
write_basic_package_version_file(${CMAKE_BINARY_DIR}/libquantConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/libquantConfig.cmake ${CMAKE_BINARY_DIR}/libquantConfigVersion.cmake
  DESTINATION ${LQ_CMAKE_DIR})

# pkg-config: `cc app.c $(pkg-config --cflags --libs libquant)`. The prefix
# is relative to the .pc file, so the installed tree can be moved (or
# installed with --prefix) and still be found.
file(RELATIVE_PATH LQ_PC_PREFIX_FROM_PCDIR "${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}/pkgconfig"
     "${CMAKE_INSTALL_PREFIX}")
set(LQ_PC_PRIVATE_LIBS "-lpthread -lstdc++ -lm")
if(LQ_WITH_ONEDNN)
  string(APPEND LQ_PC_PRIVATE_LIBS " -ldnnl -lgomp")
endif()
if(LQ_WITH_ZSTD)
  string(APPEND LQ_PC_PRIVATE_LIBS " -lzstd")
endif()
configure_file(${CMAKE_CURRENT_LIST_DIR}/libquant.pc.in ${CMAKE_BINARY_DIR}/libquant.pc @ONLY)
install(FILES ${CMAKE_BINARY_DIR}/libquant.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
