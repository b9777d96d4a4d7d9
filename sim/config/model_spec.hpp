// A transformer's shape, from a model YAML, a Hugging Face config.json or a GGUF header.
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

struct ModelSpec {
    std::string name;
    std::string architecture = "llama";  // llama, mistral, qwen2, qwen3, qwen3moe, mixtral, gpt-oss
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
    int sliding_window = 0;      // tokens; 0 = none
    int sliding_window_every = 0;// every n-th layer uses the window (gpt-oss: 2)
    std::int64_t max_context = 0;
    std::string source_text;     // the file as read, for provenance
    std::vector<TensorRecord> tensors;  // non-empty only for GGUF imports

    bool is_moe() const { return experts > 0; }
    int q_dim() const { return heads * head_dim; }
    int kv_dim() const { return kv_heads * head_dim; }
};

}  // namespace infersim::config
