// Qwen3-Next (Qwen/Qwen3-Next-80B-A3B; transformers modeling_qwen3_next.py): a hybrid of gated
// DeltaNet linear-attention layers (arXiv:2412.06464) and gated full attention every
// full_attention_interval-th layer (layer_pattern "lllf"), each followed by a MoE with one
// shared expert behind a sigmoid gate.
//  Linear layer: in_proj_qkvz (hidden -> 2 key_dim + 2 value_dim), in_proj_ba (hidden -> 2 value
//  heads), a depthwise causal conv1d over q, k, v (kernel conv_kernel), dt_bias and A_log per value
//  head, a gated RMSNorm of value_head_dim, out_proj (value_dim -> hidden). Its cache is a fixed
//  state whatever the context: per value head a key_head_dim x value_head_dim matrix, plus the
//  conv's last conv_kernel - 1 inputs; in f32, as llama.cpp's recurrent memory keeps it (type_r,
//  type_s GGML_TYPE_F32). A step reads and writes the state once per sequence (ASSUMPTION: a
//  prefill chunk keeps it on chip between tokens).
//  Full layer: the GQA block with q_proj emitting query and output gate (2 x q), q/k norms.
#include <array>
#include <cmath>

#include "workload/arch/attention_block.hpp"
#include "workload/arch/block_parts.hpp"

namespace infersim::workload {
namespace {

using config::ModelSpec;
using config::OpKind;

constexpr double kStateBytes = 4;  // f32 recurrent state (llama.cpp)

class HybridLinearBlock final : public Architecture {
public:
    explicit HybridLinearBlock(const ModelSpec& m)
        : m_(m), a_(m.linear), full_(make_attention_block(m, {.fused_qkv = false, .post_norms = false, .qk_norm = true, .gated_query = true})) {}

    std::vector<LayerTensor> layer_tensors(int l) const override {
        std::vector<LayerTensor> t = m_.layer_kind(l) == 'l' ? linear_tensors(l) : full_->layer_tensors(l);
        const auto h = static_cast<std::uint64_t>(m_.hidden);
        if (m_.moe_layer(l) && m_.shared_experts > 0) t.push_back({TensorRole::ffn_gate_inp_shexp, h, h});
        return t;
    }

    void layer_ops(int l, const LayerStep& s, const WeightInventory& w, std::vector<Op>& out) const override {
        if (m_.layer_kind(l) != 'l') return full_->layer_ops(l, s, w, out);
        const LayerOpBuilder b(l, s, w);
        const double rows = s.rows(), h = m_.hidden, kd = a_.key_dim(), vd = a_.value_dim(), vh = a_.value_heads;
        out.push_back(b.rmsnorm(TensorRole::attn_norm, h));
        out.push_back(b.linear(OpKind::qkv, {TensorRole::ssm_in, TensorRole::ssm_ba}, h, 2 * kd + 2 * vd + 2 * vh));
        // The recurrence: conv over q, k, v, then per value head S k (read), the rank-1 delta
        // update and q S (read): 6 x key_head_dim x value_head_dim flops per token and head.
        Op rec = b.linear(OpKind::attention, {TensorRole::ssm_conv1d, TensorRole::ssm_dt, TensorRole::ssm_a}, 1, 1);
        const double conv_dim = 2 * kd + vd;
        rec.cols = 0;
        rec.weight_elements = 0;
        rec.flops = rows * (2.0 * conv_dim * a_.conv_kernel + 6.0 * vh * a_.key_head_dim * a_.value_head_dim);
        rec.kv_read_bytes = rec.kv_write_bytes = static_cast<std::uint64_t>(std::llround(s.sequences * state_bytes()));
        rec.act_bytes = static_cast<std::uint64_t>(rows * (conv_dim + vd) * kActBytes);
        out.push_back(rec);
        out.push_back(b.linear(OpKind::out_proj, {TensorRole::ssm_norm, TensorRole::ssm_out}, vd, h));
        out.push_back(b.rmsnorm(TensorRole::ffn_norm, h));
        ffn_ops(m_, b, out);
    }

    std::uint64_t kv_elements_per_token(int l) const override { return m_.layer_kind(l) == 'l' ? 0 : full_->kv_elements_per_token(l); }

    LayerCache layer_cache(int l) const override {
        if (m_.layer_kind(l) == 'l') return {0, 0, state_bytes()};
        return full_->layer_cache(l);
    }

private:
    double state_bytes() const {
        const double matrix = static_cast<double>(a_.value_heads) * a_.key_head_dim * a_.value_head_dim;
        const double conv = (2.0 * a_.key_dim() + a_.value_dim()) * (a_.conv_kernel - 1);
        return (matrix + conv) * kStateBytes;
    }

    std::vector<LayerTensor> linear_tensors(int l) const {
        const auto h = static_cast<std::uint64_t>(m_.hidden), kd = static_cast<std::uint64_t>(a_.key_dim());
        const auto vd = static_cast<std::uint64_t>(a_.value_dim()), vh = static_cast<std::uint64_t>(a_.value_heads);
        const auto kernel = static_cast<std::uint64_t>(a_.conv_kernel);
        std::vector<LayerTensor> t{{TensorRole::attn_norm, h, h},
                                   {TensorRole::ffn_norm, h, h},
                                   {TensorRole::ssm_in, h, h * (2 * kd + 2 * vd)},
                                   {TensorRole::ssm_ba, h, h * 2 * vh},
                                   {TensorRole::ssm_conv1d, kernel, (2 * kd + vd) * kernel},
                                   {TensorRole::ssm_dt, vh, vh},
                                   {TensorRole::ssm_a, vh, vh},
                                   {TensorRole::ssm_norm, static_cast<std::uint64_t>(a_.value_head_dim), static_cast<std::uint64_t>(a_.value_head_dim)},
                                   {TensorRole::ssm_out, vd, vd * h}};
        ffn_tensors(m_, l, t);
        return t;
    }

    const ModelSpec& m_;
    const config::LinearAttentionSpec& a_;
    std::unique_ptr<Architecture> full_;
};

int positive(const config::Node& n) { return static_cast<int>(n.as_integer(1, 1 << 16)); }

const std::array kFields{
    config::Field<ModelSpec>{"linear_key_heads", "integer", true, "", "linear-attention key heads (linear_num_key_heads)",
                             [](ModelSpec& m, const config::Node& n) { m.linear.key_heads = positive(n); }},
    config::Field<ModelSpec>{"linear_value_heads", "integer", true, "", "linear-attention value heads (one state matrix each)",
                             [](ModelSpec& m, const config::Node& n) { m.linear.value_heads = positive(n); }},
    config::Field<ModelSpec>{"linear_key_head_dim", "integer", true, "", "key width per linear head",
                             [](ModelSpec& m, const config::Node& n) { m.linear.key_head_dim = positive(n); }},
    config::Field<ModelSpec>{"linear_value_head_dim", "integer", true, "", "value width per linear head",
                             [](ModelSpec& m, const config::Node& n) { m.linear.value_head_dim = positive(n); }},
    config::Field<ModelSpec>{"linear_conv_kernel", "integer", true, "", "causal conv1d kernel over q, k, v",
                             [](ModelSpec& m, const config::Node& n) { m.linear.conv_kernel = positive(n); }},
};

void validate(const ModelSpec& m, const FieldLocator& where) {
    auto need = [&](int v, const char* field) {
        if (v <= 0) throw config::InputError(where(field), field, "linear attention needs a positive " + std::string(field));
    };
    need(m.linear.key_heads, "linear_key_heads");
    need(m.linear.value_heads, "linear_value_heads");
    need(m.linear.key_head_dim, "linear_key_head_dim");
    need(m.linear.value_head_dim, "linear_value_head_dim");
    need(m.linear.conv_kernel, "linear_conv_kernel");
    if (m.layer_pattern.find('l') == std::string::npos)
        throw config::InputError(where("layer_pattern"), "layer_pattern", "expected linear layers (l) in the pattern, e.g. lllf");
    for (char c : m.layer_pattern)
        if (c != 'f' && c != 'l') throw config::InputError(where("layer_pattern"), "layer_pattern", "expected only l (linear) and f (full) layers");
}

constexpr std::array<std::string_view, 0> kFamilies{};

}  // namespace

ArchitectureEntry make_qwen3next_entry() {
    ArchitectureEntry e;
    e.name = "qwen3next";
    e.doc = "Qwen3-Next hybrid: gated DeltaNet linear-attention layers (a fixed f32 state per layer: value_heads x "
            "key_head_dim x value_head_dim + the conv's (conv_kernel - 1) x (2 key_dim + value_dim), whatever the "
            "context) and gated GQA full attention on the f layers of layer_pattern (KV 2 x kv_heads x head_dim per "
            "token); MoE with a gated shared expert.";
    e.fields = kFields;
    e.aliases = kFamilies;
    e.validate = validate;
    e.make = [](const ModelSpec& m) -> std::unique_ptr<Architecture> { return std::make_unique<HybridLinearBlock>(m); };
    e.hf = {"qwen3_next", "hidden_size num_hidden_layers num_attention_heads num_key_value_heads head_dim vocab_size "
                          "full_attention_interval (or layer_types) linear_num_key_heads linear_num_value_heads "
                          "linear_key_head_dim linear_value_head_dim linear_conv_kernel_dim num_experts "
                          "num_experts_per_tok moe_intermediate_size shared_expert_intermediate_size; "
                          "mtp_num_hidden_layers (reported, not replayed)"};
    return e;
}

}  // namespace infersim::workload
