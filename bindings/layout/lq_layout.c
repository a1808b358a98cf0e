/* Prints the size of every public struct of libquant.h and the offset and
 * size of each of its fields, one per line:
 *
 *     lq_generate_options 120
 *     lq_generate_options.seed 80 8
 *
 * The bindings mirror these structs by hand (ctypes, P/Invoke, Rust); their
 * tests compare their own layouts with this output, so that a binding that
 * drifts from the header fails its tests instead of corrupting memory. */
#include <libquant/libquant.h>

#include <stddef.h>
#include <stdio.h>

#define STRUCT(s) printf("%s %zu\n", #s, sizeof(s))
#define FIELD(s, f) printf("%s.%s %zu %zu\n", #s, #f, offsetof(s, f), sizeof(((s *)0)->f))

int main(void) {
    STRUCT(lq_model_options);
    FIELD(lq_model_options, struct_size);
    FIELD(lq_model_options, flags);
    FIELD(lq_model_options, progress);
    FIELD(lq_model_options, progress_user_data);
    STRUCT(lq_model_info);
    FIELD(lq_model_info, struct_size);
    FIELD(lq_model_info, gguf_version);
    FIELD(lq_model_info, architecture);
    FIELD(lq_model_info, name);
    FIELD(lq_model_info, n_params);
    FIELD(lq_model_info, n_tensor_bytes);
    FIELD(lq_model_info, tensor_types_mask);
    FIELD(lq_model_info, n_tensors);
    FIELD(lq_model_info, n_vocab);
    FIELD(lq_model_info, n_ctx_train);
    FIELD(lq_model_info, n_embd);
    FIELD(lq_model_info, n_layer);
    FIELD(lq_model_info, n_head);
    FIELD(lq_model_info, n_head_kv);
    FIELD(lq_model_info, reserved);
    STRUCT(lq_tensor_info);
    FIELD(lq_tensor_info, struct_size);
    FIELD(lq_tensor_info, type);
    FIELD(lq_tensor_info, n_dims);
    FIELD(lq_tensor_info, reserved);
    FIELD(lq_tensor_info, dims);
    FIELD(lq_tensor_info, n_elements);
    FIELD(lq_tensor_info, n_bytes);
    FIELD(lq_tensor_info, file_offset);
    FIELD(lq_tensor_info, name);
    STRUCT(lq_vocab_info);
    FIELD(lq_vocab_info, struct_size);
    FIELD(lq_vocab_info, tokenizer_type);
    FIELD(lq_vocab_info, n_tokens);
    FIELD(lq_vocab_info, bos);
    FIELD(lq_vocab_info, eos);
    FIELD(lq_vocab_info, eot);
    FIELD(lq_vocab_info, eom);
    FIELD(lq_vocab_info, unk);
    FIELD(lq_vocab_info, sep);
    FIELD(lq_vocab_info, pad);
    FIELD(lq_vocab_info, cls);
    FIELD(lq_vocab_info, mask);
    FIELD(lq_vocab_info, fim_pre);
    FIELD(lq_vocab_info, fim_suf);
    FIELD(lq_vocab_info, fim_mid);
    FIELD(lq_vocab_info, fim_pad);
    FIELD(lq_vocab_info, fim_rep);
    FIELD(lq_vocab_info, fim_sep);
    FIELD(lq_vocab_info, add_bos);
    FIELD(lq_vocab_info, add_eos);
    FIELD(lq_vocab_info, add_space_prefix);
    FIELD(lq_vocab_info, reserved);
    FIELD(lq_vocab_info, model);
    FIELD(lq_vocab_info, pre);
    STRUCT(lq_backend_info);
    FIELD(lq_backend_info, struct_size);
    FIELD(lq_backend_info, backend);
    FIELD(lq_backend_info, available);
    FIELD(lq_backend_info, reserved);
    FIELD(lq_backend_info, name);
    FIELD(lq_backend_info, device);
    FIELD(lq_backend_info, reason);
    STRUCT(lq_context_options);
    FIELD(lq_context_options, struct_size);
    FIELD(lq_context_options, n_ctx);
    FIELD(lq_context_options, n_batch);
    FIELD(lq_context_options, n_threads);
    FIELD(lq_context_options, kv_type);
    FIELD(lq_context_options, backend);
    STRUCT(lq_context_info);
    FIELD(lq_context_info, struct_size);
    FIELD(lq_context_info, n_ctx);
    FIELD(lq_context_info, n_past);
    FIELD(lq_context_info, n_batch);
    FIELD(lq_context_info, n_threads);
    FIELD(lq_context_info, n_vocab);
    FIELD(lq_context_info, kv_type);
    FIELD(lq_context_info, backend);
    FIELD(lq_context_info, kv_bytes);
    STRUCT(lq_generate_options);
    FIELD(lq_generate_options, struct_size);
    FIELD(lq_generate_options, flags);
    FIELD(lq_generate_options, prompt);
    FIELD(lq_generate_options, prompt_len);
    FIELD(lq_generate_options, prompt_tokens);
    FIELD(lq_generate_options, n_prompt_tokens);
    FIELD(lq_generate_options, max_tokens);
    FIELD(lq_generate_options, temperature);
    FIELD(lq_generate_options, top_k);
    FIELD(lq_generate_options, top_p);
    FIELD(lq_generate_options, min_p);
    FIELD(lq_generate_options, repeat_penalty);
    FIELD(lq_generate_options, repeat_last_n);
    FIELD(lq_generate_options, frequency_penalty);
    FIELD(lq_generate_options, presence_penalty);
    FIELD(lq_generate_options, reserved);
    FIELD(lq_generate_options, seed);
    FIELD(lq_generate_options, stop);
    FIELD(lq_generate_options, n_stop);
    FIELD(lq_generate_options, on_text);
    FIELD(lq_generate_options, user_data);
    STRUCT(lq_generate_result);
    FIELD(lq_generate_result, struct_size);
    FIELD(lq_generate_result, stop_reason);
    FIELD(lq_generate_result, n_prompt_tokens);
    FIELD(lq_generate_result, n_reused_tokens);
    FIELD(lq_generate_result, n_generated_tokens);
    FIELD(lq_generate_result, reserved);
    FIELD(lq_generate_result, prompt_seconds);
    FIELD(lq_generate_result, generate_seconds);
    STRUCT(lq_evaluate_options);
    FIELD(lq_evaluate_options, struct_size);
    FIELD(lq_evaluate_options, n_ctx);
    FIELD(lq_evaluate_options, stride);
    FIELD(lq_evaluate_options, max_windows);
    FIELD(lq_evaluate_options, n_threads);
    FIELD(lq_evaluate_options, backend);
    FIELD(lq_evaluate_options, reference);
    FIELD(lq_evaluate_options, progress);
    FIELD(lq_evaluate_options, progress_user_data);
    STRUCT(lq_evaluate_result);
    FIELD(lq_evaluate_result, struct_size);
    FIELD(lq_evaluate_result, n_windows);
    FIELD(lq_evaluate_result, n_scored);
    FIELD(lq_evaluate_result, perplexity);
    FIELD(lq_evaluate_result, perplexity_error);
    FIELD(lq_evaluate_result, reference_perplexity);
    FIELD(lq_evaluate_result, reference_perplexity_error);
    FIELD(lq_evaluate_result, kld_mean);
    FIELD(lq_evaluate_result, kld_ci95);
    FIELD(lq_evaluate_result, kld_median);
    FIELD(lq_evaluate_result, kld_p99);
    FIELD(lq_evaluate_result, kld_max);
    FIELD(lq_evaluate_result, same_top);
    FIELD(lq_evaluate_result, same_top_error);
    FIELD(lq_evaluate_result, delta_p_mean);
    FIELD(lq_evaluate_result, delta_p_rms);
    STRUCT(lq_quantize_options);
    FIELD(lq_quantize_options, struct_size);
    FIELD(lq_quantize_options, method);
    FIELD(lq_quantize_options, target);
    FIELD(lq_quantize_options, tensor_types);
    FIELD(lq_quantize_options, calibration_path);
    FIELD(lq_quantize_options, calibration_samples);
    FIELD(lq_quantize_options, calibration_ctx);
    FIELD(lq_quantize_options, n_threads);
    FIELD(lq_quantize_options, flags);
    FIELD(lq_quantize_options, tokenizer_path);
    FIELD(lq_quantize_options, progress);
    FIELD(lq_quantize_options, progress_user_data);
    FIELD(lq_quantize_options, on_message);
    FIELD(lq_quantize_options, message_user_data);
    FIELD(lq_quantize_options, smooth_alpha);
    STRUCT(lq_convert_options);
    FIELD(lq_convert_options, struct_size);
    FIELD(lq_convert_options, weight_type);
    FIELD(lq_convert_options, tokenizer_path);
    FIELD(lq_convert_options, name);
    FIELD(lq_convert_options, progress);
    FIELD(lq_convert_options, progress_user_data);
    STRUCT(lq_infill_options);
    FIELD(lq_infill_options, struct_size);
    FIELD(lq_infill_options, flags);
    FIELD(lq_infill_options, prefix);
    FIELD(lq_infill_options, prefix_len);
    FIELD(lq_infill_options, suffix);
    FIELD(lq_infill_options, suffix_len);
    FIELD(lq_infill_options, file_names);
    FIELD(lq_infill_options, file_texts);
    FIELD(lq_infill_options, n_files);
    FIELD(lq_infill_options, repo_name);
    FIELD(lq_infill_options, file_name);
    FIELD(lq_infill_options, max_prompt_tokens);
    FIELD(lq_infill_options, reserved);
    STRUCT(lq_chat_message);
    FIELD(lq_chat_message, role);
    FIELD(lq_chat_message, content);
    return 0;
}
