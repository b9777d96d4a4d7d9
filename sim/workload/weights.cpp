// Tensor inventories and llama.cpp's per-tensor quantization rules
// (llama-quant.cpp, llama_tensor_get_type: use_more_bits, output -> Q6_K, k-quant fallbacks).
#include "workload/weights.hpp"

#include "workload/arch/architecture.hpp"

#include <array>
#include <cmath>
#include <stdexcept>
#include <string>

namespace infersim::workload {
namespace {

constexpr std::size_t kRoles = kTensorRoleNames.size();
const auto& kRoleNames = kTensorRoleNames;

struct Scheme {
    std::string_view name;
    std::string_view base;       // format of most linear weights
    std::string_view embd;       // token embedding
    std::string_view output;     // LM head ("" = llama.cpp rule: Q6_K unless base is q8_0/float)
    bool more_bits_mix;          // Q4_K_M / Q5_K_M: attn_v and ffn_down at Q6_K on use_more_bits layers
    std::string_view dense_base; // for MoE models: the format of non-expert linear weights ("" = base)
};

constexpr std::array kSchemes{
    Scheme{"f32", "f32", "f32", "f32", false, ""},
    Scheme{"f16", "f16", "f16", "f16", false, ""},
    Scheme{"bf16", "bf16", "bf16", "bf16", false, ""},
    Scheme{"q8_0", "q8_0", "q8_0", "q8_0", false, ""},
    Scheme{"q4_0", "q4_0", "q4_0", "", false, ""},
    Scheme{"q4_1", "q4_1", "q4_1", "", false, ""},
    Scheme{"q5_0", "q5_0", "q5_0", "", false, ""},
    Scheme{"q4_k_s", "q4_k", "q4_k", "", false, ""},
    Scheme{"q4_k_m", "q4_k", "q4_k", "", true, ""},
    Scheme{"q5_k_s", "q5_k", "q5_k", "", false, ""},
    Scheme{"q5_k_m", "q5_k", "q5_k", "", true, ""},
    Scheme{"q6_k", "q6_k", "q6_k", "q6_k", false, ""},
    // FP8 / NVFP4 checkpoints (ModelOpt-style) keep embeddings and the LM head in bf16.
    Scheme{"fp8", "fp8", "bf16", "bf16", false, ""},
    Scheme{"nvfp4", "nvfp4", "bf16", "bf16", false, ""},
    // llama.cpp's MXFP4_MOE: experts in MXFP4, the rest Q8_0 (as in ggml-org's gpt-oss GGUFs).
    Scheme{"mxfp4", "mxfp4", "q8_0", "q8_0", false, "q8_0"},
};

// llama.cpp: use_more_bits(i, n) = i < n/8 || i >= 7n/8 || (i - n/8) % 3 == 2
bool use_more_bits(int i, int n) { return i < n / 8 || i >= 7 * n / 8 || (i - n / 8) % 3 == 2; }

const QuantFormat& fmt(std::string_view name) {
    const QuantFormat* f = find_format(name);
    if (!f) throw std::logic_error("format table lacks " + std::string(name));
    return *f;
}

// k-quants need rows that are a multiple of 256; llama.cpp falls back to a legacy type.
const QuantFormat& row_compatible(const QuantFormat& f, std::uint64_t row) {
    if (!f.k_quant || row % 256 == 0) return f;
    if (f.name == "q4_k" || f.name == "q2_k" || f.name == "q3_k") return fmt("q5_0");
    if (f.name == "q5_k") return fmt("q5_1");
    return fmt("q8_0");
}

class Builder {
public:
    Builder(const config::ModelSpec& m, const Scheme& s) : m_(m), s_(s) {}

    WeightInventory build() {
        WeightInventory inv;
        inv.scheme = std::string(s_.name);
        const std::uint64_t h = static_cast<std::uint64_t>(m_.hidden);
        const std::uint64_t v = static_cast<std::uint64_t>(m_.vocab);
        add(inv, TensorRole::token_embd, -1, h, v * h, fmt(s_.embd));
        add(inv, TensorRole::output_norm, -1, h, h, fmt("f32"));
        if (!m_.tied_embeddings) add(inv, TensorRole::output, -1, h, v * h, output_format());
        const auto arch = make_architecture(m_);
        for (int l = 0; l < m_.layers; ++l)
            for (const LayerTensor& t : arch->layer_tensors(l)) add(inv, t.role, l, t.row, t.elements, format(t.role, l), t.experts);
        inv.index(m_.layers);
        return inv;
    }

private:
    const QuantFormat& output_format() const {
        if (!s_.output.empty()) return fmt(s_.output);
        return fmt("q6_k");  // llama.cpp: output.weight -> Q6_K for every quantized type below Q8_0
    }

    const QuantFormat& linear(bool expert) const {
        if (!expert && m_.is_moe() && !s_.dense_base.empty()) return fmt(s_.dense_base);
        return fmt(s_.base);
    }

    void add(WeightInventory& inv, TensorRole role, int layer, std::uint64_t row, std::uint64_t elements,
             const QuantFormat& f, int experts = 1) {
        const QuantFormat& g = row_compatible(f, row);
        // Quantized blocks run along rows: each row is a whole number of blocks.
        std::uint64_t rows = elements / row;
        inv.tensors.push_back(Tensor{role, layer, elements, rows * g.bytes_for(row), std::string(g.name), experts});
    }

    // llama_tensor_get_type's rules by tensor name, for every architecture: norms, biases and the
    // router stay f32; attn_v, attn_k, attn_output and every ffn_down* (dense, routed and shared,
    // all match "ffn_down") take their more-bits types; the rest is the scheme's base type.
    const QuantFormat& format(TensorRole role, int l) const {
        const bool more = s_.more_bits_mix && use_more_bits(l, m_.layers);
        const bool eight_experts = m_.experts == 8;
        const QuantFormat& lin = linear(false);
        switch (role) {
            case TensorRole::attn_norm: case TensorRole::ffn_norm: case TensorRole::attn_qkv_bias: case TensorRole::ffn_gate_inp:
            case TensorRole::attn_q_a_norm: case TensorRole::attn_kv_a_norm: case TensorRole::post_attention_norm:
            case TensorRole::post_ffw_norm: case TensorRole::attn_q_norm: case TensorRole::attn_k_norm: case TensorRole::ssm_conv1d:
            case TensorRole::ssm_dt: case TensorRole::ssm_a: case TensorRole::ssm_norm: case TensorRole::ffn_gate_inp_shexp:
                return fmt("f32");
            case TensorRole::attn_k: return eight_experts && quantized() ? fmt("q8_0") : lin;
            case TensorRole::attn_v: return attn_v_format(more, lin);
            case TensorRole::attn_output: return eight_experts && s_.more_bits_mix ? fmt("q5_k") : lin;
            case TensorRole::ffn_down: case TensorRole::ffn_down_shexp: return more ? fmt("q6_k") : lin;
            case TensorRole::ffn_gate_exps: case TensorRole::ffn_up_exps: return linear(true);
            case TensorRole::ffn_down_exps: return more ? fmt("q6_k") : linear(true);
            default: return lin;
        }
    }

    bool quantized() const { return s_.base != "f32" && s_.base != "f16" && s_.base != "bf16"; }

    const QuantFormat& attn_v_format(bool more, const QuantFormat& lin) const {
        if (m_.experts == 8 && quantized()) return fmt("q8_0");
        if (more) return fmt("q6_k");
        // GQA >= 4 (llama.cpp's former MODEL_70B rule): attn_v is small, so Q4_K -> Q5_K.
        if (s_.more_bits_mix && m_.heads / m_.kv_heads >= 4 && lin.name == "q4_k") return fmt("q5_k");
        return lin;
    }

    const config::ModelSpec& m_;
    const Scheme& s_;
};

// Maps a GGUF tensor name ("blk.12.ffn_down_exps.weight") to its layer and role.
std::pair<int, TensorRole> classify(const std::string& name) {
    int layer = -1;
    std::string rest = name;
    if (name.rfind("blk.", 0) == 0) {
        std::size_t dot = name.find('.', 4);
        if (dot != std::string::npos) {
            try {
                layer = std::stoi(name.substr(4, dot - 4));
            } catch (...) {
                layer = -1;
            }
            rest = name.substr(dot + 1);
        }
    }
    std::string base = rest.substr(0, rest.find('.'));
    if (rest.find(".bias") != std::string::npos && (base == "attn_q" || base == "attn_k" || base == "attn_v"))
        return {layer, TensorRole::attn_qkv_bias};
    for (std::size_t i = 0; i < kRoles; ++i)
        if (kRoleNames[i] == base) return {layer, static_cast<TensorRole>(i)};
    return {layer, TensorRole::other};
}

}  // namespace

std::string_view role_name(TensorRole r) { return kRoleNames[static_cast<std::size_t>(r)]; }

std::size_t WeightInventory::slot(int layer, TensorRole role) const {
    return static_cast<std::size_t>(layer + 1) * kRoles + static_cast<std::size_t>(role);
}

void WeightInventory::index(int layers) {
    layers_ = layers;
    by_layer_role_.assign(static_cast<std::size_t>(layers + 1) * kRoles, 0);
    first_format_.assign(by_layer_role_.size(), nullptr);
    std::vector<bool> seen(by_layer_role_.size(), false);
    for (const Tensor& t : tensors) {
        if (t.layer < -1 || t.layer >= layers) continue;
        std::size_t s = slot(t.layer, t.role);
        by_layer_role_[s] += t.bytes;
        if (seen[s]) continue;
        seen[s] = true;
        first_format_[s] = find_format(t.format);  // looked up once, not per op
    }
}

std::uint64_t WeightInventory::total_bytes() const {
    std::uint64_t sum = 0;
    for (const Tensor& t : tensors) sum += t.bytes;
    return sum;
}

std::uint64_t WeightInventory::bytes(int layer, TensorRole role) const {
    if (layer < -1 || layer >= layers_) return 0;
    return by_layer_role_[slot(layer, role)];
}

std::uint64_t WeightInventory::layer_bytes(int layer) const {
    std::uint64_t sum = 0;
    for (std::size_t r = 0; r < kRoles; ++r) sum += bytes(layer, static_cast<TensorRole>(r));
    return sum;
}

const QuantFormat* WeightInventory::format(int layer, TensorRole role) const {
    if (layer < -1 || layer >= layers_) return nullptr;
    return first_format_[slot(layer, role)];
}

double WeightInventory::bits_per_weight() const {
    std::uint64_t elements = 0;
    for (const Tensor& t : tensors) elements += t.elements;
    return elements ? 8.0 * static_cast<double>(total_bytes()) / static_cast<double>(elements) : 0.0;
}

InventoryParams inventory_params(const WeightInventory& w, const config::ModelSpec& m) {
    InventoryParams p;
    double active = 0;
    for (const Tensor& t : w.tensors) {
        p.total += t.elements;
        const bool routed = t.experts > 1 && m.experts > 0;
        active += routed ? static_cast<double>(t.elements) * m.active_experts / m.experts : static_cast<double>(t.elements);
    }
    p.active = static_cast<std::uint64_t>(std::llround(active));
    return p;
}

std::vector<std::string_view> scheme_names() {
    std::vector<std::string_view> out;
    for (const Scheme& s : kSchemes) out.push_back(s.name);
    return out;
}

WeightInventory build_weights(const config::ModelSpec& model, std::string_view scheme) {
    for (const Scheme& s : kSchemes)
        if (s.name == scheme) return Builder(model, s).build();
    throw std::invalid_argument("unknown quantization '" + std::string(scheme) + "'");
}

WeightInventory weights_from_records(const config::ModelSpec& model) {
    WeightInventory inv;
    inv.scheme = "gguf";
    for (const config::TensorRecord& r : model.tensors) {
        auto [layer, role] = classify(r.name);
        bool expert = role == TensorRole::ffn_gate_exps || role == TensorRole::ffn_up_exps || role == TensorRole::ffn_down_exps;
        inv.tensors.push_back(Tensor{role, layer, r.elements, r.bytes, r.type, expert ? std::max(1, model.experts) : 1});
    }
    inv.index(model.layers);
    return inv;
}

}  // namespace infersim::workload
