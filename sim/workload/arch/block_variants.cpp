// Gemma 2/3 and Phi-3/3.5/4: the GQA block (attention_block.hpp) with their own options.
//  gemma (Gemma 2, Gemma 3; arXiv:2408.00118, 2503.19786): RMSNorm before and after attention
//   and the FFN, GeGLU MLP (the same three matrices as SwiGLU), tied embeddings, head_dim not
//   hidden / heads, sliding-window and global layers by layer_pattern (Gemma 2 "sf", Gemma 3
//   "sssssf"); Gemma 3 adds q/k norms. Attention logit softcapping (Gemma 2) changes no byte or
//   flop here: it is noted (attn_softcap), not priced.
//  phi3 (Phi-3, 3.5, 4-mini; arXiv:2404.14219): the llama block with fused qkv_proj and
//   gate_up_proj (same elements, one tensor each, as GGUF's attn_qkv and ffn_up); partial rotary
//   (partial_rotary_factor) changes no shape.
#include <array>

#include "workload/arch/attention_block.hpp"

namespace infersim::workload {
namespace {

using config::ModelSpec;

void validate_pattern(const ModelSpec& m, const FieldLocator& where) {
    for (char c : m.layer_pattern)
        if (c != 'f' && c != 's')
            throw config::InputError(where("layer_pattern"), "layer_pattern", "expected only f (full) and s (sliding) layers here");
    if (m.layer_pattern.find('s') != std::string::npos && m.sliding_window <= 0)
        throw config::InputError(where("sliding_window"), "sliding_window", "the layer pattern has sliding layers: set a positive window");
}

constexpr std::array<std::string_view, 2> kGemma{"gemma2", "gemma3"};
constexpr std::array<std::string_view, 0> kPhi{};

}  // namespace

ArchitectureEntry make_gemma_entry() {
    ArchitectureEntry e;
    e.name = "gemma";
    e.doc = "Gemma 2/3 block: pre- and post-norms around attention and the GeGLU MLP, GQA with head_dim set, sliding "
            "and global layers by layer_pattern (KV per token and layer 2 x kv_heads x head_dim; a sliding layer keeps "
            "at most sliding_window tokens where the runtime keeps an SWA cache); gemma3 adds q/k norms. "
            "Softcapping noted, not priced.";
    e.aliases = kGemma;
    e.validate = validate_pattern;
    e.make = [](const ModelSpec& m) {
        return make_attention_block(m, {.fused_qkv = false, .post_norms = true, .qk_norm = m.architecture == "gemma3",
                                        .gated_query = false});
    };
    e.hf = {"gemma2 gemma3 gemma3_text (gemma3 reads text_config when nested: Gemma3ForConditionalGeneration)",
            "hidden_size num_hidden_layers num_attention_heads num_key_value_heads head_dim intermediate_size vocab_size "
            "sliding_window; gemma2: alternating sliding/global (layer_types when given); gemma3: layer_types or "
            "sliding_window_pattern; attn_logit_softcapping (noted); vision_config (vision tower counted in "
            "vision_params, not replayed); tie_word_embeddings defaults to true"};
    return e;
}

ArchitectureEntry make_phi3_entry() {
    ArchitectureEntry e;
    e.name = "phi3";
    e.doc = "Phi-3/3.5/4 block: the llama block with fused qkv_proj and gate_up_proj (GGUF attn_qkv, ffn_up of both "
            "halves). KV per token and layer: 2 x kv_heads x head_dim; sliding_window when the config sets one.";
    e.aliases = kPhi;
    e.validate = validate_pattern;
    e.make = [](const ModelSpec& m) { return make_attention_block(m, {.fused_qkv = true}); };
    e.hf = {"phi3", "hidden_size num_hidden_layers num_attention_heads num_key_value_heads intermediate_size vocab_size "
                    "tie_word_embeddings sliding_window max_position_embeddings; partial_rotary_factor (noted: no shape "
                    "change)"};
    return e;
}

}  // namespace infersim::workload
