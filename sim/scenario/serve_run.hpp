// `infersim serve`: a serving workload on a machine. The serving layer schedules; this prices
// every distinct step by replaying it with run() on a fresh simulator of the machine (DRAM
// timing, contention with the scenario's agents, power), and sizes the KV cache from the pool
// that is left after the weights.
#pragma once
#include "config/resolve.hpp"
#include "scenario/scenario_run.hpp"
#include "serving/report.hpp"

namespace infersim::scenario {

struct ServeOutput {
    serving::ServeTotals totals;
    serving::ServeReport report;
};

/// Runs `in.scenario.serving` (which must be present). Throws config::InputError.
ServeOutput serve(const Inputs& in, const config::SearchPaths& paths);
/// KV pages of `page_tokens` tokens that fit in the unit's pool after weights (and `extra_bytes`,
/// a draft model's weights) and compute buffers for a step of `step_tokens`, times `fraction`.
std::uint64_t kv_pages_available(const Inputs& in, std::uint64_t page_tokens, std::uint64_t step_tokens, double fraction, std::uint64_t extra_bytes);

}  // namespace infersim::scenario
