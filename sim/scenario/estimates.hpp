// Budget arithmetic shared by run and fit: the checks that need no trace walk, and estimates
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

}  // namespace infersim::scenario
