// End-to-end scenario time: the shipped default scenario (Llama-3.1-70B Q4_K_M on rtx-spark,
// 2048 + 256 tokens) with full timelines, and a small one. Reports wall time, events/s and the
// ratio of simulated to wall time.
#include <benchmark/benchmark.h>

#include "config/scenario_spec.hpp"
#include "scenario/scenario_run.hpp"
#include "scenario/spec_cache.hpp"

using namespace infersim;

namespace {

void run_scenario(benchmark::State& state, const std::string& file, std::int64_t gen) {
    config::SearchPaths paths{{std::string(INFERSIM_SOURCE_DIR) + "/configs"}};
    config::ScenarioSpec s = config::load_scenario(std::string(INFERSIM_SOURCE_DIR) + "/scenarios/" + file);
    if (gen >= 0) s.gen = gen;
    scenario::Inputs in = scenario::resolve_inputs(s, paths);
    double simulated = 0, events = 0;
    for (auto _ : state) {
        scenario::RunOutput r = scenario::run(in);
        simulated += r.summary.simulated_s;
        events += static_cast<double>(r.summary.events);
        benchmark::DoNotOptimize(r.summary.decode.tokens_per_s);
    }
    state.counters["events_per_s"] = benchmark::Counter(events, benchmark::Counter::kIsRate);
    state.counters["simulated_s_per_wall_s"] = benchmark::Counter(simulated, benchmark::Counter::kIsRate);
}

}  // namespace

BENCHMARK_CAPTURE(run_scenario, default_70b_q4km_2048_256, "default.yaml", -1)->Unit(benchmark::kSecond)->Iterations(1);
BENCHMARK_CAPTURE(run_scenario, default_70b_q4km_2048_16, "default.yaml", 16)->Unit(benchmark::kSecond)->Iterations(3);

namespace {

// Points per second as a sweep sees them: each point resolves its inputs and runs, one core.
// `cached`: the worker's SpecCache has the machine, model and runtime from an earlier point (a
// sweep over quants, prompts or scenario keys); otherwise every file is read and checked anew
// (each point a machine of its own).
void run_point(benchmark::State& state, const std::string& machine, config::Fidelity fidelity, bool cached = true) {
    config::SearchPaths paths{{std::string(INFERSIM_SOURCE_DIR) + "/configs"}};
    config::ScenarioSpec s;
    s.machine = machine;
    s.model = "llama-3.1-8b";
    s.quant = "q4_k_m";
    s.prompt = 512;
    s.gen = 128;
    s.sim.fidelity = fidelity;
    double points = 0, events = 0;
    scenario::SpecCache cache;
    for (auto _ : state) {
        scenario::RunOutput r = scenario::run(cached ? scenario::resolve_inputs(s, paths, cache) : scenario::resolve_inputs(s, paths));
        points += 1;
        events += static_cast<double>(r.summary.events);
        benchmark::DoNotOptimize(r.summary.decode.tokens_per_s);
    }
    state.counters["points_per_s"] = benchmark::Counter(points, benchmark::Counter::kIsRate);
    state.counters["events_per_s"] = benchmark::Counter(events, benchmark::Counter::kIsRate);
}

}  // namespace

BENCHMARK_CAPTURE(run_point, llama8b_512_128_m4max_fast, "apple-m4-max", config::Fidelity::fast)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(run_point, llama8b_512_128_m4max_rapid, "apple-m4-max", config::Fidelity::rapid)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(run_point, llama8b_512_128_spark_fast, "rtx-spark", config::Fidelity::fast)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(run_point, llama8b_512_128_spark_rapid, "rtx-spark", config::Fidelity::rapid)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(run_point, llama8b_512_128_m4max_rapid_uncached, "apple-m4-max", config::Fidelity::rapid, false)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(run_point, llama8b_512_128_spark_rapid_uncached, "rtx-spark", config::Fidelity::rapid, false)->Unit(benchmark::kMillisecond);
