// Serving orchestration: the profile, the KV pages, the step costs by replay, the report.
#include "scenario/serve_run.hpp"

#include <chrono>
#include <deque>
#include <memory>

#include "hardware/power/power_models.hpp"
#include "serving/context_grid.hpp"
#include "serving/serve_sim.hpp"
#include "serving/step_builder.hpp"

namespace infersim::scenario {
namespace {

// One step as a trace, for run().
class OneStep final : public workload::StepSource {
public:
    explicit OneStep(const workload::Step& s) : step_(s) {}
    std::size_t step_count() const override { return 1; }
    const workload::Step& step(std::size_t) override { return step_; }
    std::uint64_t op_count() const override { return step_.ops.size(); }

private:
    const workload::Step& step_;
};

// Inputs whose own request shape is one token: the placement holds the weights, and run()'s
// checks and budgets see only the step handed to it.
Inputs step_inputs(const Inputs& in) {
    Inputs s = in;
    s.scenario.batch = 1;
    s.scenario.prompt = 1;
    s.scenario.gen = 1;
    s.scenario.depth = 0;
    s.scenario.ubatch = 1;
    return s;
}

class ReplayCost final : public serving::StepCost {
public:
    // The placement of a one-token request is the same for every step: fitted once. With
    // `keep_activity`, each replay's binned timelines are kept for the serve's timeline (a
    // deque: the results point into it).
    ReplayCost(const Inputs& in, bool keep_activity)
        : in_(step_inputs(in)), fit_(fit(in_, run_context(in_))), keep_(keep_activity) {
        check_fits(in_, fit_);
    }
    serving::StepResult replay(const workload::Step& step) override {
        OneStep src(step);
        RunOutput o = run(in_, src, fit_);
        idle_w_ = o.recorder->constant_power_w();
        serving::StepResult r{engine::from_seconds(o.summary.prefill.seconds + o.summary.decode.seconds), o.summary.energy_j};
        if (keep_) r.activity = &activity_.emplace_back(o.recorder->activity());
        return r;
    }
    double idle_power_w() const override { return idle_w_; }

private:
    Inputs in_;
    FitReport fit_;
    bool keep_;
    double idle_w_ = 0;
    std::deque<output::BinnedActivity> activity_;
};

// The recorder the serve's timelines are summed into: the steps' bin, agents and power model.
void open_timeline(const Inputs& in, ServeOutput& out) {
    const config::SimOptions& opt = in.scenario.sim;
    out.power = hw::make_power_model(in.machine, hw::PowerContext{in.runtime.host_spins});
    out.timeline = std::make_unique<output::Recorder>(in.machine, *out.power, engine::from_seconds(opt.bin_s), 0, 0,
                                                      static_cast<std::size_t>(opt.budget.max_timeline_bins));
    std::vector<std::string> agents{"model"};
    for (const config::AgentSpec& a : in.scenario.agents) agents.push_back(a.name);
    out.timeline->set_agents(agents);
}

config::SchedulerSpec scheduler(const config::ServingSpec& s, const config::SearchPaths& paths) {
    if (s.profile.empty()) return s.scheduler;
    const std::string file = config::resolve_config("serving", s.profile, paths, s.base_dir, s.profile_where, "serving.scheduler.profile");
    const config::Node profile(config::load_yaml_file(file), file);
    return config::read_scheduler(s.scheduler_node.with_base(profile));
}

}  // namespace

std::uint64_t kv_pages_available(const Inputs& in, std::uint64_t page_tokens, std::uint64_t step_tokens, double fraction, std::uint64_t extra_bytes,
                                 std::uint64_t extra_page_bytes) {
    Inputs sized = step_inputs(in);
    sized.scenario.prompt = sized.scenario.ubatch = static_cast<std::int64_t>(step_tokens);  // compute buffers of a full step
    const FitReport f = fit(sized, 0);
    const replay::PoolUse& pool = f.placement.pools[f.placement.order.front()];
    const double free = pool.capacity_bytes - static_cast<double>(pool.weight_bytes + pool.overhead_bytes + extra_bytes);
    const double page = static_cast<double>(workload::kv_bytes(in.model, page_tokens, in.kv_bytes_per_element) + extra_page_bytes);
    return free > 0 && page > 0 ? static_cast<std::uint64_t>(free * fraction / page) : 0;
}

ServeOutput serve(const Inputs& in, const config::SearchPaths& paths, bool timelines) {
    const auto wall0 = std::chrono::steady_clock::now();
    config::ServingSpec spec = in.scenario.serving;
    spec.scheduler = scheduler(spec, paths);
    spec.context_grid = static_cast<std::int64_t>(serving::context_grid(spec.context_grid, in.scenario.sim.fidelity == config::Fidelity::rapid));
    // A draft model shares the machine: its weights take memory, its passes are replayed too.
    std::unique_ptr<Inputs> draft;
    if (spec.speculative.method == config::SpeculativeSpec::Method::draft) {
        config::ScenarioSpec ds = in.scenario;
        ds.model = spec.speculative.draft_model;
        ds.model_where = spec.speculative.draft_where;
        draft = std::make_unique<Inputs>(resolve_inputs(ds, paths));
    }
    const auto page = static_cast<std::uint64_t>(spec.scheduler.block_size);
    std::uint64_t pages = spec.scheduler.kv_blocks > 0
                              ? static_cast<std::uint64_t>(spec.scheduler.kv_blocks)
                              : kv_pages_available(in, page, static_cast<std::uint64_t>(spec.scheduler.max_num_batched_tokens),
                                                   spec.scheduler.memory_fraction, draft ? draft->weights.total_bytes() : 0,
                                                   draft ? workload::kv_bytes(draft->model, page, draft->kv_bytes_per_element) : 0);
    if (pages == 0)
        throw config::InputError(in.scenario.machine_where, "serving.scheduler",
                                 "no memory is left for KV pages on " + in.machine.name + " after " + in.model.name + "'s weights");

    const workload::RequestShape base = request_shape(in);
    ReplayCost target_cost(in, timelines);
    serving::StepCache target_cache(target_cost);
    serving::StepBuilder target(in.model, in.weights, base);
    serving::ServeModels models{&target, &target_cache, nullptr, nullptr, 0};
    std::unique_ptr<ReplayCost> draft_cost;
    std::unique_ptr<serving::StepCache> draft_cache;
    std::unique_ptr<serving::StepBuilder> draft_builder;
    if (draft) {
        draft_cost = std::make_unique<ReplayCost>(*draft, timelines);
        draft_cache = std::make_unique<serving::StepCache>(*draft_cost);
        draft_builder = std::make_unique<serving::StepBuilder>(draft->model, draft->weights, request_shape(*draft));
        models.draft = draft_builder.get();
        models.draft_cost = draft_cache.get();
    }
    // The idle power: the machine's constant draw, known after one replay.
    {
        serving::BatchShape one;
        one.slices.push_back(serving::Slice{1, 0, 1, true});
        target_cache.get(target.build(one));
        models.idle_power_w = target_cost.idle_power_w();
    }
    ServeOutput out;
    if (timelines) {
        open_timeline(in, out);
        models.timeline = out.timeline.get();
    }
    out.totals = serving::simulate(spec, pages, static_cast<std::uint32_t>(std::max<std::int64_t>(0, in.model.max_context)), models);
    if (out.timeline) out.timeline->close(std::max(out.totals.end, out.timeline->extent()));
    out.report = serving::make_report(out.totals, spec.slo);
    serving::ServeReport& r = out.report;
    r.machine = in.machine.name;
    r.model = in.model.name;
    r.quant = in.quant_label;
    r.runtime = in.runtime.name;
    r.scheduler = spec.scheduler.name;
    r.draft_model = draft ? draft->model.name : "";
    r.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
    return out;
}

}  // namespace infersim::scenario
