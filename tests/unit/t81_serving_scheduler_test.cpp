// The scheduler and the serving loop on a stand-in step cost (time grows with the step's rows),
// so the policies are checked without the machine: token budget, sequence limit, chunked
// prefill, preemption when pages run out, speculative tokens per pass, determinism, and the
// exactness of the step cache.
#include <gtest/gtest.h>

#include <cmath>

#include "serving/serve_sim.hpp"
#include "support/inputs.hpp"

namespace infersim::serving {
namespace {

// 1 ms + 10 us per row: a stand-in, not a model of any machine.
class RowsCost final : public StepCost {
public:
    StepResult replay(const workload::Step& s) override {
        ++replays;
        return {engine::from_seconds(1e-3 + 1e-5 * s.ops.front().rows), 1.0};
    }
    double idle_power_w() const override { return 0; }
    int replays = 0;
};

struct Harness {
    scenario::Inputs in = scenario::resolve_inputs(test::shipped_scenario("nvidia-dgx-spark", "llama-3.2-3b", "q4_k_m", 512, 128), test::config_paths());
    RowsCost cost;
    StepCache cache{cost};
    StepBuilder builder{in.model, in.weights, scenario::request_shape(in)};
    ServeTotals run(const config::ServingSpec& s, std::uint64_t pages = 100000) {
        return simulate(s, pages, 0, ServeModels{&builder, &cache, nullptr, nullptr, 0});
    }
};

config::ServingSpec spec(double rate, std::int64_t requests, double prompt, double gen) {
    config::ServingSpec s;
    s.present = true;
    s.arrivals.rate_per_s = rate;
    s.arrivals.requests = requests;
    s.prompt = config::LengthDist::fixed_at(prompt);
    s.gen = config::LengthDist::fixed_at(gen);
    return s;
}

}  // namespace

TEST(ServingScheduler, every_step_keeps_to_the_token_budget_and_the_sequence_limit) {
    Harness h;
    config::ServingSpec s = spec(1000, 40, 300, 20);
    s.scheduler.max_num_batched_tokens = 512;
    s.scheduler.max_num_seqs = 8;
    const ServeTotals t = h.run(s);
    std::uint32_t widest = 0;
    for (const StepRecord& r : t.steps) {
        EXPECT_LE(r.tokens, 512u);
        EXPECT_LE(r.batch, 8u);
        widest = std::max(widest, r.batch);
    }
    EXPECT_EQ(widest, 8u);  // the limit binds under this load
    for (const Sequence& q : t.sequences) EXPECT_TRUE(q.done);
}

TEST(ServingScheduler, chunked_prefill_splits_a_long_prompt_and_whole_prompts_wait_otherwise) {
    Harness h;
    config::ServingSpec s = spec(1, 1, 5000, 2);
    s.scheduler.max_num_batched_tokens = 2048;
    ServeTotals t = h.run(s);
    ASSERT_EQ(t.steps.size(), 4u);  // 2048 + 2048 + 904 prompt tokens, then one decode
    EXPECT_EQ(t.steps[0].tokens, 2048u);
    EXPECT_EQ(t.steps[2].tokens, 904u);
    EXPECT_EQ(t.sequences[0].first_token, t.steps[2].end);
    s.scheduler.chunked_prefill = false;
    s.prompt = config::LengthDist::fixed_at(1000);
    t = h.run(s);
    EXPECT_EQ(t.steps[0].tokens, 1000u);
}

TEST(ServingScheduler, kv_exhaustion_preempts_and_every_request_still_finishes) {
    Harness h;
    config::ServingSpec s = spec(1000, 16, 256, 256);
    s.scheduler.max_num_seqs = 8;
    const ServeTotals roomy = h.run(s, 100000);
    EXPECT_EQ(roomy.preemptions, 0u);
    const ServeTotals tight = h.run(s, 64);  // 1024 tokens; three admitted prompts grow to 3 x 512
    EXPECT_GT(tight.preemptions, 0u);
    std::uint64_t per_request = 0;
    for (const Sequence& q : tight.sequences) {
        EXPECT_TRUE(q.done);
        EXPECT_EQ(q.generated, 256u);
        per_request += q.preemptions;
    }
    EXPECT_EQ(per_request, tight.preemptions);
    EXPECT_GT(tight.end, roomy.end);  // recomputation costs time
    for (const StepRecord& r : tight.steps) EXPECT_LE(r.kv_occupancy, 1.0);
}

TEST(ServingScheduler, speculative_decoding_gives_the_expected_tokens_per_target_pass) {
    Harness h;
    for (auto [a, k] : {std::pair{0.7, 4}, std::pair{0.5, 2}, std::pair{0.9, 6}}) {
        config::ServingSpec s = spec(1000, 4, 64, 3000);
        s.speculative.method = config::SpeculativeSpec::Method::ngram;
        s.speculative.acceptance = a;
        s.speculative.k = k;
        const ServeTotals t = h.run(s);
        const double expected = (1 - std::pow(a, k + 1)) / (1 - a);
        const double measured = static_cast<double>(t.verify_tokens) / static_cast<double>(t.verify_passes);
        EXPECT_GT(t.verify_passes, 2000u);
        EXPECT_NEAR(measured, expected, 0.02 * expected) << "a " << a << " k " << k;
    }
}

TEST(ServingScheduler, the_same_seed_gives_the_same_run_and_another_seed_another) {
    Harness h;
    config::ServingSpec s = spec(50, 30, 200, 16);
    s.prompt.kind = config::LengthDist::Kind::lognormal;
    s.prompt.median = 200;
    s.prompt.sigma = 0.8;
    s.prompt.max = 4000;
    const ServeTotals a = h.run(s), b = h.run(s);
    ASSERT_EQ(a.sequences.size(), b.sequences.size());
    for (std::size_t i = 0; i < a.sequences.size(); ++i) {
        EXPECT_EQ(a.sequences[i].req.arrival, b.sequences[i].req.arrival);
        EXPECT_EQ(a.sequences[i].req.prompt, b.sequences[i].req.prompt);
        EXPECT_EQ(a.sequences[i].finish, b.sequences[i].finish);
    }
    s.arrivals.seed = 2;
    const ServeTotals c = h.run(s);
    EXPECT_NE(a.sequences[1].req.arrival, c.sequences[1].req.arrival);
}

TEST(ServingScheduler, the_step_cache_replays_each_distinct_step_once_and_returns_its_result) {
    Harness h;
    const ServeTotals t = h.run(spec(0.01, 5, 128, 32));  // requests one at a time: the same shapes again
    EXPECT_EQ(h.cost.replays, static_cast<int>(t.cache_misses));
    EXPECT_EQ(t.cache_misses, 32u);   // one prefill shape, 31 decode contexts
    EXPECT_EQ(t.cache_hits, 4u * 32u);
    // Every request took the same time: a hit is exactly the replayed result.
    for (const Sequence& q : t.sequences) EXPECT_EQ(q.finish - q.req.arrival, t.sequences[0].finish - t.sequences[0].req.arrival);
}

TEST(ServingScheduler, a_shared_prefix_is_computed_once) {
    Harness h;
    config::ServingSpec s = spec(0.5, 10, 64, 4);
    s.prefix.groups = 1;
    s.prefix.tokens = 1024;
    const ServeTotals cached = h.run(s);
    s.scheduler.prefix_caching = false;
    const ServeTotals plain = h.run(s);
    std::uint64_t hit = 0;
    for (const Sequence& q : cached.sequences) hit += q.cached_tokens;
    EXPECT_EQ(hit, 9u * 1024u);  // all but the first find the whole prefix
    EXPECT_LT(cached.sequences[5].first_token - cached.sequences[5].req.arrival, plain.sequences[5].first_token - plain.sequences[5].req.arrival);
}

}  // namespace infersim::serving
