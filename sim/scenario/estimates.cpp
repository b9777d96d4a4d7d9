// Budget arithmetic (estimates.hpp).
#include "scenario/estimates.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "config/errors.hpp"
#include "hardware/channel_models.hpp"
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

// The rate at which the model's ops can read `pool`: its peak when the unit is attached to it,
// or when offloaded layers run on the pool's own unit; otherwise also capped by the link.
double pool_rate(const Inputs& in, std::size_t pool) {
    const auto& p = in.machine.pools[pool];
    double bw = p.peak_bytes_per_s();
    if (p.name == in.machine.units[in.unit].memory) return bw;
    if (offload_computes(in))
        for (const auto& u : in.machine.units)
            if (u.memory == p.name) return bw;
    if (const config::LinkSpec* l = in.machine.link(in.machine.units[in.unit].name, p.name)) bw = std::min(bw, l->bandwidth);
    return bw;
}


Sizing check_budgets(const Inputs& in, workload::StepSource& steps, const FitReport& f) {
    const config::SimOptions& opt = in.scenario.sim;
    // Tiles of work (each tile is an event or a coalesced step of one); every tile is split
    // into a request per channel it touches, so a machine of thousands of channels costs that
    // many times more per tile.
    const std::uint64_t ops = steps.op_count();
    const double fan = channel_fan(in.machine, opt.chunk_bytes);
    // A channel model that simulates every burst (detailed: ~5-8 M bursts/s) counts the bursts
    // of the ops whose data lives on its pools as work too.
    std::vector<double> bursts_per_byte(in.machine.pools.size(), 0.0);
    for (std::size_t p = 0; p < in.machine.pools.size(); ++p)
        if (hw::channel_model(in.machine.pools[p], opt.fidelity).per_burst) bursts_per_byte[p] = 1.0 / in.machine.pools[p].timing.burst_data_bytes();
    const auto& layer_pool = f.placement.layer_pool;
    double est_tiles = 0, est_flops = 0, est_bursts = 0;
    auto add_step = [&](const workload::Step& step, double weight) {
        for (const workload::Op& op : step.ops) {
            est_tiles += weight * (1 + std::ceil(static_cast<double>(op.weight_bytes + op.kv_read_bytes) / opt.chunk_bytes));
            const double bytes = static_cast<double>(op.weight_bytes + op.kv_read_bytes + op.kv_write_bytes);
            est_flops += weight * op.flops;
            const auto l = static_cast<std::size_t>(op.layer);
            const std::size_t pool = op.layer >= 0 && l < layer_pool.size() ? layer_pool[l] : f.placement.global_pool;
            if (pool < bursts_per_byte.size()) est_bursts += weight * bytes * bursts_per_byte[pool];
        }
    };
    // Alike decode steps grow linearly with their context (StepSource::alike_decode_begin): their
    // sums are the count times the mean of the first and the last, without building the others.
    const std::size_t n = steps.step_count(), alike = std::min(n, steps.alike_decode_begin());
    for (std::size_t i = 0; i < alike; ++i) add_step(steps.step(i), 1.0);
    if (n - alike > 2) {
        add_step(steps.step(alike), 0.5 * static_cast<double>(n - alike));
        add_step(steps.step(n - 1), 0.5 * static_cast<double>(n - alike));
    } else {
        for (std::size_t i = alike; i < n; ++i) add_step(steps.step(i), 1.0);
    }
    if (est_tiles * fan > static_cast<double>(opt.budget.max_events))
        throw config::BudgetError("scenario needs about " + count_text(est_tiles) + " tiles of work" +
                                  (fan > 1 ? " over up to " + count_text(fan) + " channels each" : std::string()) + ", over the budget of " +
                                  std::to_string(opt.budget.max_events) + " (sim.budget.max_events); raise it, or raise sim.chunk");
    if (est_bursts > static_cast<double>(opt.budget.max_events))
        throw config::BudgetError("detailed fidelity would simulate about " + count_text(est_bursts) +
                                  " DRAM bursts, over sim.budget.max_events (" + std::to_string(opt.budget.max_events) +
                                  "); use sim.fidelity: fast for full runs, or a smaller model or request");
    // A lower bound on simulated time sizes the timelines: every step streams at least its bytes
    // at peak, and all the arithmetic takes at least its FLOPs at the unit's fastest rate.
    const double bw_s = f.decode_bw_ceiling_tokens_per_s > 0
                            ? static_cast<double>(steps.step_count()) * static_cast<double>(in.scenario.batch) / f.decode_bw_ceiling_tokens_per_s
                            : 0;
    double fastest = 0;
    for (const auto& u : in.machine.units)
        for (std::size_t d = 0; d < config::kDTypeCount; ++d)
            for (bool matrix : {false, true}) fastest = std::max(fastest, u.peak_ops_per_s(static_cast<config::DType>(d), matrix));
    const double est_s = std::max(bw_s, fastest > 0 ? est_flops / fastest : 0.0);
    const double est_bins = est_s / opt.bin_s;
    // Timeline memory: one double per bin for every channel, unit, link, cache, agent and power domain.
    std::size_t series = in.machine.units.size() + in.machine.links.size() + 2 * in.machine.caches.size() + in.machine.pools.size() + 2 +
                         in.scenario.agents.size();
    for (const auto& p : in.machine.pools) series += 4 * static_cast<std::size_t>(p.channels);  // bytes, refresh, hits, misses
    const auto max_bins = std::min<std::uint64_t>(opt.budget.max_timeline_bins,
                                                  static_cast<std::uint64_t>(opt.budget.max_memory_bytes / 2 / (8.0 * static_cast<double>(series))));
    if (est_bins > static_cast<double>(max_bins))
        throw config::BudgetError("timelines would need at least " + count_text(est_bins) + " bins of " +
                                  std::to_string(opt.bin_s) + " s, over the budget of " + std::to_string(max_bins) +
                                  " (sim.budget.max_timeline_bins, max_memory); use a wider sim.bin");

    return Sizing{ops, est_bins, max_bins};
}

}  // namespace infersim::scenario
