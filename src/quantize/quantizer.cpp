#include "quantize/quantizer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <thread>

#include "backends/cpu/cpu_kernels.h"
#include "core/thread_pool.h"
#include "core/error.h"
#include "kernels/kernels.h"
#include "model/model.h"
#include "quantize/awq.h"
#include "quantize/calibration.h"
#include "quantize/gptq.h"
#include "quantize/smoothquant.h"

namespace lq {
namespace {

constexpr size_t kSliceBytes = size_t(64) << 20;  // F32 rows read at a time (bounded memory)
constexpr uint32_t kAwqSampleRows = 128;

// Per-tensor changes applied to the F32 weights before rounding (AWQ,
// SmoothQuant).
struct Transform {
    std::vector<float> column_scale;  // multiplies column j (or element j of a vector)
    std::vector<float> row_scale;     // multiplies row i
    bool empty() const { return column_scale.empty() && row_scale.empty(); }
};

bool ends_with(const std::string &s, const std::string &suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

uint32_t count_layers(const std::vector<WeightSource::Tensor> &tensors) {
    uint32_t n = 0, layer = 0;
    for (const auto &t : tensors)
        if (layer_of(t.name, &layer)) n = std::max(n, layer + 1);
    return n;
}

// Which matmul input a weight reads; false for tensors that are not matmul
// weights (norms, biases, the embedding unless it doubles as the output).
bool input_of(const std::string &name, bool tied_output, InputKey *key) {
    uint32_t layer = 0;
    if (name == "output.weight" || (tied_output && name == "token_embd.weight")) {
        *key = InputKey(MatmulInput::OutputIn, 0);
        return true;
    }
    if (!layer_of(name, &layer)) return false;
    if (ends_with(name, ".attn_q.weight") || ends_with(name, ".attn_k.weight") || ends_with(name, ".attn_v.weight") ||
        ends_with(name, ".attn_qkv.weight"))
        *key = InputKey(MatmulInput::AttentionIn, layer);
    else if (ends_with(name, ".attn_output.weight"))
        *key = InputKey(MatmulInput::AttentionOut, layer);
    else if (ends_with(name, ".ffn_gate.weight") || ends_with(name, ".ffn_up.weight"))
        *key = InputKey(MatmulInput::FfnIn, layer);
    else if (ends_with(name, ".ffn_down.weight"))
        *key = InputKey(MatmulInput::FfnDownIn, layer);
    else
        return false;
    return true;
}

std::string layer_tensor(uint32_t layer, const char *suffix) { return "blk." + std::to_string(layer) + "." + suffix; }

bool is_float_type(TensorType t) { return t == TensorType::F32 || t == TensorType::F16 || t == TensorType::BF16; }

class Quantizer {
public:
    Quantizer(const WeightSource &source, const std::string &output, const QuantizeOptions &options)
        : source_(source), output_(output), o_(options),
          pool_(static_cast<int>(options.n_threads ? options.n_threads : std::max(1u, std::thread::hardware_concurrency()))) {
        const auto &tensors = source.tensors();
        for (size_t i = 0; i < tensors.size(); ++i) index_[tensors[i].name] = i;
        tied_output_ = index_.count("output.weight") == 0;
    }

    QuantizeSummary run() {
        const auto start = std::chrono::steady_clock::now();
        const auto &tensors = source_.tensors();
        const QuantPolicy policy(o_.target, o_.overrides, count_layers(tensors));
        decisions_.clear();
        for (const auto &t : tensors) {
            decisions_.push_back(policy.choose(t.name, t.n_dims, t.cols()));
            const TensorType to = decisions_.back().type;
            const TypeInfo &from = *type_info(t.type);
            if (from.quantized && to != t.type)
                log("warning: " + t.name + " is already " + from.name + "; re-quantizing it to " + type_name(to) +
                    " compounds the rounding errors (quantize from the full-precision model when you can)");
            if (!is_float_type(to) && (!quant_kernels(to) || !quant_kernels(to)->from_float_weighted))
                fail(LQ_ERR_UNSUPPORTED, "libquant cannot write tensors of type %s", type_name(to));
        }
        if (smoothing() && o_.method == QuantMethod::Awq)
            fail(LQ_ERR_INVALID_ARGUMENT, "SmoothQuant smoothing and AWQ both rescale input channels; choose one");
        if (smoothing() && !(o_.smooth_alpha > 0.0f && o_.smooth_alpha <= 1.0f))
            fail(LQ_ERR_INVALID_ARGUMENT, "the SmoothQuant alpha %g is outside (0, 1]", o_.smooth_alpha);
        if (o_.method != QuantMethod::Rtn || smoothing()) calibrate();

        GgufWriter writer;
        source_.write_metadata(writer);
        writer.set_u32("general.file_type", policy.file_type());
        if (!o_.name.empty()) writer.set_string("general.name", o_.name);
        bool quantized = false;
        for (const TensorDecision &d : decisions_) quantized = quantized || type_info(d.type)->quantized;
        if (quantized) writer.set_u32("general.quantization_version", 2);
        else writer.remove("general.quantization_version");
        writer.set_string("libquant.quantize.target", policy.target());
        writer.set_string("libquant.quantize.method", method_name(o_.method));
        if (o_.method != QuantMethod::Rtn || smoothing())
            writer.set_u32("libquant.quantize.calibration_sequences", n_sequences_);
        if (smoothing()) writer.set_f32("libquant.quantize.smoothquant_alpha", o_.smooth_alpha);
        for (size_t i = 0; i < tensors.size(); ++i) {
            const auto &t = tensors[i];
            writer.add_tensor(t.name, decisions_[i].type, t.n_dims, t.ne);
        }
        writer.begin(output_);
        QuantizeSummary summary;
        for (size_t i = 0; i < tensors.size(); ++i) {
            report_progress(0.3f + 0.7f * static_cast<float>(i) / static_cast<float>(tensors.size()));
            write_tensor(writer, i);
            const uint64_t bytes = writer.tensor_bytes(i);
            summary.total_bytes += bytes;
            if (tensors[i].n_dims >= 2) {
                summary.matrix_weights += tensors[i].elements();
                summary.matrix_bytes += bytes;
            }
        }
        writer.finish();
        report_progress(1.0f);
        summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        return summary;
    }

private:
    void log(const std::string &line) const {
        if (o_.log) o_.log(line);
    }

    void report_progress(float fraction) const {
        if (o_.progress && !o_.progress(fraction)) fail(LQ_ERR_CANCELLED, "quantization was cancelled");
    }

    bool smoothing() const { return o_.smooth || o_.method == QuantMethod::SmoothQuant; }

    void calibrate() {
        if (o_.calibration_path.empty())
            fail(LQ_ERR_INVALID_ARGUMENT, "the %s method needs calibration text (--calib)",
                 o_.method == QuantMethod::Rtn ? "smoothquant" : method_name(o_.method));
        const std::string model_path = source_.runnable_gguf_path(output_ + ".calibration.gguf");
        LoadOptions load;
        std::unique_ptr<Model> model = Model::load(model_path, load);
        hparams_ = model->hparams();
        CalibrationOptions c;
        c.text_path = o_.calibration_path;
        c.n_samples = o_.calibration_samples;
        c.n_ctx = std::min(o_.calibration_ctx, hparams_.n_ctx_train);
        c.n_threads = static_cast<uint32_t>(pool_.size());
        c.hessians = o_.method == QuantMethod::Gptq;
        c.keep_rows = o_.method == QuantMethod::Awq ? kAwqSampleRows : 0;
        c.progress = [this](float f) { return !o_.progress || o_.progress(0.3f * f); };
        if (c.hessians) check_hessian_memory();
        n_sequences_ = static_cast<uint32_t>(calibration_sequences(*model, c.text_path, c.n_samples, c.n_ctx).size());
        stats_ = collect_statistics(*model, c);
        log("calibration: " + std::to_string(n_sequences_) + " sequences of " + std::to_string(c.n_ctx) + " tokens");
        if (o_.method == QuantMethod::Awq) search_awq_scales();
        if (smoothing()) smooth_inputs();
    }

    void check_hessian_memory() const {
        const uint64_t e = hparams_.n_embd, q = hparams_.n_embd_q(), f = hparams_.n_ff;
        const uint64_t per_layer = (2 * e * e + q * q + f * f) * sizeof(double);
        const uint64_t total = per_layer * hparams_.n_layer + e * e * sizeof(double);
        const uint64_t limit = uint64_t(8) << 30;
        if (total > limit)
            fail(LQ_ERR_UNSUPPORTED, "GPTQ would hold %llu MiB of Hessians for this model (limit %llu MiB); use awq or "
                                     "importance instead",
                 static_cast<unsigned long long>(total >> 20), static_cast<unsigned long long>(limit >> 20));
    }

    std::vector<float> read_tensor(size_t index) const {
        const auto &t = source_.tensors()[index];
        std::vector<float> data(static_cast<size_t>(t.elements()));
        source_.read_rows(index, 0, t.rows(), data.data());
        return data;
    }

    // An input whose channels AWQ or SmoothQuant may rescale: the matrices
    // reading it, its calibration statistics, and how its columns are tied
    // (grouped-query attention output: the heads of a key/value group share
    // each scale). The embedding, when it is also the output matrix, cannot
    // absorb 1/s, so the output's input is left out then.
    struct RescalableInput {
        InputKey key;
        std::vector<size_t> readers;
        const InputStatistics *stats = nullptr;
        uint32_t tie_groups = 1;
    };

    std::vector<RescalableInput> rescalable_inputs() const {
        std::map<InputKey, std::vector<size_t>> readers;
        const auto &tensors = source_.tensors();
        for (size_t i = 0; i < tensors.size(); ++i) {
            InputKey key;
            if (tensors[i].n_dims >= 2 && input_of(tensors[i].name, tied_output_, &key)) readers[key].push_back(i);
        }
        std::vector<RescalableInput> out;
        for (auto &entry : readers) {
            const InputKey &key = entry.first;
            if (key.first == MatmulInput::OutputIn && tied_output_) continue;
            const auto found = stats_.find(key);
            if (found == stats_.end()) continue;
            const bool grouped = key.first == MatmulInput::AttentionOut && hparams_.n_head != hparams_.n_head_kv;
            out.push_back({key, std::move(entry.second), &found->second,
                           grouped ? hparams_.n_head / hparams_.n_head_kv : 1});
        }
        return out;
    }

    // AWQ: one search per input, then the scales are folded (see awq.h).
    void search_awq_scales() {
        const auto &tensors = source_.tensors();
        for (const RescalableInput &in : rescalable_inputs()) {
            std::vector<std::vector<float>> data;
            std::vector<AwqWeight> weights;
            for (size_t i : in.readers) data.push_back(read_tensor(i));
            for (size_t k = 0; k < in.readers.size(); ++k) {
                const auto &t = tensors[in.readers[k]];
                weights.push_back({data[k].data(), t.rows(), decisions_[in.readers[k]].type});
            }
            const AwqResult r = awq_search(pool_, *in.stats, weights, in.tie_groups, hparams_.head_dim);
            if (r.alpha == 0.0f) continue;
            for (size_t i : in.readers) scale_columns(tensors[i].name, r.scales);
            fold_inverse(in.key, r.scales);
            log("awq: " + tensors[in.readers[0]].name + " alpha " + std::to_string(r.alpha).substr(0, 4) +
                ", output error x" + std::to_string(r.error / std::max(r.error_unscaled, 1e-30)).substr(0, 5));
        }
    }

    // max |w_j| over the rows of a tensor, per column, read in slices.
    void column_max(size_t index, std::vector<float> &max) const {
        const auto &t = source_.tensors()[index];
        const uint64_t rows = t.rows(), cols = t.cols();
        max.resize(static_cast<size_t>(cols), 0.0f);
        const uint64_t slice = std::max<uint64_t>(1, kSliceBytes / (cols * sizeof(float) + 1));
        std::vector<float> data;
        for (uint64_t r0 = 0; r0 < rows; r0 += slice) {
            const uint64_t n = std::min(slice, rows - r0);
            data.resize(static_cast<size_t>(n * cols));
            source_.read_rows(index, r0, n, data.data());
            for (uint64_t r = 0; r < n; ++r)
                for (uint64_t j = 0; j < cols; ++j)
                    max[static_cast<size_t>(j)] = std::max(max[static_cast<size_t>(j)], std::fabs(data[r * cols + j]));
        }
    }

    // SmoothQuant: factors per input from the calibration maxima and the
    // readers' weights, folded as AWQ's are (see smoothquant.h).
    void smooth_inputs() {
        const auto &tensors = source_.tensors();
        for (const RescalableInput &in : rescalable_inputs()) {
            if (in.stats->max_abs.empty()) continue;
            std::vector<float> weight_max;
            for (size_t i : in.readers) column_max(i, weight_max);
            if (weight_max.size() != in.stats->n_cols) continue;
            const SmoothingResult r =
                smoothing_factors(*in.stats, weight_max, o_.smooth_alpha, in.tie_groups, hparams_.head_dim);
            for (size_t i : in.readers) scale_columns(tensors[i].name, r.scales);
            fold_inverse(in.key, r.scales);
            char line[256];
            std::snprintf(line, sizeof line, "smoothquant: %s input, largest channel / median %.1f -> %.1f",
                          tensors[in.readers[0]].name.c_str(), r.outlier_ratio, r.outlier_ratio_after);
            log(line);
        }
    }

    void scale_columns(const std::string &name, const std::vector<float> &s) {
        Transform &t = transforms_[name];
        if (t.column_scale.empty()) t.column_scale.assign(s.size(), 1.0f);
        for (size_t j = 0; j < s.size(); ++j) t.column_scale[j] *= s[j];
    }

    // Multiplies rows [first, first + count) of a tensor (or elements of a vector) by 1/s.
    void scale_rows_inverse(const std::string &name, size_t first, const std::vector<float> &inverse_of) {
        const auto it = index_.find(name);
        if (it == index_.end()) return;
        const auto &t = source_.tensors()[it->second];
        Transform &tr = transforms_[name];
        const bool vector = t.n_dims < 2;
        std::vector<float> &target = vector ? tr.column_scale : tr.row_scale;
        if (target.empty()) target.assign(static_cast<size_t>(vector ? t.cols() : t.rows()), 1.0f);
        for (size_t j = 0; j < inverse_of.size(); ++j) target[first + j] /= inverse_of[j];
    }

    void fold_inverse(const InputKey &key, const std::vector<float> &s) {
        const uint32_t l = key.second;
        const bool phi3 = hparams_.arch == Architecture::Phi3;
        switch (key.first) {
        case MatmulInput::AttentionIn: scale_rows_inverse(layer_tensor(l, "attn_norm.weight"), 0, s); break;
        case MatmulInput::FfnIn: scale_rows_inverse(layer_tensor(l, "ffn_norm.weight"), 0, s); break;
        case MatmulInput::OutputIn: scale_rows_inverse("output_norm.weight", 0, s); break;
        case MatmulInput::FfnDownIn:
            scale_rows_inverse(layer_tensor(l, "ffn_up.weight"), phi3 ? hparams_.n_ff : 0, s);
            break;
        case MatmulInput::AttentionOut: {
            // Value channel (g, d) feeds output column (h, d) of every head h
            // of group g; the scales were tied, so take the group's first head.
            const uint32_t hd = hparams_.head_dim, group = hparams_.n_head / hparams_.n_head_kv;
            std::vector<float> per_value(static_cast<size_t>(hparams_.n_head_kv) * hd);
            for (uint32_t g = 0; g < hparams_.n_head_kv; ++g)
                for (uint32_t d = 0; d < hd; ++d) per_value[g * hd + d] = s[(g * group) * hd + d];
            if (phi3) {
                scale_rows_inverse(layer_tensor(l, "attn_qkv.weight"), hparams_.n_embd_q() + hparams_.n_embd_kv(), per_value);
            } else {
                scale_rows_inverse(layer_tensor(l, "attn_v.weight"), 0, per_value);
                scale_rows_inverse(layer_tensor(l, "attn_v.bias"), 0, per_value);
            }
            break;
        }
        }
    }

    // Importance of each column for rounding: the mean squared input, over
    // the square of any AWQ scale applied to the column.
    std::vector<float> importance_for(size_t index, const Transform *transform) const {
        const auto &t = source_.tensors()[index];
        InputKey key;
        if (o_.method == QuantMethod::Rtn || t.n_dims < 2 || !input_of(t.name, tied_output_, &key)) return {};
        const auto found = stats_.find(key);
        if (found == stats_.end() || found->second.n_cols != t.cols()) return {};
        std::vector<float> importance(static_cast<size_t>(t.cols()));
        double total = 0.0;
        for (uint32_t j = 0; j < importance.size(); ++j) {
            double v = found->second.mean_square(j);
            if (transform && !transform->column_scale.empty())
                v /= static_cast<double>(transform->column_scale[j]) * transform->column_scale[j];
            importance[j] = static_cast<float>(v);
            total += v;
        }
        // A floor keeps columns that never saw an input from being ignored entirely.
        const float floor = static_cast<float>(1e-6 * total / static_cast<double>(importance.size()) + 1e-30);
        for (float &v : importance) v = std::max(v, floor);
        return importance;
    }

    // The Hessian of an input as the transformed weights see it: columns
    // scaled by c read inputs divided by c, so H_ij / (c_i c_j) (built in
    // @p scaled; without column scales the statistics' own, uncopied).
    const std::vector<double> &hessian_for(const InputKey &key, const Transform *transform,
                                           std::vector<double> &scaled) const {
        const InputStatistics &s = stats_.at(key);
        if (!transform || transform->column_scale.empty()) return s.hessian;
        scaled = s.hessian;
        const std::vector<float> &c = transform->column_scale;
        for (uint32_t i = 0; i < s.n_cols; ++i)
            for (uint32_t j = 0; j < s.n_cols; ++j)
                scaled[static_cast<size_t>(i) * s.n_cols + j] /= static_cast<double>(c[i]) * c[j];
        return scaled;
    }

    void apply(const Transform &tr, uint64_t first_row, uint64_t n_rows, uint64_t cols, float *data) const {
        for (uint64_t r = 0; r < n_rows; ++r) {
            float *row = data + r * cols;
            const float rs = tr.row_scale.empty() ? 1.0f : tr.row_scale[static_cast<size_t>(first_row + r)];
            for (uint64_t j = 0; j < cols; ++j)
                row[j] *= rs * (tr.column_scale.empty() ? 1.0f : tr.column_scale[static_cast<size_t>(j)]);
        }
    }

    void encode_rows(TensorType type, const float *data, uint64_t n_rows, uint64_t cols, const float *importance,
                     uint8_t *out) {
        const size_t out_row = row_bytes(*type_info(type), cols);
        if (type == TensorType::F32) {
            std::memcpy(out, data, static_cast<size_t>(n_rows * cols) * sizeof(float));
            return;
        }
        // Without calibration the fast encoders do the work (a few candidate
        // scales: 10-100 times faster than the exhaustive search, a few
        // percent more error); the calibrated methods keep the search.
        const QuantKernels &k = *cpu::cpu_kernels(type);
        const bool fast = o_.method == QuantMethod::Rtn && !o_.exhaustive && !importance && k.from_float_fast;
        pool_.parallel_for(static_cast<int64_t>(n_rows), [&](int64_t r, int) {
            const float *row = data + static_cast<size_t>(r) * cols;
            uint8_t *dst = out + static_cast<size_t>(r) * out_row;
            if (fast) k.from_float_fast(row, dst, static_cast<int64_t>(cols));
            else if (k.from_float_weighted) k.from_float_weighted(row, dst, static_cast<int64_t>(cols), importance);
            else k.from_float(row, dst, static_cast<int64_t>(cols));
        });
    }

    void write_tensor(GgufWriter &writer, size_t index) {
        const auto &t = source_.tensors()[index];
        const TensorDecision &d = decisions_[index];
        const auto tr_it = transforms_.find(t.name);
        const Transform *transform = tr_it == transforms_.end() || tr_it->second.empty() ? nullptr : &tr_it->second;
        log(t.name + "  " + type_name(t.type) + " -> " + type_name(d.type) + "  (" + d.reason + ")");

        // Unchanged tensors are copied byte for byte.
        if (d.type == t.type && !transform && source_.stored_bytes(index)) {
            writer.write_tensor_data(source_.stored_bytes(index), static_cast<size_t>(writer.tensor_bytes(index)));
            return;
        }
        const uint64_t rows = t.rows(), cols = t.cols();
        const std::vector<float> importance = importance_for(index, transform);
        const float *imp = importance.empty() ? nullptr : importance.data();
        const size_t out_row = row_bytes(*type_info(d.type), cols);

        InputKey key;
        const bool gptq = o_.method == QuantMethod::Gptq && type_info(d.type)->quantized && t.n_dims >= 2 &&
                          input_of(t.name, tied_output_, &key) && stats_.count(key) &&
                          stats_.at(key).n_cols == cols && quant_kernels(d.type)->requantize;
        if (gptq) {
            std::vector<float> data = read_tensor(index);
            if (transform) apply(*transform, 0, rows, cols, data.data());
            std::vector<uint8_t> out(static_cast<size_t>(rows) * out_row);
            GptqOptions g;
            g.damp = o_.gptq_damp;
            g.act_order = o_.gptq_act_order;
            std::vector<double> scaled;
            gptq_quantize(pool_, data.data(), rows, cols, hessian_for(key, transform, scaled), d.type, g, out.data());
            writer.write_tensor_data(out.data(), out.size());
            return;
        }

        const uint64_t slice = std::max<uint64_t>(1, kSliceBytes / (cols * sizeof(float) + 1));
        std::vector<float> &data = slice_data_;
        std::vector<uint8_t> &out = slice_out_;
        for (uint64_t r0 = 0; r0 < rows; r0 += slice) {
            const uint64_t n = std::min(slice, rows - r0);
            data.resize(static_cast<size_t>(n * cols));
            source_.read_rows(index, r0, n, data.data());
            if (transform) apply(*transform, r0, n, cols, data.data());
            out.resize(static_cast<size_t>(n) * out_row);
            encode_rows(d.type, data.data(), n, cols, imp, out.data());
            writer.write_tensor_data(out.data(), out.size());
        }
    }

    const WeightSource &source_;
    std::string output_;
    const QuantizeOptions &o_;
    ThreadPool pool_;
    std::map<std::string, size_t> index_;
    bool tied_output_ = false;
    std::vector<TensorDecision> decisions_;
    HParams hparams_;
    std::map<InputKey, InputStatistics> stats_;
    std::map<std::string, Transform> transforms_;
    uint32_t n_sequences_ = 0;
    // The slice buffers of write_tensor, kept from tensor to tensor: fresh
    // ones cost a fast quantization 15% of its time in page faults and
    // zeroing.
    std::vector<float> slice_data_;
    std::vector<uint8_t> slice_out_;
};

}  // namespace

const char *method_name(QuantMethod method) {
    switch (method) {
    case QuantMethod::Rtn: return "rtn";
    case QuantMethod::Gptq: return "gptq";
    case QuantMethod::Awq: return "awq";
    case QuantMethod::Importance: return "importance";
    case QuantMethod::SmoothQuant: return "smoothquant";
    }
    return "unknown";
}

QuantizeSummary write_quantized_model(const WeightSource &source, const std::string &output_path,
                                      const QuantizeOptions &options) {
    Quantizer quantizer(source, output_path, options);
    return quantizer.run();
}

QuantizeSummary quantize_model(const std::string &input_path, const std::string &output_path,
                               const QuantizeOptions &options) {
    const std::unique_ptr<WeightSource> source = open_weight_source(input_path, options.tokenizer_path);
    return write_quantized_model(*source, output_path, options);
}

}  // namespace lq
