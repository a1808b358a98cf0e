# LQ_VULKAN_DEVICE naming no device: the Vulkan backend reports itself
# unavailable with the devices it saw, and a context asked for it is
# refused with that reason (nothing crashes, nothing runs elsewhere).
set(ENV{LQ_VULKAN_DEVICE} "no-such-gpu-anywhere")
execute_process(COMMAND ${LQ} info --backends RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "lq info --backends failed (${rc}): ${err}")
endif()
if(NOT out MATCHES "vulkan[ ]+not available[^\n]*LQ_VULKAN_DEVICE=no-such-gpu-anywhere matches no usable Vulkan device")
  message(FATAL_ERROR "the vulkan line does not give the reason:\n${out}")
endif()
execute_process(COMMAND ${LQ} generate -m ${MODEL} -p "Once upon a time" -n 4 --temp 0 --backend vulkan
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(rc EQUAL 0)
  message(FATAL_ERROR "lq generate --backend vulkan succeeded without a device: ${out}")
endif()
if(NOT err MATCHES "vulkan backend is not available: LQ_VULKAN_DEVICE=no-such-gpu-anywhere")
  message(FATAL_ERROR "the error does not say why:\n${err}")
endif()
message(STATUS "refused as expected: ${err}")
