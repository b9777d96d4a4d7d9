// How a runtime dispatches the routed experts of a MoE layer (the `moe:` block of a runtime
// profile): which kernel reads the expert weights at a given token count, and how many kernels
// the router and expert ops of a MoE layer become. Plain data; the trace builder applies the
// read rule (workload/arch/moe_reads.*), the compute model the kernel counts.
#pragma once
#include <array>
#include <ostream>

#include "config/op_kind.hpp"
#include "config/yaml_node.hpp"

namespace infersim::config {

struct MoeDispatchSpec {
    /// Largest number of tokens in a step for which the runtime runs its per-(token, expert)
    /// vector kernel (ggml-metal mul_mv_id, ggml-cuda MMVQ-id): every pair streams its expert's
    /// weights again. Above it tokens are sorted by expert (mul_mm_id, MMQ-id) and each used
    /// expert is read once. 0: always grouped (the hardware limit, and profiles without `moe:`).
    int vector_max_tokens = 0;
    /// Kernels an op of a MoE layer becomes: kernels[kind] + kernels_per_expert[kind] x the
    /// experts each token uses (the expert sum is k - 1 adds). -1: the profile's dense count.
    std::array<int, kOpKindCount> kernels = filled(-1);
    std::array<int, kOpKindCount> kernels_per_expert = filled(0);

    /// Expert matrices one expert tensor streams in a step of `tokens` tokens with `k` experts
    /// per token, of which `distinct` are expected to be distinct (the routing's answer).
    double expert_reads(double tokens, double k, double distinct) const {
        return tokens <= vector_max_tokens ? tokens * k : distinct;
    }
    /// Kernels of an op of kind `kind`; `active_experts` > 0 marks an op of a MoE layer.
    int kernel_count(OpKind kind, int active_experts, const std::array<int, kOpKindCount>& dense) const {
        const auto i = static_cast<std::size_t>(kind);
        if (active_experts <= 0 || kernels[i] < 0) return dense[i];
        return kernels[i] + kernels_per_expert[i] * active_experts;
    }

private:
    static constexpr std::array<int, kOpKindCount> filled(int v) {
        std::array<int, kOpKindCount> a{};
        a.fill(v);
        return a;
    }
};

/// Reads a runtime profile's `moe:` mapping into `spec`; throws InputError at the field.
void read_moe_dispatch(MoeDispatchSpec& spec, const Node& node);
/// `infersim describe runtime`: the fields of the `moe:` block.
void describe_moe_dispatch_schema(std::ostream& out);

}  // namespace infersim::config
