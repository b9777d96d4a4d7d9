// Multi-head latent attention (DeepSeek-V2/V3, arXiv:2405.04434 section 2.1): keys and values
// go through one compressed latent c_KV (kv_lora_rank) plus a rotary key shared by all heads
// (qk_rope_head_dim); queries through an optional low-rank bottleneck (q_lora_rank). The cache
// holds only the latent and the rotary key: (kv_lora_rank + qk_rope_head_dim) elements per token
// and layer, as llama.cpp's MLA path stores it (K cache = latent + rope, V read from the latent).
// Attention runs in the absorbed form: W_UK folds into the query and W_UV into the output, so
// per head the scores are taken over kv_lora_rank + rope dims and the values over the latent.
// The FFN is the shared SwiGLU/MoE part (first_dense_layers, moe_layer_freq, shared experts).
#include <array>
#include <cmath>

#include "workload/arch/block_parts.hpp"

namespace infersim::workload {
namespace {

using config::ModelSpec;
using config::OpKind;

class LatentAttentionBlock final : public Architecture {
public:
    explicit LatentAttentionBlock(const ModelSpec& m) : m_(m), a_(m.mla) {}

    std::vector<LayerTensor> layer_tensors(int l) const override {
        const auto h = static_cast<std::uint64_t>(m_.hidden), heads = static_cast<std::uint64_t>(m_.heads);
        const auto ql = static_cast<std::uint64_t>(a_.q_lora_rank), r = static_cast<std::uint64_t>(a_.kv_lora_rank);
        const auto dr = static_cast<std::uint64_t>(a_.qk_rope_head_dim), dq = static_cast<std::uint64_t>(a_.qk_head_dim());
        const auto dn = static_cast<std::uint64_t>(a_.qk_nope_head_dim), dv = static_cast<std::uint64_t>(a_.v_head_dim);
        std::vector<LayerTensor> t{{TensorRole::attn_norm, h, h}, {TensorRole::ffn_norm, h, h}};
        if (ql > 0) {
            t.push_back({TensorRole::attn_q_a, h, h * ql});
            t.push_back({TensorRole::attn_q_a_norm, ql, ql});
            t.push_back({TensorRole::attn_q_b, ql, ql * heads * dq});
        } else {
            t.push_back({TensorRole::attn_q, h, h * heads * dq});
        }
        t.push_back({TensorRole::attn_kv_a_mqa, h, h * (r + dr)});
        t.push_back({TensorRole::attn_kv_a_norm, r, r});
        t.push_back({TensorRole::attn_kv_b, r, r * heads * (dn + dv)});
        t.push_back({TensorRole::attn_output, heads * dv, heads * dv * h});
        ffn_tensors(m_, l, t);
        return t;
    }

    void layer_ops(int l, const LayerStep& s, const WeightInventory& w, std::vector<Op>& out) const override {
        const LayerOpBuilder b(l, s, w);
        const double rows = s.rows(), h = m_.hidden, heads = m_.heads;
        const double ql = a_.q_lora_rank, r = a_.kv_lora_rank, dr = a_.qk_rope_head_dim;
        const double dq = a_.qk_head_dim(), dn = a_.qk_nope_head_dim, dv = a_.v_head_dim;
        out.push_back(b.rmsnorm(TensorRole::attn_norm, h));

        // Query (through its bottleneck when there is one) and the latent + rotary key, with the
        // two small norms on the latents folded in.
        Op qkv = b.linear(OpKind::qkv, {TensorRole::attn_q, TensorRole::attn_q_a, TensorRole::attn_q_a_norm, TensorRole::attn_q_b,
                                        TensorRole::attn_kv_a_mqa, TensorRole::attn_kv_a_norm},
                          h, heads * dq + r + dr);
        const double q_weights = ql > 0 ? h * ql + ql * heads * dq : h * heads * dq;
        const double weights = q_weights + h * (r + dr);
        qkv.weight_elements = static_cast<std::uint64_t>(weights);
        qkv.flops = 2 * rows * weights + 4 * rows * (r + ql);
        qkv.act_bytes = static_cast<std::uint64_t>(rows * (h + ql + heads * dq + r + dr) * kActBytes);
        qkv.kv_write_bytes = static_cast<std::uint64_t>(std::llround(rows * (r + dr) * s.kv_bytes_per_element));
        out.push_back(qkv);

        // Absorbed attention: q_nope x W_UK per head (nope -> latent), scores over latent + rope,
        // values over the latent, then x W_UV (latent -> v_head_dim). W_UK and W_UV are attn_kv_b.
        Op att = b.linear(OpKind::attention, {TensorRole::attn_kv_b, TensorRole::attn_k_b, TensorRole::attn_v_b}, r, heads * (dn + dv));
        att.cols = 0;
        const AttentionSpan span = attention_span(s, 0);
        const double pairs = s.sequences * static_cast<double>(s.new_tokens) * span.avg_keys;
        att.flops = 2 * rows * heads * r * (dn + dv) + 2 * pairs * heads * (2 * r + dr);
        att.kv_read_bytes = static_cast<std::uint64_t>(std::llround(s.sequences * span.kv_len * (r + dr) * s.kv_bytes_per_element));
        att.act_bytes = static_cast<std::uint64_t>(rows * heads * (dq + dv) * kActBytes);
        if (!s.flash_attention) att.act_bytes += static_cast<std::uint64_t>(pairs * heads * 4.0 * 3);  // f32 scores out and back
        out.push_back(att);

        out.push_back(b.linear(OpKind::out_proj, {TensorRole::attn_output}, heads * dv, h));
        out.push_back(b.rmsnorm(TensorRole::ffn_norm, h));
        ffn_ops(m_, b, out);
    }

    std::uint64_t kv_elements_per_token(int /*layer*/) const override {
        return static_cast<std::uint64_t>(a_.kv_lora_rank) + static_cast<std::uint64_t>(a_.qk_rope_head_dim);
    }

private:
    const ModelSpec& m_;
    const config::LatentAttentionSpec& a_;
};

int rank(const config::Node& n) { return static_cast<int>(n.as_integer(0, 1 << 16)); }
int positive(const config::Node& n) { return static_cast<int>(n.as_integer(1, 1 << 16)); }

const std::array kFields{
    config::Field<ModelSpec>{"q_lora_rank", "integer", false, "0", "query bottleneck width (0 = none: queries straight from hidden)",
                             [](ModelSpec& m, const config::Node& n) { m.mla.q_lora_rank = rank(n); }},
    config::Field<ModelSpec>{"kv_lora_rank", "integer", true, "", "compressed KV latent width (cached per token and layer)",
                             [](ModelSpec& m, const config::Node& n) { m.mla.kv_lora_rank = positive(n); }},
    config::Field<ModelSpec>{"qk_rope_head_dim", "integer", true, "", "rotary part of each query/key head (the key's is cached)",
                             [](ModelSpec& m, const config::Node& n) { m.mla.qk_rope_head_dim = positive(n); }},
    config::Field<ModelSpec>{"qk_nope_head_dim", "integer", true, "", "non-rotary part of each query/key head",
                             [](ModelSpec& m, const config::Node& n) { m.mla.qk_nope_head_dim = positive(n); }},
    config::Field<ModelSpec>{"v_head_dim", "integer", true, "", "value width per head",
                             [](ModelSpec& m, const config::Node& n) { m.mla.v_head_dim = positive(n); }},
};

constexpr std::array<std::string_view, 1> kFamilies{"deepseek2"};

void validate(const ModelSpec& m, const FieldLocator& where) {
    auto need = [&](int v, const char* field) {
        if (v <= 0) throw config::InputError(where(field), field, "multi-head latent attention needs a positive " + std::string(field));
    };
    need(m.mla.kv_lora_rank, "kv_lora_rank");
    need(m.mla.qk_rope_head_dim, "qk_rope_head_dim");
    need(m.mla.qk_nope_head_dim, "qk_nope_head_dim");
    need(m.mla.v_head_dim, "v_head_dim");
    if (m.mla.q_lora_rank < 0) throw config::InputError(where("q_lora_rank"), "q_lora_rank", "expected 0 (none) or a positive rank");
}

}  // namespace

ArchitectureEntry make_mla_entry() {
    ArchitectureEntry e;
    e.name = "mla";
    e.doc = "multi-head latent attention (DeepSeek-V2/V3): low-rank query, one compressed KV latent + shared rotary key "
            "(KV per token and layer: kv_lora_rank + qk_rope_head_dim), absorbed attention; SwiGLU MLP or routed + shared "
            "experts after first_dense_layers. kv_heads and head_dim are unused.";
    e.fields = kFields;
    e.aliases = kFamilies;
    e.validate = validate;
    e.make = [](const ModelSpec& m) -> std::unique_ptr<Architecture> { return std::make_unique<LatentAttentionBlock>(m); };
    e.hf = {"deepseek_v2 deepseek_v3 kimi_k2",
            "hidden_size num_hidden_layers num_attention_heads vocab_size q_lora_rank (null = none) kv_lora_rank "
            "qk_rope_head_dim qk_nope_head_dim v_head_dim n_routed_experts num_experts_per_tok n_shared_experts "
            "moe_intermediate_size intermediate_size first_k_dense_replace moe_layer_freq; num_nextn_predict_layers "
            "(the multi-token-prediction layer: reported as mtp_layers, not counted and not replayed)"};
    return e;
}

}  // namespace infersim::workload
