# lq infill and lq chat as a user runs them: the infill prompt of a code
# vocabulary in the repository layout, and a two-turn chat whose second turn
# reuses the first turn's cache.
execute_process(COMMAND ${LQ} infill -m ${CODER_VOCAB} --prefix "def f(x):" --suffix "    return y" --repo calc
                        --name main.py --prompt-only
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "lq infill --prompt-only failed (${rc}): ${err}")
endif()
set(expected "<repo_name>calc\n<file_sep>main.py\n<fim_prefix>def f(x):<fim_suffix>    return y<fim_middle>\n")
if(NOT out STREQUAL expected)
  message(FATAL_ERROR "unexpected infill prompt:\n[${out}]\nexpected:\n[${expected}]")
endif()

execute_process(COMMAND ${LQ} infill -m ${MODEL} --prefix "a" --suffix "b" --prompt-only
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(rc EQUAL 0 OR NOT err MATCHES "no fill-in-the-middle tokens")
  message(FATAL_ERROR "a model without FIM tokens was not refused clearly (${rc}): ${err}")
endif()

file(WRITE ${WORK}/turns.txt "Hello\nTell me a story.\n")
execute_process(COMMAND ${LQ} chat -m ${MODEL} --template chatml -n 8 --temp 0 -c 256
  INPUT_FILE ${WORK}/turns.txt RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "lq chat failed (${rc}): ${err}")
endif()
if(NOT err MATCHES "turn 1: prompt [0-9]+ tokens, 0 reused[^\n]*\nlq: turn 2: prompt [0-9]+ tokens, ([0-9]+) reused")
  message(FATAL_ERROR "lq chat did not report two turns:\n${err}")
endif()
if(CMAKE_MATCH_1 LESS 10)
  message(FATAL_ERROR "the second turn reused only ${CMAKE_MATCH_1} tokens of the first:\n${err}")
endif()
execute_process(COMMAND ${LQ} chat -m ${MODEL} INPUT_FILE ${WORK}/turns.txt
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(rc EQUAL 0 OR NOT err MATCHES "no chat template.*chatml")
  message(FATAL_ERROR "a model without a template was not refused clearly (${rc}): ${err}")
endif()
message(STATUS "infill prompt and chat turns as expected")
