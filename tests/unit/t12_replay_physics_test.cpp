// Physics with closed-form answers: a fitting model never decodes faster than bytes / peak
// bandwidth; prefill never beats FLOPs / peak; doubling channels speeds a memory-bound decode
// up to the next limit; energy is the sum of its parts; runs are deterministic.
#include <gtest/gtest.h>

#include "support/inputs.hpp"

using namespace infersim;

namespace {
const std::string kModel = "name: mid\nlayers: 8\nhidden: 4096\nheads: 32\nkv_heads: 8\nffn: 14336\nvocab: 32000\n";
}

TEST(ReplayPhysics, decode_is_never_faster_than_bytes_over_peak_bandwidth) {
    scenario::Inputs in = test::inputs(test::lpddr_machine_yaml(16), kModel, "q4_0", 64, 16);
    scenario::RunOutput r = scenario::run(in);
    ASSERT_GT(r.summary.decode.tokens_per_s, 0);
    EXPECT_LE(r.summary.decode.tokens_per_s, r.summary.decode_bw_ceiling_tokens_per_s);
    // And within a physically sensible distance of it: refresh + first accesses + launch-free ideal runtime.
    EXPECT_GT(r.summary.decode.tokens_per_s, 0.7 * r.summary.decode_bw_ceiling_tokens_per_s);
    EXPECT_EQ(r.summary.decode.bound, "memory");
}

TEST(ReplayPhysics, prefill_never_beats_flops_over_peak) {
    scenario::Inputs in = test::inputs(test::lpddr_machine_yaml(16, 20), kModel, "f16", 1024, 1);
    scenario::RunOutput r = scenario::run(in);
    ASSERT_GT(r.summary.prefill.tokens_per_s, 0);
    EXPECT_LE(r.summary.prefill.tokens_per_s, r.summary.prefill_compute_ceiling_tokens_per_s * 1.0000001);
    EXPECT_EQ(r.summary.prefill.bound, "compute");
}

TEST(ReplayPhysics, doubling_channels_speeds_memory_bound_decode_up_to_the_next_limit) {
    auto decode = [&](int channels, const char* clock) {
        std::string y = test::lpddr_machine_yaml(channels);
        y.replace(y.find("clock: 1 GHz"), 12, std::string("clock: ") + clock);
        scenario::Inputs in = test::inputs(y, kModel, "q8_0", 32, 12);
        return scenario::run(in).summary;
    };
    const double s8 = decode(8, "1 GHz").decode.tokens_per_s, s16 = decode(16, "1 GHz").decode.tokens_per_s;
    EXPECT_NEAR(s16 / s8, 2.0, 0.1);
    // With a slow clock the GEMVs become compute-bound: more channels stop helping.
    output::Summary c16 = decode(16, "10 MHz"), c32 = decode(32, "10 MHz");
    EXPECT_EQ(c16.decode.bound, "compute");
    EXPECT_LT(c32.decode.tokens_per_s / c16.decode.tokens_per_s, 1.05);
}

TEST(ReplayPhysics, energy_is_the_sum_of_its_parts) {
    std::string extra = "power: {platform: 5 W}\n";
    std::string y = test::lpddr_machine_yaml(16, 100, extra);
    scenario::Inputs in = test::inputs(y, kModel, "q4_0", 16, 4);
    scenario::RunOutput r = scenario::run(in);
    double sum = 0;
    for (const auto& [k, v] : r.summary.energy_by_domain) sum += v;
    EXPECT_NEAR(sum, r.summary.energy_j, 1e-9 * r.summary.energy_j);
    // DRAM: every byte moved at the preset's pJ/bit plus one activation per page.
    const auto& pool = in.machine.pools[0];
    const double bytes = static_cast<double>(r.summary.pools[0].bytes_read + r.summary.pools[0].bytes_written);
    const double dram = bytes * 8 * pool.energy.read_j_per_bit + bytes / pool.timing.page_bytes * pool.energy.activate_j;
    EXPECT_NEAR(r.summary.energy_by_domain[0].second, dram, 1e-6 * dram);
    // Platform: 5 W for the whole run.
    EXPECT_NEAR(r.summary.energy_by_domain.back().second, 5.0 * r.summary.simulated_s, 1e-9);
}

TEST(ReplayPhysics, identical_inputs_give_identical_results) {
    scenario::Inputs in = test::inputs(test::lpddr_machine_yaml(16), kModel, "q4_k_m", 100, 10);
    scenario::RunOutput a = scenario::run(in), b = scenario::run(in);
    a.summary.wall_s = b.summary.wall_s = 0;
    EXPECT_EQ(output::to_json(a.summary).dump(), output::to_json(b.summary).dump());
    EXPECT_EQ(a.recorder->ops().size(), b.recorder->ops().size());
}

TEST(ReplayPhysics, model_that_does_not_fit_says_by_how_much) {
    std::string y = test::lpddr_machine_yaml(16);
    y.replace(y.find("128 GiB"), 7, "2 GiB");
    scenario::Inputs in = test::inputs(y, kModel, "f16", 16, 2);
    scenario::FitReport f = scenario::fit(in, 18);
    EXPECT_FALSE(f.placement.fits);
    EXPECT_NEAR(static_cast<double>(f.placement.shortfall_bytes),
                static_cast<double>(f.placement.needed_bytes) - 2.0 * (1ull << 30), 1.0);
}

TEST(ReplayPhysics, ttft_covers_prefill_and_first_token) {
    scenario::Inputs in = test::inputs(test::lpddr_machine_yaml(16), kModel, "q4_0", 600, 3);
    scenario::RunOutput r = scenario::run(in);
    EXPECT_NEAR(r.summary.ttft_s, r.summary.prefill.seconds, 1e-12);
    EXPECT_EQ(r.summary.decode.tokens, 2u);  // the first token comes from the prefill
    EXPECT_EQ(r.recorder->tokens().size(), 3u);
}
