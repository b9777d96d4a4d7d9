// The channel-model registry: each model, built through its registry entry, driven alone by a
// mock requester with exact completion times; a machine with one fast and one detailed pool;
// the scenario's sim.fidelity over the pools' choice; the loader's errors for an unknown
// model and for a field the chosen model does not have.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "config/errors.hpp"
#include "hardware/activity.hpp"
#include "hardware/channel_models.hpp"
#include "hardware/detailed_channel.hpp"
#include "hardware/machine.hpp"
#include "scenario/scenario_run.hpp"
#include "support/fixtures.hpp"
#include "support/inputs.hpp"

using namespace infersim;
using engine::Tick;

namespace {

constexpr double kNoRefresh = 1e15;  // first refresh window 1000 s away

config::PoolSpec lpddr_pool() { return test::machine_from(test::lpddr_machine_yaml(1)).pools[0]; }

// The mock requester: a list of (arrival, address, bytes, write), each handed to the channel
// in order; returns the completion times.
struct Request {
    Tick arrival;
    std::uint64_t address, bytes;
    bool write;
};
std::vector<Tick> drive(hw::ChannelModel& ch, const std::vector<Request>& requests) {
    std::vector<Tick> done;
    for (const Request& r : requests) done.push_back(ch.serve(r.arrival, r.address, r.bytes, r.write));
    return done;
}

std::string machine_error(const std::string& yaml) {
    try {
        test::machine_from(yaml);
    } catch (const config::InputError& e) {
        return e.what();
    }
    return "";
}

// An LPDDR5X pool (the default channel model) and an HBM3 pool whose lines end with
// `model_lines`, linked to the unit.
std::string with_hbm_pool(const std::string& model_lines) {
    std::string y = test::lpddr_machine_yaml(8, 100, "links:\n  gpu_hbm: {unit: gpu, pool: hbm, bandwidth: 400 GB/s}\n");
    y.replace(y.find("compute:\n"), 9,
              "  hbm:\n    standard: hbm3\n    capacity: 16 GiB\n    channels: 8\n" + model_lines + "compute:\n");
    return y;
}

}  // namespace

TEST(ChannelModels, registry_lists_fast_first_then_detailed) {
    const auto names = hw::channel_models().names();
    ASSERT_EQ(names.size(), 3u);
    EXPECT_EQ(names[0], "fast");
    EXPECT_EQ(names[1], "detailed");
    EXPECT_EQ(names[2], "rapid");
    EXPECT_FALSE(hw::channel_model("detailed").fields.empty());
    EXPECT_TRUE(hw::channel_model("detailed").per_burst);
    EXPECT_FALSE(hw::channel_model("fast").per_burst);
    EXPECT_THROW(hw::channel_model("exact"), std::invalid_argument);
    std::ostringstream out;
    hw::print_channel_models(out);
    EXPECT_NE(out.str().find("impl: detailed"), std::string::npos);
    EXPECT_NE(out.str().find("queue_depth"), std::string::npos);
}

// Fast model on LPDDR5X-8533 (tRP + tRCD = 36 ns exposed on an idle channel; a burst every
// tCCD_S = 2 tCK = 1875.07 ps; a row every max(tRRD, tFAW/4, tRC/banks) = 5 ns; turnaround
// tRTW 7.5 ns / tWTR 10 ns).
TEST(ChannelModels, fast_model_alone_gives_exact_times) {
    const config::PoolSpec p = lpddr_pool();
    std::unique_ptr<hw::ChannelModel> ch = hw::channel_model("fast").make(p, kNoRefresh);
    const std::vector<Tick> done = drive(*ch, {{0, 0, 32, false},            // 36 ns + one row (5 ns) > one burst
                                               {0, 64, 32, true},            // queued behind: one row + tRTW
                                               {1'000'000, 0, 65536, false}});  // idle again: 36 ns + 2048 bursts + tWTR
    EXPECT_EQ(done, (std::vector<Tick>{41'000, 53'500, 4'886'150}));
    EXPECT_EQ(ch->counters().bursts, 1u + 1u + 2048u);
    EXPECT_EQ(ch->counters().turnarounds, 2u);
}

// Detailed model on LPDDR5X-8533 (no CAS latency: data at the column command; a burst is
// 16 UI = 1875 ps; tRCD 18 ns, tRP 18 ns, tRAS 42 ns, tRC 60 ns, tCCD_L 4 tCK = 3750 ps).
TEST(ChannelModels, detailed_model_alone_gives_exact_times) {
    const config::PoolSpec p = lpddr_pool();
    std::unique_ptr<hw::ChannelModel> ch = hw::channel_model("detailed").make(p, kNoRefresh);
    // Burst 16 is bank 0 again (4 groups x 4 banks rotate first), row 0: a hit one tCCD_L later.
    // Burst 16 x 64 is bank 0, row 1: a conflict, PRE at tRAS (42 ns), ACT at tRC (60 ns).
    const std::vector<Tick> done = drive(*ch, {{0, 0, 32, false}, {0, 16 * 32, 32, false}, {0, 16 * 64 * 32, 32, false}});
    EXPECT_EQ(done, (std::vector<Tick>{18'000 + 1'875, 18'000 + 3'750 + 1'875, 60'000 + 18'000 + 1'875}));
    EXPECT_EQ(ch->counters().activations, 2u);
    EXPECT_EQ(ch->counters().row_hits, 1u);
}

TEST(ChannelModels, detailed_model_reads_its_queue_depth) {
    const config::PoolSpec p = test::machine_from(with_hbm_pool("    channel_model: detailed\n    queue_depth: 16\n")).pools[1];
    EXPECT_EQ(p.channel_model, "detailed");
    EXPECT_EQ(hw::channel_params<hw::DetailedChannelParams>(p).queue_depth, 16);
    // Unset: the default; a pool on the fast model has none.
    EXPECT_EQ(hw::channel_params<hw::DetailedChannelParams>(lpddr_pool()).queue_depth, hw::DetailedChannel::kDefaultQueueDepth);
}

TEST(ChannelModels, a_machine_with_a_fast_and_a_detailed_pool_runs) {
    scenario::Inputs in = test::inputs(with_hbm_pool("    channel_model: detailed\n"),
                                     "name: small\nlayers: 2\nhidden: 1024\nheads: 8\nkv_heads: 2\nffn: 2048\nvocab: 8000\n", "q8_0", 16, 3);
    in.scenario.gpu_layers = 1;  // one layer streams from the HBM pool over the link
    in.scenario.offload = config::Offload::stream;
    hw::NullSink sink;
    hw::Machine m(in.machine, sink);
    EXPECT_EQ(m.pool(0).channel_model(), "fast");
    EXPECT_EQ(m.pool(1).channel_model(), "detailed");
    const output::Summary mixed = scenario::run(in).summary;
    EXPECT_EQ(mixed.fidelity, "mixed");
    EXPECT_GT(mixed.decode.tokens_per_s, 0);
    // The scenario's sim.fidelity replaces every pool's choice.
    in.scenario.sim.fidelity = config::Fidelity::fast;
    hw::Machine all_fast(in.machine, sink, in.scenario.sim.fidelity);
    EXPECT_EQ(all_fast.pool(1).channel_model(), "fast");
    EXPECT_EQ(scenario::run(in).summary.fidelity, "fast");
}

TEST(ChannelModels, only_the_bursts_on_per_burst_pools_count_against_the_budget) {
    scenario::Inputs in = test::inputs(with_hbm_pool("    channel_model: detailed\n"),
                                     "name: small\nlayers: 2\nhidden: 1024\nheads: 8\nkv_heads: 2\nffn: 2048\nvocab: 8000\n", "q8_0", 16, 3);
    in.scenario.sim.budget.max_events = 100'000;  // far fewer than the run's bursts, far more than its tiles
    // Everything sits in the (fast) LPDDR pool: the idle detailed pool costs nothing.
    EXPECT_GT(scenario::run(in).summary.decode.tokens_per_s, 0);
    in.scenario.sim.fidelity = config::Fidelity::detailed;  // now the LPDDR pool simulates every burst
    EXPECT_THROW(scenario::run(in), config::BudgetError);
}

TEST(ChannelModels, unknown_channel_model_is_refused_at_the_key_with_the_names) {
    const std::string e = machine_error(with_hbm_pool("    channel_model: detialed\n"));
    EXPECT_NE(e.find("test.yaml:"), std::string::npos) << e;
    EXPECT_NE(e.find("memory.hbm.channel_model"), std::string::npos) << e;
    EXPECT_NE(e.find("did you mean 'detailed'"), std::string::npos) << e;
    EXPECT_NE(e.find("expected fast, detailed or rapid"), std::string::npos) << e;
}

TEST(ChannelModels, a_field_of_another_model_is_an_unknown_key) {
    const std::string e = machine_error(with_hbm_pool("    queue_depth: 16\n"));
    EXPECT_NE(e.find("memory.hbm.queue_depth"), std::string::npos) << e;
    EXPECT_NE(e.find("unknown key"), std::string::npos) << e;
}
