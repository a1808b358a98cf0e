# Runs the C# example: cmake -DMONO=... -DEXAMPLE=Generate.exe -DMODEL=model.gguf -P RunExample.cmake
# Passes when it exits 0 and prints the prompt, generated text and "stop reason: ".
execute_process(
  COMMAND ${MONO} --debug ${EXAMPLE} ${MODEL}
  RESULT_VARIABLE rc
  OUTPUT_VARIABLE out
  ERROR_VARIABLE err)
message("${out}${err}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the example exited with ${rc}")
endif()
string(FIND "${out}" "stop reason: " stop_at)
string(LENGTH "Once upon a time" prompt_length)
math(EXPR shortest "${prompt_length} + 10")
if(NOT out MATCHES "^Once upon a time" OR stop_at LESS_EQUAL shortest)
  message(FATAL_ERROR "the example printed no generated text")
endif()
