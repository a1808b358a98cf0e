"""ctypes mirrors of the public structs of libquant.h (ABI generation 1).

Every struct starts with ``struct_size``: the library reads and writes only
the fields a caller's size covers, so these mirrors keep working with newer
libraries. The tests compare each layout with the C compiler's.
"""

import ctypes as C

PROGRESS_CALLBACK = C.CFUNCTYPE(C.c_int32, C.c_float, C.c_void_p)
TOKEN_CALLBACK = C.CFUNCTYPE(C.c_int32, C.POINTER(C.c_char), C.c_size_t, C.c_int32, C.c_void_p)
MESSAGE_CALLBACK = C.CFUNCTYPE(None, C.c_char_p, C.c_void_p)


class _Sized(C.Structure):
    """A struct whose first field is its own size, set on construction."""

    def __init__(self, **fields):
        super().__init__(**fields)
        self.struct_size = C.sizeof(self)


class ModelOptions(_Sized):
    _fields_ = [
        ("struct_size", C.c_uint32),
        ("flags", C.c_uint32),
        ("progress", PROGRESS_CALLBACK),
        ("progress_user_data", C.c_void_p),
    ]


class ModelInfoC(_Sized):
    _fields_ = [
        ("struct_size", C.c_uint32),
        ("gguf_version", C.c_uint32),
        ("architecture", C.c_char_p),
        ("name", C.c_char_p),
        ("n_params", C.c_uint64),
        ("n_tensor_bytes", C.c_uint64),
        ("tensor_types_mask", C.c_uint64),
        ("n_tensors", C.c_uint32),
        ("n_vocab", C.c_uint32),
        ("n_ctx_train", C.c_uint32),
        ("n_embd", C.c_uint32),
        ("n_layer", C.c_uint32),
        ("n_head", C.c_uint32),
        ("n_head_kv", C.c_uint32),
        ("reserved", C.c_uint32),
    ]


class VocabInfoC(_Sized):
    _fields_ = [("struct_size", C.c_uint32), ("tokenizer_type", C.c_uint32), ("n_tokens", C.c_uint32)] + [
        (name, C.c_int32)
        for name in ("bos", "eos", "eot", "eom", "unk", "sep", "pad", "cls", "mask",
                     "fim_pre", "fim_suf", "fim_mid", "fim_pad", "fim_rep", "fim_sep")
    ] + [
        ("add_bos", C.c_uint32),
        ("add_eos", C.c_uint32),
        ("add_space_prefix", C.c_uint32),
        ("reserved", C.c_uint32),
        ("model", C.c_char_p),
        ("pre", C.c_char_p),
    ]


class ContextOptions(_Sized):
    _fields_ = [
        ("struct_size", C.c_uint32),
        ("n_ctx", C.c_uint32),
        ("n_batch", C.c_uint32),
        ("n_threads", C.c_uint32),
        ("kv_type", C.c_uint32),
        ("backend", C.c_uint32),
    ]


class ContextInfoC(_Sized):
    _fields_ = [
        ("struct_size", C.c_uint32),
        ("n_ctx", C.c_uint32),
        ("n_past", C.c_uint32),
        ("n_batch", C.c_uint32),
        ("n_threads", C.c_uint32),
        ("n_vocab", C.c_uint32),
        ("kv_type", C.c_uint32),
        ("backend", C.c_uint32),
        ("kv_bytes", C.c_uint64),
    ]


class GenerateOptions(_Sized):
    _fields_ = [
        ("struct_size", C.c_uint32),
        ("flags", C.c_uint32),
        ("prompt", C.c_char_p),
        ("prompt_len", C.c_size_t),
        ("prompt_tokens", C.POINTER(C.c_int32)),
        ("n_prompt_tokens", C.c_size_t),
        ("max_tokens", C.c_int32),
        ("temperature", C.c_float),
        ("top_k", C.c_int32),
        ("top_p", C.c_float),
        ("min_p", C.c_float),
        ("repeat_penalty", C.c_float),
        ("repeat_last_n", C.c_int32),
        ("frequency_penalty", C.c_float),
        ("presence_penalty", C.c_float),
        ("reserved", C.c_uint32),
        ("seed", C.c_uint64),
        ("stop", C.POINTER(C.c_char_p)),
        ("n_stop", C.c_size_t),
        ("on_text", TOKEN_CALLBACK),
        ("user_data", C.c_void_p),
    ]


class GenerateResultC(_Sized):
    _fields_ = [
        ("struct_size", C.c_uint32),
        ("stop_reason", C.c_uint32),
        ("n_prompt_tokens", C.c_uint32),
        ("n_reused_tokens", C.c_uint32),
        ("n_generated_tokens", C.c_uint32),
        ("reserved", C.c_uint32),
        ("prompt_seconds", C.c_double),
        ("generate_seconds", C.c_double),
    ]


class QuantizeOptions(_Sized):
    _fields_ = [
        ("struct_size", C.c_uint32),
        ("method", C.c_uint32),
        ("target", C.c_char_p),
        ("tensor_types", C.c_char_p),
        ("calibration_path", C.c_char_p),
        ("calibration_samples", C.c_uint32),
        ("calibration_ctx", C.c_uint32),
        ("n_threads", C.c_uint32),
        ("flags", C.c_uint32),
        ("tokenizer_path", C.c_char_p),
        ("progress", PROGRESS_CALLBACK),
        ("progress_user_data", C.c_void_p),
        ("on_message", MESSAGE_CALLBACK),
        ("message_user_data", C.c_void_p),
        ("smooth_alpha", C.c_float),
    ]


class InfillOptions(_Sized):
    _fields_ = [
        ("struct_size", C.c_uint32),
        ("flags", C.c_uint32),
        ("prefix", C.c_char_p),
        ("prefix_len", C.c_size_t),
        ("suffix", C.c_char_p),
        ("suffix_len", C.c_size_t),
        ("file_names", C.POINTER(C.c_char_p)),
        ("file_texts", C.POINTER(C.c_char_p)),
        ("n_files", C.c_size_t),
        ("repo_name", C.c_char_p),
        ("file_name", C.c_char_p),
        ("max_prompt_tokens", C.c_uint32),
        ("reserved", C.c_uint32),
    ]


class ChatMessage(C.Structure):
    """``lq_chat_message``: no size field, never changes."""

    _fields_ = [("role", C.c_char_p), ("content", C.c_char_p)]


# Mirror name -> C struct name, for the layout test.
C_NAMES = {
    ModelOptions: "lq_model_options",
    ModelInfoC: "lq_model_info",
    VocabInfoC: "lq_vocab_info",
    ContextOptions: "lq_context_options",
    ContextInfoC: "lq_context_info",
    GenerateOptions: "lq_generate_options",
    GenerateResultC: "lq_generate_result",
    QuantizeOptions: "lq_quantize_options",
    InfillOptions: "lq_infill_options",
    ChatMessage: "lq_chat_message",
}
