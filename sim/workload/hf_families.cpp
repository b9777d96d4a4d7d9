// What the newer families add to a config.json's common keys: layer_types, DeepSeek's MoE and
// MLA, Gemma's windows and softcapping, Qwen3-Next's linear attention, Gemma 3's vision tower.
#include <string>

#include "workload/hf_json.hpp"

namespace infersim::workload::hf {

void read_layer_types(const Config& c, config::ModelSpec& m, const std::string& fallback) {
    const json* types = c.get("layer_types");
    if (!types) {
        m.layer_pattern = fallback;
        return;
    }
    if (!types->is_array() || types->size() != static_cast<std::size_t>(m.layers))
        c.fail("layer_types", "expected a list of " + std::to_string(m.layers) + " layer types (one per layer)");
    std::string pattern;
    for (const json& t : *types) {
        const std::string s = t.is_string() ? t.get<std::string>() : t.dump();
        if (s == "full_attention") pattern += 'f';
        else if (s == "sliding_attention") pattern += 's';
        else if (s == "linear_attention") pattern += 'l';
        else c.fail("layer_types", "unknown layer type '" + printable(s) + "'; expected full_attention, sliding_attention or linear_attention");
    }
    m.layer_pattern = pattern;
}

// DeepSeekMoE (DeepSeek v1, V2, V3, Kimi K2): routed + shared experts after
// first_k_dense_replace dense layers; without n_routed_experts the model is dense.
void read_deepseek_moe(const Config& c, config::ModelSpec& m) {
    m.experts = static_cast<int>(c.integer_or("n_routed_experts", 1, 4096, 0));
    if (m.experts == 0) {
        m.ffn = static_cast<int>(c.integer("intermediate_size", 1, 1 << 22));
        return;
    }
    m.active_experts = static_cast<int>(c.integer("num_experts_per_tok", 1, 4096));
    m.shared_experts = static_cast<int>(c.integer_or("n_shared_experts", 0, 64, 0));
    m.ffn = static_cast<int>(c.integer("moe_intermediate_size", 1, 1 << 22));
    m.dense_ffn = static_cast<int>(c.integer("intermediate_size", 1, 1 << 22));
    m.first_dense_layers = static_cast<int>(c.integer_or("first_k_dense_replace", 0, 10000, 0));
    m.moe_layer_freq = static_cast<int>(c.integer_or("moe_layer_freq", 1, 10000, 1));
}

// Multi-head latent attention (DeepSeek-V2/V3, Kimi K2). q_lora_rank is null when queries are
// not compressed (V2-Lite). The multi-token-prediction layers are reported, not replayed.
void read_mla(const Config& c, config::ModelSpec& m) {
    config::LatentAttentionSpec& a = m.mla;
    a.q_lora_rank = static_cast<int>(c.integer_or("q_lora_rank", 0, 1 << 16, 0));
    a.kv_lora_rank = static_cast<int>(c.integer("kv_lora_rank", 1, 1 << 16));
    a.qk_rope_head_dim = static_cast<int>(c.integer("qk_rope_head_dim", 1, 1 << 16));
    a.qk_nope_head_dim = static_cast<int>(c.integer("qk_nope_head_dim", 1, 1 << 16));
    a.v_head_dim = static_cast<int>(c.integer("v_head_dim", 1, 1 << 16));
    m.mtp_layers = static_cast<int>(c.integer_or("num_nextn_predict_layers", 0, 64, 0));
}

// Gemma 2 alternates sliding and global layers (transformers: layer i slides when (i + 1) % 2);
// Gemma 3 has sliding_window_pattern - 1 sliding layers then a global one (default 6), unless
// layer_types lists them. Defaults are Gemma2Config's / Gemma3TextConfig's (window 4096).
void read_gemma(const Config& c, const std::string& type, config::ModelSpec& m) {
    m.sliding_window = static_cast<int>(c.integer_or("sliding_window", 1, 1 << 24, 4096));
    std::string fallback = "sf";
    if (type != "gemma2") {
        const auto every = c.integer_or("sliding_window_pattern", 1, 1 << 10, 6);
        fallback = std::string(static_cast<std::size_t>(every - 1), 's') + 'f';
    }
    if (fallback.size() > static_cast<std::size_t>(m.layers)) fallback.resize(static_cast<std::size_t>(m.layers));
    read_layer_types(c, m, fallback);
    if (const json* cap = c.get("attn_logit_softcapping"); cap && cap->is_number()) m.attn_softcap = cap->get<double>();
}

// Qwen3-Next: linear layers except every full_attention_interval-th (transformers: layer i is
// full when (i + 1) % interval == 0), unless layer_types lists them.
void read_qwen3_next(const Config& c, config::ModelSpec& m) {
    config::LinearAttentionSpec& a = m.linear;
    a.key_heads = static_cast<int>(c.integer("linear_num_key_heads", 1, 1 << 14));
    a.value_heads = static_cast<int>(c.integer("linear_num_value_heads", 1, 1 << 14));
    a.key_head_dim = static_cast<int>(c.integer("linear_key_head_dim", 1, 1 << 14));
    a.value_head_dim = static_cast<int>(c.integer("linear_value_head_dim", 1, 1 << 14));
    a.conv_kernel = static_cast<int>(c.integer("linear_conv_kernel_dim", 1, 1 << 10));
    const auto every = c.integer_or("full_attention_interval", 1, 1 << 10, 4);
    std::string fallback = std::string(static_cast<std::size_t>(every - 1), 'l') + 'f';
    if (fallback.size() > static_cast<std::size_t>(m.layers)) fallback.resize(static_cast<std::size_t>(m.layers));
    read_layer_types(c, m, fallback);
    m.mtp_layers = static_cast<int>(c.integer_or("mtp_num_hidden_layers", 0, 64, 0));
}

// SiglipVisionModel (transformers modeling_siglip.py) without its pooling head: patch conv,
// position embeddings, per layer q/k/v/o with biases, a two-matrix MLP with biases and two
// LayerNorms, a post LayerNorm; then Gemma3MultiModalProjector (vision hidden -> text hidden
// and an RMSNorm of the vision width).
double gemma3_vision_params(const Config& root, int text_hidden) {
    if (!root.has("vision_config")) return 0;
    const Config v = root.nested("vision_config");
    const double d = static_cast<double>(v.integer("hidden_size", 1, 1 << 16));
    const double inner = static_cast<double>(v.integer("intermediate_size", 1, 1 << 20));
    const double layers = static_cast<double>(v.integer("num_hidden_layers", 1, 1000));
    const double patch = static_cast<double>(v.integer("patch_size", 1, 1 << 12));
    const double image = static_cast<double>(v.integer("image_size", 1, 1 << 16));
    const double channels = static_cast<double>(v.integer_or("num_channels", 1, 64, 3));
    const double per_layer = 4 * (d * d + d) + 2 * d * inner + inner + d + 4 * d;
    const double patches = (image / patch) * (image / patch);
    const double embeddings = channels * patch * patch * d + d + patches * d;
    return layers * per_layer + embeddings + 2 * d + d * text_hidden + d;
}

}  // namespace infersim::workload::hf
