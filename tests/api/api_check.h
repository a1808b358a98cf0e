/* The API tests' check: reports the failed condition with the library's
 * last error message and counts it; the test's main returns the count.
 * C99 and C++ alike. */
#ifndef LQ_TESTS_API_CHECK_H
#define LQ_TESTS_API_CHECK_H

#include <libquant/libquant.h>
#include <stdio.h>

static int failures = 0;

#define CHECK(cond)                                                                    \
    do {                                                                               \
        if (!(cond)) {                                                                 \
            fprintf(stderr, "%s:%d: CHECK failed: %s (last error: %s)\n", __FILE__,     \
                    __LINE__, #cond, lq_last_error_message());                         \
            ++failures;                                                                \
        }                                                                              \
    } while (0)

#endif
