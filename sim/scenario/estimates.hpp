// Budget arithmetic shared by run and fit (the plan before a run): budgets, the checks that need no trace walk, and estimates
// as text (an infinite or huge estimate cast to an integer is undefined behaviour).
#pragma once
#include <string>

#include "scenario/scenario_run.hpp"

namespace infersim::scenario {

/// An estimate as text: exact while it fits an integer, else "1.2e+18" or "infinitely many".
std::string count_text(double v);

/// The op count is known without building the trace: checked before anything that grows with
/// it (placement, trace walks). Throws config::BudgetError.
void check_op_budget(const Inputs& in, const workload::StepSource& steps);

/// How many channel requests one tile of `chunk_bytes` becomes on the widest pool (at most its
/// channel count): the per-tile cost factor of a machine with thousands of channels.
double channel_fan(const config::MachineSpec& machine, double chunk_bytes);

/// The rate at which the model's ops can read `pool`: its peak when the unit is attached to it,
/// or when offloaded layers run on the pool's own unit; otherwise also capped by the link.
double pool_rate(const Inputs& in, std::size_t pool);

/// How many timeline bins a run is expected to need, and may take.
struct Sizing {
    std::uint64_t ops = 0;
    double est_bins = 0;
    std::uint64_t max_bins = 0;
};

/// Budgets, checked before any work that grows with the request: tiles (times the channels
/// each touches), DRAM bursts on per-burst pools, simulated time, timeline bins and memory.
/// Throws config::BudgetError.
Sizing check_budgets(const Inputs& in, workload::StepSource& steps, const FitReport& f);

}  // namespace infersim::scenario
