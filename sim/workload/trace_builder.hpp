// Builds the steps of a run from a model, its weights and a request shape, one step at a time
// (a 100k-token generation never holds 100k steps in memory).
#pragma once
#include <cstdint>
#include <memory>

#include "config/model_spec.hpp"
#include "config/moe_dispatch_spec.hpp"
#include "config/routing_spec.hpp"
#include "workload/arch/architecture.hpp"
#include "workload/arch/moe_reads.hpp"
#include "workload/trace.hpp"
#include "workload/weights.hpp"

namespace infersim::workload {

struct RequestShape {
    std::uint64_t prompt = 512;       // 0: no prefill, decode from an empty context (llama-bench tg)
    std::uint64_t gen = 128;
    std::uint64_t batch = 1;
    std::uint64_t ubatch = 512;
    double kv_bytes_per_element = 2;  // f16
    bool flash_attention = true;      // scores stay on chip; otherwise they go through memory
    // Tokens already in the KV cache when the run starts (llama-bench -d): every step attends
    // to them, but their prefill is not part of the trace.
    std::uint64_t depth = 0;
    // MoE (issue 9): how the runtime reads experts, and how the tokens route to them.
    config::MoeDispatchSpec moe_dispatch;
    config::RoutingSpec routing;
};

/// Bytes per KV-cache element for a precision name (f16, bf16, q8_0, fp8, q4_0), or 0 if unknown.
double kv_bytes_per_element(std::string_view precision);
/// KV cache bytes for `tokens` tokens of context, all layers, one sequence, by each layer's cache
/// (workload/arch LayerCache): a GQA layer caches K and V, an MLA layer its latent, a sliding
/// layer at most its window when `swa_cache` (the runtime keeps an SWA cache, as llama.cpp
/// does), a linear-attention layer its fixed state.
std::uint64_t kv_bytes(const config::ModelSpec& m, std::uint64_t tokens, double bytes_per_element, bool swa_cache = true);

class TraceBuilder final : public StepSource {
public:
    TraceBuilder(const config::ModelSpec& model, const WeightInventory& weights, RequestShape shape);

    std::size_t step_count() const override { return prefill_steps_ + decode_steps_; }
    const Step& step(std::size_t i) override;
    std::uint64_t op_count() const override;
    /// Every decode step reads the same weights (MoE: the same expected expert reads) and the
    /// KV of its context.
    std::size_t alike_decode_begin() const override { return prefill_steps_; }

    std::size_t prefill_steps() const { return prefill_steps_; }
    std::size_t decode_steps() const { return decode_steps_; }

private:
    void build(std::size_t i);
    std::uint32_t add(const Op& op);
    /// Sets the step's dependencies: a chain, in the order the ops were added.
    void chain_deps();

    const config::ModelSpec& model_;
    const WeightInventory& weights_;
    RequestShape shape_;
    std::unique_ptr<Architecture> arch_;
    std::vector<Op> layer_ops_;       // scratch for one layer's ops
    std::size_t prefill_steps_ = 0;
    std::size_t decode_steps_ = 0;
    std::size_t ops_per_step_ = 0;
    Step buffer_;
    std::size_t built_ = static_cast<std::size_t>(-1);
    ExpertReads expert_reads_;        // MoE (issue 9): expert matrices read per layer and step
};

}  // namespace infersim::workload
