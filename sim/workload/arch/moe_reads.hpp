// How many expert matrices a MoE layer streams in one step: the routing gives the expected
// number of distinct experts the step's tokens use (closed forms below), and the runtime's
// dispatch rule (config::MoeDispatchSpec) says whether each used expert is read once (grouped
// kernels) or once per (token, expert) pair (the vector kernel below its token threshold).
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "config/model_spec.hpp"
#include "config/moe_dispatch_spec.hpp"
#include "config/routing_spec.hpp"

namespace infersim::workload {

/// Expected distinct experts among `tokens` tokens that each pick k of e uniformly and
/// independently: e (1 - (1 - k/e)^tokens).
double distinct_experts_uniform(double e, double k, double tokens);
/// The same for a popularity in which expert i is among a token's picks with probability p[i]:
/// sum_i 1 - (1 - p_i)^tokens (exact for independent tokens, whatever the picks' correlation).
double distinct_experts(std::span<const double> p, double tokens);

/// Checks a histogram routing against `model` (row count, experts per row, no expert picked
/// by more than every token); throws config::InputError at the routing's location.
void check_routing(const config::ModelSpec& model, const config::RoutingSpec& routing);

/// The expert matrices each MoE layer reads in a step, by layer (0 for dense layers). Kept for
/// the last step shape, since a run's decode steps all have the same one.
class ExpertReads {
public:
    ExpertReads(const config::ModelSpec& model, const config::MoeDispatchSpec& dispatch, const config::RoutingSpec& routing);
    /// Reads per layer for a step of `new_tokens` tokens for each of `sequences` sequences.
    std::span<const double> for_step(std::uint32_t new_tokens, std::uint32_t sequences);

private:
    double layer_reads(std::size_t moe_index, double new_tokens, double sequences) const;

    const config::ModelSpec& model_;
    config::MoeDispatchSpec dispatch_;
    config::Routing mode_;
    std::vector<std::vector<double>> pick_probability_;  // per MoE layer (or one for all), p_i = k share_i
    std::vector<double> reads_;
    std::uint64_t cached_ = 0;                           // (new_tokens << 32 | sequences) of reads_, 0: none
};

}  // namespace infersim::workload
