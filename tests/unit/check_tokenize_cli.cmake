# `lq tokenize` then `lq detokenize` must give the input back byte for byte,
# with and without BOS. Arguments: -DLQ=path -DMODEL=vocab.gguf -DINPUT=text
# -DWORK=scratch folder.
file(MAKE_DIRECTORY ${WORK})
foreach(mode bos no-bos)
  set(option "")
  if(mode STREQUAL "no-bos")
    set(option --no-bos)
  endif()
  execute_process(COMMAND ${LQ} tokenize -m ${MODEL} ${option}
    INPUT_FILE ${INPUT} OUTPUT_FILE ${WORK}/ids-${mode}.txt RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "lq tokenize ${option} failed (${rc}): ${err}")
  endif()
  file(READ ${WORK}/ids-${mode}.txt ids)
  if(NOT ids MATCHES "^[0-9]+( [0-9]+)*\n$")
    message(FATAL_ERROR "lq tokenize printed something other than one line of ids")
  endif()
  execute_process(COMMAND ${LQ} detokenize -m ${MODEL}
    INPUT_FILE ${WORK}/ids-${mode}.txt OUTPUT_FILE ${WORK}/text-${mode}.txt RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "lq detokenize failed (${rc}): ${err}")
  endif()
  file(READ ${INPUT} expected HEX)
  file(READ ${WORK}/text-${mode}.txt actual HEX)
  if(NOT expected STREQUAL actual)
    message(FATAL_ERROR "round trip through lq tokenize ${option} | lq detokenize changed the text")
  endif()
endforeach()
# A bad id is a clear error, not a crash.
file(WRITE ${WORK}/bad-ids.txt "1 2 999999999\n")
execute_process(COMMAND ${LQ} detokenize -m ${MODEL} INPUT_FILE ${WORK}/bad-ids.txt
  RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
if(NOT rc EQUAL 1 OR NOT err MATCHES "999999999")
  message(FATAL_ERROR "lq detokenize of an invalid id: exit ${rc}, '${err}'")
endif()
message(STATUS "lq tokenize/detokenize round trip: ok")
