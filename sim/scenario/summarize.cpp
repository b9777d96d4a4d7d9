// The summary of a finished run.
#include "scenario/summarize.hpp"

#include <algorithm>
#include <map>
#include <string>

#include "hardware/power/power_model.hpp"
#include "scenario/estimates.hpp"

namespace infersim::scenario {

using output::AgentSummary;
using output::CacheSummary;
using output::PhaseSummary;
using output::PoolSummary;
using output::Recorder;
using output::Summary;

namespace {

void summarize_request(const Inputs& in, const FitReport& f, Summary& s) {
    s.machine = in.machine.name;
    s.model = in.model.name;
    s.quant = in.quant_label;
    s.runtime = in.runtime.name;
    s.unit = in.machine.units[in.unit].name;
    s.kv_cache = in.scenario.kv_cache;
    s.prompt = static_cast<std::uint64_t>(in.scenario.prompt);
    s.gen = static_cast<std::uint64_t>(in.scenario.gen);
    s.batch = static_cast<std::uint64_t>(in.scenario.batch);
    s.fits = f.placement.fits;
    s.weights_bytes = f.weights_bytes;
    s.kv_bytes = f.kv_bytes;
    s.needed_bytes = f.placement.needed_bytes;
    s.shortfall_bytes = f.placement.shortfall_bytes;
    s.decode_bw_ceiling_tokens_per_s = f.decode_bw_ceiling_tokens_per_s;
    s.prefill_compute_ceiling_tokens_per_s = f.prefill_compute_ceiling_tokens_per_s;
}

// Phases from step timings; bounds and DRAM bytes from the op table.
void summarize_phases(const Inputs& in, const FitReport& f, const replay::ReplayTotals& totals, const Recorder& rec, Summary& s) {
    double reachable_peak = 0;
    for (std::size_t p : f.placement.order) reachable_peak += pool_rate(in, p);
    for (const replay::StepTiming& st : totals.steps) {
        PhaseSummary& ph = st.phase == workload::Phase::prefill ? s.prefill : s.decode;
        ph.seconds += engine::to_seconds(st.end - st.start);
        ph.tokens += st.phase == workload::Phase::prefill ? static_cast<std::uint64_t>(st.new_tokens) * st.sequences : st.emits;
        if (st.emits > 0 && s.ttft_s == 0) s.ttft_s = engine::to_seconds(st.end);
    }
    std::map<std::string, double> time_by_bound[2];
    double dram_bytes[2] = {0, 0};
    for (const replay::OpRecord& r : rec.ops()) {
        const int ph = r.phase == workload::Phase::prefill ? 0 : 1;
        time_by_bound[ph][replay::name(r.bound)] += engine::to_seconds(r.end - r.start);
        dram_bytes[ph] += static_cast<double>(r.bytes - r.cache_bytes);  // what memory served, not cache hits
    }
    PhaseSummary* phases[2] = {&s.prefill, &s.decode};
    for (int ph = 0; ph < 2; ++ph) {
        PhaseSummary& p = *phases[ph];
        p.tokens_per_s = p.seconds > 0 ? static_cast<double>(p.tokens) / p.seconds : 0;
        double best = -1;
        for (auto& [k, v] : time_by_bound[ph])
            if (v > best) { best = v; p.bound = k; }
        p.bw_util = p.seconds > 0 && reachable_peak > 0 ? dram_bytes[ph] / (reachable_peak * p.seconds) : 0;
    }
    const std::size_t decode_steps = static_cast<std::size_t>(std::count_if(
        totals.steps.begin(), totals.steps.end(), [](const auto& st) { return st.phase == workload::Phase::decode; }));
    s.tpot_s = decode_steps > 0 ? s.decode.seconds / static_cast<double>(decode_steps) : 0;
}

void summarize_memory(const Inputs& in, const FitReport& f, const Recorder& rec, double run_s, Summary& s) {
    double moved = 0, capacity = 0;
    for (std::size_t p = 0; p < in.machine.pools.size(); ++p) {
        const auto& ps = in.machine.pools[p];
        PoolSummary pool;
        pool.name = ps.name;
        pool.capacity_bytes = ps.capacity_bytes;
        pool.used_bytes = f.placement.pools[p].used();
        pool.weight_bytes = f.placement.pools[p].weight_bytes;
        pool.kv_bytes = f.placement.pools[p].kv_bytes;
        pool.peak_bytes_per_s = ps.peak_bytes_per_s();
        pool.bytes_read = rec.pool_bytes(p, false);
        pool.bytes_written = rec.pool_bytes(p, true);
        const double bytes = static_cast<double>(pool.bytes_read + pool.bytes_written);
        pool.avg_bw_util = run_s > 0 ? bytes / (pool.peak_bytes_per_s * run_s) : 0;
        if (bytes > 0) {
            moved += bytes;
            capacity += pool.peak_bytes_per_s * run_s;
        }
        s.pools.push_back(pool);
    }
    s.dram_avg_bw_util = capacity > 0 ? moved / capacity : 0;
    for (std::size_t c = 0; c < in.machine.caches.size(); ++c) {
        const double hit = static_cast<double>(rec.cache_hit_bytes(c)), miss = static_cast<double>(rec.cache_miss_bytes(c));
        s.caches.push_back(CacheSummary{in.machine.caches[c].name, hit, miss, hit + miss > 0 ? hit / (hit + miss) : 0});
    }
    for (std::size_t a = 0; a < rec.agent_names().size(); ++a) {
        const double bytes = static_cast<double>(rec.agent_total_bytes(a));
        s.agents.push_back(AgentSummary{rec.agent_names()[a], bytes, run_s > 0 ? bytes / run_s : 0});
    }
}

// Energy by domain and by kind (the split sums to energy_j exactly, in its key order), SoC,
// system (DC) and wall power, the peak, and each phase's energy per token.
void summarize_energy(const Inputs& in, const Recorder& rec, double run_s, Summary& s) {
    const hw::PowerModel& pm = rec.power();
    s.power_model = in.machine.power.impl;
    s.power_defaults = pm.defaults();
    double by_kind[hw::kDomainKindCount] = {};
    double soc = 0;
    for (std::size_t d = 0; d < rec.domain_names().size(); ++d) {
        const double e = rec.domain_total_j(d);
        s.energy_by_domain.emplace_back(rec.domain_names()[d], e);
        by_kind[static_cast<std::size_t>(pm.domain_kind(d))] += e;
        if (pm.domain_on_soc(d)) soc += e;
    }
    for (std::size_t k = 0; k < hw::kDomainKindCount; ++k) s.energy_split.emplace_back(hw::name(static_cast<hw::DomainKind>(k)), by_kind[k]);
    std::sort(s.energy_split.begin(), s.energy_split.end());
    s.energy_j = 0;
    for (const auto& part : s.energy_split) s.energy_j += part.second;
    const double dc_j = s.energy_j - by_kind[static_cast<std::size_t>(hw::DomainKind::supply_loss)];
    const double generated = static_cast<double>(s.gen * s.batch);
    s.joules_per_token = generated > 0 ? s.energy_j / generated : 0;
    s.avg_power_w = run_s > 0 ? s.energy_j / run_s : 0;
    s.wall_power_w = s.avg_power_w;
    s.system_power_w = run_s > 0 ? dc_j / run_s : 0;
    s.soc_power_w = run_s > 0 ? soc / run_s : 0;
    const std::size_t sd = pm.supply_domain();
    for (std::size_t b = 0; b < rec.bins(); ++b) {
        double e = 0;
        for (std::size_t d = 0; d < rec.domain_energy().size(); ++d)
            if (d != sd) e += rec.domain_energy()[d][b];
        const engine::Tick span = std::min<engine::Tick>(rec.end(), (b + 1) * rec.bin()) - b * rec.bin();
        if (span > 0) s.peak_power_w = std::max(s.peak_power_w, e / engine::to_seconds(span));
    }
    // A phase: the activity of its ops, the constant power over its steps, the supply's loss at
    // the phase's average load.
    for (const workload::Phase phase : {workload::Phase::prefill, workload::Phase::decode}) {
        PhaseSummary& p = phase == workload::Phase::prefill ? s.prefill : s.decode;
        const double dc = rec.phase_activity_j(phase) + rec.constant_power_w() * p.seconds;
        p.energy_j = dc + pm.supply_loss_j(dc, p.seconds);
        p.joules_per_token = p.tokens > 0 ? p.energy_j / static_cast<double>(p.tokens) : 0;
        p.system_power_w = p.seconds > 0 ? dc / p.seconds : 0;
        p.wall_power_w = p.seconds > 0 ? p.energy_j / p.seconds : 0;
    }
    // A battery feeds the DC side: no adapter loss.
    const config::BatterySpec& bat = in.machine.power.battery;
    if (bat.capacity_j > 0) {
        s.has_battery = true;
        const double usable = bat.capacity_j * bat.usable_fraction;
        s.battery_hours = s.system_power_w > 0 ? usable / s.system_power_w / 3600.0 : 0;
        s.battery_tokens_per_charge = dc_j > 0 && generated > 0 ? usable / (dc_j / generated) : 0;
    }
}

}  // namespace

void summarize(const Inputs& in, const FitReport& f, const replay::ReplayTotals& totals, const Recorder& rec, engine::Tick end,
               Summary& s) {
    const double run_s = engine::to_seconds(end);
    s.simulated_s = run_s;
    summarize_request(in, f, s);
    summarize_phases(in, f, totals, rec, s);
    summarize_memory(in, f, rec, run_s, s);
    summarize_energy(in, rec, run_s, s);
}

output::ThermalSummary thermal_summary(const replay::ThermalTimeline& t, double throttle_s) {
    output::ThermalSummary th;
    th.active = !t.empty();
    th.throttle_s = throttle_s;
    if (!th.active) return th;
    for (std::size_t u = 0; u < t.units.size(); ++u) {
        const std::vector<double>& c = t.clock_hz[u];
        th.units.push_back({t.units[u], c.front(), c.back(), *std::min_element(c.begin(), c.end())});
    }
    for (std::size_t d = 0; d < t.domains.size(); ++d) {
        const std::vector<double>& c = t.temperature_c[d];
        th.domains.push_back({t.domains[d], *std::max_element(c.begin(), c.end()), c.back()});
    }
    return th;
}

}  // namespace infersim::scenario
