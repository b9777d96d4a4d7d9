// A transformer's shape, from a model YAML, a Hugging Face config.json or a GGUF header (the
// importers in workload/ all produce this one struct). Plain data: what the shape means for
// tensors, ops and KV bytes is the architecture's (workload/arch/), chosen by `architecture`.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace infersim::config {

/// One tensor of a GGUF file, when the model came from one: exact per-tensor types and sizes.
struct TensorRecord {
    std::string name;       // e.g. "blk.3.attn_v.weight"
    std::string type;       // lower-case format name, e.g. "q6_k"
    std::uint64_t elements = 0;
    std::uint64_t bytes = 0;
};

/// Multi-head latent attention (DeepSeek-V2/V3): queries optionally through a low-rank
/// bottleneck, keys and values through one compressed latent that is what the KV cache holds.
struct LatentAttentionSpec {
    int q_lora_rank = 0;           // 0: no query compression (DeepSeek-V2-Lite)
    int kv_lora_rank = 0;          // latent width
    int qk_rope_head_dim = 0;      // rotary part of each query/key head, shared by all heads for keys
    int qk_nope_head_dim = 0;      // non-rotary part of each query/key head
    int v_head_dim = 0;
    int qk_head_dim() const { return qk_nope_head_dim + qk_rope_head_dim; }
};

/// Gated DeltaNet linear attention (Qwen3-Next): a fixed-size recurrent state per layer instead
/// of a KV cache that grows with the context.
struct LinearAttentionSpec {
    int key_heads = 0;             // linear_num_key_heads
    int value_heads = 0;           // linear_num_value_heads
    int key_head_dim = 0;          // linear_key_head_dim
    int value_head_dim = 0;        // linear_value_head_dim
    int conv_kernel = 0;           // linear_conv_kernel_dim (short causal convolution over q, k, v)
    int key_dim() const { return key_heads * key_head_dim; }
    int value_dim() const { return value_heads * value_head_dim; }
};

struct ModelSpec {
    std::string name;
    std::string architecture = "llama";  // a registered architecture or one of its family names
    int layers = 0;
    int hidden = 0;
    int heads = 0;
    int kv_heads = 0;
    int head_dim = 0;
    int ffn = 0;                 // dense FFN width, or per-expert width for MoE
    int vocab = 0;
    bool tied_embeddings = false;
    bool qkv_bias = false;
    int experts = 0;             // 0 = dense
    int active_experts = 0;
    int shared_experts = 0;
    int dense_ffn = 0;           // FFN width of the dense layers of a MoE model (0 = ffn)
    int first_dense_layers = 0;  // leading layers with a dense FFN (DeepSeek first_k_dense_replace)
    int moe_layer_freq = 1;      // after those, every n-th layer is MoE (DeepSeek moe_layer_freq)
    LatentAttentionSpec mla;     // architecture mla only
    int sliding_window = 0;      // tokens; 0 = none
    int sliding_window_every = 0;// every n-th layer uses the window (gpt-oss: 2)
    std::int64_t max_context = 0;
    // Per-layer attention kinds, cycled over the layers: 'f' full, 's' sliding window, 'l' linear
    // ("" = every layer full, or sliding by sliding_window / sliding_window_every). Gemma 2 "sf",
    // Gemma 3 "sssssf", Qwen3-Next "lllf"; an HF layer_types list gives one letter per layer.
    std::string layer_pattern;
    LinearAttentionSpec linear;  // layers of kind 'l'
    double attn_softcap = 0;     // attention logit softcapping (Gemma 2): noted, costs nothing here
    int mtp_layers = 0;          // multi-token-prediction layers in the checkpoint: reported, not replayed
    double vision_params = 0;    // a multimodal checkpoint's vision tower + projector: reported, not replayed
    std::string source_text;     // the file as read, for provenance
    std::vector<TensorRecord> tensors;  // non-empty only for GGUF imports
    std::vector<TensorRecord> checkpoint_tensors;  // an HF snapshot's safetensors (run with quant: checkpoint)

    bool is_moe() const { return experts > 0; }
    /// Whether layer `l` has routed experts (the others have a dense FFN of dense_ffn_width()).
    bool moe_layer(int l) const { return is_moe() && l >= first_dense_layers && l % moe_layer_freq == 0; }
    int dense_ffn_width() const { return dense_ffn > 0 ? dense_ffn : ffn; }
    int q_dim() const { return heads * head_dim; }
    int kv_dim() const { return kv_heads * head_dim; }
    /// The attention kind of layer `l`: 'f', 's' or 'l' (see layer_pattern).
    char layer_kind(int l) const {
        if (!layer_pattern.empty()) return layer_pattern[static_cast<std::size_t>(l) % layer_pattern.size()];
        if (sliding_window > 0 && (sliding_window_every <= 1 || l % sliding_window_every == 0)) return 's';
        return 'f';
    }
};

}  // namespace infersim::config
