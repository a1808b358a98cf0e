/**
 * @file libquant.h
 * @brief The stable C interface of libquant: load quantized language models,
 *        tokenize, generate and quantize, on the local machine.
 *
 * libquant is embedded by applications (editor plugins, products that ship an
 * assistant, programs in Rust, Go, C# or Python calling over FFI). This header
 * is its manual and its contract.
 *
 * @par Conventions (see docs/conventions.md)
 * - Every fallible call returns an ::lq_status: ::LQ_OK (0) or a negative
 *   error. Results go through out-parameters. After an error,
 *   lq_last_error_message() explains it on the calling thread.
 * - Objects are opaque handles created by `lq_<object>_create` or
 *   `lq_<object>_load` and released by `lq_<object>_free`, which accepts NULL.
 * - Options are structs whose first field `struct_size` is set by the caller
 *   (use the `_INIT` macro or the `_init()` function). Fields are only ever
 *   appended, and the library accepts a struct from an older, smaller
 *   version. A NULL options pointer means "all defaults".
 * - Text is UTF-8 and passed with an explicit length where it may contain NUL
 *   bytes. Text and array outputs go to caller-owned buffers: the call reports
 *   the size it needs in `*needed_out`, and returns
 *   ::LQ_ERR_BUFFER_TOO_SMALL (writing nothing) when the buffer is smaller.
 *   Passing a NULL buffer with capacity 0 is the way to ask for the size.
 * - The library never aborts on input a file or a caller can produce, and
 *   never writes to stdout or stderr: install a log callback to see messages.
 *
 * @par Thread safety (see docs/threading.md)
 * - Functions without an object argument are thread-safe.
 * - An ::lq_model is immutable after loading and may be shared by any number
 *   of threads and contexts at once.
 * - A context (and a streaming detokenizer) must be used by one thread at a
 *   time; different contexts may run concurrently.
 */
#ifndef LIBQUANT_H
#define LIBQUANT_H

#include <stddef.h>
#include <stdint.h>

/** @defgroup lq_core Versions, status codes, errors and logging
 *  @{ */

/** @brief Marks a symbol as part of the exported interface.
 *  @since 0.1.0 */
#if defined(_WIN32)
#  if defined(LQ_BUILDING_LIBRARY)
#    define LQ_API __declspec(dllexport)
#  elif defined(LQ_STATIC)
#    define LQ_API
#  else
#    define LQ_API __declspec(dllimport)
#  endif
#elif defined(__GNUC__) || defined(__clang__)
#  define LQ_API __attribute__((visibility("default")))
#else
#  define LQ_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Major version of this header. @since 0.1.0 */
#define LQ_VERSION_MAJOR 0
/** @brief Minor version of this header. @since 0.1.0 */
#define LQ_VERSION_MINOR 2
/** @brief Patch version of this header. @since 0.1.0 */
#define LQ_VERSION_PATCH 0
/** @brief Version of this header as a string. @since 0.1.0 */
#define LQ_VERSION_STRING "0.2.0"
/**
 * @brief ABI generation of this header.
 *
 * Incremented only when an existing function or struct layout changes
 * incompatibly (which the project avoids). Bindings compare it with
 * lq_abi_version() when they load the library.
 * @since 0.1.0
 */
#define LQ_ABI_VERSION 1

/**
 * @brief Version of the loaded library, e.g. "0.1.0".
 * @return A static string, never NULL.
 * @since 0.1.0
 */
LQ_API const char *lq_version(void);

/**
 * @brief ABI generation of the loaded library (see ::LQ_ABI_VERSION).
 * @return The value of ::LQ_ABI_VERSION the library was built with.
 * @since 0.1.0
 */
LQ_API uint32_t lq_abi_version(void);

/**
 * @brief Result of every fallible call. Values are pinned and never reused.
 * @since 0.1.0
 */
typedef enum lq_status {
    LQ_OK = 0,                        /**< Success. */
    LQ_ERR_INVALID_ARGUMENT = -1,     /**< NULL where a pointer is required, an out-of-range value, an unknown option. */
    LQ_ERR_OOM = -2,                  /**< Memory could not be allocated; nothing was changed. */
    LQ_ERR_IO = -3,                   /**< A file could not be opened, read, mapped or written. */
    LQ_ERR_MODEL_FORMAT = -4,         /**< A model file is malformed (truncated, inconsistent, hostile). */
    LQ_ERR_UNSUPPORTED = -5,          /**< Well-formed input that this build cannot handle (architecture, tensor type, backend). */
    LQ_ERR_BUFFER_TOO_SMALL = -6,     /**< The output buffer is too small; `*needed_out` says how large it must be. */
    LQ_ERR_CANCELLED = -7,            /**< A callback or lq_context_cancel() stopped the work. */
    LQ_ERR_CONTEXT_FULL = -8,         /**< The tokens do not fit in the context window. */
    LQ_ERR_NOT_FOUND = -9,            /**< The requested key, token or item does not exist. */
    LQ_ERR_TYPE_MISMATCH = -10,       /**< The item exists but has another type than the one asked for. */
    LQ_ERR_BACKEND = -11,             /**< A compute backend or its driver failed. */
    LQ_ERR_INTERNAL = -99,            /**< A bug in libquant; please report it with lq_last_error_message(). */
    LQ_STATUS_FORCE_32BIT = 0x7FFFFFFF /**< Keeps the enum 32 bits wide; never returned. */
} lq_status;

/**
 * @brief A short, static description of a status ("invalid argument", ...).
 * @param status Any value; unknown values give "unknown status".
 * @return A static string, never NULL.
 * @since 0.1.0
 */
LQ_API const char *lq_status_string(lq_status status);

/**
 * @brief The message of the last error on the calling thread.
 *
 * Set by every call that returns an error; left unchanged by calls that
 * succeed. The text names what failed and, for files, the field and byte
 * offset.
 * @return A string owned by the library, valid until the next libquant call
 *         on this thread; "" when no error happened yet. Never NULL.
 * @since 0.1.0
 */
LQ_API const char *lq_last_error_message(void);

/** @brief Severity of a log message. @since 0.1.0 */
typedef enum lq_log_level {
    LQ_LOG_ERROR = 0,  /**< Something failed. */
    LQ_LOG_WARN = 1,   /**< Something is suspicious but work goes on. */
    LQ_LOG_INFO = 2,   /**< Progress and summaries. */
    LQ_LOG_DEBUG = 3,  /**< Details for developers. */
    LQ_LOG_LEVEL_FORCE_32BIT = 0x7FFFFFFF /**< Keeps the enum 32 bits wide. */
} lq_log_level;

/**
 * @brief Receives log messages.
 * @param level Severity of the message.
 * @param message One line of UTF-8 text without a trailing newline; valid only
 *        during the call.
 * @param user_data The pointer given to lq_log_set_callback().
 *
 * Called on whichever thread produced the message, possibly several at once;
 * must not call back into libquant.
 * @since 0.1.0
 */
typedef void (*lq_log_callback)(lq_log_level level, const char *message, void *user_data);

/**
 * @brief Installs the process-wide log callback. The library is silent until
 *        one is installed.
 * @param callback The receiver, or NULL to silence the library again.
 * @param user_data Passed through to @p callback.
 * @param max_level Messages more detailed than this level are not delivered.
 * @since 0.1.0
 */
LQ_API void lq_log_set_callback(lq_log_callback callback, void *user_data, lq_log_level max_level);

/** @} */

/** @defgroup lq_types Tensor types
 *  @{ */

/**
 * @brief Element types of tensors, numbered as in the GGUF format.
 *
 * The numbers are those of GGUF files and never change. Not every type can be
 * computed by every backend; see docs/quantization.md.
 * @since 0.1.0
 */
typedef enum lq_tensor_type {
    LQ_TYPE_F32 = 0,      /**< 32-bit IEEE float. */
    LQ_TYPE_F16 = 1,      /**< 16-bit IEEE float. */
    LQ_TYPE_Q4_0 = 2,     /**< 4-bit, blocks of 32, one scale. */
    LQ_TYPE_Q4_1 = 3,     /**< 4-bit, blocks of 32, scale and minimum. */
    LQ_TYPE_Q5_0 = 6,     /**< 5-bit, blocks of 32, one scale. */
    LQ_TYPE_Q5_1 = 7,     /**< 5-bit, blocks of 32, scale and minimum. */
    LQ_TYPE_Q8_0 = 8,     /**< 8-bit, blocks of 32, one scale. */
    LQ_TYPE_Q8_1 = 9,     /**< 8-bit, blocks of 32, scale and sum (activations). */
    LQ_TYPE_Q2_K = 10,    /**< 2-bit k-quant, super-blocks of 256. */
    LQ_TYPE_Q3_K = 11,    /**< 3-bit k-quant. */
    LQ_TYPE_Q4_K = 12,    /**< 4-bit k-quant. */
    LQ_TYPE_Q5_K = 13,    /**< 5-bit k-quant. */
    LQ_TYPE_Q6_K = 14,    /**< 6-bit k-quant. */
    LQ_TYPE_Q8_K = 15,    /**< 8-bit k-quant (activations). */
    LQ_TYPE_IQ2_XXS = 16, /**< 2-bit lattice quant. */
    LQ_TYPE_IQ2_XS = 17,  /**< 2.3-bit lattice quant. */
    LQ_TYPE_IQ3_XXS = 18, /**< 3-bit lattice quant. */
    LQ_TYPE_IQ1_S = 19,   /**< 1.5-bit lattice quant. */
    LQ_TYPE_IQ4_NL = 20,  /**< 4-bit non-linear, blocks of 32. */
    LQ_TYPE_IQ3_S = 21,   /**< 3.4-bit lattice quant. */
    LQ_TYPE_IQ2_S = 22,   /**< 2.5-bit lattice quant. */
    LQ_TYPE_IQ4_XS = 23,  /**< 4.25-bit non-linear, super-blocks of 256. */
    LQ_TYPE_I8 = 24,      /**< 8-bit integer. */
    LQ_TYPE_I16 = 25,     /**< 16-bit integer. */
    LQ_TYPE_I32 = 26,     /**< 32-bit integer. */
    LQ_TYPE_I64 = 27,     /**< 64-bit integer. */
    LQ_TYPE_F64 = 28,     /**< 64-bit IEEE float. */
    LQ_TYPE_IQ1_M = 29,   /**< 1.75-bit lattice quant. */
    LQ_TYPE_BF16 = 30,    /**< bfloat16. */
    LQ_TYPE_TQ1_0 = 34,   /**< Ternary, 1.69 bits. */
    LQ_TYPE_TQ2_0 = 35,   /**< Ternary, 2.06 bits. */
    LQ_TYPE_FORCE_32BIT = 0x7FFFFFFF /**< Keeps the enum 32 bits wide. */
} lq_tensor_type;

/**
 * @brief Name of a tensor type as GGUF tools print it ("q4_K", "f16", ...).
 * @param type A GGUF type id.
 * @return A static string, never NULL; "unknown" for ids that are not types.
 * @since 0.1.0
 */
LQ_API const char *lq_tensor_type_name(uint32_t type);

/** @} */

/** @defgroup lq_model Models
 *  @{ */

/**
 * @brief A loaded model: weights, hyper-parameters, vocabulary, metadata.
 *
 * Immutable after lq_model_load() returns; share it freely between threads
 * and contexts. Free it after every context that uses it.
 * @since 0.1.0
 */
typedef struct lq_model lq_model;

/**
 * @brief Reports progress of long work and lets the caller cancel it.
 * @param progress Fraction done, from 0.0 to 1.0.
 * @param user_data The pointer given with the callback.
 * @return 0 to continue; any other value cancels the work, which then returns
 *         ::LQ_ERR_CANCELLED.
 *
 * Called on the thread that started the work.
 * @since 0.1.0
 */
typedef int32_t (*lq_progress_callback)(float progress, void *user_data);

/** @brief Flags of ::lq_model_options. @since 0.1.0 */
typedef enum lq_model_flags {
    LQ_MODEL_NO_MMAP = 1u << 0,    /**< Read the file into memory instead of mapping it. */
    LQ_MODEL_VOCAB_ONLY = 1u << 1, /**< Load metadata and vocabulary only (tokenize without weights). */
    LQ_MODEL_METADATA_ONLY = 1u << 2, /**< Validate the file and read its metadata and tensor table only;
                                           any architecture is accepted. For inspection tools. */
    LQ_MODEL_FLAGS_FORCE_32BIT = 0x7FFFFFFF /**< Keeps the enum 32 bits wide. */
} lq_model_flags;

/**
 * @brief Options of lq_model_load().
 * @since 0.1.0
 */
typedef struct lq_model_options {
    uint32_t struct_size;                /**< sizeof(lq_model_options) as the caller knows it. */
    uint32_t flags;                      /**< Bitwise OR of ::lq_model_flags. Default 0. */
    lq_progress_callback progress;       /**< Called while loading; may cancel. Default NULL. */
    void *progress_user_data;            /**< Passed to the progress callback. */
} lq_model_options;

/** @brief Initialiser with all defaults. @since 0.1.0 */
#define LQ_MODEL_OPTIONS_INIT {sizeof(lq_model_options), 0u, NULL, NULL}

/**
 * @brief Sets @p options to the defaults (same as ::LQ_MODEL_OPTIONS_INIT).
 *
 * Writes the whole struct as the loaded library defines it, which is larger
 * than the caller's when the library is newer than the header the caller
 * was built with: code that may meet a newer library (and every language
 * binding mirroring the struct) uses the initialiser macro or sets the
 * defaults and `struct_size` itself instead.
 * @param[out] options Struct to initialise; ignored when NULL.
 * @since 0.1.0
 */
LQ_API void lq_model_options_init(lq_model_options *options);

/**
 * @brief Loads a model file (GGUF).
 *
 * The file is mapped read-only (unless ::LQ_MODEL_NO_MMAP) and validated
 * completely before anything is used: counts, offsets, sizes and types are
 * checked against the file, so a truncated or hostile file fails cleanly.
 *
 * @param[out] model_out Receives the model on success; set to NULL on failure.
 * @param[in] path UTF-8 path of the file.
 * @param[in] options Options, or NULL for defaults.
 * @retval LQ_OK the model is loaded.
 * @retval LQ_ERR_INVALID_ARGUMENT @p model_out or @p path is NULL, or the options are invalid.
 * @retval LQ_ERR_IO the file cannot be opened, read or mapped.
 * @retval LQ_ERR_MODEL_FORMAT the file is not a valid GGUF file.
 * @retval LQ_ERR_UNSUPPORTED valid, but of an architecture or type this build cannot run.
 * @retval LQ_ERR_CANCELLED the progress callback asked to stop.
 * @retval LQ_ERR_OOM memory ran out.
 * @since 0.1.0
 */
LQ_API lq_status lq_model_load(lq_model **model_out, const char *path, const lq_model_options *options);

/**
 * @brief Releases a model. Accepts NULL.
 * @param[in] model The model to free, or NULL.
 *
 * Every context and detokenizer made from the model must be freed first.
 * @since 0.1.0
 */
LQ_API void lq_model_free(lq_model *model);

/**
 * @brief Summary of a model, filled by lq_model_get_info().
 *
 * The caller sets `struct_size`; the library fills the fields that fit.
 * Strings are owned by the model and live as long as it does.
 * @since 0.1.0
 */
typedef struct lq_model_info {
    uint32_t struct_size;        /**< Set by the caller to sizeof(lq_model_info). */
    uint32_t gguf_version;       /**< GGUF version of the file (2 or 3). */
    const char *architecture;    /**< `general.architecture`, e.g. "llama"; "" when absent. */
    const char *name;            /**< `general.name`; "" when absent. */
    uint64_t n_params;           /**< Number of weights (elements of all tensors). */
    uint64_t n_tensor_bytes;     /**< Bytes of tensor data. */
    uint64_t tensor_types_mask;  /**< Bit t is set when a tensor of ::lq_tensor_type t is present. */
    uint32_t n_tensors;          /**< Number of tensors. */
    uint32_t n_vocab;            /**< Vocabulary size; 0 when the file has none. */
    uint32_t n_ctx_train;        /**< Context length the model was trained for; 0 when unknown. */
    uint32_t n_embd;             /**< Embedding width; 0 when unknown. */
    uint32_t n_layer;            /**< Number of transformer blocks; 0 when unknown. */
    uint32_t n_head;             /**< Attention query heads; 0 when unknown. */
    uint32_t n_head_kv;          /**< Attention key/value heads; 0 when unknown. */
    uint32_t reserved;           /**< Zero; keeps the layout free of padding. */
} lq_model_info;

/** @brief Initialiser for ::lq_model_info. @since 0.1.0 */
#define LQ_MODEL_INFO_INIT {sizeof(lq_model_info), 0u, NULL, NULL, 0u, 0u, 0u, 0u, 0u, 0u, 0u, 0u, 0u, 0u, 0u}

/**
 * @brief Describes a model.
 * @param[in] model The model.
 * @param[in,out] info Struct whose @ref lq_model_info::struct_size is set.
 * @retval LQ_OK filled.
 * @retval LQ_ERR_INVALID_ARGUMENT a NULL argument or a struct_size too small.
 * @since 0.1.0
 */
LQ_API lq_status lq_model_get_info(const lq_model *model, lq_model_info *info);

/**
 * @brief Value types of metadata entries, numbered as in GGUF.
 * @since 0.1.0
 */
typedef enum lq_meta_type {
    LQ_META_UINT8 = 0,    /**< Unsigned 8-bit integer. */
    LQ_META_INT8 = 1,     /**< Signed 8-bit integer. */
    LQ_META_UINT16 = 2,   /**< Unsigned 16-bit integer. */
    LQ_META_INT16 = 3,    /**< Signed 16-bit integer. */
    LQ_META_UINT32 = 4,   /**< Unsigned 32-bit integer. */
    LQ_META_INT32 = 5,    /**< Signed 32-bit integer. */
    LQ_META_FLOAT32 = 6,  /**< 32-bit float. */
    LQ_META_BOOL = 7,     /**< Boolean (one byte, 0 or 1). */
    LQ_META_STRING = 8,   /**< UTF-8 string. */
    LQ_META_ARRAY = 9,    /**< Array of one element type (possibly nested). */
    LQ_META_UINT64 = 10,  /**< Unsigned 64-bit integer. */
    LQ_META_INT64 = 11,   /**< Signed 64-bit integer. */
    LQ_META_FLOAT64 = 12, /**< 64-bit float. */
    LQ_META_TYPE_FORCE_32BIT = 0x7FFFFFFF /**< Keeps the enum 32 bits wide. */
} lq_meta_type;

/**
 * @brief Number of metadata entries in the model file.
 * @param[in] model The model.
 * @param[out] count_out Receives the count.
 * @retval LQ_OK done. @retval LQ_ERR_INVALID_ARGUMENT a NULL argument.
 * @since 0.1.0
 */
LQ_API lq_status lq_model_meta_count(const lq_model *model, size_t *count_out);

/**
 * @brief Key of the metadata entry at @p index (file order), NUL-terminated.
 * @param[in] model The model.
 * @param[in] index 0 .. count-1.
 * @param[out] buf Receives the key; may be NULL when @p capacity is 0.
 * @param[in] capacity Bytes available at @p buf.
 * @param[out] needed_out Receives the bytes needed, terminator included.
 * @retval LQ_OK written. @retval LQ_ERR_NOT_FOUND index out of range.
 * @retval LQ_ERR_BUFFER_TOO_SMALL nothing written; see @p needed_out.
 * @retval LQ_ERR_INVALID_ARGUMENT a NULL argument.
 * @since 0.1.0
 */
LQ_API lq_status lq_model_meta_key(const lq_model *model, size_t index, char *buf, size_t capacity,
                                   size_t *needed_out);

/**
 * @brief Type of a metadata entry.
 * @param[in] model The model.
 * @param[in] key Entry key, e.g. "llama.context_length".
 * @param[out] type_out Receives the ::lq_meta_type.
 * @param[out] element_type_out For arrays, the element type; may be NULL.
 * @param[out] count_out For arrays, the element count (1 for scalars); may be NULL.
 * @retval LQ_OK done. @retval LQ_ERR_NOT_FOUND no such key.
 * @retval LQ_ERR_INVALID_ARGUMENT a NULL argument.
 * @since 0.1.0
 */
LQ_API lq_status lq_model_meta_type(const lq_model *model, const char *key, lq_meta_type *type_out,
                                    lq_meta_type *element_type_out, uint64_t *count_out);

/**
 * @brief Any metadata entry as text, NUL-terminated.
 *
 * Strings come out as they are; numbers and booleans in decimal ("true" or
 * "false"); arrays as JSON arrays (strings quoted and escaped).
 * @param[in] model The model.
 * @param[in] key Entry key.
 * @param[out] buf Receives the text; may be NULL when @p capacity is 0.
 * @param[in] capacity Bytes available at @p buf.
 * @param[out] needed_out Receives the bytes needed, terminator included.
 * @retval LQ_OK written. @retval LQ_ERR_NOT_FOUND no such key.
 * @retval LQ_ERR_BUFFER_TOO_SMALL nothing written; see @p needed_out.
 * @retval LQ_ERR_INVALID_ARGUMENT a NULL argument.
 * @since 0.1.0
 */
LQ_API lq_status lq_model_meta_string(const lq_model *model, const char *key, char *buf, size_t capacity,
                                      size_t *needed_out);

/**
 * @brief An integer or boolean metadata entry.
 * @param[in] model The model.
 * @param[in] key Entry key.
 * @param[out] value_out Receives the value. A UINT64 above INT64_MAX is a
 *             ::LQ_ERR_TYPE_MISMATCH.
 * @retval LQ_OK done. @retval LQ_ERR_NOT_FOUND no such key.
 * @retval LQ_ERR_TYPE_MISMATCH the entry is not an integer or boolean.
 * @retval LQ_ERR_INVALID_ARGUMENT a NULL argument.
 * @since 0.1.0
 */
LQ_API lq_status lq_model_meta_int(const lq_model *model, const char *key, int64_t *value_out);

/**
 * @brief A floating-point (or integer) metadata entry as a double.
 * @param[in] model The model.
 * @param[in] key Entry key.
 * @param[out] value_out Receives the value.
 * @retval LQ_OK done. @retval LQ_ERR_NOT_FOUND no such key.
 * @retval LQ_ERR_TYPE_MISMATCH the entry is not a number.
 * @retval LQ_ERR_INVALID_ARGUMENT a NULL argument.
 * @since 0.1.0
 */
LQ_API lq_status lq_model_meta_float(const lq_model *model, const char *key, double *value_out);

/**
 * @brief One tensor of the model file, filled by lq_model_tensor_info().
 * @since 0.1.0
 */
typedef struct lq_tensor_info {
    uint32_t struct_size;  /**< Set by the caller to sizeof(lq_tensor_info). */
    uint32_t type;         /**< Element type, an ::lq_tensor_type value. */
    uint32_t n_dims;       /**< Number of dimensions, 1 to 4. */
    uint32_t reserved;     /**< Zero; keeps the layout free of padding. */
    uint64_t dims[4];      /**< Sizes, dims[0] the contiguous (row) one; unused ones are 1. */
    uint64_t n_elements;   /**< Product of the dimensions. */
    uint64_t n_bytes;      /**< Bytes of data in the file. */
    uint64_t file_offset;  /**< Absolute offset of the data in the file. */
    const char *name;      /**< Tensor name, owned by the model. */
} lq_tensor_info;

/** @brief Initialiser for ::lq_tensor_info. @since 0.1.0 */
#define LQ_TENSOR_INFO_INIT {sizeof(lq_tensor_info), 0u, 0u, 0u, {0u, 0u, 0u, 0u}, 0u, 0u, 0u, NULL}

/**
 * @brief Describes the tensor at @p index (file order, 0 .. n_tensors-1).
 * @param[in] model The model.
 * @param[in] index Tensor index.
 * @param[in,out] info Struct whose @ref lq_tensor_info::struct_size is set.
 * @retval LQ_OK filled. @retval LQ_ERR_NOT_FOUND index out of range.
 * @retval LQ_ERR_INVALID_ARGUMENT a NULL argument or a struct_size too small.
 * @since 0.1.0
 */
LQ_API lq_status lq_model_tensor_info(const lq_model *model, size_t index, lq_tensor_info *info);

/** @} */

/** @defgroup lq_tokenizer Tokenization
 *  @{ */

/**
 * @brief Tokenizer algorithms, as named by the GGUF key `tokenizer.ggml.model`.
 * @since 0.1.0
 */
typedef enum lq_tokenizer_type {
    LQ_TOKENIZER_SPM = 1,       /**< "llama": SentencePiece BPE with scores and byte fallback. */
    LQ_TOKENIZER_BPE = 2,       /**< "gpt2": byte-level BPE with merges and a regex pre-tokenizer. */
    LQ_TOKENIZER_WORDPIECE = 3, /**< "bert": WordPiece with BERT normalisation (lowercase, no accents). */
    LQ_TOKENIZER_TYPE_FORCE_32BIT = 0x7FFFFFFF /**< Keeps the enum 32 bits wide. */
} lq_tokenizer_type;

/**
 * @brief A model's vocabulary, filled by lq_model_get_vocab_info().
 *
 * Token ids are -1 when the vocabulary has no such token. Strings are owned
 * by the model and live as long as it does.
 * @since 0.1.0
 */
typedef struct lq_vocab_info {
    uint32_t struct_size;      /**< Set by the caller to sizeof(lq_vocab_info). */
    uint32_t tokenizer_type;   /**< An ::lq_tokenizer_type. */
    uint32_t n_tokens;         /**< Number of tokens; valid ids are 0 .. n_tokens-1. */
    int32_t bos;               /**< Beginning of sequence (WordPiece: [CLS]). */
    int32_t eos;               /**< End of sequence. */
    int32_t eot;               /**< End of turn (e.g. `<|eot_id|>`, `<|im_end|>`). */
    int32_t eom;               /**< End of message (`<|eom_id|>`). */
    int32_t unk;               /**< Unknown token. */
    int32_t sep;               /**< Separator (WordPiece: [SEP]). */
    int32_t pad;               /**< Padding. */
    int32_t cls;               /**< Classification ([CLS]). */
    int32_t mask;              /**< Mask ([MASK]). */
    int32_t fim_pre;           /**< Fill-in-the-middle: prefix. */
    int32_t fim_suf;           /**< Fill-in-the-middle: suffix. */
    int32_t fim_mid;           /**< Fill-in-the-middle: middle. */
    int32_t fim_pad;           /**< Fill-in-the-middle: padding. */
    int32_t fim_rep;           /**< Fill-in-the-middle: repository name. */
    int32_t fim_sep;           /**< Fill-in-the-middle: file separator. */
    uint32_t add_bos;          /**< 1 when ::LQ_TOKENIZE_ADD_SPECIAL puts @ref bos first. */
    uint32_t add_eos;          /**< 1 when ::LQ_TOKENIZE_ADD_SPECIAL puts @ref eos last (WordPiece: @ref sep). */
    uint32_t add_space_prefix; /**< 1 when SentencePiece puts a space in front of the text. */
    uint32_t reserved;         /**< Zero; keeps the layout free of padding. */
    const char *model;         /**< `tokenizer.ggml.model`: "llama", "gpt2" or "bert". */
    const char *pre;           /**< Pre-tokenizer: for "gpt2" the one in use ("llama3", "qwen2", ...), else `tokenizer.ggml.pre` or "". */
} lq_vocab_info;

/** @brief Initialiser for ::lq_vocab_info. @since 0.1.0 */
#define LQ_VOCAB_INFO_INIT                                                                                        \
    {sizeof(lq_vocab_info), 0u, 0u, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 0u, 0u, 0u, 0u, \
     NULL, NULL}

/**
 * @brief Describes the vocabulary of a model.
 * @param[in] model The model.
 * @param[in,out] info Struct whose @ref lq_vocab_info::struct_size is set.
 * @retval LQ_OK filled.
 * @retval LQ_ERR_NOT_FOUND the model has no vocabulary (its file has none, or it
 *         was loaded with ::LQ_MODEL_METADATA_ONLY).
 * @retval LQ_ERR_INVALID_ARGUMENT a NULL argument or a struct_size too small.
 *
 * Thread-safe on a shared model.
 * @since 0.1.0
 */
LQ_API lq_status lq_model_get_vocab_info(const lq_model *model, lq_vocab_info *info);

/** @brief Flags of lq_tokenize(). @since 0.1.0 */
typedef enum lq_tokenize_flags {
    LQ_TOKENIZE_ADD_SPECIAL = 1u << 0,   /**< Add BOS and EOS as the model's metadata says (see ::lq_vocab_info). */
    LQ_TOKENIZE_PARSE_SPECIAL = 1u << 1, /**< Turn the text of control tokens (`<|im_start|>`, `<s>`) into those
                                              tokens. Off by default, so that user text cannot forge them. */
    LQ_TOKENIZE_FLAGS_FORCE_32BIT = 0x7FFFFFFF /**< Keeps the enum 32 bits wide. */
} lq_tokenize_flags;

/**
 * @brief Turns text into token ids.
 *
 * Driven by the model's GGUF metadata alone. Added ("user-defined") tokens
 * are always recognised in the text; control tokens only with
 * ::LQ_TOKENIZE_PARSE_SPECIAL.
 *
 * Any bytes are accepted. Invalid UTF-8 gives a defined result: SentencePiece
 * writes each invalid byte as its byte-fallback token `<0xXX>`, byte-level
 * BPE encodes the bytes as they are (both round-trip exactly through
 * lq_detokenize()), and WordPiece drops them, as BERT drops U+FFFD. NUL bytes
 * are ordinary characters.
 *
 * Text usually gives far fewer tokens than bytes; a buffer of @p text_len + 4
 * ids is enough for nearly all input. When the buffer is too small the call
 * reports the exact count, so a second call with that capacity succeeds.
 *
 * @param[in] model The model (loaded with or without weights).
 * @param[in] text UTF-8 text; may be NULL when @p text_len is 0.
 * @param[in] text_len Bytes of @p text; at most 1 GiB.
 * @param[in] flags Bitwise OR of ::lq_tokenize_flags.
 * @param[out] tokens Receives the ids; may be NULL when @p capacity is 0.
 * @param[in] capacity Number of ids @p tokens can hold.
 * @param[out] n_tokens_out Receives the number of ids, also when they do not fit.
 * @retval LQ_OK written.
 * @retval LQ_ERR_BUFFER_TOO_SMALL nothing written; see @p n_tokens_out.
 * @retval LQ_ERR_NOT_FOUND the model has no vocabulary.
 * @retval LQ_ERR_INVALID_ARGUMENT a NULL argument, unknown flags, or text longer than 1 GiB.
 * @retval LQ_ERR_OOM memory ran out.
 *
 * Thread-safe: any number of threads may tokenize with one model at once.
 * @since 0.1.0
 */
LQ_API lq_status lq_tokenize(const lq_model *model, const char *text, size_t text_len, uint32_t flags,
                             int32_t *tokens, size_t capacity, size_t *n_tokens_out);

/** @brief Flags of lq_detokenize(), lq_token_to_piece() and lq_detokenizer_create(). @since 0.1.0 */
typedef enum lq_detokenize_flags {
    LQ_DETOKENIZE_RENDER_SPECIAL = 1u << 0,     /**< Write the text of control, unknown and unused tokens
                                                     (`<s>`, `<|im_end|>`); by default they give no text. */
    LQ_DETOKENIZE_KEEP_LEADING_SPACE = 1u << 1, /**< Keep the space a SentencePiece vocabulary puts in front of
                                                     text (and WordPiece's word-start space): use it when the
                                                     tokens continue earlier text, as in generation. */
    LQ_DETOKENIZE_FLAGS_FORCE_32BIT = 0x7FFFFFFF /**< Keeps the enum 32 bits wide. */
} lq_detokenize_flags;

/**
 * @brief Turns token ids back into text.
 *
 * For SentencePiece and byte-level BPE vocabularies, detokenizing the result
 * of lq_tokenize() (with the same special-token handling) gives back the
 * original bytes exactly. By default, the space a SentencePiece tokenizer
 * inserted in front of the text (and after each special token) is removed
 * again; see ::LQ_DETOKENIZE_KEEP_LEADING_SPACE.
 *
 * @param[in] model The model.
 * @param[in] tokens Token ids; may be NULL when @p n_tokens is 0.
 * @param[in] n_tokens Number of ids.
 * @param[in] flags Bitwise OR of ::lq_detokenize_flags.
 * @param[out] text Receives the text and a NUL terminator; may be NULL when
 *             @p capacity is 0. The text may itself contain NUL bytes (a
 *             `<0x00>` token): its length is `*needed_out - 1`.
 * @param[in] capacity Bytes available at @p text.
 * @param[out] needed_out Receives the bytes needed, terminator included.
 * @retval LQ_OK written.
 * @retval LQ_ERR_BUFFER_TOO_SMALL nothing written; see @p needed_out.
 * @retval LQ_ERR_INVALID_ARGUMENT a NULL argument, unknown flags, or a token id
 *         outside the vocabulary (the message names it).
 * @retval LQ_ERR_NOT_FOUND the model has no vocabulary.
 * @retval LQ_ERR_OOM memory ran out.
 *
 * Thread-safe on a shared model.
 * @since 0.1.0
 */
LQ_API lq_status lq_detokenize(const lq_model *model, const int32_t *tokens, size_t n_tokens, uint32_t flags,
                               char *text, size_t capacity, size_t *needed_out);

/**
 * @brief The bytes one token stands for.
 *
 * No space is removed. A piece may be part of a UTF-8 character (byte
 * tokens); use a streaming detokenizer to assemble generated text.
 *
 * @param[in] model The model.
 * @param[in] token A token id.
 * @param[in] flags ::LQ_DETOKENIZE_RENDER_SPECIAL or 0.
 * @param[out] piece Receives the bytes and a NUL terminator; may be NULL when
 *             @p capacity is 0. The length of the piece is `*needed_out - 1`.
 * @param[in] capacity Bytes available at @p piece.
 * @param[out] needed_out Receives the bytes needed, terminator included.
 * @retval LQ_OK written.
 * @retval LQ_ERR_BUFFER_TOO_SMALL nothing written; see @p needed_out.
 * @retval LQ_ERR_INVALID_ARGUMENT a NULL argument, unknown flags or an invalid token id.
 * @retval LQ_ERR_NOT_FOUND the model has no vocabulary.
 *
 * Thread-safe on a shared model.
 * @since 0.1.0
 */
LQ_API lq_status lq_token_to_piece(const lq_model *model, int32_t token, uint32_t flags, char *piece,
                                   size_t capacity, size_t *needed_out);

/** @brief Attribute bits of a token, from lq_token_attributes(). @since 0.1.0 */
typedef enum lq_token_attribute {
    LQ_TOKEN_NORMAL = 1u << 0,            /**< Ordinary text. */
    LQ_TOKEN_CONTROL = 1u << 1,           /**< Not text: BOS, EOS, chat-format markers. */
    LQ_TOKEN_USER_DEFINED = 1u << 2,      /**< Added text, always recognised whole in input. */
    LQ_TOKEN_BYTE = 1u << 3,              /**< A SentencePiece byte-fallback token `<0xXX>`. */
    LQ_TOKEN_UNKNOWN = 1u << 4,           /**< The unknown token. */
    LQ_TOKEN_UNUSED = 1u << 5,            /**< Reserved; never produced by tokenization. */
    LQ_TOKEN_END_OF_GENERATION = 1u << 6, /**< Ends generation: EOS, EOT, EOM and similar markers. */
    LQ_TOKEN_ATTRIBUTE_FORCE_32BIT = 0x7FFFFFFF /**< Keeps the enum 32 bits wide. */
} lq_token_attribute;

/**
 * @brief The attributes of a token.
 * @param[in] model The model.
 * @param[in] token A token id.
 * @param[out] attributes_out Receives a bitwise OR of ::lq_token_attribute.
 * @retval LQ_OK done.
 * @retval LQ_ERR_INVALID_ARGUMENT a NULL argument or an invalid token id.
 * @retval LQ_ERR_NOT_FOUND the model has no vocabulary.
 *
 * Thread-safe on a shared model.
 * @since 0.1.0
 */
LQ_API lq_status lq_token_attributes(const lq_model *model, int32_t token, uint32_t *attributes_out);

/**
 * @brief Turns a stream of tokens into text, one token at a time, without
 *        ever splitting a UTF-8 character.
 *
 * Bytes that end in an incomplete character are held back until the rest
 * arrives (or lq_detokenizer_flush() is called); bytes that can no longer
 * become a valid character are passed through. Everything the pushes and the
 * final flush return, concatenated, equals lq_detokenize() of the same tokens
 * with the same flags.
 *
 * Used by one thread at a time; different detokenizers may run concurrently.
 * Free it before its model.
 * @since 0.1.0
 */
typedef struct lq_detokenizer lq_detokenizer;

/**
 * @brief Creates a streaming detokenizer.
 * @param[in] model The model whose vocabulary to use; must outlive the detokenizer.
 * @param[in] flags Bitwise OR of ::lq_detokenize_flags. For generated text,
 *            ::LQ_DETOKENIZE_KEEP_LEADING_SPACE is usually wanted.
 * @param[out] detokenizer_out Receives the detokenizer; NULL on failure.
 *             Release it with lq_detokenizer_free().
 * @retval LQ_OK created.
 * @retval LQ_ERR_INVALID_ARGUMENT a NULL argument or unknown flags.
 * @retval LQ_ERR_NOT_FOUND the model has no vocabulary.
 * @retval LQ_ERR_OOM memory ran out.
 * @since 0.1.0
 */
LQ_API lq_status lq_detokenizer_create(const lq_model *model, uint32_t flags, lq_detokenizer **detokenizer_out);

/**
 * @brief Adds one token and returns the text that is complete now.
 * @param[in,out] detokenizer The detokenizer.
 * @param[in] token A token id.
 * @param[out] text Receives the ready bytes and a NUL terminator (possibly
 *             just the terminator); may be NULL when @p capacity is 0. The
 *             length is `*needed_out - 1`.
 * @param[in] capacity Bytes available at @p text.
 * @param[out] needed_out Receives the bytes needed, terminator included.
 * @retval LQ_OK the token was added and its text written.
 * @retval LQ_ERR_BUFFER_TOO_SMALL nothing written and the token not added;
 *         call again with the same token and a buffer of `*needed_out` bytes.
 * @retval LQ_ERR_INVALID_ARGUMENT a NULL argument or an invalid token id (the
 *         detokenizer is unchanged).
 * @retval LQ_ERR_OOM memory ran out.
 * @since 0.1.0
 */
LQ_API lq_status lq_detokenizer_push(lq_detokenizer *detokenizer, int32_t token, char *text, size_t capacity,
                                     size_t *needed_out);

/**
 * @brief Ends the stream: returns the bytes still held back and starts a new
 *        sequence, as if the detokenizer had just been created.
 * @param[in,out] detokenizer The detokenizer.
 * @param[out] text Receives the bytes (an incomplete character, or nothing)
 *             and a NUL terminator; may be NULL when @p capacity is 0. The
 *             length is `*needed_out - 1`.
 * @param[in] capacity Bytes available at @p text; 4 always suffice.
 * @param[out] needed_out Receives the bytes needed, terminator included.
 * @retval LQ_OK written and reset.
 * @retval LQ_ERR_BUFFER_TOO_SMALL nothing written and nothing changed.
 * @retval LQ_ERR_INVALID_ARGUMENT a NULL argument.
 * @since 0.1.0
 */
LQ_API lq_status lq_detokenizer_flush(lq_detokenizer *detokenizer, char *text, size_t capacity, size_t *needed_out);

/**
 * @brief Releases a streaming detokenizer. Accepts NULL.
 * @param[in] detokenizer The detokenizer, or NULL.
 * @since 0.1.0
 */
LQ_API void lq_detokenizer_free(lq_detokenizer *detokenizer);

/** @} */

/** @defgroup lq_context Contexts and evaluation
 *  @{ */

/**
 * @brief The mutable state of running a model on one sequence: its key/value
 *        cache, working buffers and threads.
 *
 * Many contexts may share one model, each used by one thread at a time.
 * lq_context_cancel() is the one call that may come from any thread.
 * @since 0.1.0
 */
typedef struct lq_context lq_context;

/** @brief Compute backends. @since 0.1.0 */
typedef enum lq_backend {
    LQ_BACKEND_CPU = 0,    /**< Portable CPU backend (SIMD where the CPU has it). */
    LQ_BACKEND_ONEDNN = 1, /**< oneDNN INT8 on x86. */
    LQ_BACKEND_VULKAN = 2, /**< Vulkan compute shaders on any GPU. */
    LQ_BACKEND_AUTO = 3,   /**< The best backend available for the model (the CPU when no other is). @since 0.2.0 */
    LQ_BACKEND_FORCE_32BIT = 0x7FFFFFFF /**< Keeps the enum 32 bits wide. */
} lq_backend;

/**
 * @brief A backend as this build and machine see it, filled by lq_backend_get_info().
 *
 * The strings are owned by the library and live as long as the process.
 * @since 0.2.0
 */
typedef struct lq_backend_info {
    uint32_t struct_size; /**< Set by the caller to sizeof(lq_backend_info). */
    uint32_t backend;     /**< The ::lq_backend this entry describes. */
    uint32_t available;   /**< 1 when a context can run on it here, else 0. */
    uint32_t reserved;    /**< Zero. */
    const char *name;     /**< Its name: "cpu", "onednn" or "vulkan" (what `lq --backend` takes). */
    const char *device;   /**< The device it runs on when available (e.g. "host CPU, avx2 kernels"), else "". */
    const char *reason;   /**< Why it is not available ("built without Vulkan", ...), else "". */
} lq_backend_info;

/** @brief Initialiser for ::lq_backend_info. @since 0.2.0 */
#define LQ_BACKEND_INFO_INIT {sizeof(lq_backend_info), 0u, 0u, 0u, NULL, NULL, NULL}

/**
 * @brief The number of backends this library knows (built or not); the
 *        indices of lq_backend_get_info() run from 0 to this minus one.
 * @return The count (at least 1: the CPU backend is always built).
 * @since 0.2.0
 */
LQ_API size_t lq_backend_count(void);

/**
 * @brief Describes backend number @p index, probing it on first use.
 *
 * Every backend libquant knows is listed, including those this build lacks
 * or this machine cannot run, each with the reason.
 * @param[in] index From 0 to lq_backend_count() - 1.
 * @param[in,out] info Struct whose `struct_size` is set.
 * @retval LQ_OK filled.
 * @retval LQ_ERR_INVALID_ARGUMENT a NULL @p info or a struct_size too small.
 * @retval LQ_ERR_NOT_FOUND @p index is out of range.
 * @since 0.2.0
 */
LQ_API lq_status lq_backend_get_info(size_t index, lq_backend_info *info);

/**
 * @brief Options of lq_context_create().
 * @since 0.1.0
 */
typedef struct lq_context_options {
    uint32_t struct_size; /**< sizeof(lq_context_options) as the caller knows it. */
    uint32_t n_ctx;       /**< Context length in tokens; 0: the model's training length, at most 4096. */
    uint32_t n_batch;     /**< Tokens evaluated per forward pass; 0 means 512; at most n_ctx (larger values are lowered to it). */
    uint32_t n_threads;   /**< Threads; 0: all hardware threads. */
    uint32_t kv_type;     /**< Key/value cache type: ::LQ_TYPE_F16 (default), ::LQ_TYPE_F32 or ::LQ_TYPE_Q8_0. */
    uint32_t backend;     /**< An ::lq_backend; default ::LQ_BACKEND_CPU. ::LQ_BACKEND_AUTO picks the best available. */
} lq_context_options;

/** @brief Initialiser with all defaults. @since 0.1.0 */
#define LQ_CONTEXT_OPTIONS_INIT {sizeof(lq_context_options), 0u, 512u, 0u, (uint32_t)LQ_TYPE_F16, (uint32_t)LQ_BACKEND_CPU}

/**
 * @brief Sets @p options to the defaults (same as ::LQ_CONTEXT_OPTIONS_INIT).
 *
 * Writes the whole struct as the loaded library defines it, which is larger
 * than the caller's when the library is newer than the header the caller
 * was built with: code that may meet a newer library (and every language
 * binding mirroring the struct) uses the initialiser macro or sets the
 * defaults and `struct_size` itself instead.
 * @param[out] options Struct to initialise; ignored when NULL.
 * @since 0.1.0
 */
LQ_API void lq_context_options_init(lq_context_options *options);

/**
 * @brief Creates a context for @p model.
 * @param[out] context_out Receives the context; NULL on failure.
 * @param[in] model A model loaded with weights. It must outlive the context.
 * @param[in] options Options, or NULL for defaults.
 * @retval LQ_OK created.
 * @retval LQ_ERR_INVALID_ARGUMENT a NULL argument, bad options, or a model loaded without weights.
 * @retval LQ_ERR_UNSUPPORTED the backend or cache type is not available in this build, on this machine or
 *         for this model; the message gives the reason (see lq_backend_get_info()).
 * @retval LQ_ERR_OOM the key/value cache or buffers cannot be allocated.
 * @since 0.1.0
 */
LQ_API lq_status lq_context_create(lq_context **context_out, const lq_model *model, const lq_context_options *options);

/**
 * @brief Releases a context. Accepts NULL.
 * @param[in] context The context to free, or NULL. No call may be running on it.
 * @since 0.1.0
 */
LQ_API void lq_context_free(lq_context *context);

/**
 * @brief Facts about a context, filled by lq_context_get_info().
 * @since 0.1.0
 */
typedef struct lq_context_info {
    uint32_t struct_size;   /**< Set by the caller to sizeof(lq_context_info). */
    uint32_t n_ctx;         /**< Context length in tokens. */
    uint32_t n_past;        /**< Positions in use (tokens evaluated and kept). */
    uint32_t n_batch;       /**< Tokens per forward pass. */
    uint32_t n_threads;     /**< Threads used. */
    uint32_t n_vocab;       /**< Logits per token. */
    uint32_t kv_type;       /**< Type of the key/value cache. */
    uint32_t backend;       /**< The ::lq_backend in use (never ::LQ_BACKEND_AUTO). */
    uint64_t kv_bytes;      /**< Memory of the key/value cache. */
} lq_context_info;

/** @brief Initialiser for ::lq_context_info. @since 0.1.0 */
#define LQ_CONTEXT_INFO_INIT {sizeof(lq_context_info), 0u, 0u, 0u, 0u, 0u, 0u, 0u, 0u}

/**
 * @brief Describes a context.
 * @param[in] context The context.
 * @param[in,out] info Struct whose `struct_size` is set.
 * @retval LQ_OK filled. @retval LQ_ERR_INVALID_ARGUMENT a NULL argument or a struct_size too small.
 * @since 0.1.0
 */
LQ_API lq_status lq_context_get_info(const lq_context *context, lq_context_info *info);

/** @brief Flags of lq_context_eval(). @since 0.1.0 */
typedef enum lq_eval_flags {
    LQ_EVAL_ALL_LOGITS = 1u << 0, /**< Return the logits of every token, not just the last. */
    LQ_EVAL_FLAGS_FORCE_32BIT = 0x7FFFFFFF /**< Keeps the enum 32 bits wide. */
} lq_eval_flags;

/**
 * @brief Evaluates tokens after those already in the context and returns logits.
 *
 * The tokens take the next positions of the context. Logits are raw
 * (before softmax), n_vocab floats per token.
 * @param[in] context The context.
 * @param[in] tokens Token ids, each below n_vocab.
 * @param[in] n_tokens Number of tokens, at least 1.
 * @param[in] flags Bitwise OR of ::lq_eval_flags.
 * @param[out] logits Receives n_vocab floats (or n_tokens * n_vocab with
 *             ::LQ_EVAL_ALL_LOGITS); may be NULL to only fill the cache.
 * @param[in] logits_capacity Floats available at @p logits.
 * @retval LQ_OK evaluated.
 * @retval LQ_ERR_CONTEXT_FULL the tokens do not fit in the remaining positions; nothing changed.
 * @retval LQ_ERR_BUFFER_TOO_SMALL @p logits_capacity is too small; nothing changed.
 * @retval LQ_ERR_INVALID_ARGUMENT a NULL argument, no tokens, or a token outside the vocabulary.
 * @retval LQ_ERR_CANCELLED lq_context_cancel() stopped it; the tokens were not kept.
 * @since 0.1.0
 */
LQ_API lq_status lq_context_eval(lq_context *context, const int32_t *tokens, size_t n_tokens, uint32_t flags,
                                 float *logits, size_t logits_capacity);

/**
 * @brief Forgets every position: the context starts a new sequence.
 * @param[in] context The context.
 * @retval LQ_OK done. @retval LQ_ERR_INVALID_ARGUMENT NULL context.
 * @since 0.1.0
 */
LQ_API lq_status lq_context_reset(lq_context *context);

/**
 * @brief Forgets the positions from @p n_keep on (to rewind a sequence).
 * @param[in] context The context.
 * @param[in] n_keep Positions to keep, at most the number in use.
 * @retval LQ_OK done. @retval LQ_ERR_INVALID_ARGUMENT NULL context or @p n_keep too large.
 * @since 0.1.0
 */
LQ_API lq_status lq_context_truncate(lq_context *context, uint32_t n_keep);

/**
 * @brief Asks the evaluation or generation running in @p context to stop.
 *
 * Callable from any thread. The running call (or, if none runs, the next
 * one) returns ::LQ_ERR_CANCELLED within one layer's work.
 * @param[in] context The context.
 * @retval LQ_OK requested. @retval LQ_ERR_INVALID_ARGUMENT NULL context.
 * @since 0.1.0
 */
LQ_API lq_status lq_context_cancel(lq_context *context);

/**
 * @brief Withdraws a cancellation request that no call has acted on yet.
 *
 * lq_context_cancel() called while no evaluation runs, or just as one ends,
 * stays pending and cancels the next call. A caller that ties cancellation
 * to one call (a language binding's cancellation token, a timeout) calls
 * this after that call returns, so that a late request does not cancel the
 * following one. Callable from any thread.
 * @param[in] context The context.
 * @retval LQ_OK no request is pending now. @retval LQ_ERR_INVALID_ARGUMENT NULL context.
 * @since 0.2.0
 */
LQ_API lq_status lq_context_clear_cancel(lq_context *context);

/**
 * @brief Saves the context's state (its tokens and key/value cache) to a
 *        session file, so that a later context can skip evaluating them.
 *
 * The file has its own magic, a version, a checksum, and the fingerprint
 * of the model (a hash of the whole model file) and the cache type; its
 * cache is zstd-compressed. It is written to a temporary name and renamed
 * into place. docs/formats.md describes the layout.
 * @param[in] context The context (its backend must be able to read its cache back: CPU and oneDNN).
 * @param[in] path The file to write.
 * @retval LQ_OK saved.
 * @retval LQ_ERR_IO the file cannot be written.
 * @retval LQ_ERR_UNSUPPORTED the context's backend cannot save its cache (Vulkan, for now).
 * @retval LQ_ERR_INVALID_ARGUMENT a NULL argument.
 * @retval LQ_ERR_OOM memory ran out.
 * @since 0.2.0
 */
LQ_API lq_status lq_context_save_session(lq_context *context, const char *path);

/**
 * @brief Restores a session file saved by lq_context_save_session().
 *
 * Everything is checked before the context changes; on any failure it
 * keeps its state. The context needs the same model file and cache type,
 * and at least as many positions as the session holds. A following
 * lq_generate() reuses the restored tokens as a cached prompt prefix.
 * @param[in] context The context.
 * @param[in] path The session file.
 * @retval LQ_OK restored.
 * @retval LQ_ERR_IO the file cannot be read.
 * @retval LQ_ERR_MODEL_FORMAT not a session, truncated or corrupt.
 * @retval LQ_ERR_TYPE_MISMATCH saved with another model or another cache type.
 * @retval LQ_ERR_CONTEXT_FULL the session holds more positions than the context.
 * @retval LQ_ERR_UNSUPPORTED a newer session version, a compressed session in a build without zstd,
 *         or a backend that cannot restore its cache.
 * @retval LQ_ERR_INVALID_ARGUMENT a NULL argument.
 * @since 0.2.0
 */
LQ_API lq_status lq_context_load_session(lq_context *context, const char *path);

/**
 * @brief Saves the context's state into memory, in the session-file format.
 * @param[in] context The context.
 * @param[out] buf Receives the session; may be NULL when @p capacity is 0.
 * @param[in] capacity Bytes available at @p buf.
 * @param[out] needed_out Receives the session's size in bytes.
 * @retval LQ_OK written. @retval LQ_ERR_BUFFER_TOO_SMALL nothing written; see @p needed_out.
 * @retval LQ_ERR_UNSUPPORTED the backend cannot save its cache. @retval LQ_ERR_INVALID_ARGUMENT a NULL argument.
 * @since 0.2.0
 */
LQ_API lq_status lq_context_save_session_buffer(lq_context *context, void *buf, size_t capacity, size_t *needed_out);

/**
 * @brief Restores a session from memory (see lq_context_load_session() for the checks and statuses).
 * @param[in] context The context.
 * @param[in] data The session bytes.
 * @param[in] size Their number.
 * @retval LQ_OK restored; otherwise as lq_context_load_session(), and the context is unchanged.
 * @since 0.2.0
 */
LQ_API lq_status lq_context_load_session_buffer(lq_context *context, const void *data, size_t size);

/** @} */

/** @defgroup lq_generate Generation
 *  @{ */

/**
 * @brief Receives generated text as it becomes ready.
 * @param text UTF-8 text, never a partial character (except possibly in the
 *        final call if the model itself produced invalid UTF-8); not
 *        NUL-terminated; valid only during the call.
 * @param text_len Bytes of @p text.
 * @param token The token that completed the text, or -1 for the final
 *        release of held-back text.
 * @param user_data The pointer given in ::lq_generate_options.
 * @return 0 to continue, any other value to stop (::LQ_STOP_CALLBACK).
 *
 * Called on the thread that called lq_generate(); must not call into the
 * same context.
 * @since 0.1.0
 */
typedef int32_t (*lq_token_callback)(const char *text, size_t text_len, int32_t token, void *user_data);

/** @brief Flags of ::lq_generate_options. @since 0.1.0 */
typedef enum lq_generate_flags {
    LQ_GENERATE_NO_SPECIAL = 1u << 0,    /**< Do not add BOS/EOS to a text prompt. */
    LQ_GENERATE_PARSE_SPECIAL = 1u << 1, /**< Turn special-token text in the prompt (e.g. `<|im_start|>`) into those tokens. */
    LQ_GENERATE_FLAGS_FORCE_32BIT = 0x7FFFFFFF /**< Keeps the enum 32 bits wide. */
} lq_generate_flags;

/** @brief The seed value that asks for a random seed. @since 0.1.0 */
#define LQ_SEED_RANDOM UINT64_MAX

/**
 * @brief Options of lq_generate(): the prompt, the sampling chain, stopping
 *        rules and the streaming callback.
 *
 * Sampling applies, in order: repetition/frequency/presence penalties,
 * top-k, top-p, min-p, temperature. A temperature of 0 or less is greedy.
 * @since 0.1.0
 */
typedef struct lq_generate_options {
    uint32_t struct_size;             /**< sizeof(lq_generate_options) as the caller knows it. */
    uint32_t flags;                   /**< Bitwise OR of ::lq_generate_flags. */
    const char *prompt;               /**< UTF-8 prompt text, or NULL to use @ref prompt_tokens. */
    size_t prompt_len;                /**< Bytes of @ref prompt. */
    const int32_t *prompt_tokens;     /**< Prompt as token ids (used when @ref prompt is NULL). */
    size_t n_prompt_tokens;           /**< Number of @ref prompt_tokens. */
    int32_t max_tokens;               /**< Tokens to generate at most; negative: until the context is full. Default 256. */
    float temperature;                /**< Default 0.8; 0 or less: greedy. */
    int32_t top_k;                    /**< Default 40; 0: off. */
    float top_p;                      /**< Default 0.95; 1: off. */
    float min_p;                      /**< Default 0.05; 0: off. */
    float repeat_penalty;             /**< Default 1 (off). */
    int32_t repeat_last_n;            /**< Recent tokens the penalties consider; default 64, -1: all. */
    float frequency_penalty;          /**< Default 0. */
    float presence_penalty;           /**< Default 0. */
    uint32_t reserved;                /**< Zero; keeps the layout free of padding. */
    uint64_t seed;                    /**< Same seed, same output; ::LQ_SEED_RANDOM (default) picks one. */
    const char *const *stop;          /**< Stop strings (UTF-8, NUL-terminated); the text stops before them. */
    size_t n_stop;                    /**< Number of @ref stop strings. */
    lq_token_callback on_text;        /**< Streaming callback, or NULL. */
    void *user_data;                  /**< Passed to @ref on_text. */
} lq_generate_options;

/** @brief Initialiser with all defaults. @since 0.1.0 */
#define LQ_GENERATE_OPTIONS_INIT                                                                                  \
    {sizeof(lq_generate_options), 0u, NULL, 0u, NULL, 0u, 256, 0.8f, 40, 0.95f, 0.05f, 1.0f, 64, 0.0f, 0.0f, 0u, \
     LQ_SEED_RANDOM, NULL, 0u, NULL, NULL}

/**
 * @brief Sets @p options to the defaults (same as ::LQ_GENERATE_OPTIONS_INIT).
 *
 * Writes the whole struct as the loaded library defines it, which is larger
 * than the caller's when the library is newer than the header the caller
 * was built with: code that may meet a newer library (and every language
 * binding mirroring the struct) uses the initialiser macro or sets the
 * defaults and `struct_size` itself instead.
 * @param[out] options Struct to initialise; ignored when NULL.
 * @since 0.1.0
 */
LQ_API void lq_generate_options_init(lq_generate_options *options);

/** @brief Why generation stopped. @since 0.1.0 */
typedef enum lq_stop_reason {
    LQ_STOP_MAX_TOKENS = 0,        /**< max_tokens were generated. */
    LQ_STOP_END_OF_GENERATION = 1, /**< The model produced an end-of-generation token (EOS, EOT, ...). */
    LQ_STOP_STRING = 2,            /**< A stop string appeared. */
    LQ_STOP_CALLBACK = 3,          /**< The callback returned non-zero. */
    LQ_STOP_CONTEXT_FULL = 4,      /**< The context has no positions left. */
    LQ_STOP_CANCELLED = 5,         /**< lq_context_cancel() stopped it; lq_generate() returns ::LQ_ERR_CANCELLED
                                        and fills the result with what was done. @since 0.2.0 */
    LQ_STOP_REASON_FORCE_32BIT = 0x7FFFFFFF /**< Keeps the enum 32 bits wide. */
} lq_stop_reason;

/**
 * @brief What a generation did, filled by lq_generate().
 * @since 0.1.0
 */
typedef struct lq_generate_result {
    uint32_t struct_size;        /**< Set by the caller to sizeof(lq_generate_result). */
    uint32_t stop_reason;        /**< An ::lq_stop_reason. */
    uint32_t n_prompt_tokens;    /**< Tokens in the prompt. */
    uint32_t n_reused_tokens;    /**< Prompt tokens found already evaluated in the context (not recomputed). */
    uint32_t n_generated_tokens; /**< Tokens generated (end-of-generation token excluded). */
    uint32_t reserved;           /**< Zero; keeps the layout free of padding. */
    double prompt_seconds;       /**< Time spent evaluating the prompt. */
    double generate_seconds;     /**< Time spent generating. */
} lq_generate_result;

/** @brief Initialiser for ::lq_generate_result. @since 0.1.0 */
#define LQ_GENERATE_RESULT_INIT {sizeof(lq_generate_result), 0u, 0u, 0u, 0u, 0u, 0.0, 0.0}

/**
 * @brief Generates text after a prompt.
 *
 * The context's cache is reused for the longest prefix of the prompt it
 * already holds (so a chat or an editor that resends a growing prompt pays
 * only for the new part); the rest of the cache is replaced. Text is
 * delivered through the callback as it is ready.
 * @param[in] context The context.
 * @param[in] options The prompt and everything else; must not be NULL.
 * @param[in,out] result Receives what happened; may be NULL.
 * @retval LQ_OK generation ended normally (see ::lq_generate_result::stop_reason).
 * @retval LQ_ERR_CONTEXT_FULL the prompt does not fit in the context.
 * @retval LQ_ERR_INVALID_ARGUMENT a NULL argument, an empty prompt, bad options or a token outside the vocabulary.
 * @retval LQ_ERR_CANCELLED lq_context_cancel() stopped it; @p result is filled (stop reason
 *         ::LQ_STOP_CANCELLED, the tokens generated so far), and the text streamed until then stands.
 * @retval LQ_ERR_UNSUPPORTED the model has no vocabulary.
 * @since 0.1.0
 */
LQ_API lq_status lq_generate(lq_context *context, const lq_generate_options *options, lq_generate_result *result);

/** @} */

/** @defgroup lq_prompt Prompt formats: fill-in-the-middle and chat
 *  @{ */

/** @brief Flags of ::lq_infill_options. @since 0.2.0 */
typedef enum lq_infill_flags {
    /** Suffix before prefix ("SPM": `PRE SUF suffix MID prefix`), the order CodeLlama was also trained on;
     *  by default the prefix comes first ("PSM": `PRE prefix SUF suffix MID`). */
    LQ_INFILL_SUFFIX_FIRST = 1u << 0,
    LQ_INFILL_FLAGS_FORCE_32BIT = 0x7FFFFFFF /**< Keeps the enum 32 bits wide. */
} lq_infill_flags;

/**
 * @brief What to fill in: the text around the cursor and, optionally, other
 *        files of the project (options of lq_infill_prompt() and lq_infill()).
 *
 * The prompt is built from the model's fill-in-the-middle tokens: the GGUF
 * ids `tokenizer.ggml.fim_pre/suf/mid/pad/rep/sep_token_id` (or the older
 * `prefix/suffix/middle_token_id`), else the known token texts of
 * CodeLlama, StarCoder, DeepSeek-Coder, Qwen2.5-Coder and CodeGemma. When
 * the vocabulary has repository and file-separator tokens and a repository
 * name or extra files are given, the extra files
 * use the repository layout `REP repo\n SEP name\n text ... SEP file\n PRE ...`;
 * otherwise each goes in front of the prefix as its name, a newline, its
 * text and a blank line.
 *
 * The token budget is shared 3:1 between prefix and suffix (each side
 * giving the other what it does not need): the prefix keeps its end, next
 * to the cursor, the suffix its beginning. The extra files take what is
 * left, whole, in the order given; the first that does not fit ends them.
 * The user's text never turns into control tokens.
 * @since 0.2.0
 */
typedef struct lq_infill_options {
    uint32_t struct_size;           /**< sizeof(lq_infill_options) as the caller knows it. */
    uint32_t flags;                 /**< Bitwise OR of ::lq_infill_flags. */
    const char *prefix;             /**< UTF-8 text before the cursor; may be NULL when @ref prefix_len is 0. */
    size_t prefix_len;              /**< Bytes of @ref prefix. */
    const char *suffix;             /**< UTF-8 text after the cursor; may be NULL when @ref suffix_len is 0. */
    size_t suffix_len;              /**< Bytes of @ref suffix. */
    const char *const *file_names;  /**< Names (paths) of @ref n_files extra context files, NUL-terminated. */
    const char *const *file_texts;  /**< Their texts, NUL-terminated. */
    size_t n_files;                 /**< Number of extra files; 0 for none. */
    const char *repo_name;          /**< The project's name for the repository layout, or NULL. */
    const char *file_name;          /**< The edited file's name for the repository layout, or NULL. */
    /** The prompt's budget in tokens. 0: lq_infill_prompt() keeps everything; lq_infill() uses the
     *  context's length less the tokens to generate (less a quarter of the context when max_tokens
     *  is negative or larger). */
    uint32_t max_prompt_tokens;
    uint32_t reserved;              /**< Zero. */
} lq_infill_options;

/** @brief Initialiser with all defaults. @since 0.2.0 */
#define LQ_INFILL_OPTIONS_INIT {sizeof(lq_infill_options), 0u, NULL, 0u, NULL, 0u, NULL, NULL, 0u, NULL, NULL, 0u, 0u}

/**
 * @brief Builds the fill-in-the-middle prompt as token ids (to inspect it,
 *        or to generate with lq_generate()'s `prompt_tokens`).
 * @param[in] model The model (weights not needed).
 * @param[in] options What to fill in; must not be NULL.
 * @param[out] tokens Receives the ids; may be NULL when @p capacity is 0.
 * @param[in] capacity Number of ids @p tokens can hold.
 * @param[out] n_tokens_out Receives the number of ids, also when they do not fit.
 * @retval LQ_OK written.
 * @retval LQ_ERR_BUFFER_TOO_SMALL nothing written; see @p n_tokens_out.
 * @retval LQ_ERR_UNSUPPORTED the vocabulary has no fill-in-the-middle tokens (not a code model).
 * @retval LQ_ERR_CONTEXT_FULL the budget cannot hold even the fixed tokens.
 * @retval LQ_ERR_NOT_FOUND the model has no vocabulary.
 * @retval LQ_ERR_INVALID_ARGUMENT a NULL argument or unknown flags.
 * @since 0.2.0
 */
LQ_API lq_status lq_infill_prompt(const lq_model *model, const lq_infill_options *options, int32_t *tokens,
                                  size_t capacity, size_t *n_tokens_out);

/**
 * @brief Generates the text that belongs between the prefix and the suffix.
 *
 * Builds the prompt as lq_infill_prompt() does and generates as
 * lq_generate() does, stopping at the end-of-infill token (EOT, and the
 * FIM pad, repository and separator tokens end generation too). Editors
 * that resend a growing file pay only for the new part: the context's cache
 * is reused for the longest common prefix of the prompt.
 * @param[in] context The context.
 * @param[in] infill What to fill in; must not be NULL.
 * @param[in] generate Sampling, stop strings and streaming, as for lq_generate(); its prompt fields must
 *            be empty. NULL: greedy, at most 128 tokens.
 * @param[in,out] result Receives what happened; may be NULL.
 * @retval LQ_OK generated (see the result's stop reason).
 * @retval LQ_ERR_UNSUPPORTED the model has no fill-in-the-middle tokens.
 * @retval LQ_ERR_CONTEXT_FULL the budget cannot hold the prompt's fixed tokens.
 * @retval LQ_ERR_INVALID_ARGUMENT a NULL argument, unknown flags, or a prompt in @p generate.
 * @retval LQ_ERR_CANCELLED lq_context_cancel() stopped it (the result is filled).
 * @since 0.2.0
 */
LQ_API lq_status lq_infill(lq_context *context, const lq_infill_options *infill, const lq_generate_options *generate,
                           lq_generate_result *result);

/**
 * @brief One turn of a conversation for lq_chat_apply_template().
 *
 * This struct has no size field and never changes.
 * @since 0.2.0
 */
typedef struct lq_chat_message {
    const char *role;    /**< "system", "user" or "assistant" (ChatML and Llama 3 take any role), NUL-terminated. */
    const char *content; /**< The turn's UTF-8 text, NUL-terminated. */
} lq_chat_message;

/** @brief Flags of lq_chat_apply_template(). @since 0.2.0 */
typedef enum lq_chat_flags {
    LQ_CHAT_ADD_ASSISTANT = 1u << 0, /**< End with the header of the assistant's turn, the cue to answer. */
    LQ_CHAT_FLAGS_FORCE_32BIT = 0x7FFFFFFF /**< Keeps the enum 32 bits wide. */
} lq_chat_flags;

/**
 * @brief The chat template family of a model, recognised from its
 *        `tokenizer.chat_template` ("chatml", "llama2", "llama3", "mistral",
 *        "phi3", "gemma", "zephyr", "deepseek", "deepseek3").
 * @param[in] model The model.
 * @param[out] buf Receives the name and a NUL terminator; may be NULL when @p capacity is 0.
 * @param[in] capacity Bytes available at @p buf.
 * @param[out] needed_out Receives the bytes needed, terminator included.
 * @retval LQ_OK written.
 * @retval LQ_ERR_BUFFER_TOO_SMALL nothing written; see @p needed_out.
 * @retval LQ_ERR_NOT_FOUND the model has no chat template.
 * @retval LQ_ERR_UNSUPPORTED the template is of no family libquant knows (the message lists them).
 * @retval LQ_ERR_INVALID_ARGUMENT a NULL argument.
 * @since 0.2.0
 */
LQ_API lq_status lq_chat_template_name(const lq_model *model, char *buf, size_t capacity, size_t *needed_out);

/**
 * @brief Renders a conversation in the text format of the model's chat
 *        template (or of the family named).
 *
 * The template is not executed: its family is recognised from the markers
 * it contains, and libquant renders that family's format. The text leaves
 * out the leading BOS token; generate from it with
 * ::LQ_GENERATE_PARSE_SPECIAL (BOS is added as the model says) or tokenize
 * it with ::LQ_TOKENIZE_ADD_SPECIAL | ::LQ_TOKENIZE_PARSE_SPECIAL. Families
 * without a system turn (Mistral, Gemma) put the system text in front of
 * the first user message.
 * @param[in] model The model whose template to use; may be NULL when @p template_name is given.
 * @param[in] template_name A family name (see lq_chat_template_name()), or NULL for the model's.
 * @param[in] messages The turns; may be NULL when @p n_messages is 0.
 * @param[in] n_messages Number of turns.
 * @param[in] flags Bitwise OR of ::lq_chat_flags.
 * @param[out] buf Receives the text and a NUL terminator; may be NULL when @p capacity is 0.
 * @param[in] capacity Bytes available at @p buf.
 * @param[out] needed_out Receives the bytes needed, terminator included.
 * @retval LQ_OK written.
 * @retval LQ_ERR_BUFFER_TOO_SMALL nothing written; see @p needed_out.
 * @retval LQ_ERR_NOT_FOUND no name was given and the model has no chat template.
 * @retval LQ_ERR_UNSUPPORTED the model's template is of no family libquant knows.
 * @retval LQ_ERR_INVALID_ARGUMENT a NULL argument, unknown flags, an unknown family name (the message
 *         lists the known ones) or a role the family cannot express.
 * @since 0.2.0
 */
LQ_API lq_status lq_chat_apply_template(const lq_model *model, const char *template_name,
                                        const lq_chat_message *messages, size_t n_messages, uint32_t flags,
                                        char *buf, size_t capacity, size_t *needed_out);

/** @} */

/** @defgroup lq_evaluate Evaluation: the loss of a quantized model on your text
 *  @{ */

/**
 * @brief Options of lq_evaluate() and lq_evaluate_text().
 *
 * Windows of @c n_ctx tokens are evaluated from an empty cache, their first
 * token replaced by BOS where the vocabulary adds one. With @c stride 0 the
 * windows are back to back and the second half of each is scored (the
 * protocol of the GGUF runtimes' perplexity tools, so figures compare); with
 * a stride s (1 <= s < n_ctx) a window starts every s tokens and its last s
 * predictions are scored, so each token is predicted with at least
 * n_ctx - s - 1 tokens of context.
 * @since 0.2.0
 */
typedef struct lq_evaluate_options {
    uint32_t struct_size;            /**< sizeof(lq_evaluate_options) as the caller knows it. */
    uint32_t n_ctx;                  /**< Tokens per window; default 512, at least 4. */
    uint32_t stride;                 /**< 0 (default): back-to-back windows, second halves scored; else see above. */
    uint32_t max_windows;            /**< Evaluate at most this many windows; 0: all. */
    uint32_t n_threads;              /**< Threads of each context; 0: all hardware threads. */
    uint32_t backend;                /**< An ::lq_backend for both models; default ::LQ_BACKEND_CPU. */
    const lq_model *reference;       /**< A full-precision model to compare with (same vocabulary), or NULL. */
    lq_progress_callback progress;   /**< Called before each window; returning non-zero cancels. */
    void *progress_user_data;        /**< Passed to the progress callback. */
} lq_evaluate_options;

/** @brief Initialiser with all defaults. @since 0.2.0 */
#define LQ_EVALUATE_OPTIONS_INIT {sizeof(lq_evaluate_options), 512u, 0u, 0u, 0u, (uint32_t)LQ_BACKEND_CPU, NULL, NULL, NULL}

/**
 * @brief What lq_evaluate() measured. The reference fields are 0 without a
 * reference model.
 * @since 0.2.0
 */
typedef struct lq_evaluate_result {
    uint32_t struct_size;               /**< sizeof(lq_evaluate_result) as the caller knows it. */
    uint32_t n_windows;                 /**< Windows evaluated. */
    uint64_t n_scored;                  /**< Predictions scored. */
    double perplexity;                  /**< exp(mean negative log-likelihood of the true next token). */
    double perplexity_error;            /**< Its standard error. */
    double reference_perplexity;        /**< The reference model's perplexity on the same predictions. */
    double reference_perplexity_error;  /**< Its standard error. */
    double kld_mean;                    /**< Mean KL divergence KL(reference || model) of the next-token distributions, in nats. */
    double kld_ci95;                    /**< Half-width of the 95 % confidence interval of kld_mean (1.96 standard errors). */
    double kld_median;                  /**< Median of the per-prediction KL divergences. */
    double kld_p99;                     /**< Their 99th percentile. */
    double kld_max;                     /**< Their maximum. */
    double same_top;                    /**< Fraction of predictions whose most likely token is the reference's. */
    double same_top_error;              /**< Its standard error. */
    double delta_p_mean;                /**< Mean of p_model(true next token) - p_reference(true next token). */
    double delta_p_rms;                 /**< Root mean square of that difference. */
} lq_evaluate_result;

/** @brief Initialiser: sets struct_size, zeroes the rest. @since 0.2.0 */
#define LQ_EVALUATE_RESULT_INIT {sizeof(lq_evaluate_result), 0u, 0u, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0}

/**
 * @brief Evaluates @p model on token ids: perplexity and, with
 * @c options->reference, how far its predictions are from the reference's.
 *
 * This is how to choose a precision: quantize, then evaluate the quantized
 * model against the full-precision one on text of your own task and keep
 * the smallest file whose KL divergence you accept. Creates its own
 * contexts; the models are only read (other threads may use them at once).
 * @param[in] model The model to evaluate.
 * @param[in] tokens Token ids (as lq_tokenize() writes them).
 * @param[in] n_tokens Their count: at least one window.
 * @param[in] options Options, or NULL for the defaults (no reference).
 * @param[out] result Filled on success; its struct_size must be set.
 * @retval LQ_OK measured.
 * @retval LQ_ERR_INVALID_ARGUMENT a NULL pointer, fewer tokens than one window, a stride not below n_ctx,
 *         a token outside the vocabulary, a reference with another vocabulary size.
 * @retval LQ_ERR_UNSUPPORTED the backend is not available (with the reason).
 * @retval LQ_ERR_CANCELLED the progress callback stopped it.
 * @retval LQ_ERR_OOM the contexts do not fit in memory.
 * @since 0.2.0
 */
LQ_API lq_status lq_evaluate(const lq_model *model, const int32_t *tokens, size_t n_tokens,
                             const lq_evaluate_options *options, lq_evaluate_result *result);

/**
 * @brief lq_evaluate() on UTF-8 text, tokenized with the model's special
 * tokens (::LQ_TOKENIZE_ADD_SPECIAL).
 * @param[in] model The model to evaluate.
 * @param[in] text UTF-8 text; invalid sequences are tokenized as the tokenizer does (bytes or unknown).
 * @param[in] length Its length in bytes.
 * @param[in] options Options, or NULL for the defaults.
 * @param[out] result Filled on success; its struct_size must be set.
 * @return As lq_evaluate().
 * @since 0.2.0
 */
LQ_API lq_status lq_evaluate_text(const lq_model *model, const char *text, size_t length,
                                  const lq_evaluate_options *options, lq_evaluate_result *result);

/** @} */

/** @defgroup lq_quantize Quantization
 *  @{ */

/** @brief How weights are rounded. @since 0.1.0 */
typedef enum lq_quant_method {
    LQ_QUANT_RTN = 0,        /**< Round to nearest, with scales searched for the least squared error. */
    LQ_QUANT_GPTQ = 1,       /**< GPTQ: rounding errors compensated with the calibration inputs' Hessian. */
    LQ_QUANT_AWQ = 2,        /**< AWQ: activation-aware per-channel scaling folded into the model, then rounding. */
    LQ_QUANT_IMPORTANCE = 3, /**< Round to nearest, the error of each column weighted by its mean squared input. */
    /** SmoothQuant: each input channel's range moved partly from the activations into the weights
     *  (factors max|x|^alpha / max|w|^(1-alpha) from the calibration text, folded into the model, see
     *  ::lq_quantize_options.smooth_alpha), then rounding as ::LQ_QUANT_IMPORTANCE. Made for W8A8
     *  execution (the oneDNN backend), where per-token activation scales suffer from outlier channels.
     *  @since 0.2.0 */
    LQ_QUANT_SMOOTHQUANT = 4,
    LQ_QUANT_METHOD_FORCE_32BIT = 0x7FFFFFFF /**< Keeps the enum 32 bits wide. */
} lq_quant_method;

/**
 * @brief Reports one line about the work (a tensor's type, a warning).
 * @param line UTF-8 text without a newline, valid during the call.
 * @param user_data The pointer given in the options.
 * @since 0.1.0
 */
typedef void (*lq_message_callback)(const char *line, void *user_data);

/**
 * @brief Options of lq_quantize().
 *
 * The target is a mix or a type name. Mixes: "q8_0", "q6_k", "q5_k_m",
 * "q5_k_s", "q4_k_m", "q4_k_s", "q3_k_m", "q3_k_s", "q2_k", "q5_0", "q5_1",
 * "q4_0", "q4_1", "iq4_nl", "iq4_xs", "f16", "bf16", "f32" (standard GGUF
 * types only: the file loads in other GGUF runtimes) and libquant's
 * "lq-int8", "lq-int4", "lq-int8-row", "lq-int4-g32", "lq-int4-g64",
 * "lq-int4-g128" (which use libquant's own types where GGUF's blocks do not
 * fit; "lq-int4" uses its non-linear lq_nl4/lq_nl5 types for every matrix).
 * A type name ("q4_k", "lq_i4_g64", "lq_nl5", ...) puts every matrix in that
 * type. docs/quantization.md describes each mix and the policy that keeps
 * sensitive tensors wider; docs/formats.md libquant's types.
 * @since 0.1.0
 */
typedef struct lq_quantize_options {
    uint32_t struct_size;               /**< sizeof(lq_quantize_options) as the caller knows it. */
    uint32_t method;                    /**< An ::lq_quant_method; default ::LQ_QUANT_RTN. */
    const char *target;                 /**< Mix or type name; default "q8_0". */
    const char *tensor_types;           /**< Overrides "PATTERN=TYPE,PATTERN=TYPE" (glob patterns on tensor names), or NULL. */
    const char *calibration_path;       /**< Calibration text (or token ids) for GPTQ, AWQ and importance; NULL for RTN. */
    uint32_t calibration_samples;       /**< Calibration sequences; default 64. */
    uint32_t calibration_ctx;           /**< Tokens per calibration sequence; default 256. */
    uint32_t n_threads;                 /**< Threads; 0: all hardware threads. */
    uint32_t flags;                     /**< Bitwise OR of ::lq_quantize_flags. */
    const char *tokenizer_path;         /**< For llama2.c inputs: their tokenizer.bin. */
    lq_progress_callback progress;      /**< Called as work proceeds; may cancel. */
    void *progress_user_data;           /**< Passed to the progress callback. */
    lq_message_callback on_message;     /**< Receives a line per tensor and warnings, or NULL. */
    void *message_user_data;            /**< Passed to the message callback. */
    /** SmoothQuant's migration strength alpha in (0, 1] for ::LQ_QUANT_SMOOTHQUANT and
     *  ::LQ_QUANTIZE_SMOOTH: 0.5 splits each channel's range evenly between activations and weights,
     *  higher values flatten the activations more. 0 means the default, 0.5. @since 0.2.0 */
    float smooth_alpha;
} lq_quantize_options;

/** @brief Flags of ::lq_quantize_options. @since 0.1.0 */
typedef enum lq_quantize_flags {
    LQ_QUANTIZE_GPTQ_NO_ACT_ORDER = 1u << 0, /**< GPTQ: keep the stored order of blocks instead of most important first. */
    /** Round to nearest: choose every block's scales by the exhaustive search instead of the fast candidate
     *  search (10 to 100 times slower, a few percent less error). The calibrated methods always search
     *  exhaustively. @since 0.1.0 */
    LQ_QUANTIZE_EXHAUSTIVE = 1u << 1,
    /** Apply SmoothQuant's smoothing (see ::LQ_QUANT_SMOOTHQUANT) before the method's rounding:
     *  with ::LQ_QUANT_RTN, ::LQ_QUANT_IMPORTANCE or ::LQ_QUANT_GPTQ (not ::LQ_QUANT_AWQ, which scales
     *  channels itself). Needs calibration text. @since 0.2.0 */
    LQ_QUANTIZE_SMOOTH = 1u << 2,
    LQ_QUANTIZE_FLAGS_FORCE_32BIT = 0x7FFFFFFF /**< Keeps the enum 32 bits wide. */
} lq_quantize_flags;

/** @brief Initialiser with all defaults. @since 0.1.0 */
#define LQ_QUANTIZE_OPTIONS_INIT \
    {sizeof(lq_quantize_options), (uint32_t)LQ_QUANT_RTN, "q8_0", NULL, NULL, 64u, 256u, 0u, 0u, NULL, NULL, NULL, NULL, NULL, 0.0f}

/**
 * @brief Sets @p options to the defaults (same as ::LQ_QUANTIZE_OPTIONS_INIT).
 *
 * Writes the whole struct as the loaded library defines it, which is larger
 * than the caller's when the library is newer than the header the caller
 * was built with: code that may meet a newer library (and every language
 * binding mirroring the struct) uses the initialiser macro or sets the
 * defaults and `struct_size` itself instead.
 * @param[out] options Struct to initialise; ignored when NULL.
 * @since 0.1.0
 */
LQ_API void lq_quantize_options_init(lq_quantize_options *options);

/**
 * @brief Quantizes a model file into a new GGUF file.
 *
 * Reads GGUF files of any type libquant decodes (a warning is reported when
 * an already quantized tensor is rounded again) and llama2.c checkpoints.
 * Works tensor by tensor with bounded memory; the output is written to a
 * temporary name and renamed into place at the end.
 * @param[in] input_path The model to quantize.
 * @param[in] output_path The GGUF file to write.
 * @param[in] options Options, or NULL for defaults (Q8_0, round to nearest).
 * @retval LQ_OK written.
 * @retval LQ_ERR_INVALID_ARGUMENT a NULL path, an unknown target, method or override, or a
 *         calibrated method without calibration text.
 * @retval LQ_ERR_IO a file cannot be read or written.
 * @retval LQ_ERR_MODEL_FORMAT the input is malformed.
 * @retval LQ_ERR_UNSUPPORTED the input format, a tensor type, or the method for this model is not supported.
 * @retval LQ_ERR_CANCELLED the progress callback stopped it; no output file is left.
 * @since 0.1.0
 */
LQ_API lq_status lq_quantize(const char *input_path, const char *output_path, const lq_quantize_options *options);

/** @} */

/** @defgroup lq_convert Conversion
 *  @{ */

/**
 * @brief Options of lq_convert().
 * @since 0.1.0
 */
typedef struct lq_convert_options {
    uint32_t struct_size;           /**< sizeof(lq_convert_options) as the caller knows it. */
    uint32_t weight_type;           /**< Type of the 2-D weights: ::LQ_TYPE_F32 (default), ::LQ_TYPE_F16 or ::LQ_TYPE_BF16. */
    const char *tokenizer_path;     /**< The vocabulary file where the format keeps it apart (llama2.c tokenizer.bin). */
    const char *name;               /**< `general.name` to record; NULL: the input's file name. */
    lq_progress_callback progress;  /**< Called while writing; may cancel. */
    void *progress_user_data;       /**< Passed to the progress callback. */
} lq_convert_options;

/** @brief Initialiser with all defaults. @since 0.1.0 */
#define LQ_CONVERT_OPTIONS_INIT {sizeof(lq_convert_options), (uint32_t)LQ_TYPE_F32, NULL, NULL, NULL, NULL}

/**
 * @brief Sets @p options to the defaults (same as ::LQ_CONVERT_OPTIONS_INIT).
 *
 * Writes the whole struct as the loaded library defines it, which is larger
 * than the caller's when the library is newer than the header the caller
 * was built with: code that may meet a newer library (and every language
 * binding mirroring the struct) uses the initialiser macro or sets the
 * defaults and `struct_size` itself instead.
 * @param[out] options Struct to initialise; ignored when NULL.
 * @since 0.1.0
 */
LQ_API void lq_convert_options_init(lq_convert_options *options);

/**
 * @brief Converts a model from another format into a GGUF file.
 *
 * Reads llama2.c checkpoints (the legacy layout and the version 1 export)
 * with their tokenizer.bin. The output is a standard GGUF file of
 * architecture `llama` that other GGUF runtimes load too. It is written to
 * a temporary name and renamed into place at the end, so a failure never
 * leaves a partial file or destroys an existing one.
 * @param[in] input_path The model to convert.
 * @param[in] output_path The GGUF file to write.
 * @param[in] options Options; NULL for defaults (then a llama2.c input fails for want of a tokenizer).
 * @retval LQ_OK written.
 * @retval LQ_ERR_INVALID_ARGUMENT a NULL path or bad options (a missing tokenizer path).
 * @retval LQ_ERR_IO a file cannot be read or written.
 * @retval LQ_ERR_MODEL_FORMAT the input is malformed.
 * @retval LQ_ERR_UNSUPPORTED the input format is not one libquant converts.
 * @retval LQ_ERR_CANCELLED the progress callback stopped it.
 * @since 0.1.0
 */
LQ_API lq_status lq_convert(const char *input_path, const char *output_path, const lq_convert_options *options);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* LIBQUANT_H */
