# Writes a C++ source that holds one SPIR-V binary as an array of 32-bit
# words: cmake -DSPV=in.spv -DOUT=out.cpp -DNAME=symbol -P embed_spirv.cmake
file(READ "${SPV}" hex HEX)
string(LENGTH "${hex}" n)
math(EXPR rem "${n} % 8")
if(n EQUAL 0 OR NOT rem EQUAL 0)
  message(FATAL_ERROR "${SPV} is not a SPIR-V binary (size ${n} hex digits)")
endif()
# SPIR-V words are little-endian on disk: bytes b0 b1 b2 b3 are 0xb3b2b1b0.
string(REGEX REPLACE "(..)(..)(..)(..)" "0x\\4\\3\\2\\1u," words "${hex}")
string(REGEX REPLACE "((0x[0-9a-f]+u,){8})" "\\1\n" words "${words}")
math(EXPR count "${n} / 8")
file(WRITE "${OUT}" "// Generated from ${SPV} at build time; do not edit.\n#include <cstddef>\n#include <cstdint>\n"
  "extern const uint32_t ${NAME}[${count}] = {\n${words}\n};\nextern const size_t ${NAME}_words = ${count};\n")
