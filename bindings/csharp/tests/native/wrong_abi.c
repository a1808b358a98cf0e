/* A stand-in for libquant with its soname (libquant.so.1) but another ABI
 * generation: the C# loader must reject it with a clear message and go on
 * searching. Built only for the C# binding's tests. */
#include <stdint.h>

__attribute__((visibility("default"))) uint32_t lq_abi_version(void) { return 2; }
__attribute__((visibility("default"))) const char *lq_version(void) { return "9.0.0-wrong-abi"; }
