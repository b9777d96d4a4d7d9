// Budget arithmetic (estimates.hpp).
#include "scenario/estimates.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "config/errors.hpp"
#include "replay/observer.hpp"

namespace infersim::scenario {

std::string count_text(double v) {
    if (std::isfinite(v) && v < 1e15) return std::to_string(static_cast<std::uint64_t>(std::max(0.0, v)));
    if (!std::isfinite(v)) return "infinitely many";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3g", v);
    return buf;
}

void check_op_budget(const Inputs& in, const workload::StepSource& steps) {
    const config::SimOptions& opt = in.scenario.sim;
    const std::uint64_t ops = steps.op_count();
    if (ops > opt.budget.max_ops)
        throw config::BudgetError("scenario needs " + std::to_string(ops) + " trace ops, over the budget of " +
                                  std::to_string(opt.budget.max_ops) + " (sim.budget.max_ops); shorten the request or raise the budget");
    if (static_cast<double>(ops) * sizeof(replay::OpRecord) > opt.budget.max_memory_bytes / 2)
        throw config::BudgetError("the op table of " + std::to_string(ops) + " ops would take more than half of sim.budget.max_memory");
}

double channel_fan(const config::MachineSpec& machine, double chunk_bytes) {
    double fan = 1;
    for (const auto& p : machine.pools)
        fan = std::max(fan, std::min<double>(p.channels, std::ceil(chunk_bytes / std::max(1.0, p.interleave_bytes))));
    return fan;
}

}  // namespace infersim::scenario
