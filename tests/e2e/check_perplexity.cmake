# lq perplexity on tinystories_val.txt (n_ctx 128, all 3070 chunks) matches
# the peer's reference figure for MODEL within 0.1 %. (CMake has no floating
# point: the figures are compared in millionths.)
execute_process(COMMAND ${LQ} perplexity -m ${MODEL} -f ${TEXT} -c 128 --json
                RESULT_VARIABLE rc OUTPUT_VARIABLE json ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "lq perplexity failed (${rc}): ${err}")
endif()
string(JSON ppl GET "${json}" ppl)
string(JSON chunks GET "${json}" n_chunks)
if(NOT chunks EQUAL 3070)
  message(FATAL_ERROR "expected 3070 chunks, got ${chunks}: the tokenizer or the protocol differs")
endif()
string(REGEX REPLACE "^([0-9]+)\\.([0-9]*).*" "\\1" int_part "${ppl}")
string(REGEX REPLACE "^[0-9]+\\.([0-9]*).*" "\\1" frac_part "${ppl}")
string(SUBSTRING "${frac_part}000000" 0 6 frac6)
string(REGEX REPLACE "^0+([0-9])" "\\1" frac6 "${frac6}")
math(EXPR measured "${int_part} * 1000000 + ${frac6}")
string(REGEX REPLACE "\\." "" expected_digits "${EXPECTED}")
math(EXPR expected "${expected_digits} * 100")  # EXPECTED has 4 decimals
math(EXPR difference "${measured} - ${expected}")
if(difference LESS 0)
  math(EXPR difference "0 - ${difference}")
endif()
math(EXPR limit "${expected} / 1000")  # 0.1 %
message(STATUS "PPL ${ppl} (reference ${EXPECTED}): difference ${difference} millionths, limit ${limit}")
if(difference GREATER limit)
  message(FATAL_ERROR "PPL ${ppl} differs from the reference ${EXPECTED} by more than 0.1 %")
endif()
