/**
 * @file libquant_experimental.h
 * @brief Tools of libquant whose interface may still change between minor
 *        versions: they carry no ABI promise yet. Stable code uses only
 *        libquant.h.
 */
#ifndef LIBQUANT_EXPERIMENTAL_H
#define LIBQUANT_EXPERIMENTAL_H

#include "libquant.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @defgroup lq_experimental Experimental tools
 *  @{ */

/**
 * @brief Options of lq_synth().
 * @since 0.1.0
 */
typedef struct lq_synth_options {
    uint32_t struct_size;           /**< sizeof(lq_synth_options) as the caller knows it. */
    uint32_t weight_type;           /**< ::LQ_TYPE_F16 (default), ::LQ_TYPE_F32 or ::LQ_TYPE_BF16. */
    const char *preset;             /**< "1b" (TinyLlama-1.1B shapes), "7b" (Llama-2-7B), "qwen2-0.5b", "phi3-mini", or the
                                         small "tiny" (llama), "tiny-qwen2", "tiny-phi3" (256 wide, 4 layers). */
    const char *vocab_path;         /**< A GGUF file whose `tokenizer.*` metadata (and vocabulary size) is used. */
    uint64_t seed;                  /**< Seed of the weights; the same seed gives the same file. Default 0. */
    float weight_std;               /**< Standard deviation of the normal weights; default 0.02. */
    uint32_t reserved;              /**< Zero; keeps the layout free of padding. */
    lq_progress_callback progress;  /**< Called while writing; may cancel. */
    void *progress_user_data;       /**< Passed to the progress callback. */
} lq_synth_options;

/** @brief Initialiser with all defaults. @since 0.1.0 */
#define LQ_SYNTH_OPTIONS_INIT {sizeof(lq_synth_options), (uint32_t)LQ_TYPE_F16, NULL, NULL, 0u, 0.02f, 0u, NULL, NULL}

/**
 * @brief Writes a deterministic random-weight model with the shapes of a
 *        well-known one, as a standard GGUF file with a real vocabulary.
 *
 * Weights are normal with the given deviation, norms are 1. The vocabulary
 * size (and so the embedding shape) is that of the vocabulary file. Meant
 * for speed measurements and for checking an architecture against other
 * GGUF runtimes without downloading a model.
 * @param[in] output_path The file to write.
 * @param[in] options Options; `preset` and `vocab_path` are required.
 * @retval LQ_OK written.
 * @retval LQ_ERR_INVALID_ARGUMENT a NULL argument, an unknown preset or type.
 * @retval LQ_ERR_IO the vocabulary cannot be read or the output written.
 * @retval LQ_ERR_MODEL_FORMAT the vocabulary file is malformed.
 * @retval LQ_ERR_CANCELLED the progress callback stopped it.
 * @since 0.1.0
 */
LQ_API lq_status lq_synth(const char *output_path, const lq_synth_options *options);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* LIBQUANT_EXPERIMENTAL_H */
