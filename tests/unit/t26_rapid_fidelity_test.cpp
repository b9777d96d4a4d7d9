// Rapid fidelity (one representative channel per pool): the representative serves exactly the
// largest per-channel share of every request; its activity carries all the request's bytes; and
// whole runs agree with `fast` within 1% on prefill and decode tokens/s, TTFT and energy on
// every shipped machine with up to 64 channels per pool, 2% on the 160-192-channel HBM ones
// (llama-3.1-8b Q4_K_M, or llama-3.2-3b where 8B does not fit), and within 1% on the
// benchmark shape (512 + 128 tokens) on apple-m4-max and rtx-spark.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <stdexcept>

#include "hardware/channel_models.hpp"
#include "hardware/memory_pool.hpp"
#include "support/fixtures.hpp"
#include "support/inputs.hpp"

using namespace infersim;

namespace {

/// Sums what the pool reports.
class CountingSink final : public hw::ActivitySink {
public:
    void channel_busy(const hw::ChannelActivity& a) override {
        bytes += a.bytes;
        ++calls;
    }
    void link_busy(std::uint32_t, hw::Tick, hw::Tick, std::uint64_t) override {}
    void cache_busy(std::uint32_t, hw::Tick, hw::Tick, std::uint64_t) override {}
    void unit_busy(std::uint32_t, hw::Tick, hw::Tick, double) override {}
    std::uint64_t bytes = 0, calls = 0;
};

double rel(double rapid, double fast) { return fast == 0 ? std::abs(rapid) : std::abs(rapid - fast) / std::abs(fast); }

void expect_agree(const scenario::RunOutput& fast, const scenario::RunOutput& rapid, const std::string& what, double bound = 0.01) {
    const output::Summary &f = fast.summary, &r = rapid.summary;
    EXPECT_LT(rel(r.prefill.tokens_per_s, f.prefill.tokens_per_s), bound) << what << " prefill tokens/s";
    EXPECT_LT(rel(r.decode.tokens_per_s, f.decode.tokens_per_s), bound) << what << " decode tokens/s";
    EXPECT_LT(rel(r.ttft_s, f.ttft_s), bound) << what << " TTFT";
    EXPECT_LT(rel(r.energy_j, f.energy_j), bound) << what << " energy";
    EXPECT_GT(f.decode.tokens_per_s, 0) << what;
}

scenario::RunOutput run(scenario::Inputs in, config::Fidelity fidelity) {
    in.scenario.sim.fidelity = fidelity;
    return scenario::run(in);
}

}  // namespace

TEST(RapidFidelity, is_registered_and_named_by_sim_fidelity) {
    EXPECT_EQ(hw::channel_model(config::Fidelity::rapid).name, "rapid");
    EXPECT_TRUE(hw::channel_model(config::Fidelity::rapid).representative);
    EXPECT_FALSE(hw::channel_model(config::Fidelity::fast).representative);
}

TEST(RapidFidelity, representative_serves_the_largest_share_and_reports_every_byte) {
    const config::PoolSpec p = test::machine_from(test::lpddr_machine_yaml(16)).pools[0];
    for (std::uint64_t addr : {0ull, 1ull, 4095ull, 65536ull + 17, 123456789ull})
        for (std::uint64_t bytes : {1ull, 4096ull, 8192ull + 3, 65537ull, 65536ull * 3 + 5, 3ull << 20}) {
            CountingSink sink;
            hw::MemoryPool rapid(p, 0, sink, config::Fidelity::rapid), fast(p, 0, sink, config::Fidelity::fast);
            ASSERT_EQ(rapid.channel_count(), 1u);
            std::uint64_t largest = 0;
            for (std::size_t c = 0; c < fast.channel_count(); ++c) largest = std::max(largest, fast.share(c, addr, bytes));
            sink.bytes = 0;
            rapid.access(0, addr, bytes, false);
            EXPECT_EQ(rapid.channel(0).counters().bytes_read, largest) << addr << "+" << bytes;
            EXPECT_EQ(sink.bytes, bytes) << addr << "+" << bytes;
            EXPECT_EQ(sink.calls, 1u);
        }
}

TEST(RapidFidelity, keeps_the_pools_deliverable_bandwidth) {
    const config::PoolSpec p = test::machine_from(test::lpddr_machine_yaml(16)).pools[0];
    hw::NullSink sink;
    hw::MemoryPool rapid(p, 0, sink, config::Fidelity::rapid), fast(p, 0, sink, config::Fidelity::fast);
    EXPECT_DOUBLE_EQ(rapid.deliverable_bytes_per_s(), fast.deliverable_bytes_per_s());
    const std::uint64_t bytes = 256ull << 20;
    const double r = static_cast<double>(rapid.access(0, 0, bytes, false)), f = static_cast<double>(fast.access(0, 0, bytes, false));
    EXPECT_LT(std::abs(r - f) / f, 1e-3);
}

TEST(RapidFidelity, agrees_with_fast_within_one_percent_on_every_shipped_machine) {
    const std::filesystem::path dir = std::filesystem::path(INFERSIM_SOURCE_DIR) / "configs" / "machines";
    int machines = 0;
    for (const auto& f : std::filesystem::directory_iterator(dir)) {
        if (f.path().extension() != ".yaml") continue;
        const std::string m = f.path().stem().string();
        scenario::Inputs in;
        try {
            in = test::shipped(m, "llama-3.1-8b", "q4_k_m", 64, 8);
            (void)run(in, config::Fidelity::fast);
        } catch (const std::exception&) {
            in = test::shipped(m, "llama-3.2-3b", "q4_k_m", 64, 8);  // 8B does not fit this machine
        }
        // Known shortfall: with 160-192 HBM pseudo-channels (H100, H200) most of a small
        // decode's requests are shorter than a stripe, where the representative serializes
        // what `fast` spreads over idle channels; measured 1.1-1.7% there (README).
        bool wide = false;
        for (const config::PoolSpec& p : in.machine.pools) wide = wide || p.channels > 64;
        expect_agree(run(in, config::Fidelity::fast), run(in, config::Fidelity::rapid), m, wide ? 0.02 : 0.01);
        ++machines;
    }
    EXPECT_GE(machines, 30);
}

TEST(RapidFidelity, agrees_with_fast_on_the_benchmark_shape) {
    for (const char* m : {"apple-m4-max", "rtx-spark"}) {
        const scenario::Inputs in = test::shipped(m, "llama-3.1-8b", "q4_k_m", 512, 128);
        const scenario::RunOutput f = run(in, config::Fidelity::fast), r = run(in, config::Fidelity::rapid);
        expect_agree(f, r, m);
        EXPECT_EQ(r.summary.fidelity, "rapid");
    }
}
