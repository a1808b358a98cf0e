package libquant

/*
#include "lqgo.h"
*/
import "C"

import "unsafe"

// cLayout is the size (and for a field, offset) of a C struct or field as
// this package compiles it.
type cLayout struct {
	Size, Offset uintptr
}

// cLayouts returns the layout, as cgo sees libquant.h, of every C struct this
// package fills or reads, keyed as the lq_layout tool prints them
// ("lq_generate_options", "lq_generate_options.seed"). The tests compare it
// with that tool's output, which proves the header the binding compiled
// against matches the library's.
func cLayouts() map[string]cLayout {
	m := make(map[string]cLayout)
	add := func(name string, offset, size uintptr) { m[name] = cLayout{Offset: offset, Size: size} }
	{
		var v C.lq_model_options
		add("lq_model_options", 0, unsafe.Sizeof(v))
		add("lq_model_options.struct_size", unsafe.Offsetof(v.struct_size), unsafe.Sizeof(v.struct_size))
		add("lq_model_options.flags", unsafe.Offsetof(v.flags), unsafe.Sizeof(v.flags))
		add("lq_model_options.progress", unsafe.Offsetof(v.progress), unsafe.Sizeof(v.progress))
		add("lq_model_options.progress_user_data", unsafe.Offsetof(v.progress_user_data), unsafe.Sizeof(v.progress_user_data))
	}
	{
		var v C.lq_model_info
		add("lq_model_info", 0, unsafe.Sizeof(v))
		add("lq_model_info.struct_size", unsafe.Offsetof(v.struct_size), unsafe.Sizeof(v.struct_size))
		add("lq_model_info.gguf_version", unsafe.Offsetof(v.gguf_version), unsafe.Sizeof(v.gguf_version))
		add("lq_model_info.architecture", unsafe.Offsetof(v.architecture), unsafe.Sizeof(v.architecture))
		add("lq_model_info.name", unsafe.Offsetof(v.name), unsafe.Sizeof(v.name))
		add("lq_model_info.n_params", unsafe.Offsetof(v.n_params), unsafe.Sizeof(v.n_params))
		add("lq_model_info.n_tensor_bytes", unsafe.Offsetof(v.n_tensor_bytes), unsafe.Sizeof(v.n_tensor_bytes))
		add("lq_model_info.tensor_types_mask", unsafe.Offsetof(v.tensor_types_mask), unsafe.Sizeof(v.tensor_types_mask))
		add("lq_model_info.n_tensors", unsafe.Offsetof(v.n_tensors), unsafe.Sizeof(v.n_tensors))
		add("lq_model_info.n_vocab", unsafe.Offsetof(v.n_vocab), unsafe.Sizeof(v.n_vocab))
		add("lq_model_info.n_ctx_train", unsafe.Offsetof(v.n_ctx_train), unsafe.Sizeof(v.n_ctx_train))
		add("lq_model_info.n_embd", unsafe.Offsetof(v.n_embd), unsafe.Sizeof(v.n_embd))
		add("lq_model_info.n_layer", unsafe.Offsetof(v.n_layer), unsafe.Sizeof(v.n_layer))
		add("lq_model_info.n_head", unsafe.Offsetof(v.n_head), unsafe.Sizeof(v.n_head))
		add("lq_model_info.n_head_kv", unsafe.Offsetof(v.n_head_kv), unsafe.Sizeof(v.n_head_kv))
		add("lq_model_info.reserved", unsafe.Offsetof(v.reserved), unsafe.Sizeof(v.reserved))
	}
	{
		var v C.lq_vocab_info
		add("lq_vocab_info", 0, unsafe.Sizeof(v))
		add("lq_vocab_info.struct_size", unsafe.Offsetof(v.struct_size), unsafe.Sizeof(v.struct_size))
		add("lq_vocab_info.tokenizer_type", unsafe.Offsetof(v.tokenizer_type), unsafe.Sizeof(v.tokenizer_type))
		add("lq_vocab_info.n_tokens", unsafe.Offsetof(v.n_tokens), unsafe.Sizeof(v.n_tokens))
		add("lq_vocab_info.bos", unsafe.Offsetof(v.bos), unsafe.Sizeof(v.bos))
		add("lq_vocab_info.eos", unsafe.Offsetof(v.eos), unsafe.Sizeof(v.eos))
		add("lq_vocab_info.eot", unsafe.Offsetof(v.eot), unsafe.Sizeof(v.eot))
		add("lq_vocab_info.eom", unsafe.Offsetof(v.eom), unsafe.Sizeof(v.eom))
		add("lq_vocab_info.unk", unsafe.Offsetof(v.unk), unsafe.Sizeof(v.unk))
		add("lq_vocab_info.sep", unsafe.Offsetof(v.sep), unsafe.Sizeof(v.sep))
		add("lq_vocab_info.pad", unsafe.Offsetof(v.pad), unsafe.Sizeof(v.pad))
		add("lq_vocab_info.cls", unsafe.Offsetof(v.cls), unsafe.Sizeof(v.cls))
		add("lq_vocab_info.mask", unsafe.Offsetof(v.mask), unsafe.Sizeof(v.mask))
		add("lq_vocab_info.fim_pre", unsafe.Offsetof(v.fim_pre), unsafe.Sizeof(v.fim_pre))
		add("lq_vocab_info.fim_suf", unsafe.Offsetof(v.fim_suf), unsafe.Sizeof(v.fim_suf))
		add("lq_vocab_info.fim_mid", unsafe.Offsetof(v.fim_mid), unsafe.Sizeof(v.fim_mid))
		add("lq_vocab_info.fim_pad", unsafe.Offsetof(v.fim_pad), unsafe.Sizeof(v.fim_pad))
		add("lq_vocab_info.fim_rep", unsafe.Offsetof(v.fim_rep), unsafe.Sizeof(v.fim_rep))
		add("lq_vocab_info.fim_sep", unsafe.Offsetof(v.fim_sep), unsafe.Sizeof(v.fim_sep))
		add("lq_vocab_info.add_bos", unsafe.Offsetof(v.add_bos), unsafe.Sizeof(v.add_bos))
		add("lq_vocab_info.add_eos", unsafe.Offsetof(v.add_eos), unsafe.Sizeof(v.add_eos))
		add("lq_vocab_info.add_space_prefix", unsafe.Offsetof(v.add_space_prefix), unsafe.Sizeof(v.add_space_prefix))
		add("lq_vocab_info.reserved", unsafe.Offsetof(v.reserved), unsafe.Sizeof(v.reserved))
		add("lq_vocab_info.model", unsafe.Offsetof(v.model), unsafe.Sizeof(v.model))
		add("lq_vocab_info.pre", unsafe.Offsetof(v.pre), unsafe.Sizeof(v.pre))
	}
	{
		var v C.lq_backend_info
		add("lq_backend_info", 0, unsafe.Sizeof(v))
		add("lq_backend_info.struct_size", unsafe.Offsetof(v.struct_size), unsafe.Sizeof(v.struct_size))
		add("lq_backend_info.backend", unsafe.Offsetof(v.backend), unsafe.Sizeof(v.backend))
		add("lq_backend_info.available", unsafe.Offsetof(v.available), unsafe.Sizeof(v.available))
		add("lq_backend_info.reserved", unsafe.Offsetof(v.reserved), unsafe.Sizeof(v.reserved))
		add("lq_backend_info.name", unsafe.Offsetof(v.name), unsafe.Sizeof(v.name))
		add("lq_backend_info.device", unsafe.Offsetof(v.device), unsafe.Sizeof(v.device))
		add("lq_backend_info.reason", unsafe.Offsetof(v.reason), unsafe.Sizeof(v.reason))
	}
	{
		var v C.lq_context_options
		add("lq_context_options", 0, unsafe.Sizeof(v))
		add("lq_context_options.struct_size", unsafe.Offsetof(v.struct_size), unsafe.Sizeof(v.struct_size))
		add("lq_context_options.n_ctx", unsafe.Offsetof(v.n_ctx), unsafe.Sizeof(v.n_ctx))
		add("lq_context_options.n_batch", unsafe.Offsetof(v.n_batch), unsafe.Sizeof(v.n_batch))
		add("lq_context_options.n_threads", unsafe.Offsetof(v.n_threads), unsafe.Sizeof(v.n_threads))
		add("lq_context_options.kv_type", unsafe.Offsetof(v.kv_type), unsafe.Sizeof(v.kv_type))
		add("lq_context_options.backend", unsafe.Offsetof(v.backend), unsafe.Sizeof(v.backend))
	}
	{
		var v C.lq_context_info
		add("lq_context_info", 0, unsafe.Sizeof(v))
		add("lq_context_info.struct_size", unsafe.Offsetof(v.struct_size), unsafe.Sizeof(v.struct_size))
		add("lq_context_info.n_ctx", unsafe.Offsetof(v.n_ctx), unsafe.Sizeof(v.n_ctx))
		add("lq_context_info.n_past", unsafe.Offsetof(v.n_past), unsafe.Sizeof(v.n_past))
		add("lq_context_info.n_batch", unsafe.Offsetof(v.n_batch), unsafe.Sizeof(v.n_batch))
		add("lq_context_info.n_threads", unsafe.Offsetof(v.n_threads), unsafe.Sizeof(v.n_threads))
		add("lq_context_info.n_vocab", unsafe.Offsetof(v.n_vocab), unsafe.Sizeof(v.n_vocab))
		add("lq_context_info.kv_type", unsafe.Offsetof(v.kv_type), unsafe.Sizeof(v.kv_type))
		add("lq_context_info.backend", unsafe.Offsetof(v.backend), unsafe.Sizeof(v.backend))
		add("lq_context_info.kv_bytes", unsafe.Offsetof(v.kv_bytes), unsafe.Sizeof(v.kv_bytes))
	}
	{
		var v C.lq_generate_options
		add("lq_generate_options", 0, unsafe.Sizeof(v))
		add("lq_generate_options.struct_size", unsafe.Offsetof(v.struct_size), unsafe.Sizeof(v.struct_size))
		add("lq_generate_options.flags", unsafe.Offsetof(v.flags), unsafe.Sizeof(v.flags))
		add("lq_generate_options.prompt", unsafe.Offsetof(v.prompt), unsafe.Sizeof(v.prompt))
		add("lq_generate_options.prompt_len", unsafe.Offsetof(v.prompt_len), unsafe.Sizeof(v.prompt_len))
		add("lq_generate_options.prompt_tokens", unsafe.Offsetof(v.prompt_tokens), unsafe.Sizeof(v.prompt_tokens))
		add("lq_generate_options.n_prompt_tokens", unsafe.Offsetof(v.n_prompt_tokens), unsafe.Sizeof(v.n_prompt_tokens))
		add("lq_generate_options.max_tokens", unsafe.Offsetof(v.max_tokens), unsafe.Sizeof(v.max_tokens))
		add("lq_generate_options.temperature", unsafe.Offsetof(v.temperature), unsafe.Sizeof(v.temperature))
		add("lq_generate_options.top_k", unsafe.Offsetof(v.top_k), unsafe.Sizeof(v.top_k))
		add("lq_generate_options.top_p", unsafe.Offsetof(v.top_p), unsafe.Sizeof(v.top_p))
		add("lq_generate_options.min_p", unsafe.Offsetof(v.min_p), unsafe.Sizeof(v.min_p))
		add("lq_generate_options.repeat_penalty", unsafe.Offsetof(v.repeat_penalty), unsafe.Sizeof(v.repeat_penalty))
		add("lq_generate_options.repeat_last_n", unsafe.Offsetof(v.repeat_last_n), unsafe.Sizeof(v.repeat_last_n))
		add("lq_generate_options.frequency_penalty", unsafe.Offsetof(v.frequency_penalty), unsafe.Sizeof(v.frequency_penalty))
		add("lq_generate_options.presence_penalty", unsafe.Offsetof(v.presence_penalty), unsafe.Sizeof(v.presence_penalty))
		add("lq_generate_options.reserved", unsafe.Offsetof(v.reserved), unsafe.Sizeof(v.reserved))
		add("lq_generate_options.seed", unsafe.Offsetof(v.seed), unsafe.Sizeof(v.seed))
		add("lq_generate_options.stop", unsafe.Offsetof(v.stop), unsafe.Sizeof(v.stop))
		add("lq_generate_options.n_stop", unsafe.Offsetof(v.n_stop), unsafe.Sizeof(v.n_stop))
		add("lq_generate_options.on_text", unsafe.Offsetof(v.on_text), unsafe.Sizeof(v.on_text))
		add("lq_generate_options.user_data", unsafe.Offsetof(v.user_data), unsafe.Sizeof(v.user_data))
	}
	{
		var v C.lq_generate_result
		add("lq_generate_result", 0, unsafe.Sizeof(v))
		add("lq_generate_result.struct_size", unsafe.Offsetof(v.struct_size), unsafe.Sizeof(v.struct_size))
		add("lq_generate_result.stop_reason", unsafe.Offsetof(v.stop_reason), unsafe.Sizeof(v.stop_reason))
		add("lq_generate_result.n_prompt_tokens", unsafe.Offsetof(v.n_prompt_tokens), unsafe.Sizeof(v.n_prompt_tokens))
		add("lq_generate_result.n_reused_tokens", unsafe.Offsetof(v.n_reused_tokens), unsafe.Sizeof(v.n_reused_tokens))
		add("lq_generate_result.n_generated_tokens", unsafe.Offsetof(v.n_generated_tokens), unsafe.Sizeof(v.n_generated_tokens))
		add("lq_generate_result.reserved", unsafe.Offsetof(v.reserved), unsafe.Sizeof(v.reserved))
		add("lq_generate_result.prompt_seconds", unsafe.Offsetof(v.prompt_seconds), unsafe.Sizeof(v.prompt_seconds))
		add("lq_generate_result.generate_seconds", unsafe.Offsetof(v.generate_seconds), unsafe.Sizeof(v.generate_seconds))
	}
	{
		var v C.lq_quantize_options
		add("lq_quantize_options", 0, unsafe.Sizeof(v))
		add("lq_quantize_options.struct_size", unsafe.Offsetof(v.struct_size), unsafe.Sizeof(v.struct_size))
		add("lq_quantize_options.method", unsafe.Offsetof(v.method), unsafe.Sizeof(v.method))
		add("lq_quantize_options.target", unsafe.Offsetof(v.target), unsafe.Sizeof(v.target))
		add("lq_quantize_options.tensor_types", unsafe.Offsetof(v.tensor_types), unsafe.Sizeof(v.tensor_types))
		add("lq_quantize_options.calibration_path", unsafe.Offsetof(v.calibration_path), unsafe.Sizeof(v.calibration_path))
		add("lq_quantize_options.calibration_samples", unsafe.Offsetof(v.calibration_samples), unsafe.Sizeof(v.calibration_samples))
		add("lq_quantize_options.calibration_ctx", unsafe.Offsetof(v.calibration_ctx), unsafe.Sizeof(v.calibration_ctx))
		add("lq_quantize_options.n_threads", unsafe.Offsetof(v.n_threads), unsafe.Sizeof(v.n_threads))
		add("lq_quantize_options.flags", unsafe.Offsetof(v.flags), unsafe.Sizeof(v.flags))
		add("lq_quantize_options.tokenizer_path", unsafe.Offsetof(v.tokenizer_path), unsafe.Sizeof(v.tokenizer_path))
		add("lq_quantize_options.progress", unsafe.Offsetof(v.progress), unsafe.Sizeof(v.progress))
		add("lq_quantize_options.progress_user_data", unsafe.Offsetof(v.progress_user_data), unsafe.Sizeof(v.progress_user_data))
		add("lq_quantize_options.on_message", unsafe.Offsetof(v.on_message), unsafe.Sizeof(v.on_message))
		add("lq_quantize_options.message_user_data", unsafe.Offsetof(v.message_user_data), unsafe.Sizeof(v.message_user_data))
		add("lq_quantize_options.smooth_alpha", unsafe.Offsetof(v.smooth_alpha), unsafe.Sizeof(v.smooth_alpha))
	}
	return m
}
