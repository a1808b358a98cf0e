# Finds oneDNN from its header and library alone, without the package's CMake
# config: Debian builds oneDNN with OpenCL GPU support, and its config then
# requires the OpenCL development files, which libquant does not use (it runs
# oneDNN on the CPU engine only).
#
# Sets LqOneDNN_FOUND, LqOneDNN_VERSION (from dnnl_version.h) and the
# imported target LqOneDNN::dnnl. LqOneDNN_ROOT may point at a prefix.
find_path(LqOneDNN_INCLUDE_DIR oneapi/dnnl/dnnl.hpp
  HINTS ${LqOneDNN_ROOT} ENV DNNLROOT PATH_SUFFIXES include)
find_library(LqOneDNN_LIBRARY NAMES dnnl
  HINTS ${LqOneDNN_ROOT} ENV DNNLROOT PATH_SUFFIXES lib lib64)

set(LqOneDNN_VERSION "")
if(LqOneDNN_INCLUDE_DIR AND EXISTS "${LqOneDNN_INCLUDE_DIR}/oneapi/dnnl/dnnl_version.h")
  file(STRINGS "${LqOneDNN_INCLUDE_DIR}/oneapi/dnnl/dnnl_version.h" _lq_dnnl_defs
       REGEX "^#define DNNL_VERSION_(MAJOR|MINOR|PATCH) +[0-9]+")
  foreach(_part MAJOR MINOR PATCH)
    string(REGEX MATCH "DNNL_VERSION_${_part} +([0-9]+)" _m "${_lq_dnnl_defs}")
    set(_lq_dnnl_${_part} "${CMAKE_MATCH_1}")
  endforeach()
  set(LqOneDNN_VERSION "${_lq_dnnl_MAJOR}.${_lq_dnnl_MINOR}.${_lq_dnnl_PATCH}")
endif()

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(LqOneDNN
  REQUIRED_VARS LqOneDNN_LIBRARY LqOneDNN_INCLUDE_DIR
  VERSION_VAR LqOneDNN_VERSION)

if(LqOneDNN_FOUND AND NOT TARGET LqOneDNN::dnnl)
  add_library(LqOneDNN::dnnl UNKNOWN IMPORTED)
  set_target_properties(LqOneDNN::dnnl PROPERTIES
    IMPORTED_LOCATION "${LqOneDNN_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${LqOneDNN_INCLUDE_DIR}")
endif()
mark_as_advanced(LqOneDNN_INCLUDE_DIR LqOneDNN_LIBRARY)
