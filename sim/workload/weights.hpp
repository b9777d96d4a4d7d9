// The weight tensors of a model under a quantization scheme, with exact bytes per tensor:
// the per-tensor rules of llama.cpp's mixes (Q4_K_M keeps attn_v and some ffn_down at Q6_K),
// or the tensor list of a GGUF file when the model came from one.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "config/model_spec.hpp"
#include "core/enum_names.hpp"
#include "workload/quant_format.hpp"

namespace infersim::workload {

// Names are the GGUF tensor names' role part ("blk.3.<role>.weight"), so a GGUF file's tensors
// classify by name. MLA (DeepSeek-V2/V3): attn_q_a/attn_q_b (low-rank query; attn_q when there
// is no q compression), attn_kv_a_mqa (hidden -> latent + rope key), attn_kv_b (latent -> per-head
// K and V; newer llama.cpp files split it into attn_k_b and attn_v_b). Phi-3: attn_qkv (fused)
// and ffn_up holding gate and up. Gemma: post_attention_norm, post_ffw_norm; Gemma 3 and
// Qwen3-Next: attn_q_norm, attn_k_norm. Gated DeltaNet (Qwen3-Next): ssm_in (q, k, v, z), ssm_ba
// (beta, alpha), ssm_conv1d, ssm_dt, ssm_a, ssm_norm, ssm_out; ffn_gate_inp_shexp (shared gate).
#define INFERSIM_TENSOR_ROLES(X)                                                                         \
    X(token_embd) X(output_norm) X(output)                                                               \
    X(attn_norm) X(attn_q) X(attn_k) X(attn_v) X(attn_qkv_bias) X(attn_output)                           \
    X(ffn_norm) X(ffn_gate) X(ffn_up) X(ffn_down)                                                        \
    X(ffn_gate_inp) X(ffn_gate_exps) X(ffn_up_exps) X(ffn_down_exps)                                     \
    X(ffn_gate_shexp) X(ffn_up_shexp) X(ffn_down_shexp)                                                  \
    X(attn_q_a) X(attn_q_a_norm) X(attn_q_b) X(attn_kv_a_mqa) X(attn_kv_a_norm) X(attn_kv_b)             \
    X(attn_k_b) X(attn_v_b)                                                                              \
    X(attn_qkv) X(post_attention_norm) X(post_ffw_norm) X(attn_q_norm) X(attn_k_norm)                    \
    X(ssm_in) X(ssm_ba) X(ssm_conv1d) X(ssm_dt) X(ssm_a) X(ssm_norm) X(ssm_out) X(ffn_gate_inp_shexp)     \
    X(other)
enum class TensorRole { INFERSIM_TENSOR_ROLES(INFERSIM_ENUMERATOR) };
inline constexpr std::array kTensorRoleNames{INFERSIM_TENSOR_ROLES(INFERSIM_ENUM_NAME)};
std::string_view role_name(TensorRole r);

struct Tensor {
    TensorRole role;
    int layer = -1;                 // -1 for whole-model tensors
    std::uint64_t elements = 0;
    std::uint64_t bytes = 0;
    std::string format;             // format name, e.g. "q6_k"
    int experts = 1;                // bytes are spread evenly over this many experts
};

class WeightInventory {
public:
    std::string scheme;             // "q4_k_m", or "gguf" for a GGUF file's own mix
    std::vector<Tensor> tensors;

    std::uint64_t total_bytes() const;
    /// Bytes of all tensors of `role` in `layer` (-1: whole-model tensors).
    std::uint64_t bytes(int layer, TensorRole role) const;
    /// Bytes of one layer's tensors.
    std::uint64_t layer_bytes(int layer) const;
    /// The format of the (first) tensor of `role` in `layer`, or nullptr.
    const QuantFormat* format(int layer, TensorRole role) const;
    /// Average bits per weight over all tensors.
    double bits_per_weight() const;

    void index(int layers);         // builds the (layer, role) lookup; called by the builders

private:
    std::vector<std::uint64_t> by_layer_role_;  // (layers + 1) x roles; row 0 is layer -1
    std::vector<const QuantFormat*> first_format_;  // the format of each slot's first tensor, or nullptr
    int layers_ = 0;
    std::size_t slot(int layer, TensorRole role) const;
};

/// Weights of an inventory, and those one token touches: a routed expert tensor (experts > 1)
/// counts active_experts / experts of its elements, everything else in full (`params` of
/// `fit --json` and `bench --json`; equal for a dense model).
struct InventoryParams {
    std::uint64_t total = 0;
    std::uint64_t active = 0;
};
InventoryParams inventory_params(const WeightInventory& weights, const config::ModelSpec& model);

/// Names accepted by `build_weights`.
std::vector<std::string_view> scheme_names();
/// The inventory of `model` quantized with `scheme`. Throws std::invalid_argument on an unknown
/// scheme (the caller adds the input location).
WeightInventory build_weights(const config::ModelSpec& model, std::string_view scheme);
/// The inventory of a GGUF-imported model (model.tensors), classified by tensor name.
WeightInventory weights_from_records(const config::ModelSpec& model);

}  // namespace infersim::workload
