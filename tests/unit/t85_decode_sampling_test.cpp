// Decode-step sampling (replay/step_tape.hpp, sim.decode_stride): a block of alike decode steps
// simulates its middle step once and plays its recording at every position. The tape keeps
// every total exactly; a sampled run agrees with one that simulates every step; a governor
// that moves a clock ends a block.
#include <gtest/gtest.h>

#include <cmath>

#include "replay/step_tape.hpp"
#include "scenario/scenario_run.hpp"
#include "support/inputs.hpp"

namespace infersim {
namespace {

/// Sums what reaches it, and keeps the op records.
class Totals final : public replay::ReplayObserver {
public:
    std::uint64_t bytes = 0, hits = 0, misses = 0, link = 0, cache = 0, agent = 0, lookups = 0;
    double refresh = 0, energy = 0;
    engine::Tick busy = 0, last_end = 0;
    std::vector<replay::OpRecord> ops;
    void channel_busy(const hw::ChannelActivity& a) override {
        bytes += a.bytes;
        refresh += a.refresh_ps;
        hits += a.row_hits;
        misses += a.row_misses;
        last_end = std::max(last_end, a.end);
    }
    void link_busy(std::uint32_t, engine::Tick, engine::Tick, std::uint64_t b) override { link += b; }
    void cache_busy(std::uint32_t, engine::Tick, engine::Tick, std::uint64_t b) override { cache += b; }
    void unit_busy(std::uint32_t, engine::Tick s, engine::Tick e, double j) override {
        busy += e - s;
        energy += j;
    }
    void op_done(const replay::OpRecord& r) override { ops.push_back(r); }
    void tokens_emitted(engine::Tick, std::uint32_t, std::uint32_t, workload::Phase) override {}
    void cache_lookup(std::uint32_t, std::uint64_t h, std::uint64_t m) override { lookups += h + m; }
    void agent_traffic(std::uint32_t, engine::Tick, engine::Tick, std::uint64_t b) override { agent += b; }
};

config::MachineSpec two_pool_machine() {
    config::MachineSpec m;
    m.pools.resize(2);
    m.pools[0].channels = 4;
    m.pools[1].channels = 2;
    m.units.resize(2);
    m.links.resize(1);
    m.caches.resize(1);
    return m;
}

TEST(DecodeSampling, the_tape_forwards_when_idle_and_plays_every_total_shifted) {
    const config::MachineSpec m = two_pool_machine();
    Totals out;
    replay::StepTape tape(m, 1, out, 1000);
    tape.unit_busy(0, 0, 10, 1.0);  // not recording: forwarded at once
    EXPECT_EQ(out.busy, 10u);
    tape.record(5000);
    for (engine::Tick t = 5000; t < 9000; t += 100) {  // 40 requests, spread over four windows
        tape.channel_busy(hw::ChannelActivity{1, 1, t, t + 150, 64, (t / 100) % 2 == 0, 3.0, 2, 1});
        tape.unit_busy(1, t, t + 60, 0.25);
        tape.link_busy(0, t, t + 80, 32);
        tape.cache_busy(0, t, t + 50, 16);
        tape.agent_traffic(0, t, t + 150, 64);
        tape.cache_lookup(0, 16, 48);
    }
    replay::OpRecord op;
    op.step = 99;
    op.start = 5000;
    op.end = 9100;
    tape.op_done(op);
    tape.stop(9200);
    EXPECT_EQ(tape.duration(), 4200u);
    EXPECT_EQ(out.bytes, 0u);  // recording forwards nothing
    tape.play(20000, 7);
    tape.play(24200, 8);
    EXPECT_EQ(out.bytes, 2u * 40 * 64);
    EXPECT_EQ(out.hits, 2u * 40 * 2);
    EXPECT_EQ(out.misses, 2u * 40);
    EXPECT_DOUBLE_EQ(out.refresh, 2 * 40 * 3.0);
    EXPECT_EQ(out.busy, 10u + 2 * 40 * 60);  // busy time kept, not the windows' spans
    EXPECT_DOUBLE_EQ(out.energy, 1.0 + 2 * 40 * 0.25);
    EXPECT_EQ(out.link, 2u * 40 * 32);
    EXPECT_EQ(out.cache, 2u * 40 * 16);
    EXPECT_EQ(out.agent, 2u * 40 * 64);
    EXPECT_EQ(out.lookups, 2u * 40 * 64);
    ASSERT_EQ(out.ops.size(), 2u);
    EXPECT_EQ(out.ops[0].step, 7u);
    EXPECT_EQ(out.ops[0].start, 20000u);
    EXPECT_EQ(out.ops[1].step, 8u);
    EXPECT_EQ(out.ops[1].end, 24200u + 4100);
    EXPECT_EQ(tape.played_end(), 24200u + 4200);
    EXPECT_LE(out.last_end, 24200u + 4000 + 150);
}

scenario::RunOutput run(scenario::Inputs in, int stride) {
    in.scenario.sim.fidelity = config::Fidelity::rapid;
    in.scenario.sim.decode_stride = stride;
    return scenario::run(in);
}

double rel(double a, double b) { return std::abs(a - b) / std::abs(b); }

TEST(DecodeSampling, a_sampled_run_agrees_with_every_step_simulated) {
    for (const char* m : {"apple-m4-max", "nvidia-dgx-spark"}) {
        const scenario::Inputs in = test::shipped(m, "llama-3.1-8b", "q4_k_m", 1024, 200);
        const scenario::RunOutput all = run(in, 1), sampled = run(in, 15);
        const output::Summary &a = all.summary, &s = sampled.summary;
        EXPECT_LT(rel(s.decode.tokens_per_s, a.decode.tokens_per_s), 1e-3) << m;
        EXPECT_EQ(s.ttft_s, a.ttft_s) << m;  // the prompt is simulated either way
        EXPECT_LT(rel(s.energy_j, a.energy_j), 1e-3) << m;
        EXPECT_LT(rel(s.decode.energy_j, a.decode.energy_j), 1e-3) << m;
        // Every op and every token is still reported, numbered by its own step.
        EXPECT_EQ(s.ops, a.ops) << m;
        ASSERT_EQ(sampled.recorder->ops().size(), all.recorder->ops().size()) << m;
        ASSERT_EQ(sampled.recorder->tokens().size(), all.recorder->tokens().size()) << m;
        for (std::size_t i = 0; i < all.recorder->tokens().size(); ++i)
            EXPECT_EQ(sampled.recorder->tokens()[i].step, all.recorder->tokens()[i].step) << m << " token " << i;
        EXPECT_EQ(sampled.recorder->ops().back().step, all.recorder->ops().back().step) << m;
        // The bytes moved are the same to the bytes of a token's KV per step.
        EXPECT_LT(rel(static_cast<double>(sampled.recorder->pool_bytes(0, false)), static_cast<double>(all.recorder->pool_bytes(0, false))), 1e-3) << m;
        // Far fewer events: a block's other steps cost one event each.
        EXPECT_LT(s.events * 5, a.events) << m;
        // Energy is still the sum of its parts.
        double parts = 0;
        for (std::size_t d = 0; d < sampled.recorder->domain_energy().size(); ++d) parts += sampled.recorder->domain_total_j(d);
        EXPECT_NEAR(parts, s.energy_j, 1e-9 * s.energy_j) << m;
    }
}

TEST(DecodeSampling, a_clock_the_governor_lowers_ends_the_block) {
    // The fanless Air under a GPU cap far below its decode power: the governor steps the clock
    // down through the decode; sampling must follow every change, not keep the first clock.
    scenario::Inputs in = test::shipped("apple-m2-air", "llama-3.2-3b", "q4_k_m", 64, 400);
    for (config::PowerLimitSpec& l : in.machine.thermal.limits) l.power_w = 1.0;
    const scenario::RunOutput all = run(in, 1), sampled = run(in, 15);
    ASSERT_GE(all.throttle_s, 0);
    const auto& clock = all.thermal.clock_hz.at(0);
    ASSERT_LT(clock.back(), clock.front());  // it does throttle
    EXPECT_NEAR(sampled.throttle_s, all.throttle_s, 0.05 * all.throttle_s);
    EXPECT_EQ(sampled.thermal.clock_hz.at(0).back(), clock.back());
    EXPECT_LT(rel(sampled.summary.decode.tokens_per_s, all.summary.decode.tokens_per_s), 5e-3);
    EXPECT_LT(rel(sampled.summary.energy_j, all.summary.energy_j), 5e-3);
}

TEST(DecodeSampling, is_off_below_rapid_and_with_other_agents) {
    config::SimOptions o;
    EXPECT_EQ(config::decode_stride(o), 1u);
    o.fidelity = config::Fidelity::rapid;
    EXPECT_EQ(config::decode_stride(o), 15u);
    o.decode_stride = 1;
    EXPECT_EQ(config::decode_stride(o), 1u);
    // With an agent on the machine every step is simulated: a stride changes nothing.
    scenario::Inputs in = test::shipped("apple-m4-max", "llama-3.2-3b", "q4_k_m", 32, 40);
    config::AgentSpec a;
    a.name = "display";
    a.bytes_per_s = 5e9;
    in.scenario.agents.push_back(a);
    const scenario::RunOutput one = run(in, 1), fifteen = run(in, 15);
    EXPECT_EQ(fifteen.summary.events, one.summary.events);
    EXPECT_EQ(fifteen.summary.decode.tokens_per_s, one.summary.decode.tokens_per_s);
}

}  // namespace
}  // namespace infersim
