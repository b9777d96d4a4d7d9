// The serving run as a discrete-event process: requests arrive, the scheduler forms a step at
// each step boundary, the step (and, with a draft model, its draft passes) is priced by
// replaying it on the machine through the exact step cache, and time advances by what the
// replay took; with nothing to run, time jumps to the next arrival.
#pragma once
#include <cstdint>
#include <vector>

#include "config/serving_spec.hpp"
#include "serving/scheduler.hpp"
#include "serving/step_builder.hpp"
#include "serving/step_cost.hpp"

namespace infersim::serving {

/// One step, as the timelines record it.
struct StepRecord {
    engine::Tick start = 0, end = 0;
    std::uint32_t waiting = 0, batch = 0, tokens = 0;
    double kv_occupancy = 0;       // pages in use / pages
    std::uint64_t preemptions = 0; // so far
};

struct ServeTotals {
    std::vector<Sequence> sequences;
    std::vector<StepRecord> steps;
    engine::Tick end = 0;
    double busy_energy_j = 0, idle_energy_j = 0;
    std::uint64_t preemptions = 0, target_passes = 0, draft_passes = 0;
    std::uint64_t verify_passes = 0, verify_tokens = 0;
    std::uint64_t cache_hits = 0, cache_misses = 0;
    std::uint64_t kv_pages = 0;
    std::uint32_t page_tokens = 0;
    double peak_kv_occupancy = 0;
};

/// The models' step builders and costs: the target's, and the draft's (null without one).
struct ServeModels {
    StepBuilder* target = nullptr;
    StepCache* target_cost = nullptr;
    StepBuilder* draft = nullptr;
    StepCache* draft_cost = nullptr;
    double idle_power_w = 0;
    /// Where the hardware timelines of the whole serve are summed (null: none kept): each
    /// pass's activity at its start (a step's draft passes first, then the target's), the
    /// machine's constant power while idle. The caller closes it at the serve's end.
    output::Recorder* timeline = nullptr;
};

/// Runs `spec`'s workload to the last reply. `kv_pages`: KV pages of `spec.scheduler.block_size`
/// tokens; `max_context`: the model's trained context (0: none).
ServeTotals simulate(const config::ServingSpec& spec, std::uint64_t kv_pages, std::uint32_t max_context, const ServeModels& models);

}  // namespace infersim::serving
