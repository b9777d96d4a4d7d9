// Scenario orchestration: resolve the inputs, fit them, run them (budgets in estimates.cpp, the
// summary in summarize.cpp).
#include "hardware/catalogs.hpp"
#include "hardware/channel_models.hpp"
#include "scenario/scenario_run.hpp"
#include "scenario/estimates.hpp"
#include "scenario/spec_cache.hpp"
#include "scenario/summarize.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>

#include "config/layered_file.hpp"
#include "config/machine_loader.hpp"
#include "config/overrides.hpp"
#include "config/runtime_spec.hpp"
#include "hardware/compute/gemm_kernel.hpp"
#include "engine/simulator.hpp"
#include "hardware/compute/compute_unit.hpp"
#include "hardware/machine.hpp"
#include "hardware/power/power_models.hpp"
#include "replay/replayer.hpp"
#include "replay/thermal_governor.hpp"
#include "replay/traffic_agent.hpp"
#include "workload/model_source.hpp"
#include "workload/model_yaml.hpp"
#include "workload/trace_builder.hpp"
#include "workload/arch/moe_reads.hpp"

namespace infersim::scenario {

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
    req.kv_bytes_per_layer = workload::kv_bytes(in.model, context, in.kv_bytes_per_element, in.runtime.swa_cache) *
                             static_cast<std::uint64_t>(in.scenario.batch) / static_cast<std::uint64_t>(in.model.layers);
    req.overhead_bytes = overhead_bytes(in);
    req.gpu_layers = static_cast<int>(in.scenario.gpu_layers);
    // Without an offload mode, "as many as fit" is not llama.cpp's behaviour: all layers go to
    // the unit (-ngl 99), and what does not fit is refused by check_fits().
    if (req.gpu_layers < 0 && !in.scenario.offload) req.gpu_layers = in.model.layers;
    return req;
}

// An HF snapshot's own tensors (quant: checkpoint), in the formats its safetensors declare.
workload::WeightInventory checkpoint_weights(const config::ModelSpec& model, const config::SourceLocation& where) {
    if (model.checkpoint_tensors.empty())
        throw config::InputError(where, "quant", "'checkpoint' runs a Hugging Face snapshot's own tensors; " + model.name +
                                                     " is not a snapshot folder with safetensors");
    for (const config::TensorRecord& t : model.checkpoint_tensors)
        if (!workload::find_format(t.type))
            throw config::InputError(where, "quant", "tensor '" + config::printable(t.name, 120) + "' of " + model.name + " is stored as " +
                                                         config::printable(t.type, 20) +
                                                         ", which infersim cannot run (packed GPTQ/AWQ?); use a quantization scheme or a GGUF file");
    config::ModelSpec records = model;
    records.tensors = model.checkpoint_tensors;
    workload::WeightInventory w = workload::weights_from_records(records);
    w.scheme = "checkpoint";
    return w;
}

double gib(double bytes) { return bytes / static_cast<double>(1ull << 30); }

std::string gib_text(double bytes) {
    char b[32];
    std::snprintf(b, sizeof b, "%.2f GiB", gib(bytes));
    return b;
}

}  // namespace

bool offload_computes(const Inputs& in) {
    if (in.scenario.offload) return *in.scenario.offload == config::Offload::compute;
    return in.scenario.gpu_layers >= 0 && in.scenario.gpu_layers < in.model.layers;
}

std::uint64_t run_context(const Inputs& in) {
    return static_cast<std::uint64_t>(in.scenario.depth + in.scenario.prompt + in.scenario.gen);
}

void check_fits(const Inputs& in, const FitReport& f) {
    const replay::Placement& pl = f.placement;
    const config::SourceLocation where = in.scenario.gpu_layers_where.file.empty() ? in.scenario.machine_where : in.scenario.gpu_layers_where;
    const std::string what = in.model.name + " " + in.quant_label;
    for (std::size_t p : pl.order) {
        const replay::PoolUse& u = pl.pools[p];
        const double over = static_cast<double>(u.used()) - u.capacity_bytes;
        if (over <= 0) continue;
        std::string hint = p == pl.order.front() ? "; put fewer layers on the unit (gpu_layers / -ngl below " + std::to_string(in.model.layers) +
                                                       ") so the rest run on the host"
                                                 : "";
        throw config::InputError(where, "gpu_layers",
                                 what + " does not fit in " + in.machine.name + "'s " + u.pool + " (" + gib_text(u.capacity_bytes) +
                                     "): weights " + gib_text(static_cast<double>(u.weight_bytes)) + " + KV " +
                                     gib_text(static_cast<double>(u.kv_bytes)) + " + compute buffers " +
                                     gib_text(static_cast<double>(u.overhead_bytes)) + " = " + gib_text(static_cast<double>(u.used())) +
                                     ", " + gib_text(over) + " short" + hint);
    }
    if (!offload_computes(in)) return;
    // Layers to be computed where they live need a unit on that pool; streaming them instead
    // must be asked for.
    for (std::size_t l = 0; l < pl.layer_pool.size(); ++l) {
        const std::size_t p = pl.layer_pool[l];
        if (p == pl.order.front()) continue;
        bool unit = false;
        for (const auto& u : in.machine.units) unit = unit || u.memory == in.machine.pools[p].name;
        if (!unit)
            throw config::InputError(where, "gpu_layers",
                                     "layer " + std::to_string(l) + " of " + what + " is placed in " + in.machine.name + "'s pool '" +
                                         in.machine.pools[p].name + "', which no compute unit uses; give offload: stream to read it over the link");
    }
}

workload::RequestShape request_shape(const Inputs& in) {
    workload::RequestShape r;
    r.prompt = static_cast<std::uint64_t>(in.scenario.prompt);
    r.gen = static_cast<std::uint64_t>(in.scenario.gen);
    r.batch = static_cast<std::uint64_t>(in.scenario.batch);
    r.ubatch = static_cast<std::uint64_t>(in.scenario.ubatch);
    r.kv_bytes_per_element = in.kv_bytes_per_element;
    r.flash_attention = in.scenario.flash_attn.value_or(in.runtime.flash_attention);
    r.depth = static_cast<std::uint64_t>(in.scenario.depth);
    // MoE (issue 9): the runtime's expert-read rule and the scenario's routing.
    r.moe_dispatch = in.runtime.moe;
    r.routing = in.scenario.routing;
    return r;
}

namespace {
// A model with overrides (--set model.layers=40, sweep axes): only YAML models carry a tree to
// override; config.json, GGUF and snapshot folders are refused rather than silently unchanged.
config::ModelSpec load_model(const std::string& path, const std::vector<config::Override>& overrides) {
    if (!config::overrides_document(overrides, "model")) return workload::load_model_file(path);
    const std::string ext = std::filesystem::path(path).extension().string();
    if (ext != ".yaml" && ext != ".yml") {
        const auto o = std::find_if(overrides.begin(), overrides.end(), [](const config::Override& x) { return x.document == "model"; });
        throw config::InputError(o->where, "model." + o->path, "model overrides need a YAML model file; '" + config::printable(path, 200) + "' is not one");
    }
    config::ModelSpec m = workload::read_model(config::apply_overrides(config::load_layered(path), overrides, "model"));
    if (m.name.empty()) m.name = std::filesystem::path(path).stem().string();
    return m;
}

// The machine, model and runtime a scenario names, loaded (through `cache` when given).
void load_specs(Inputs& in, const config::SearchPaths& paths, SpecCache* cache) {
    const config::ScenarioSpec& scenario = in.scenario;
    const std::vector<config::Override>& o = scenario.overrides;
    const std::string machine = config::resolve_config("machines", scenario.machine, paths, scenario.base_dir, scenario.machine_where, "machine");
    auto load_machine = [&] { return config::load_machine(machine, hw::machine_catalogs(), paths, o); };
    in.machine = cache ? cache->machine(machine, o, load_machine) : load_machine();
    const std::string model = config::resolve_config("models", scenario.model, paths, scenario.base_dir, scenario.model_where, "model");
    in.model = cache ? cache->model(model, o, [&] { return load_model(model, o); }) : load_model(model, o);
    const std::string name = scenario.runtime.empty() ? in.machine.default_runtime : scenario.runtime;
    const std::string runtime = config::resolve_config("runtimes", name, paths, scenario.base_dir,
                                                       scenario.runtime.empty() ? config::SourceLocation{in.machine.name} : scenario.runtime_where,
                                                       "runtime");
    auto load_runtime = [&] { return config::load_runtime(runtime, hw::gemm_kernel_catalog(), o); };
    in.runtime = cache ? cache->runtime(runtime, o, load_runtime) : load_runtime();
}

Inputs resolve(const config::ScenarioSpec& scenario, const config::SearchPaths& paths, SpecCache* cache) {
    Inputs in;
    in.scenario = scenario;
    load_specs(in, paths, cache);
    in.unit = pick_unit(scenario, in.machine);
    workload::check_routing(in.model, scenario.routing);  // MoE (issue 9): a histogram fits the model
    for (const config::AgentSpec& a : scenario.agents)
        if (!a.pool.empty() && !in.machine.pool(a.pool))
            throw config::InputError(a.where, "agents." + a.name + ".pool", "machine '" + in.machine.name + "' has no memory pool '" + a.pool + "'");
        else if (!a.unit.empty() && !in.machine.unit(a.unit))
            throw config::InputError(a.where, "agents." + a.name + ".unit", "machine '" + in.machine.name + "' has no compute unit '" + a.unit + "'");
    // The depth is not counted: llama.cpp only warns when n_ctx exceeds the trained context.
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
    } else if (scenario.quant == "checkpoint") {
        in.weights = checkpoint_weights(in.model, scenario.quant_where);
        in.quant_label = "checkpoint";
    } else {
        try {
            in.weights = workload::build_weights(in.model, scenario.quant);
        } catch (const std::invalid_argument&) {
            std::string names;
            for (auto n : workload::scheme_names()) names += " " + std::string(n);
            throw config::InputError(scenario.quant_where, "quant", "unknown quantization '" + scenario.quant + "'; expected one of:" + names +
                                                                        " (or checkpoint, for a snapshot folder's own dtypes)");
        }
        in.quant_label = scenario.quant;
    }
    return in;
}
}  // namespace

Inputs resolve_inputs(const config::ScenarioSpec& scenario, const config::SearchPaths& paths) { return resolve(scenario, paths, nullptr); }

Inputs resolve_inputs(const config::ScenarioSpec& scenario, const config::SearchPaths& paths, SpecCache& cache) {
    return resolve(scenario, paths, &cache);
}

FitReport fit(const Inputs& in, std::uint64_t context) {
    FitReport f;
    f.placement = replay::place(in.machine, placement_request(in, context));
    f.weights_bytes = in.weights.total_bytes();
    f.kv_bytes = workload::kv_bytes(in.model, context, in.kv_bytes_per_element, in.runtime.swa_cache) * static_cast<std::uint64_t>(in.scenario.batch);
    f.overhead_bytes = overhead_bytes(in);

    // Bandwidth ceiling: a decode step at `context` streams every layer's weights (the experts
    // it touches) and the KV cache, each from the pool it lives in, at that pool's peak.
    workload::RequestShape shape = request_shape(in);
    shape.prompt = std::max<std::uint64_t>(1, context);
    shape.gen = 2;
    shape.depth = 0;  // `context` counts the depth already
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

namespace {
// What run() does once the inputs are fitted: build the machine, replay, summarize.
RunOutput replay_fitted(const Inputs& in, workload::StepSource& steps, const FitReport& f);
}  // namespace

RunOutput run(const Inputs& in) {
    workload::TraceBuilder tb(in.model, in.weights, request_shape(in));
    return run(in, tb);
}

RunOutput run(const Inputs& in, workload::StepSource& steps) {
    const auto wall0 = std::chrono::steady_clock::now();
    check_op_budget(in, steps);
    const FitReport f = fit(in, run_context(in));
    check_fits(in, f);
    RunOutput out = replay_fitted(in, steps, f);
    out.summary.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
    return out;
}

RunOutput run(const Inputs& in, workload::StepSource& steps, const FitReport& fitted) {
    check_op_budget(in, steps);
    return replay_fitted(in, steps, fitted);
}

namespace {
RunOutput replay_fitted(const Inputs& in, workload::StepSource& steps, const FitReport& f) {
    const auto wall0 = std::chrono::steady_clock::now();
    const config::SimOptions& opt = in.scenario.sim;
    const Sizing size = check_budgets(in, steps, f);

    RunOutput out;
    const engine::Tick bin = engine::from_seconds(opt.bin_s);
    out.power = hw::make_power_model(in.machine, hw::PowerContext{in.runtime.host_spins});
    out.recorder = std::make_unique<Recorder>(in.machine, *out.power, bin,
                                              static_cast<std::size_t>(std::min<double>(size.est_bins * 1.5 + 16, static_cast<double>(size.max_bins))),
                                              static_cast<std::size_t>(size.ops), static_cast<std::size_t>(size.max_bins));
    Recorder& rec = *out.recorder;
    engine::Simulator sim;
    sim.set_event_budget(opt.budget.max_events);
    sim.set_time_limit(engine::from_seconds(opt.budget.max_simulated_s));
    sim.reserve(static_cast<std::size_t>(opt.prefetch_depth) * 4 + 64);
    // With limits or cooling domains, the governor sits between the hardware and the recorder,
    // totalling each domain's energy for its decisions at step boundaries.
    replay::ThermalGovernor governor(in.machine, *out.power, rec);
    replay::ReplayObserver& obs = governor.active() ? static_cast<replay::ReplayObserver&>(governor) : rec;
    // Alone on the machine, the replayer advances whole ops per event (exactly); with other
    // agents, every tile is an event so their requests interleave with the model's.
    const bool exclusive = in.scenario.agents.empty();
    // Decode-step sampling (alone on the machine only): the tape sits in front of the observer.
    const std::size_t stride = exclusive ? config::decode_stride(opt) : 1;
    replay::StepTape tape(in.machine, 1, obs, std::max<engine::Tick>(1, bin / 16));  // windows of 1/16 bin
    replay::ReplayObserver& front = stride > 1 ? static_cast<replay::ReplayObserver&>(tape) : obs;
    hw::Machine machine(in.machine, front, opt.fidelity);
    replay::Replayer replayer(sim, machine, f.placement, in.unit, in.runtime, opt, in.weights, steps, front, exclusive);
    if (stride > 1) replayer.set_sampling(&tape, stride);
    if (governor.active()) replayer.set_governor(&governor);
    replayer.set_offload_compute(offload_computes(in));
    std::vector<std::string> agent_names{"model"};
    std::vector<std::unique_ptr<replay::TrafficAgent>> agents;
    for (const config::AgentSpec& a : in.scenario.agents) {
        // A job on a unit (an NPU job) streams from that unit's pool unless told otherwise.
        const int unit = a.unit.empty() ? -1 : machine.unit_index(a.unit);
        const std::string& home = in.machine.units[unit >= 0 ? static_cast<std::size_t>(unit) : in.unit].memory;
        const int pool = machine.pool_index(a.pool.empty() ? home : a.pool);
        agents.push_back(std::make_unique<replay::TrafficAgent>(sim, machine, static_cast<std::size_t>(pool), a,
                                                                static_cast<std::uint32_t>(agent_names.size()), replayer, obs));
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
    engine::Tick end = std::max(replayer.totals().end, tape.played_end());
    for (std::size_t p = 0; p < machine.pool_count(); ++p)
        for (std::size_t c = 0; c < machine.pool(p).channel_count(); ++c) end = std::max(end, machine.pool(p).channel(c).busy_until());
    rec.finish(end);

    summarize(in, f, replayer.totals(), rec, end, out.summary);
    Summary& s = out.summary;
    s.events = sim.events_handled();
    s.ops = replayer.totals().ops;
    s.fidelity = hw::channel_models_label(in.machine, opt.fidelity);
    if (governor.active()) {
        out.thermal = governor.timeline();
        out.throttle_s = governor.governor().first_throttle_s();
        s.thermal = thermal_summary(out.thermal, out.throttle_s);
    }
    s.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
    return out;
}
}  // namespace

}  // namespace infersim::scenario
