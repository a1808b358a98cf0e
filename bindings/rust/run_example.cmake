# Runs the example (COMMAND, a list) and checks that it exits 0 and printed generated text and
# a stop reason:  cmake -DCOMMAND=cargo;run;...;--example;generate;--;MODEL -P run_example.cmake
execute_process(COMMAND ${COMMAND}
  RESULT_VARIABLE rc
  OUTPUT_VARIABLE out
  ERROR_VARIABLE err)
message("${out}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the example failed (${rc}):\n${err}")
endif()
if(NOT out MATCHES "^Once upon a time[^\n]")
  message(FATAL_ERROR "the example printed no generated text:\n${err}")
endif()
if(NOT out MATCHES "\nstop reason: [A-Za-z]+ \\([1-9][0-9]* tokens")
  message(FATAL_ERROR "the example printed no stop reason or generated no tokens")
endif()
