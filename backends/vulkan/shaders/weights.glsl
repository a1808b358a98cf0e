// Reading one weight of a matrix stored exactly as in the GGUF file (or in
// libquant's own types): the bytes sit in a uint array, and weight(row_byte,
// k) decodes element k of the row that starts at byte row_byte. Exactly one
// TYPE_* macro selects the format (the build compiles one shader per type).
//
// The caller declares `layout(binding = 0) readonly buffer Weights { uint w[]; };`.

uint byte_at(uint off) { return (w[off >> 2] >> ((off & 3u) * 8u)) & 0xFFu; }
int sbyte_at(uint off) { return int(byte_at(off) << 24) >> 24; }
// A half at any byte offset (odd ones occur in rows of libquant's ragged types).
float half_at(uint off) {
    if ((off & 1u) == 0u) return unpackHalf2x16(w[off >> 2] >> ((off & 2u) * 8u)).x;
    return unpackHalf2x16(byte_at(off) | (byte_at(off + 1u) << 8)).x;
}
// A float at any byte offset.
float f32_at(uint off) {
    if ((off & 3u) == 0u) return uintBitsToFloat(w[off >> 2]);
    return uintBitsToFloat(byte_at(off) | (byte_at(off + 1u) << 8) | (byte_at(off + 2u) << 16) |
                           (byte_at(off + 3u) << 24));
}

#if defined(TYPE_F32)
float weight(uint rb, uint k) { return uintBitsToFloat(w[(rb >> 2) + k]); }
#elif defined(TYPE_F16)
float weight(uint rb, uint k) { return half_at(rb + 2u * k); }
#elif defined(TYPE_BF16)
float weight(uint rb, uint k) {
    const uint off = rb + 2u * k;
    return uintBitsToFloat(((w[off >> 2] >> ((off & 2u) * 8u)) & 0xFFFFu) << 16);
}
#elif defined(TYPE_Q8_0)
float weight(uint rb, uint k) {
    const uint blk = rb + (k >> 5) * 34u;
    return half_at(blk) * float(sbyte_at(blk + 2u + (k & 31u)));
}
#elif defined(TYPE_Q4_0) || defined(TYPE_IQ4_NL)
#if defined(TYPE_IQ4_NL)
const float kIq4Values[16] = float[16](-127.0, -104.0, -83.0, -65.0, -49.0, -35.0, -22.0, -10.0, 1.0, 13.0, 25.0,
                                       38.0, 53.0, 69.0, 89.0, 113.0);
#endif
float weight(uint rb, uint k) {
    const uint blk = rb + (k >> 5) * 18u;
    const uint j = k & 31u;
    const uint b = byte_at(blk + 2u + (j & 15u));
    const uint q = j < 16u ? (b & 15u) : (b >> 4);
#if defined(TYPE_IQ4_NL)
    return half_at(blk) * kIq4Values[q];
#else
    return half_at(blk) * (float(q) - 8.0);
#endif
}
#elif defined(TYPE_Q4_1)
float weight(uint rb, uint k) {
    const uint blk = rb + (k >> 5) * 20u;
    const uint j = k & 31u;
    const uint b = byte_at(blk + 4u + (j & 15u));
    const uint q = j < 16u ? (b & 15u) : (b >> 4);
    return half_at(blk) * float(q) + half_at(blk + 2u);
}
#elif defined(TYPE_Q5_0) || defined(TYPE_Q5_1)
#if defined(TYPE_Q5_0)
const uint kBlock = 22u, kQh = 2u;
#else
const uint kBlock = 24u, kQh = 4u;
#endif
float weight(uint rb, uint k) {
    const uint blk = rb + (k >> 5) * kBlock;
    const uint j = k & 31u;
    const uint b = byte_at(blk + kQh + 4u + (j & 15u));
    const uint high = (byte_at(blk + kQh + (j >> 3)) >> (j & 7u)) & 1u;
    const uint q = (j < 16u ? (b & 15u) : (b >> 4)) | (high << 4);
#if defined(TYPE_Q5_0)
    return half_at(blk) * (float(q) - 16.0);
#else
    return half_at(blk) * float(q) + half_at(blk + 2u);
#endif
}
#elif defined(TYPE_Q4_K) || defined(TYPE_Q5_K)
#if defined(TYPE_Q4_K)
const uint kBlock = 144u, kQs = 16u;
#else
const uint kBlock = 176u, kQs = 48u;
#endif
float weight(uint rb, uint k) {
    const uint blk = rb + (k >> 8) * kBlock;
    const uint e = k & 255u, c = e >> 6, r = e & 63u, l = r & 31u;
    const uint sub = 2u * c + (r >> 5);
    const uint s = blk + 4u;  // 12 bytes of 6-bit scales and mins
    uint sc, m;
    if (sub < 4u) {
        sc = byte_at(s + sub) & 63u;
        m = byte_at(s + sub + 4u) & 63u;
    } else {
        sc = (byte_at(s + sub + 4u) & 15u) | ((byte_at(s + sub - 4u) >> 6) << 4);
        m = (byte_at(s + sub + 4u) >> 4) | ((byte_at(s + sub) >> 6) << 4);
    }
    uint q = (byte_at(blk + kQs + 32u * c + l) >> ((r >> 5) * 4u)) & 15u;
#if defined(TYPE_Q5_K)
    q |= ((byte_at(blk + 16u + l) >> sub) & 1u) << 4;
#endif
    return half_at(blk) * float(sc) * float(q) - half_at(blk + 2u) * float(m);
}
#elif defined(TYPE_Q6_K)
float weight(uint rb, uint k) {
    const uint blk = rb + (k >> 8) * 210u;
    const uint e = k & 255u, h = e >> 7, r = e & 127u, qd = r >> 5, l = r & 31u;
    const uint lo = (byte_at(blk + h * 64u + l + (qd & 1u) * 32u) >> ((qd >> 1) * 4u)) & 15u;
    const uint hi = (byte_at(blk + 128u + h * 32u + l) >> (2u * qd)) & 3u;
    const int sc = sbyte_at(blk + 192u + h * 8u + (l >> 4) + 2u * qd);
    return half_at(blk + 208u) * float(sc) * (float(lo | (hi << 4)) - 32.0);
}
#elif defined(TYPE_LQ_I8_ROW)
float weight(uint rb, uint k) { return f32_at(rb) * float(sbyte_at(rb + 4u + k)); }
#elif defined(TYPE_LQ_I4_G)
// LQ_GROUP (32, 64 or 128) elements per group: | f16 d | u8 z | u8 0 | nibbles |.
float weight(uint rb, uint k) {
    const uint base = rb + (k / LQ_GROUP) * (4u + LQ_GROUP / 2u);
    const uint i = k % LQ_GROUP;
    const uint b = byte_at(base + 4u + (i >> 1));
    const uint q = (i & 1u) != 0u ? (b >> 4) : (b & 15u);
    return half_at(base) * (float(q) - float(byte_at(base + 2u)));
}
#elif defined(TYPE_LQ_NL4) || defined(TYPE_LQ_NL5)
// Groups of 32: | scale byte (sign, 2^((m - 91) / 6)) | B-bit level indices |.
#if defined(TYPE_LQ_NL4)
const uint kBits = 4u;
const float kLevels[16] = float[16](-127.0, -103.0, -81.0, -64.0, -49.0, -36.0, -23.0, -12.0, 0.0, 12.0, 23.0, 36.0,
                                    49.0, 64.0, 81.0, 102.0);
#else
const uint kBits = 5u;
const float kLevels[32] = float[32](-127.0, -113.0, -101.0, -91.0, -83.0, -75.0, -68.0, -61.0, -54.0, -47.0, -40.0,
                                    -33.0, -26.0, -20.0, -13.0, -6.0, 0.0, 7.0, 13.0, 20.0, 26.0, 33.0, 40.0, 47.0,
                                    54.0, 61.0, 68.0, 75.0, 82.0, 90.0, 99.0, 109.0);
#endif
float weight(uint rb, uint k) {
    const uint base = rb + (k >> 5) * (1u + 4u * kBits);
    const uint s = byte_at(base);
    const uint m = s & 127u;
    if (m == 0u) return 0.0;
    const float unit = exp2((float(m) - 91.0) / 6.0) / 127.0;
    const uint bit = (k & 31u) * kBits;
    uint word = byte_at(base + 1u + (bit >> 3));
    if ((bit & 7u) + kBits > 8u) word |= byte_at(base + 2u + (bit >> 3)) << 8;
    const uint q = (word >> (bit & 7u)) & ((1u << kBits) - 1u);
    return ((s & 128u) != 0u ? -unit : unit) * kLevels[q];
}
#else
#error "no TYPE_* defined"
#endif
