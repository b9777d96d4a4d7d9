// DRAM channel timing (fast model): closed-form answers for streams, refresh, mapping, turnaround.
#include <gtest/gtest.h>

#include <numeric>

#include "hardware/dram_channel.hpp"
#include "hardware/memory_pool.hpp"
#include "support/fixtures.hpp"

using namespace infersim;

namespace {
config::PoolSpec lpddr_pool(int channels = 1) { return test::machine_from(test::lpddr_machine_yaml(channels)).pools[0]; }
}  // namespace

TEST(DramChannel, long_stream_gets_peak_times_refresh_availability) {
    config::PoolSpec p = lpddr_pool();
    hw::ChannelTiming t = hw::ChannelTiming::from(p);
    hw::DramChannel ch(t, 0.0);
    const std::uint64_t bytes = 256ull << 20;
    engine::Tick end = ch.serve(0, bytes, false);
    const double achieved = static_cast<double>(bytes) / engine::to_seconds(end);
    const double expect = p.channel_peak_bytes_per_s() * (1.0 - p.timing.tRFC / p.timing.tREFI);
    EXPECT_NEAR(achieved / expect, 1.0, 0.002) << achieved / 1e9 << " GB/s vs " << expect / 1e9;
}

TEST(DramChannel, refresh_blocks_channel_for_trfc) {
    config::PoolSpec p = lpddr_pool();
    hw::ChannelTiming t = hw::ChannelTiming::from(p);
    hw::DramChannel ch(t, 0.0);  // refresh window at [0, tRFC)
    engine::Tick end = ch.serve(0, 32, false);
    // One burst in a freshly opened row: the row activation, not the burst, sets the pace.
    const double expect_ps = p.timing.tRFC * 1e12 + t.first_access_ps + std::max(t.column_ps, t.activate_ps);
    EXPECT_EQ(end, engine::round_ps(expect_ps));
}

TEST(DramChannel, row_major_mapping_is_capped_by_tccd_l) {
    config::PoolSpec p = lpddr_pool();
    config::PoolSpec q = p;
    q.mapping = config::AddressMapping::row_major;
    hw::ChannelTiming ti = hw::ChannelTiming::from(p), tr = hw::ChannelTiming::from(q);
    hw::DramChannel a(ti, 1e9), b(tr, 1e9);  // refresh far away
    const std::uint64_t bytes = 1 << 20;
    double ta = static_cast<double>(a.serve(0, bytes, false)), tb = static_cast<double>(b.serve(0, bytes, false));
    EXPECT_NEAR(tb / ta, p.timing.tCCD_L / p.timing.tCCD_S, 0.01);
}

TEST(DramChannel, direction_switch_costs_turnaround) {
    config::PoolSpec p = lpddr_pool();
    hw::ChannelTiming t = hw::ChannelTiming::from(p);
    hw::DramChannel same(t, 1e12), mixed(t, 1e12);
    engine::Tick s1 = same.serve(0, 4096, false);
    engine::Tick s2 = same.serve(s1, 4096, false);
    engine::Tick m1 = mixed.serve(0, 4096, true);
    engine::Tick m2 = mixed.serve(m1, 4096, false);
    EXPECT_EQ(s1, m1);
    EXPECT_EQ((m2 - m1) - (s2 - s1), engine::round_ps(p.timing.tWTR * 1e12));
}

TEST(DramChannel, requests_are_served_in_arrival_order) {
    config::PoolSpec p = lpddr_pool();
    hw::ChannelTiming t = hw::ChannelTiming::from(p);
    hw::DramChannel ch(t, 1e12);
    engine::Tick a = ch.serve(0, 1 << 16, false);
    engine::Tick start = 0;
    engine::Tick b = ch.serve(0, 1 << 16, false, &start);
    EXPECT_EQ(start, a);
    EXPECT_GT(b, a);
}

TEST(MemoryPool, interleave_shares_conserve_bytes) {
    config::PoolSpec p = lpddr_pool(16);
    hw::NullSink sink;
    hw::MemoryPool pool(p, 0, sink);
    for (std::uint64_t addr : {0ull, 1ull, 4095ull, 65536ull + 17, 123456789ull})
        for (std::uint64_t bytes : {1ull, 4096ull, 65537ull, 3ull << 20}) {
            std::uint64_t sum = 0;
            for (std::size_t c = 0; c < pool.channel_count(); ++c) sum += pool.share(c, addr, bytes);
            EXPECT_EQ(sum, bytes) << addr << "+" << bytes;
        }
}

TEST(MemoryPool, stream_over_all_channels_gets_pool_bandwidth) {
    config::PoolSpec p = lpddr_pool(16);
    hw::NullSink sink;
    hw::MemoryPool pool(p, 0, sink);
    const std::uint64_t bytes = 1ull << 30;
    engine::Tick end = pool.access(0, 0, bytes, false);
    const double eff = static_cast<double>(bytes) / engine::to_seconds(end) / p.peak_bytes_per_s();
    EXPECT_NEAR(eff, 1.0 - p.timing.tRFC / p.timing.tREFI, 0.003);
}

TEST(DramChannel, overriding_data_rate_moves_the_clock_with_it) {
    std::string y = test::lpddr_machine_yaml(16);
    y.replace(y.find("channels: 16"), 12, "channels: 16\n    data_rate: 9600 MT/s");
    config::PoolSpec p = test::machine_from(y).pools[0];
    EXPECT_NEAR(p.timing.tCK, 8.0 / 9600e6, 1e-15);
    // Streaming still runs at the (new) burst rate: tCCD_S keeps up with the faster bus.
    hw::ChannelTiming t = hw::ChannelTiming::from(p);
    EXPECT_NEAR(t.column_ps, 16 / 9600e6 * 1e12, 1e-6);
}

TEST(DramChannel, hbm3e_streams_at_its_own_burst_rate) {
    std::string y = test::lpddr_machine_yaml(16);
    y.replace(y.find("lpddr5x-8533"), 12, "hbm3e");
    config::PoolSpec p = test::machine_from(y).pools[0];
    hw::ChannelTiming t = hw::ChannelTiming::from(p);
    EXPECT_NEAR(t.column_ps, 8 / 9.6e9 * 1e12, 1e-6);
}
