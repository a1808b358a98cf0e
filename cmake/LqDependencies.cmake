# Finds the optional dependencies. Each component is built when its
# dependency is present, unless the user turns it off explicitly.
find_package(Threads REQUIRED)
find_package(PkgConfig QUIET)

# The CPU backend is always built. The oneDNN backend is built when oneDNN
# is found; the Vulkan backend is detected here so that its option follows
# the machine, but this version has no implementation of it yet: contexts
# asking for it get LQ_ERR_UNSUPPORTED, and the configure summary says so.
set(LQ_BACKENDS_BUILT "cpu")
set(LQ_BACKENDS_ABSENT "")
set(LQ_PRIVATE_LINK_LIBRARIES "")

# oneDNN (Debian: libdnnl-dev) for the INT8 backend, found by header and
# library (FindLqOneDNN.cmake says why not by its CMake config).
# Debian's oneDNN threads with OpenMP, and the backend shares its threads,
# so it needs OpenMP for the compiler too (GCC's is always there; clang's is
# libomp-dev, which setup.sh does not install: clang builds such as the fuzz
# preset go without the backend unless it is present).
find_package(LqOneDNN QUIET)
set(_lq_onednn_default ${LqOneDNN_FOUND})
if(LqOneDNN_FOUND)
  find_package(OpenMP QUIET COMPONENTS CXX)
  if(NOT OpenMP_CXX_FOUND)
    set(_lq_onednn_default OFF)
  endif()
endif()
option(LQ_WITH_ONEDNN "Build the oneDNN INT8 backend" ${_lq_onednn_default})
if(LQ_WITH_ONEDNN)
  if(NOT LqOneDNN_FOUND)
    message(FATAL_ERROR "LQ_WITH_ONEDNN is ON but oneDNN was not found (install libdnnl-dev)")
  endif()
  find_package(OpenMP REQUIRED COMPONENTS CXX)
  list(APPEND LQ_BACKENDS_BUILT "onednn ${LqOneDNN_VERSION}")
  list(APPEND LQ_PRIVATE_LINK_LIBRARIES LqOneDNN::dnnl OpenMP::OpenMP_CXX)
  set(LQ_HAVE_ONEDNN 1)
elseif(NOT LqOneDNN_FOUND)
  list(APPEND LQ_BACKENDS_ABSENT "onednn (libdnnl-dev not found)")
elseif(NOT OpenMP_CXX_FOUND)
  list(APPEND LQ_BACKENDS_ABSENT "onednn (no OpenMP for ${CMAKE_CXX_COMPILER_ID}; with clang install libomp-dev)")
else()
  list(APPEND LQ_BACKENDS_ABSENT "onednn (LQ_WITH_ONEDNN is OFF)")
endif()

# Vulkan loader + headers and a GLSL compiler for the compute shaders.
find_package(Vulkan QUIET COMPONENTS glslc)
find_program(LQ_GLSLC glslc)
find_program(LQ_GLSLANG glslangValidator)
if(Vulkan_FOUND AND (LQ_GLSLC OR LQ_GLSLANG))
  set(_lq_vulkan_default ON)
else()
  set(_lq_vulkan_default OFF)
endif()
option(LQ_WITH_VULKAN "Build the Vulkan compute backend" ${_lq_vulkan_default})
if(LQ_WITH_VULKAN)
  if(NOT _lq_vulkan_default)
    message(FATAL_ERROR "LQ_WITH_VULKAN is ON but the Vulkan loader/headers or glslc/glslangValidator were not found "
                        "(install libvulkan-dev and glslc)")
  endif()
  list(APPEND LQ_BACKENDS_BUILT "vulkan (headers ${Vulkan_VERSION}, loader opened at run time)")
  set(LQ_HAVE_VULKAN 1)
else()
  list(APPEND LQ_BACKENDS_ABSENT "vulkan (loader, headers or glslc not found)")
endif()

# zstd (Debian: libzstd-dev) for compressed session files and inputs.
find_package(zstd CONFIG QUIET)
if(NOT zstd_FOUND AND PKG_CONFIG_FOUND)
  pkg_check_modules(LQ_ZSTD QUIET IMPORTED_TARGET libzstd)
endif()
if(zstd_FOUND OR LQ_ZSTD_FOUND)
  set(_lq_zstd_default ON)
else()
  set(_lq_zstd_default OFF)
endif()
option(LQ_WITH_ZSTD "Use zstd for compressed files" ${_lq_zstd_default})
if(LQ_WITH_ZSTD)
  if(TARGET zstd::libzstd_shared)
    set(LQ_ZSTD_TARGET zstd::libzstd_shared)
  elseif(TARGET PkgConfig::LQ_ZSTD)
    set(LQ_ZSTD_TARGET PkgConfig::LQ_ZSTD)
  else()
    message(FATAL_ERROR "LQ_WITH_ZSTD is ON but zstd was not found (install libzstd-dev)")
  endif()
  list(APPEND LQ_PRIVATE_LINK_LIBRARIES ${LQ_ZSTD_TARGET})
endif()

# doctest (Debian: doctest-dev) for the unit tests.
find_package(doctest CONFIG QUIET)
set(LQ_HAVE_DOCTEST ${doctest_FOUND})

# Doxygen for the API reference.
find_package(Doxygen QUIET)
set(LQ_HAVE_DOXYGEN ${DOXYGEN_FOUND})
