// `infersim serve`: a serving workload on a machine. The serving layer schedules; this prices
// every distinct step by replaying it with run() on a fresh simulator of the machine (DRAM
// timing, contention with the scenario's agents, power), and sizes the KV cache from the pool
// that is left after the weights.
#pragma once
#include <memory>

#include "config/resolve.hpp"
#include "scenario/scenario_run.hpp"
#include "serving/report.hpp"

namespace infersim::scenario {

struct ServeOutput {
    serving::ServeTotals totals;
    serving::ServeReport report;
    // --- the hardware timelines of the whole serve, when asked for (null otherwise) ---
    std::unique_ptr<hw::PowerModel> power;      // the timeline's power model: declared first, destroyed last
    std::unique_ptr<output::Recorder> timeline; // closed at max(totals.end, the last activity's end)
};

/// Runs `in.scenario.serving` (which must be present). Throws config::InputError. With
/// `timelines`, also sums every step's binned hardware activity at the step's start (and the
/// constant power while idle) into `timeline`; its energy is the report's energy_j.
ServeOutput serve(const Inputs& in, const config::SearchPaths& paths, bool timelines = false);
/// KV pages of `page_tokens` tokens that fit in the unit's pool after weights (and `extra_bytes`,
/// a draft model's weights) and compute buffers for a step of `step_tokens`, times `fraction`.
/// A page holds the target's KV of its tokens plus `extra_page_bytes` (a draft model's KV of
/// the same tokens: a draft keeps a cache of every sequence the target does, block for block).
std::uint64_t kv_pages_available(const Inputs& in, std::uint64_t page_tokens, std::uint64_t step_tokens, double fraction, std::uint64_t extra_bytes,
                                 std::uint64_t extra_page_bytes = 0);

}  // namespace infersim::scenario
