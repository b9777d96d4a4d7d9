// The llama-style block: RMSNorm, GQA attention with RoPE (optional QKV bias, optional sliding
// window on every n-th layer), SwiGLU MLP or routed experts. Mistral, Mixtral, Qwen2/2-MoE/3/3-MoE
// and gpt-oss are this block with different fields, so they are its family names.
#include <array>
#include <cmath>

#include "workload/arch/block_parts.hpp"

namespace infersim::workload {
namespace {

using config::OpKind;

class LlamaBlock final : public Architecture {
public:
    explicit LlamaBlock(const config::ModelSpec& m) : m_(m) {}

    std::vector<LayerTensor> layer_tensors(int l) const override {
        const auto h = static_cast<std::uint64_t>(m_.hidden);
        const auto q = static_cast<std::uint64_t>(m_.q_dim());
        const auto kv = static_cast<std::uint64_t>(m_.kv_dim());
        std::vector<LayerTensor> t{{TensorRole::attn_norm, h, h},   {TensorRole::ffn_norm, h, h},
                                   {TensorRole::attn_q, h, h * q},  {TensorRole::attn_k, h, h * kv},
                                   {TensorRole::attn_v, h, h * kv}};
        if (m_.qkv_bias) t.push_back({TensorRole::attn_qkv_bias, q + 2 * kv, q + 2 * kv});
        t.push_back({TensorRole::attn_output, q, q * h});
        ffn_tensors(m_, l, t);
        return t;
    }

    void layer_ops(int l, const LayerStep& s, const WeightInventory& w, std::vector<Op>& out) const override {
        const LayerOpBuilder b(l, s, w);
        const double rows = s.rows(), h = m_.hidden, q = m_.q_dim(), kv = m_.kv_dim();
        out.push_back(b.rmsnorm(TensorRole::attn_norm, h));

        Op qkv = b.linear(OpKind::qkv, {TensorRole::attn_q, TensorRole::attn_k, TensorRole::attn_v, TensorRole::attn_qkv_bias}, h, q + 2 * kv);
        qkv.kv_write_bytes = static_cast<std::uint64_t>(std::llround(rows * 2 * kv * s.kv_bytes_per_element));
        out.push_back(qkv);

        // Attention over the cache: each sequence reads its K and V for every cached position once
        // (flash attention keeps a query block's scores on chip); a sliding-window layer reads at
        // most the window.
        Op att;
        att.kind = OpKind::attention;
        att.layer = l;
        att.rows = static_cast<std::uint32_t>(rows);
        att.matrix = true;
        const bool windowed = m_.sliding_window > 0 && (m_.sliding_window_every <= 1 || l % m_.sliding_window_every == 0);
        const AttentionSpan span = attention_span(s, windowed ? m_.sliding_window : 0);
        att.kv_read_bytes = static_cast<std::uint64_t>(std::llround(s.sequences * span.kv_len * 2 * kv * s.kv_bytes_per_element));
        att.flops = 4.0 * s.sequences * s.new_tokens * span.avg_keys * q;  // QK^T and PV
        att.act_bytes = static_cast<std::uint64_t>(rows * 2 * q * kActBytes);
        if (!s.flash_attention)  // scores (f32) written and read back, softmax in between
            att.act_bytes += static_cast<std::uint64_t>(s.sequences * static_cast<double>(s.new_tokens) * span.avg_keys * m_.heads * 4.0 * 3);
        out.push_back(att);

        out.push_back(b.linear(OpKind::out_proj, {TensorRole::attn_output}, q, h));
        out.push_back(b.rmsnorm(TensorRole::ffn_norm, h));
        ffn_ops(m_, b, out);
    }

    std::uint64_t kv_elements_per_token(int /*layer*/) const override { return 2 * static_cast<std::uint64_t>(m_.kv_dim()); }

private:
    const config::ModelSpec& m_;
};

constexpr std::array<std::string_view, 7> kFamilies{"mistral", "mixtral", "qwen2", "qwen2moe", "qwen3", "qwen3moe", "gpt-oss"};

}  // namespace

ArchitectureEntry make_llama_entry() {
    ArchitectureEntry e;
    e.name = "llama";
    e.doc = "llama-style block: RMSNorm, GQA attention with RoPE (kv_heads, head_dim, qkv_bias, sliding_window), "
            "SwiGLU MLP or routed experts with optional shared experts. KV per token and layer: 2 x kv_heads x head_dim.";
    e.fields = {};
    e.aliases = kFamilies;
    e.validate = [](const config::ModelSpec&, const FieldLocator&) {};
    e.make = [](const config::ModelSpec& m) -> std::unique_ptr<Architecture> { return std::make_unique<LlamaBlock>(m); };
    return e;
}

}  // namespace infersim::workload
