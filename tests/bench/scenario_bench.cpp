// End-to-end scenario time: the shipped default scenario (Llama-3.1-70B Q4_K_M on rtx-spark,
// 2048 + 256 tokens) with full timelines, and a small one. Reports wall time, events/s and the
// ratio of simulated to wall time.
#include <benchmark/benchmark.h>

#include "config/scenario_spec.hpp"
#include "scenario/scenario_run.hpp"

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
