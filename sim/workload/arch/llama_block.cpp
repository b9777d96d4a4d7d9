// The llama-style block: RMSNorm, GQA attention with RoPE (optional QKV bias, sliding-window
// layers by the model's layer pattern), SwiGLU MLP or routed experts. Mistral, Mixtral,
// Qwen2/2-MoE/3/3-MoE, gpt-oss and DeepSeek (v1 MoE) are this block with different fields, so
// they are its family names; gemma and phi3 are the same block with options (attention_block.hpp).
#include <array>
#include <cmath>

#include "workload/arch/attention_block.hpp"
#include "workload/arch/block_parts.hpp"

namespace infersim::workload {
namespace {

using config::OpKind;

class AttentionBlock final : public Architecture {
public:
    AttentionBlock(const config::ModelSpec& m, BlockOptions o) : m_(m), o_(o) {}

    std::vector<LayerTensor> layer_tensors(int l) const override {
        const auto h = static_cast<std::uint64_t>(m_.hidden), d = static_cast<std::uint64_t>(m_.head_dim);
        const auto q = static_cast<std::uint64_t>(m_.q_dim()), kv = static_cast<std::uint64_t>(m_.kv_dim());
        const std::uint64_t q_out = o_.gated_query ? 2 * q : q;
        std::vector<LayerTensor> t{{TensorRole::attn_norm, h, h}, {TensorRole::ffn_norm, h, h}};
        if (o_.post_norms) t.insert(t.end(), {{TensorRole::post_attention_norm, h, h}, {TensorRole::post_ffw_norm, h, h}});
        if (o_.qk_norm) t.insert(t.end(), {{TensorRole::attn_q_norm, d, d}, {TensorRole::attn_k_norm, d, d}});
        if (o_.fused_qkv) t.push_back({TensorRole::attn_qkv, h, h * (q_out + 2 * kv)});
        else t.insert(t.end(), {{TensorRole::attn_q, h, h * q_out}, {TensorRole::attn_k, h, h * kv}, {TensorRole::attn_v, h, h * kv}});
        if (m_.qkv_bias) t.push_back({TensorRole::attn_qkv_bias, q + 2 * kv, q + 2 * kv});
        t.push_back({TensorRole::attn_output, q, q * h});
        const std::size_t ffn_at = t.size();
        ffn_tensors(m_, l, t);
        if (o_.fused_qkv && !m_.moe_layer(l)) {  // gate_up_proj: one tensor of both halves
            t[ffn_at + 1].elements += t[ffn_at].elements;
            t.erase(t.begin() + static_cast<std::ptrdiff_t>(ffn_at));
        }
        return t;
    }

    void layer_ops(int l, const LayerStep& s, const WeightInventory& w, std::vector<Op>& out) const override {
        const LayerOpBuilder b(l, s, w);
        const double rows = s.rows(), h = m_.hidden, q = m_.q_dim(), kv = m_.kv_dim();
        out.push_back(b.rmsnorm(TensorRole::attn_norm, h));

        Op qkv = b.linear(OpKind::qkv, {TensorRole::attn_q, TensorRole::attn_k, TensorRole::attn_v, TensorRole::attn_qkv,
                                        TensorRole::attn_qkv_bias, TensorRole::attn_q_norm, TensorRole::attn_k_norm},
                          h, (o_.gated_query ? 2 * q : q) + 2 * kv);
        qkv.kv_write_bytes = static_cast<std::uint64_t>(std::llround(rows * 2 * kv * s.kv_bytes_per_element));
        out.push_back(qkv);

        // Attention over the cache: each sequence reads its K and V for every cached position once
        // (flash attention keeps a query block's scores on chip); a sliding-window layer reads at
        // most the window (the masked positions are not read).
        Op att;
        att.kind = OpKind::attention;
        att.layer = l;
        att.rows = static_cast<std::uint32_t>(rows);
        att.matrix = true;
        const AttentionSpan span = attention_span(s, m_.layer_kind(l) == 's' ? m_.sliding_window : 0);
        att.kv_read_bytes = static_cast<std::uint64_t>(std::llround(s.sequences * span.kv_len * 2 * kv * s.kv_bytes_per_element));
        att.flops = 4.0 * s.sequences * s.new_tokens * span.avg_keys * q;  // QK^T and PV
        att.act_bytes = static_cast<std::uint64_t>(rows * 2 * q * kActBytes);
        if (!s.flash_attention)  // scores (f32) written and read back, softmax in between
            att.act_bytes += static_cast<std::uint64_t>(s.sequences * static_cast<double>(s.new_tokens) * span.avg_keys * m_.heads * 4.0 * 3);
        out.push_back(att);

        out.push_back(b.linear(OpKind::out_proj, {TensorRole::attn_output}, q, h));
        if (o_.post_norms) out.push_back(b.rmsnorm(TensorRole::post_attention_norm, h));
        out.push_back(b.rmsnorm(TensorRole::ffn_norm, h));
        ffn_ops(m_, b, out);
        if (o_.post_norms) out.push_back(b.rmsnorm(TensorRole::post_ffw_norm, h));
    }

    std::uint64_t kv_elements_per_token(int /*layer*/) const override { return 2 * static_cast<std::uint64_t>(m_.kv_dim()); }

    LayerCache layer_cache(int l) const override {
        const bool sliding = m_.layer_kind(l) == 's' && m_.sliding_window > 0;
        return {kv_elements_per_token(l), sliding ? static_cast<std::uint64_t>(m_.sliding_window) : 0, 0};
    }

private:
    const config::ModelSpec& m_;
    BlockOptions o_;
};

constexpr std::array<std::string_view, 8> kFamilies{"mistral", "mixtral", "qwen2", "qwen2moe", "qwen3", "qwen3moe", "gpt-oss", "deepseek"};

}  // namespace

ArchitectureEntry make_llama_entry() {
    ArchitectureEntry e;
    e.name = "llama";
    e.doc = "llama-style block: RMSNorm, GQA attention with RoPE (kv_heads, head_dim, qkv_bias, sliding_window), "
            "SwiGLU MLP or routed experts with optional shared experts. KV per token and layer: 2 x kv_heads x head_dim.";
    e.fields = {};
    e.aliases = kFamilies;
    e.validate = [](const config::ModelSpec&, const FieldLocator&) {};
    e.make = [](const config::ModelSpec& m) { return make_attention_block(m, {}); };
    e.hf = {"llama mistral mixtral qwen2 qwen2_moe qwen3 qwen3_moe gpt_oss deepseek",
            "hidden_size num_hidden_layers num_attention_heads num_key_value_heads head_dim intermediate_size vocab_size "
            "tie_word_embeddings attention_bias max_position_embeddings; sliding_window (mistral, mixtral; qwen with "
            "use_sliding_window; gpt_oss with layer_types); MoE: num_local_experts|num_experts, num_experts_per_tok, "
            "moe_intermediate_size, shared_expert_intermediate_size; deepseek (v1): n_routed_experts, n_shared_experts, "
            "first_k_dense_replace, moe_layer_freq"};
    return e;
}

std::unique_ptr<Architecture> make_attention_block(const config::ModelSpec& m, BlockOptions options) {
    return std::make_unique<AttentionBlock>(m, options);
}

}  // namespace infersim::workload
