// DRAM channel timing (detailed model): exact command-level answers for single accesses,
// refresh, tRRD/tFAW, tCCD by mapping and turnaround; agreement with the fast model on
// stream-like patterns; stream efficiencies of shipped machines at both fidelities.
//
// The detailed model has no CAS latency: a read's data starts at its column command, so a
// read to a closed bank takes tRCD + one burst.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "hardware/catalogs.hpp"
#include "config/machine_loader.hpp"
#include "config/scenario_spec.hpp"
#include "hardware/detailed_channel.hpp"
#include "hardware/memory_pool.hpp"
#include "hardware/stream_bench.hpp"
#include "support/fixtures.hpp"

using namespace infersim;
using engine::Tick;

namespace {

constexpr Tick kNoRefresh = 1'000'000'000'000'000ull;  // first refresh 1000 s away

config::PoolSpec pool(const std::string& standard = "lpddr5x-8533", int channels = 1) {
    std::string y = test::lpddr_machine_yaml(channels);
    y.replace(y.find("lpddr5x-8533"), 12, standard);
    return test::machine_from(y).pools[0];
}

Tick ps(double seconds) { return engine::round_ps(seconds * 1e12); }

// Address of the n-th burst of bank `bank` in row `row` under bank_group_interleaved mapping.
std::uint64_t burst_address(const hw::DetailedTiming& t, int bank, std::uint64_t row, std::uint64_t column = 0) {
    const auto group = static_cast<std::uint64_t>(bank / t.banks_per_group), in_group = static_cast<std::uint64_t>(bank % t.banks_per_group);
    const std::uint64_t index = ((row * t.bursts_per_row + column) * t.banks_per_group + in_group) * t.bank_groups + group;
    return index * t.burst_bytes;
}

}  // namespace

TEST(DetailedDram, read_to_closed_bank_takes_trcd_plus_one_burst) {
    const config::PoolSpec p = pool();
    const hw::DetailedTiming t = hw::DetailedTiming::from(p);
    hw::DetailedChannel ch(t, kNoRefresh);
    EXPECT_EQ(ch.serve(0, 0, 32, false), ps(p.timing.tRCD) + ps(16 / p.timing.data_rate));
    EXPECT_EQ(ch.counters().activations, 1u);
    EXPECT_EQ(ch.counters().row_misses, 1u);
}

TEST(DetailedDram, address_mapping_decodes_bank_groups_then_banks_then_columns) {
    const hw::DetailedTiming t = hw::DetailedTiming::from(pool());
    EXPECT_EQ(t.decode(0).bank, 0);
    EXPECT_EQ(t.decode(1).bank, 4);   // next bank group
    EXPECT_EQ(t.decode(4).bank, 1);   // next bank of group 0
    EXPECT_EQ(t.decode(16).bank, 0);  // next column
    EXPECT_EQ(t.decode(16).row, 0);
    EXPECT_EQ(t.decode(16 * 64).row, 1);  // 64 columns of 32 B fill a 2 KB row
    config::PoolSpec q = pool();
    q.mapping = config::AddressMapping::row_major;
    const hw::DetailedTiming r = hw::DetailedTiming::from(q);
    EXPECT_EQ(r.decode(63).bank, 0);
    EXPECT_EQ(r.decode(64).bank, 1);
    EXPECT_EQ(r.decode(64 * 16).row, 1);
}

TEST(DetailedDram, row_hit_needs_no_activate) {
    const hw::DetailedTiming t = hw::DetailedTiming::from(pool());
    hw::DetailedChannel ch(t, kNoRefresh);
    const Tick first = ch.serve(0, 0, 32, false);
    const Tick arrival = first + 1'000'000;
    EXPECT_EQ(ch.serve(arrival, burst_address(t, 0, 0, 5), 32, false), arrival + static_cast<Tick>(t.burst));
    EXPECT_EQ(ch.counters().activations, 1u);
    EXPECT_EQ(ch.counters().row_hits, 1u);
}

TEST(DetailedDram, row_conflict_costs_precharge_and_activate) {
    const config::PoolSpec p = pool();
    const hw::DetailedTiming t = hw::DetailedTiming::from(p);
    hw::DetailedChannel ch(t, kNoRefresh);
    ch.serve(0, 0, 32, false);
    const Tick arrival = 1'000'000;  // long after tRAS
    EXPECT_EQ(ch.serve(arrival, burst_address(t, 0, 7), 32, false), arrival + ps(p.timing.tRP) + ps(p.timing.tRCD) + ps(16 / p.timing.data_rate));
    EXPECT_EQ(ch.counters().activations, 2u);
}

TEST(DetailedDram, refresh_blocks_channel_for_trfc) {
    const config::PoolSpec p = pool();
    const hw::DetailedTiming t = hw::DetailedTiming::from(p);
    hw::DetailedChannel ch(t, 0);  // all-bank refresh at [0, tRFC)
    EXPECT_EQ(ch.serve(0, 0, 32, false), ps(p.timing.tRFC) + ps(p.timing.tRCD) + ps(16 / p.timing.data_rate));
}

TEST(DetailedDram, refresh_closes_open_rows_and_blocks_from_the_precharge) {
    const config::PoolSpec p = pool();
    const hw::DetailedTiming t = hw::DetailedTiming::from(p);
    const Tick refresh_at = 1'000'000;
    hw::DetailedChannel ch(t, refresh_at);
    ch.serve(0, 0, 32, false);  // opens bank 0's row 0
    // A hit that would land after the all-bank precharge (tRP before the refresh) must wait
    // for the refresh and open the row again.
    const Tick arrival = refresh_at - ps(p.timing.tRP) + 1;
    EXPECT_EQ(ch.serve(arrival, 0, 32, false), refresh_at + ps(p.timing.tRFC) + ps(p.timing.tRCD) + ps(16 / p.timing.data_rate));
    EXPECT_EQ(ch.counters().activations, 2u);
}

TEST(DetailedDram, per_bank_refresh_blocks_only_its_bank) {
    config::PoolSpec p = pool();
    p.refresh = config::RefreshMode::per_bank;
    const hw::DetailedTiming t = hw::DetailedTiming::from(p);
    const Tick done = ps(p.timing.tRCD) + ps(16 / p.timing.data_rate);
    hw::DetailedChannel refreshing(t, 0);  // bank 0 refreshes at [0, tRFCpb), bank b at b x tREFIpb
    EXPECT_EQ(refreshing.serve(0, burst_address(t, 0, 0), 32, false), ps(p.timing.tRFCpb) + done);
    hw::DetailedChannel other(t, 0);
    EXPECT_EQ(other.serve(0, burst_address(t, 5, 0), 32, false), done);
}

TEST(DetailedDram, four_activates_fill_tfaw_and_the_fifth_waits) {
    const config::PoolSpec p = pool("hbm3");  // tRRD 2.5 ns < tFAW / 4 = 3.75 ns
    const hw::DetailedTiming t = hw::DetailedTiming::from(p);
    ASSERT_LT(4 * t.rrd, t.faw);
    const Tick tail = static_cast<Tick>(t.rcd + t.burst);
    hw::DetailedChannel four(t, kNoRefresh), five(t, kNoRefresh);
    // Bursts 0..4 sit in five different banks: one ACT each.
    EXPECT_EQ(four.serve(0, 0, 4 * t.burst_bytes, false), static_cast<Tick>(3 * t.rrd) + tail);
    EXPECT_EQ(five.serve(0, 0, 5 * t.burst_bytes, false), static_cast<Tick>(t.faw) + tail);
    EXPECT_EQ(five.counters().activations, 5u);
}

TEST(DetailedDram, row_major_stream_is_spaced_by_tccd_l) {
    config::PoolSpec p = pool();
    p.mapping = config::AddressMapping::row_major;
    const hw::DetailedTiming t = hw::DetailedTiming::from(p);
    ASSERT_GT(t.ccd_l, t.burst);
    hw::DetailedChannel ch(t, kNoRefresh);
    // One 2 KB row: 64 bursts in one bank, hence one bank group.
    EXPECT_EQ(ch.serve(0, 0, 2048, false), static_cast<Tick>(t.rcd + 63 * t.ccd_l + t.burst));
    EXPECT_EQ(t.ccd_l, ps(p.timing.tCCD_L));
}

TEST(DetailedDram, interleaved_stream_alternates_groups_at_tccd_s) {
    const config::PoolSpec p = pool();
    const hw::DetailedTiming t = hw::DetailedTiming::from(p);
    hw::DetailedChannel ch(t, kNoRefresh);
    const std::uint64_t bytes = 16 * t.burst_bytes;  // one burst in each of the 16 banks
    const Tick opened = ch.serve(0, 0, bytes, false);
    const Tick arrival = opened + 1'000'000;
    // All hits now: back to back at max(burst, tCCD_S), never tCCD_L (groups rotate).
    EXPECT_EQ(ch.serve(arrival, 0, bytes, false) - arrival, static_cast<Tick>(15 * std::max(t.burst, t.ccd_s) + t.burst));
    EXPECT_EQ(t.ccd_s, ps(p.timing.tCCD_S));
}

TEST(DetailedDram, direction_switch_waits_for_turnaround) {
    const config::PoolSpec p = pool();
    const hw::DetailedTiming t = hw::DetailedTiming::from(p);
    hw::DetailedChannel rw(t, kNoRefresh), wr(t, kNoRefresh);
    const Tick at = 1'000'000;
    rw.serve(0, 0, 32, false);
    wr.serve(0, 0, 32, false);
    // Read then write to the open row: the write waits for the read's data, then tRTW.
    EXPECT_EQ(rw.serve(at, 0, 32, false), at + static_cast<Tick>(t.burst));
    EXPECT_EQ(rw.serve(at, 0, 32, true), at + static_cast<Tick>(2 * t.burst + t.rtw));
    EXPECT_EQ(rw.counters().turnarounds, 1u);
    // Write then read: tWTR after the write's data.
    EXPECT_EQ(wr.serve(at, 0, 32, true), at + static_cast<Tick>(t.burst));
    EXPECT_EQ(wr.serve(at, 0, 32, false), at + static_cast<Tick>(2 * t.burst + t.wtr));
    EXPECT_EQ(t.rtw, ps(p.timing.tRTW));
    EXPECT_EQ(t.wtr, ps(p.timing.tWTR));
}

TEST(DetailedDram, later_request_activates_while_earlier_one_waits) {
    const config::PoolSpec p = pool();
    const hw::DetailedTiming t = hw::DetailedTiming::from(p);
    hw::DetailedChannel ch(t, kNoRefresh);
    const Tick a = ch.serve(0, burst_address(t, 0, 0), 32, false);
    const Tick b = ch.serve(0, burst_address(t, 4, 0), 32, false);
    EXPECT_EQ(a, static_cast<Tick>(t.rcd + t.burst));
    EXPECT_EQ(b, static_cast<Tick>(t.rrd + t.rcd + t.burst));  // its ACT went tRRD after a's
}

TEST(DetailedDram, ready_burst_overtakes_one_waiting_on_its_bank) {
    const config::PoolSpec p = pool();
    const hw::DetailedTiming t = hw::DetailedTiming::from(p);
    hw::DetailedChannel ch(t, kNoRefresh);
    ch.serve(0, burst_address(t, 0, 0), 32, false);
    const Tick open = ch.serve(0, burst_address(t, 4, 0), 32, false);
    const Tick at = open + 1'000'000;
    const Tick conflict = ch.serve(at, burst_address(t, 0, 9), 32, false);  // needs PRE + ACT
    const Tick hit = ch.serve(at, burst_address(t, 4, 0, 1), 32, false);    // row already open
    EXPECT_EQ(conflict, at + static_cast<Tick>(t.rp + t.rcd + t.burst));
    EXPECT_EQ(hit, at + static_cast<Tick>(t.burst));
}

TEST(DetailedDram, stream_counts_one_activation_per_row) {
    const hw::DetailedTiming t = hw::DetailedTiming::from(pool());
    hw::DetailedChannel ch(t, kNoRefresh);
    ch.serve(0, 0, 64 * 1024, false);
    EXPECT_EQ(ch.counters().bursts, 2048u);
    EXPECT_EQ(ch.counters().activations, 32u);  // 64 KB / 2 KB rows
    EXPECT_EQ(ch.counters().row_hits, 2048u - 32u);
    EXPECT_EQ(ch.counters().bytes_read, 64u * 1024u);
}

TEST(DetailedDram, long_stream_stays_under_the_refresh_ceiling) {
    for (const char* standard : {"lpddr5x-8533", "hbm3"}) {
        const config::PoolSpec p = pool(standard);
        const hw::DetailedTiming t = hw::DetailedTiming::from(p);
        hw::DetailedChannel ch(t, 0);
        const std::uint64_t bytes = 64ull << 20;
        Tick end = 0;
        for (std::uint64_t a = 0; a < bytes; a += 65536) end = ch.serve(0, a, 65536, false);
        const double eff = static_cast<double>(bytes) / engine::to_seconds(end) / p.channel_peak_bytes_per_s();
        const double ceiling = 1.0 - p.timing.tRFC / p.timing.tREFI;
        EXPECT_LT(eff, ceiling) << standard;
        EXPECT_GT(eff, ceiling - 0.04) << standard;
        EXPECT_GT(ch.counters().refresh_ps, 0.0);
    }
}

double stream_efficiency(const config::PoolSpec& p, std::uint64_t bytes) {
    const hw::DetailedTiming t = hw::DetailedTiming::from(p);
    hw::DetailedChannel ch(t, 0);
    Tick end = 0;
    for (std::uint64_t a = 0; a < bytes; a += 65536) end = std::max(end, ch.serve(0, a, 65536, false));
    return static_cast<double>(bytes) / engine::to_seconds(end) / p.channel_peak_bytes_per_s();
}

TEST(DetailedDram, per_bank_refresh_hides_behind_the_other_banks) {
    config::PoolSpec p = pool();
    const double all_bank = stream_efficiency(p, 16ull << 20);
    p.refresh = config::RefreshMode::per_bank;
    const double per_bank = stream_efficiency(p, 16ull << 20);
    // The refreshing bank's bursts wait in the queue while the others keep the bus busy.
    EXPECT_GT(per_bank, 0.97);
    EXPECT_GT(per_bank, all_bank + 0.05);
}

TEST(DetailedDram, deeper_queue_finds_free_banks_for_random_reads) {
    const hw::DetailedTiming t = hw::DetailedTiming::from(pool());
    auto random_span = [&](int depth) {
        hw::DetailedChannel ch(t, kNoRefresh, depth);
        std::uint64_t x = 88172645463325252ULL;
        Tick end = 0;
        for (int i = 0; i < 20000; ++i) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            end = std::max(end, ch.serve(0, (x % (1u << 22)) * 32, 32, false));
        }
        return end;
    };
    const Tick shallow = random_span(4), deep = random_span(64);
    EXPECT_LT(static_cast<double>(deep), 0.8 * static_cast<double>(shallow));
    // With a deep queue, random reads run at the activation limit: four ACTs per tFAW.
    EXPECT_NEAR(static_cast<double>(deep) / (20000.0 * std::max<double>(t.rrd, t.faw / 4.0)), 1.0, 0.02);
}

TEST(MemoryPool, detailed_pool_hands_each_channel_its_own_addresses) {
    const config::PoolSpec p = pool("lpddr5x-8533", 4);
    hw::NullSink sink;
    hw::MemoryPool pool(p, 0, sink, config::Fidelity::detailed);
    EXPECT_EQ(pool.channel_model(), "detailed");
    const std::uint64_t bytes = 4ull << 20;
    const Tick end = pool.access(0, 0, bytes, false);
    // With a 4 KB interleave, each channel sees 1 MiB of consecutive addresses of its own:
    // exactly what a lone channel (with the same refresh phase) does with one 1 MiB request.
    const hw::DetailedTiming t = hw::DetailedTiming::from(p);
    const double period = hw::ChannelTiming::from(p).refresh_period_ps;
    Tick slowest = 0;
    for (std::size_t c = 0; c < pool.channel_count(); ++c) {
        hw::DetailedChannel alone(t, engine::round_ps(period * static_cast<double>(c) / 4));
        slowest = std::max(slowest, alone.serve(0, 0, bytes / 4, false));
        EXPECT_EQ(pool.channel(c).counters().activations, alone.counters().activations) << c;
        EXPECT_EQ(pool.channel(c).counters().bursts, bytes / 4 / 32);
        EXPECT_EQ(pool.channel(c).busy_until(), alone.busy_until()) << c;
    }
    EXPECT_EQ(end, slowest);
    hw::MemoryPool fast(p, 0, sink);
    EXPECT_EQ(fast.channel_model(), "fast");
}

// Fast vs detailed on STREAM-like patterns over a pool of four channels.
struct Agreement {
    hw::StreamPattern pattern;
    std::uint64_t bytes;
    double bound;
};

TEST(DramFidelity, fast_and_detailed_agree_on_stream_patterns) {
    for (const char* standard : {"lpddr5x-8533", "hbm3"}) {
        const config::PoolSpec p = pool(standard, 4);
        for (const Agreement& a : {Agreement{hw::StreamPattern::read, 32ull << 20, 0.03}, Agreement{hw::StreamPattern::random, 4ull << 20, 0.10},
                                   Agreement{hw::StreamPattern::copy, 16ull << 20, 0.10}}) {
            const hw::StreamResult fast = hw::run_stream(p, a.pattern, a.bytes, 65536, 1, config::Fidelity::fast);
            const hw::StreamResult detailed = hw::run_stream(p, a.pattern, a.bytes, 65536, 1, config::Fidelity::detailed);
            EXPECT_NEAR(detailed.efficiency / fast.efficiency, 1.0, a.bound)
                << standard << " pattern " << static_cast<int>(a.pattern) << ": fast " << fast.efficiency << ", detailed " << detailed.efficiency;
        }
    }
}

TEST(DramFidelity, shipped_machines_stream_at_75_to_93_percent_and_random_far_below) {
    const std::filesystem::path dir = std::filesystem::path(INFERSIM_SOURCE_DIR) / "configs" / "machines";
    for (const char* name : {"apple-m4-max", "nvidia-dgx-spark", "nvidia-h100-sxm", "amd-strix-halo"}) {
        const config::MachineSpec m = hw::load_machine((dir / (std::string(name) + ".yaml")).string());
        const config::PoolSpec& p = m.pools[0];
        for (config::Fidelity f : {config::Fidelity::fast, config::Fidelity::detailed}) {
            const hw::StreamResult read = hw::run_stream(p, hw::StreamPattern::read, 64ull << 20, 65536, 1, f);
            const hw::StreamResult random = hw::run_stream(p, hw::StreamPattern::random, 8ull << 20, 65536, 1, f);
            EXPECT_GE(read.efficiency, 0.75) << name;
            EXPECT_LE(read.efficiency, 0.93) << name;
            EXPECT_LT(random.efficiency, 0.5 * read.efficiency) << name;
        }
    }
}
