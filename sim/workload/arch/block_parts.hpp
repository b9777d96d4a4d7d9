// The parts that transformer blocks share, so an architecture only writes what is its own:
// a linear op and an RMSNorm op priced from the weight inventory, and the FFN (dense SwiGLU,
// or routed SwiGLU experts with optional shared experts and leading dense layers).
#pragma once
#include <initializer_list>
#include <vector>

#include "workload/arch/architecture.hpp"

namespace infersim::workload {

inline constexpr double kActBytes = 2;  // activations in f16

/// Builds the ops of one layer in one step from the tensors they read.
class LayerOpBuilder {
public:
    LayerOpBuilder(int layer, const LayerStep& step, const WeightInventory& weights);

    /// A GEMM/GEMV over `roles` (bytes scaled by `fraction`, for experts touched): `in` x `out`
    /// weights, 2 flops per multiply-add; its weight format is its largest tensor's.
    Op linear(config::OpKind kind, std::initializer_list<TensorRole> roles, double in, double out, double fraction = 1.0) const;
    /// RMSNorm of `width` features per row with the weights of `role`.
    Op rmsnorm(TensorRole role, double width) const;

    int layer() const { return layer_; }
    const LayerStep& step() const { return step_; }
    const WeightInventory& weights() const { return weights_; }
    double rows() const { return rows_; }

private:
    int layer_;
    const LayerStep& step_;
    const WeightInventory& weights_;
    double rows_;
};

/// The FFN tensors of layer `l` (dense or MoE by model.moe_layer(l)); ffn_norm is the caller's.
void ffn_tensors(const config::ModelSpec& model, int l, std::vector<LayerTensor>& out);
/// The FFN ops of a layer: ffn_up + ffn_down, or router + experts (shared experts folded in).
void ffn_ops(const config::ModelSpec& model, const LayerOpBuilder& b, std::vector<Op>& out);
/// Attention over the KV cache of one layer: the keys each query sees, averaged over a causal
/// prefill chunk (context + (new + 1) / 2), and the cached length read; `window` 0 = full.
struct AttentionSpan {
    double kv_len = 0;
    double avg_keys = 0;
};
AttentionSpan attention_span(const LayerStep& step, double window);

}  // namespace infersim::workload
