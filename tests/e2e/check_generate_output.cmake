# What a new user sees from the README's first command: lq generate with
# stdout and stderr in one pipe prints no warnings for the bundled model, and
# the statistics line starts on a line of its own after the text.
execute_process(COMMAND sh -c "\"${LQ}\" generate -m \"${MODEL}\" -p \"Once upon a time\" -n 16 --temp 0 2>&1"
                RESULT_VARIABLE rc OUTPUT_VARIABLE merged)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "lq generate failed (${rc}): ${merged}")
endif()
if(merged MATCHES "warning")
  message(FATAL_ERROR "lq generate printed a warning:\n${merged}")
endif()
if(NOT merged MATCHES "\nlq: prompt [0-9]+ tokens")
  message(FATAL_ERROR "the statistics line does not start on a new line:\n${merged}")
endif()
if(merged MATCHES "^lq: ")
  message(FATAL_ERROR "the statistics came before the text:\n${merged}")
endif()
message(STATUS "output as expected:\n${merged}")
