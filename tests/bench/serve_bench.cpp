// Serving wall time: scenarios/serve-minimal.yaml (Llama-3.1-8B Q4_K_M on nvidia-dgx-spark,
// Poisson 4/s, 512 + 128 tokens) with more requests, at rapid fidelity with the default context
// grid (serving/context_grid.hpp) and with every step replayed exactly (grid 0). Reports
// requests per wall second and simulated seconds per wall second.
#include <benchmark/benchmark.h>

#include "config/scenario_spec.hpp"
#include "scenario/serve_run.hpp"

using namespace infersim;

namespace {

void serve_minimal(benchmark::State& state, std::int64_t requests, std::int64_t grid) {
    config::SearchPaths paths{{std::string(INFERSIM_SOURCE_DIR) + "/configs"}};
    config::ScenarioSpec s = config::load_scenario(std::string(INFERSIM_SOURCE_DIR) + "/scenarios/serve-minimal.yaml");
    s.sim.fidelity = config::Fidelity::rapid;
    s.serving.arrivals.requests = requests;
    s.serving.context_grid = grid;
    const scenario::Inputs in = scenario::resolve_inputs(s, paths);
    double served = 0, simulated = 0;
    for (auto _ : state) {
        const scenario::ServeOutput out = scenario::serve(in, paths);
        served += static_cast<double>(out.report.requests);
        simulated += out.report.duration_s;
        benchmark::DoNotOptimize(out.report.energy_j);
    }
    state.counters["requests_per_s"] = benchmark::Counter(served, benchmark::Counter::kIsRate);
    state.counters["simulated_s_per_wall_s"] = benchmark::Counter(simulated, benchmark::Counter::kIsRate);
}

}  // namespace

BENCHMARK_CAPTURE(serve_minimal, rapid_10000_requests, 10000, -1)->Unit(benchmark::kSecond)->Iterations(1);
BENCHMARK_CAPTURE(serve_minimal, rapid_2000_requests, 2000, -1)->Unit(benchmark::kSecond)->Iterations(1);
BENCHMARK_CAPTURE(serve_minimal, rapid_2000_requests_exact, 2000, 0)->Unit(benchmark::kSecond)->Iterations(1);
