// serving.context_grid (serving/context_grid.hpp, NOT exact): decode slices priced from two
// reference steps on a grid of mean contexts. Under load it replays far fewer steps and
// agrees with the exact serve on latency, throughput and energy; with a hardware timeline
// requested it stays off.
#include <gtest/gtest.h>

#include <cmath>

#include "scenario/serve_run.hpp"
#include "serving/context_grid.hpp"
#include "support/inputs.hpp"

namespace infersim::scenario {
namespace {

Inputs loaded(std::int64_t grid) {
    config::ScenarioSpec s = test::shipped_scenario("nvidia-dgx-spark", "llama-3.1-8b", "q4_k_m", 512, 128);
    s.sim.fidelity = config::Fidelity::rapid;
    s.serving.present = true;
    s.serving.arrivals.rate_per_s = 4;
    s.serving.arrivals.requests = 300;
    s.serving.prompt = config::LengthDist::fixed_at(512);
    s.serving.gen = config::LengthDist::fixed_at(128);
    s.serving.context_grid = grid;
    return resolve_inputs(s, test::config_paths());
}

double rel(double a, double b) { return std::abs(a - b) / std::abs(b); }

TEST(ContextGrid, replays_far_fewer_steps_and_agrees_with_the_exact_serve) {
    const ServeOutput exact = serve(loaded(0), test::config_paths());
    const ServeOutput grid = serve(loaded(64), test::config_paths());
    const serving::ServeReport &e = exact.report, &g = grid.report;
    ASSERT_GT(e.steps, 900u);
    EXPECT_LT(g.cache_misses * 3, e.cache_misses * 2);  // 2000 requests: 13x fewer (README)
    EXPECT_LT(rel(g.ttft.p50, e.ttft.p50), 0.01);
    EXPECT_LT(rel(g.ttft.p99, e.ttft.p99), 0.02);
    EXPECT_LT(rel(g.tpot.p50, e.tpot.p50), 0.01);
    EXPECT_LT(rel(g.output_tokens_per_s, e.output_tokens_per_s), 0.01);
    EXPECT_LT(rel(g.energy_j, e.energy_j), 0.01);
}

TEST(ContextGrid, stays_off_when_the_serve_keeps_a_hardware_timeline) {
    const ServeOutput exact = serve(loaded(0), test::config_paths(), true);
    const ServeOutput grid = serve(loaded(64), test::config_paths(), true);
    EXPECT_EQ(grid.report.cache_misses, exact.report.cache_misses);
    EXPECT_EQ(grid.report.energy_j, exact.report.energy_j);
    EXPECT_EQ(grid.report.ttft.p99, exact.report.ttft.p99);
}

TEST(ContextGrid, is_on_by_default_at_rapid_fidelity_only) {
    EXPECT_EQ(serving::context_grid(-1, true), static_cast<std::uint64_t>(serving::kDefaultContextGrid));
    EXPECT_EQ(serving::context_grid(-1, false), 0u);
    EXPECT_EQ(serving::context_grid(0, true), 0u);
    EXPECT_EQ(serving::context_grid(16, false), 16u);
    const ServeOutput unset = serve(loaded(-1), test::config_paths());
    const ServeOutput grid = serve(loaded(serving::kDefaultContextGrid), test::config_paths());
    EXPECT_EQ(unset.report.cache_misses, grid.report.cache_misses);
    EXPECT_EQ(unset.report.energy_j, grid.report.energy_j);
}

}  // namespace
}  // namespace infersim::scenario
