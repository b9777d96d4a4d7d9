// Serving on a machine, every step replayed: at a trickle of requests the median TTFT is the
// single request's TTFT from `run`; past the knee throughput stops following the offered load
// and the p99 TTFT keeps growing with the backlog; a cached shared prefix cuts TTFT.
#include <gtest/gtest.h>

#include "scenario/serve_run.hpp"
#include "workload/trace_builder.hpp"
#include "support/inputs.hpp"

namespace infersim::scenario {
namespace {

Inputs small(double rate, std::int64_t requests, std::int64_t prompt, std::int64_t gen) {
    config::ScenarioSpec s = test::shipped_scenario("nvidia-dgx-spark", "llama-3.2-3b", "q4_k_m", prompt, gen);
    s.sim.fidelity = config::Fidelity::fast;
    s.serving.present = true;
    s.serving.arrivals.rate_per_s = rate;
    s.serving.arrivals.requests = requests;
    s.serving.prompt = config::LengthDist::fixed_at(static_cast<double>(prompt));
    s.serving.gen = config::LengthDist::fixed_at(static_cast<double>(gen));
    return resolve_inputs(s, test::config_paths());
}

}  // namespace

TEST(ServingReplay, at_a_trickle_median_ttft_is_the_single_request_ttft) {
    const Inputs in = small(0.02, 8, 512, 4);
    const ServeOutput out = serve(in, test::config_paths());
    const double single = run(in).summary.ttft_s;
    ASSERT_GT(single, 0);
    EXPECT_NEAR(out.report.ttft.p50, single, 0.10 * single);
    EXPECT_GT(out.report.energy_j, 0);
}

TEST(ServingReplay, throughput_saturates_and_p99_ttft_grows_past_the_knee) {
    // Offered load doubles; served throughput follows it until the knee, then flattens.
    std::vector<double> rates{1, 4, 16, 64, 256}, served, p99;
    for (double r : rates) {
        const ServeOutput o = serve(small(r, 48, 256, 16), test::config_paths());
        served.push_back(o.report.requests_per_s);
        p99.push_back(o.report.ttft.p99);
    }
    std::size_t knee = rates.size();
    for (std::size_t i = 0; i < rates.size(); ++i)
        if (served[i] < 0.7 * rates[i]) {
            knee = i;
            break;
        }
    ASSERT_LT(knee, rates.size()) << "no knee below " << rates.back() << "/s";
    ASSERT_GT(knee, 0u) << "already saturated at " << rates[0] << "/s";
    EXPECT_LT(served.back(), 1.5 * served[knee]);  // saturated: four times the load, barely more served
    EXPECT_GT(p99.back(), 3 * p99[0]);
    // Past the knee the queue grows with every request: twice the requests, a longer p99 wait.
    const ServeOutput longer = serve(small(rates.back(), 96, 256, 16), test::config_paths());
    EXPECT_GT(longer.report.ttft.p99, 1.5 * p99.back());
}

TEST(ServingReplay, a_cached_shared_prefix_cuts_ttft) {
    Inputs in = small(0.5, 6, 32, 4);
    in.scenario.serving.prefix.groups = 1;
    in.scenario.serving.prefix.tokens = 2048;
    const ServeOutput cached = serve(in, test::config_paths());
    in.scenario.serving.scheduler.prefix_caching = false;
    const ServeOutput plain = serve(in, test::config_paths());
    EXPECT_LT(cached.report.ttft.p50, 0.5 * plain.report.ttft.p50);
    EXPECT_GT(cached.report.cached_prompt_tokens, 0u);
}

TEST(ServingReplay, a_run_on_a_kept_fit_equals_a_fresh_run) {
    // Serving fits the placement once and replays every step on it: the same results, bit for
    // bit, as run() fitting afresh, for prefill and decode and for the second use of the fit.
    const Inputs in = small(1, 1, 64, 3);
    const FitReport kept = fit(in, run_context(in));
    for (int use = 0; use < 2; ++use) {
        workload::TraceBuilder fresh_steps(in.model, in.weights, request_shape(in));
        workload::TraceBuilder kept_steps(in.model, in.weights, request_shape(in));
        const RunOutput a = run(in, fresh_steps);
        const RunOutput b = run(in, kept_steps, kept);
        ASSERT_GT(a.summary.prefill.seconds, 0);
        ASSERT_GT(a.summary.decode.seconds, 0);
        EXPECT_EQ(a.summary.prefill.seconds, b.summary.prefill.seconds);
        EXPECT_EQ(a.summary.decode.seconds, b.summary.decode.seconds);
        EXPECT_EQ(a.summary.energy_j, b.summary.energy_j);
        EXPECT_EQ(a.summary.events, b.summary.events);
        EXPECT_EQ(a.summary.ops, b.summary.ops);
    }
}

TEST(ServingReplay, a_draft_models_kv_takes_pages_beside_the_targets) {
    // A draft keeps a KV cache of every sequence, block for block: each page holds both models'
    // KV of its tokens, so fewer pages fit than for the target's KV alone after both weights.
    Inputs in = small(1, 2, 64, 4);
    in.scenario.serving.speculative.method = config::SpeculativeSpec::Method::draft;
    in.scenario.serving.speculative.draft_model = "llama-3.2-3b";  // the shipped smallest; a draft like the target halves the pages
    in.scenario.serving.speculative.k = 2;
    config::ScenarioSpec ds = in.scenario;
    ds.model = "llama-3.2-3b";
    const Inputs draft = resolve_inputs(ds, test::config_paths());
    const config::SchedulerSpec& sch = in.scenario.serving.scheduler;
    const auto block = static_cast<std::uint64_t>(sch.block_size), step = static_cast<std::uint64_t>(sch.max_num_batched_tokens);
    const std::uint64_t target_page = workload::kv_bytes(in.model, block, in.kv_bytes_per_element);
    const std::uint64_t draft_page = workload::kv_bytes(draft.model, block, draft.kv_bytes_per_element);
    ASSERT_GT(draft_page, 0u);
    const std::uint64_t alone = kv_pages_available(in, block, step, sch.memory_fraction, draft.weights.total_bytes());
    const ServeOutput out = serve(in, test::config_paths());
    EXPECT_EQ(out.report.kv_pages, kv_pages_available(in, block, step, sch.memory_fraction, draft.weights.total_bytes(), draft_page));
    const double expected = static_cast<double>(alone) * static_cast<double>(target_page) / static_cast<double>(target_page + draft_page);
    EXPECT_NEAR(static_cast<double>(out.report.kv_pages), expected, 1.0);
    EXPECT_LT(out.report.kv_pages, alone);
}

}  // namespace infersim::scenario
