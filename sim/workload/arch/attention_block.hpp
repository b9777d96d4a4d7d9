// The GQA attention block that llama, gemma, phi3 and qwen3next's full-attention layers share,
// with the variations they differ by; each architecture's entry picks its options.
#pragma once
#include <memory>

#include "workload/arch/architecture.hpp"

namespace infersim::workload {

struct BlockOptions {
    bool fused_qkv = false;    // one attn_qkv tensor and one gate_up tensor (Phi-3); same elements
    bool post_norms = false;   // Gemma 2/3: post-attention and post-FFN RMSNorms as well
    bool qk_norm = false;      // RMSNorm over each query and key head (Gemma 3, Qwen3-Next)
    bool gated_query = false;  // q_proj also emits a per-channel output gate (Qwen3-Next): 2 x q
};

/// The GQA block for `m` (borrowed) with `options`; sliding layers by m.layer_kind(l) == 's'.
std::unique_ptr<Architecture> make_attention_block(const config::ModelSpec& m, BlockOptions options);

}  // namespace infersim::workload
