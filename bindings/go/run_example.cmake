# Runs the example program (go run ./examples/generate MODEL) and checks that
# it exits 0 and prints generated text and its stop reason. The test's
# environment (GOCACHE, CGO_*, ...) is inherited. Usage:
#   cmake -DGO=/usr/bin/go -DMODEL=path.gguf -P run_example.cmake
execute_process(
  COMMAND ${GO} run ./examples/generate ${MODEL}
  RESULT_VARIABLE rc
  OUTPUT_VARIABLE out
  ERROR_VARIABLE err)
message("${out}${err}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "go run ./examples/generate exited with ${rc}")
endif()
if(NOT out MATCHES "^Once upon a time[^\n]+\n\\[stopped: [a-z ]+ after [1-9][0-9]* tokens\\]")
  message(FATAL_ERROR "the example did not print generated text and a stop reason")
endif()
