// Scenario orchestration.
#include "hardware/catalogs.hpp"
#include "hardware/channel_models.hpp"
#include "scenario/scenario_run.hpp"
#include "scenario/estimates.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>

#include "config/machine_loader.hpp"
#include "engine/simulator.hpp"
#include "hardware/compute/compute_unit.hpp"
#include "hardware/machine.hpp"
#include "hardware/power/power_models.hpp"
#include "replay/replayer.hpp"
#include "replay/traffic_agent.hpp"
#include "workload/model_source.hpp"
#include "workload/trace_builder.hpp"

namespace infersim::scenario {

using output::AgentSummary;
using output::CacheSummary;
using output::PhaseSummary;
using output::PoolSummary;
using output::Recorder;
using output::Summary;

namespace {

std::size_t pick_unit(const config::ScenarioSpec& s, const config::MachineSpec& m) {
    if (!s.unit.empty()) {
        for (std::size_t i = 0; i < m.units.size(); ++i)
            if (m.units[i].name == s.unit) return i;
        std::string names;
        for (const auto& u : m.units) names += " " + u.name;
        throw config::InputError(s.unit_where, "unit", "machine '" + m.name + "' has no compute unit '" + s.unit + "'; it has:" + names);
    }
    for (std::size_t i = 0; i < m.units.size(); ++i)
        if (m.units[i].kind == config::UnitKind::gpu) return i;
    return 0;
}


// Runtime compute buffers (an assumption, llama.cpp-like): logits for one ubatch in f32 plus
// a few activation tensors of the widest layer.
std::uint64_t overhead_bytes(const Inputs& in) {
    const double ub = static_cast<double>(std::min<std::int64_t>(in.scenario.ubatch, std::max<std::int64_t>(in.scenario.prompt, 1)));
    const double rows = ub * static_cast<double>(in.scenario.batch);
    const auto& m = in.model;
    return static_cast<std::uint64_t>(rows * (static_cast<double>(m.vocab) + 4.0 * std::max(m.ffn, m.hidden)) * 4.0);
}

replay::PlacementRequest placement_request(const Inputs& in, std::uint64_t context) {
    replay::PlacementRequest req;
    req.unit = in.unit;
    req.layer_weight_bytes.resize(static_cast<std::size_t>(in.model.layers));
    for (int l = 0; l < in.model.layers; ++l) req.layer_weight_bytes[static_cast<std::size_t>(l)] = in.weights.layer_bytes(l);
    req.global_weight_bytes = in.weights.layer_bytes(-1);
    req.kv_bytes_per_layer = workload::kv_bytes(in.model, context, in.kv_bytes_per_element) *
                             static_cast<std::uint64_t>(in.scenario.batch) / static_cast<std::uint64_t>(in.model.layers);
    req.overhead_bytes = overhead_bytes(in);
    req.gpu_layers = static_cast<int>(in.scenario.gpu_layers);
    return req;
}

// The rate at which the model's ops can read `pool`: its peak when the unit is attached to it,
// or when offloaded layers run on the pool's own unit; otherwise also capped by the link.
double pool_rate(const Inputs& in, std::size_t pool) {
    const auto& p = in.machine.pools[pool];
    double bw = p.peak_bytes_per_s();
    if (p.name == in.machine.units[in.unit].memory) return bw;
    if (in.scenario.offload == config::Offload::compute)
        for (const auto& u : in.machine.units)
            if (u.memory == p.name) return bw;
    if (const config::LinkSpec* l = in.machine.link(in.machine.units[in.unit].name, p.name)) bw = std::min(bw, l->bandwidth);
    return bw;
}

}  // namespace

workload::RequestShape request_shape(const Inputs& in) {
    workload::RequestShape r;
    r.prompt = static_cast<std::uint64_t>(in.scenario.prompt);
    r.gen = static_cast<std::uint64_t>(in.scenario.gen);
    r.batch = static_cast<std::uint64_t>(in.scenario.batch);
    r.ubatch = static_cast<std::uint64_t>(in.scenario.ubatch);
    r.kv_bytes_per_element = in.kv_bytes_per_element;
    r.flash_attention = in.runtime.flash_attention;
    return r;
}

Inputs resolve_inputs(const config::ScenarioSpec& scenario, const config::SearchPaths& paths) {
    Inputs in;
    in.scenario = scenario;
    in.machine = hw::load_machine(config::resolve_config("machines", scenario.machine, paths, scenario.base_dir,
                                                             scenario.machine_where, "machine"),
                                  paths);
    in.model = workload::load_model_file(
        config::resolve_config("models", scenario.model, paths, scenario.base_dir, scenario.model_where, "model"));
    std::string runtime = scenario.runtime.empty() ? in.machine.default_runtime : scenario.runtime;
    in.runtime = config::load_runtime(config::resolve_config("runtimes", runtime, paths, scenario.base_dir,
                                                             scenario.runtime.empty() ? config::SourceLocation{in.machine.name} : scenario.runtime_where,
                                                             "runtime"));
    in.unit = pick_unit(scenario, in.machine);
    for (const config::AgentSpec& a : scenario.agents)
        if (!a.pool.empty() && !in.machine.pool(a.pool))
            throw config::InputError(a.where, "agents." + a.name + ".pool", "machine '" + in.machine.name + "' has no memory pool '" + a.pool + "'");
        else if (!a.unit.empty() && !in.machine.unit(a.unit))
            throw config::InputError(a.where, "agents." + a.name + ".unit", "machine '" + in.machine.name + "' has no compute unit '" + a.unit + "'");
    if (in.model.max_context > 0 && scenario.prompt + scenario.gen > in.model.max_context)
        throw config::InputError(scenario.prompt_where, "prompt",
                                 "prompt + gen = " + std::to_string(scenario.prompt + scenario.gen) + " tokens exceeds " + in.model.name +
                                     "'s trained context of " + std::to_string(in.model.max_context) + " tokens");
    in.kv_bytes_per_element = workload::kv_bytes_per_element(scenario.kv_cache);
    if (in.kv_bytes_per_element <= 0)
        throw config::InputError(scenario.kv_where, "kv_cache", "unknown KV cache precision '" + scenario.kv_cache + "'; expected f16, bf16, q8_0, fp8 or q4_0");
    if (!in.model.tensors.empty()) {
        in.weights = workload::weights_from_records(in.model);
        in.quant_label = "gguf";
    } else {
        try {
            in.weights = workload::build_weights(in.model, scenario.quant);
        } catch (const std::invalid_argument&) {
            std::string names;
            for (auto n : workload::scheme_names()) names += " " + std::string(n);
            throw config::InputError(scenario.quant_where, "quant", "unknown quantization '" + scenario.quant + "'; expected one of:" + names);
        }
        in.quant_label = scenario.quant;
    }
    return in;
}

FitReport fit(const Inputs& in, std::uint64_t context) {
    FitReport f;
    f.placement = replay::place(in.machine, placement_request(in, context));
    f.weights_bytes = in.weights.total_bytes();
    f.kv_bytes = workload::kv_bytes(in.model, context, in.kv_bytes_per_element) * static_cast<std::uint64_t>(in.scenario.batch);
    f.overhead_bytes = overhead_bytes(in);

    // Bandwidth ceiling: a decode step at `context` streams every layer's weights (the experts
    // it touches) and the KV cache, each from the pool it lives in, at that pool's peak.
    workload::RequestShape shape = request_shape(in);
    shape.prompt = std::max<std::uint64_t>(1, context);
    shape.gen = 2;
    workload::TraceBuilder tb(in.model, in.weights, shape);
    const workload::Step& step = tb.step(tb.prefill_steps());
    std::map<std::size_t, double> bytes_per_pool;
    for (const workload::Op& op : step.ops) {
        std::size_t pool = op.layer < 0 ? f.placement.global_pool : f.placement.layer_pool[static_cast<std::size_t>(op.layer)];
        bytes_per_pool[pool] += static_cast<double>(op.weight_bytes + op.kv_read_bytes + op.kv_write_bytes);
    }
    double seconds = 0;
    for (auto& [pool, bytes] : bytes_per_pool) {
        seconds += bytes / pool_rate(in, pool);
        f.decode_step_bytes += bytes;
    }
    f.decode_bw_ceiling_tokens_per_s = seconds > 0 ? static_cast<double>(in.scenario.batch) / seconds : 0;

    // Compute ceiling: the prompt's FLOPs at the unit's best matrix (or SIMD) rate.
    const double peak = hw::make_compute_model(in.machine.units[in.unit], in.runtime)->prefill_peak_ops_per_s();
    workload::RequestShape ps = request_shape(in);
    ps.gen = 1;
    workload::TraceBuilder pb(in.model, in.weights, ps);
    // Summing the prompt's FLOPs walks its whole trace: within the op budget, or refused first.
    if (pb.op_count() > in.scenario.sim.budget.max_ops)
        throw config::BudgetError("the prompt's trace holds " + std::to_string(pb.op_count()) + " ops, over the budget of " +
                                  std::to_string(in.scenario.sim.budget.max_ops) + " (sim.budget.max_ops); raise ubatch or the budget");
    double flops = 0;
    for (std::size_t i = 0; i < pb.prefill_steps(); ++i)
        for (const workload::Op& op : pb.step(i).ops) flops += op.flops;
    const double tokens = static_cast<double>(in.scenario.prompt * in.scenario.batch);
    f.prefill_compute_ceiling_tokens_per_s = flops > 0 && peak > 0 ? tokens / (flops / peak) : 0;
    return f;
}

RunOutput run(const Inputs& in) {
    workload::TraceBuilder tb(in.model, in.weights, request_shape(in));
    return run(in, tb);
}

// Budgets, checked before any work; returns how many timeline bins to expect and allow.
struct Sizing {
    std::uint64_t ops = 0;
    double est_bins = 0;
    std::uint64_t max_bins = 0;
};

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
    double est_tiles = 0, est_bytes = 0, est_flops = 0, est_bursts = 0;
    for (std::size_t i = 0; i < steps.step_count(); ++i)
        for (const workload::Op& op : steps.step(i).ops) {
            est_tiles += 1 + std::ceil(static_cast<double>(op.weight_bytes + op.kv_read_bytes) / opt.chunk_bytes);
            const double bytes = static_cast<double>(op.weight_bytes + op.kv_read_bytes + op.kv_write_bytes);
            est_bytes += bytes;
            est_flops += op.flops;
            const auto l = static_cast<std::size_t>(op.layer);
            const std::size_t pool = op.layer >= 0 && l < layer_pool.size() ? layer_pool[l] : f.placement.global_pool;
            if (pool < bursts_per_byte.size()) est_bursts += bytes * bursts_per_byte[pool];
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

// The summary of a finished run, from the step timings, the op table and the recorder.
void summarize(const Inputs& in, const FitReport& f, const replay::ReplayTotals& totals, const Recorder& rec, engine::Tick end,
               Summary& s) {
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
    const double run_s = engine::to_seconds(end);
    s.simulated_s = run_s;

    // Phases from step timings; bounds and DRAM bytes from the op table.
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
        dram_bytes[ph] += static_cast<double>(r.bytes);
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

    s.energy_j = rec.total_energy_j();
    for (std::size_t d = 0; d < rec.domain_names().size(); ++d) s.energy_by_domain.emplace_back(rec.domain_names()[d], rec.domain_total_j(d));
    const double generated = static_cast<double>(s.gen * s.batch);
    s.joules_per_token = generated > 0 ? s.energy_j / generated : 0;
    s.avg_power_w = run_s > 0 ? s.energy_j / run_s : 0;
    const config::BatterySpec& bat = in.machine.power.battery;
    if (bat.capacity_j > 0) {
        s.has_battery = true;
        const double usable = bat.capacity_j * bat.usable_fraction;
        s.battery_hours = s.avg_power_w > 0 ? usable / s.avg_power_w / 3600.0 : 0;
        s.battery_tokens_per_charge = s.joules_per_token > 0 ? usable / s.joules_per_token : 0;
    }
}

RunOutput run(const Inputs& in, workload::StepSource& steps) {
    const auto wall0 = std::chrono::steady_clock::now();
    const config::SimOptions& opt = in.scenario.sim;
    const std::uint64_t context = static_cast<std::uint64_t>(in.scenario.prompt + in.scenario.gen);
    check_op_budget(in, steps);
    FitReport f = fit(in, context);

    const Sizing size = check_budgets(in, steps, f);

    RunOutput out;
    const engine::Tick bin = engine::from_seconds(opt.bin_s);
    out.power = hw::make_power_model(in.machine);
    out.recorder = std::make_unique<Recorder>(in.machine, *out.power, bin,
                                              static_cast<std::size_t>(std::min<double>(size.est_bins * 1.5 + 16, static_cast<double>(size.max_bins))),
                                              static_cast<std::size_t>(size.ops), static_cast<std::size_t>(size.max_bins));
    Recorder& rec = *out.recorder;
    engine::Simulator sim;
    sim.set_event_budget(opt.budget.max_events);
    sim.set_time_limit(engine::from_seconds(opt.budget.max_simulated_s));
    sim.reserve(static_cast<std::size_t>(opt.prefetch_depth) * 4 + 64);
    hw::Machine machine(in.machine, rec, opt.fidelity);
    // Alone on the machine, the replayer advances whole ops per event (exactly); with other
    // agents, every tile is an event so their requests interleave with the model's.
    const bool exclusive = in.scenario.agents.empty();
    replay::Replayer replayer(sim, machine, f.placement, in.unit, in.runtime, opt, in.weights, steps, rec, exclusive);
    replayer.set_offload_compute(in.scenario.offload == config::Offload::compute);
    std::vector<std::string> agent_names{"model"};
    std::vector<std::unique_ptr<replay::TrafficAgent>> agents;
    for (const config::AgentSpec& a : in.scenario.agents) {
        // A job on a unit (an NPU job) streams from that unit's pool unless told otherwise.
        const int unit = a.unit.empty() ? -1 : machine.unit_index(a.unit);
        const std::string& home = in.machine.units[unit >= 0 ? static_cast<std::size_t>(unit) : in.unit].memory;
        const int pool = machine.pool_index(a.pool.empty() ? home : a.pool);
        agents.push_back(std::make_unique<replay::TrafficAgent>(sim, machine, static_cast<std::size_t>(pool), a,
                                                                static_cast<std::uint32_t>(agent_names.size()), replayer, rec));
        if (unit >= 0) agents.back()->run_on(static_cast<std::uint32_t>(unit), replayer.model(static_cast<std::size_t>(unit)).running_w());
        agent_names.push_back(a.name);
    }
    rec.set_agents(agent_names);
    try {
        replayer.start();
        for (auto& a : agents) a->start();
        sim.run();
    } catch (const engine::BudgetExceeded& e) {
        throw config::BudgetError(e.what());
    }
    // Posted writes may finish after the last step: the run ends when the memory is quiet.
    engine::Tick end = replayer.totals().end;
    for (std::size_t p = 0; p < machine.pool_count(); ++p)
        for (std::size_t c = 0; c < machine.pool(p).channel_count(); ++c) end = std::max(end, machine.pool(p).channel(c).busy_until());
    rec.finish(end);

    summarize(in, f, replayer.totals(), rec, end, out.summary);
    Summary& s = out.summary;
    s.events = sim.events_handled();
    s.ops = replayer.totals().ops;
    s.fidelity = hw::channel_models_label(in.machine, opt.fidelity);
    s.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
    return out;
}

}  // namespace infersim::scenario
