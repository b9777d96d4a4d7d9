// Battery life: usage patterns laid out in time, hours = usable energy / average power, tokens per
// charge from the simulated request, idle spans at baseline x time, throttling onset in closed form.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "config/errors.hpp"
#include "scenario/battery.hpp"
#include "support/inputs.hpp"
#include "support/temp_dir.hpp"

namespace infersim::test {
namespace {

std::string battery_machine(const std::string& extra = "") {
    return lpddr_machine_yaml(8, 10,
                              "    energy: {fp16: 2 pJ/FLOP, fp32: 2 pJ/FLOP}\n"
                              "    static_power: 2 W\n"
                              "power:\n"
                              "  platform: 3 W\n"
                              "  idle: 2.5 W\n"
                              "  battery: {capacity: 50 Wh, usable: 0.8}\n" + extra);
}

scenario::Inputs battery_inputs(config::BatteryUsageSpec u, const std::string& extra = "") {
    scenario::Inputs in = inputs(battery_machine(extra), tiny_model_yaml(), "q4_0", 64, 16);
    u.present = true;
    in.scenario.battery = u;
    return in;
}

}  // namespace

TEST(UsagePattern, chat_continuous_agent_and_trace_lay_out_their_cycles) {
    config::BatteryUsageSpec u;
    auto seconds = [](const scenario::RequestShape& s) { return 0.01 * static_cast<double>(s.prompt + s.gen); };
    u.pattern = config::UsageKind::chat;
    u.requests_per_hour = 40;
    scenario::UsagePattern chat = scenario::make_pattern(u, 100, 100);
    scenario::CycleLayout c = scenario::lay_out(chat, seconds);
    EXPECT_DOUBLE_EQ(c.period_s, 90.0);
    EXPECT_DOUBLE_EQ(c.idle_s, 88.0);

    u.pattern = config::UsageKind::continuous;
    c = scenario::lay_out(scenario::make_pattern(u, 100, 100), seconds);
    EXPECT_DOUBLE_EQ(c.period_s, 2.0);
    EXPECT_DOUBLE_EQ(c.idle_s, 0.0);

    u.pattern = config::UsageKind::agent;
    u.turns = 3;
    u.growth = 100;
    u.tool_s = 4;
    u.pause_s = 10;
    const scenario::UsagePattern agent = scenario::make_pattern(u, 100, 100);
    EXPECT_EQ(scenario::distinct_shapes(agent).size(), 3u);
    c = scenario::lay_out(agent, seconds);
    // requests of 2, 3, 4 s with 4 s of tool between, then 4 + 10 s before the next task
    EXPECT_DOUBLE_EQ(c.start_s[1], 6.0);
    EXPECT_DOUBLE_EQ(c.start_s[2], 13.0);
    EXPECT_DOUBLE_EQ(c.period_s, 31.0);
    EXPECT_DOUBLE_EQ(c.idle_s, 22.0);

    u.pattern = config::UsageKind::trace;
    u.trace = {{0, 100, 100}, {1, 100, 100}, {10, 50, 50}};
    c = scenario::lay_out(scenario::make_pattern(u, 1, 1), seconds);
    EXPECT_DOUBLE_EQ(c.start_s[1], 2.0);   // queued behind the first
    EXPECT_DOUBLE_EQ(c.start_s[2], 10.0);
    EXPECT_DOUBLE_EQ(c.period_s, 11.0);
}

TEST(Battery, idle_only_pattern_draws_baseline_times_time) {
    config::BatteryUsageSpec u;
    u.pattern = config::UsageKind::idle;
    u.screen_w = 1.5;
    u.self_refresh_w = 0.25;
    const scenario::BatteryReport r = scenario::battery_life(battery_inputs(u));
    const double baseline = 2.5 + 0.25 + 1.5;
    EXPECT_DOUBLE_EQ(r.usable_wh, 40.0);
    EXPECT_NEAR(r.avg_power_w, baseline, 1e-12);
    EXPECT_NEAR(r.hours, 40.0 / baseline, 1e-12);
    EXPECT_DOUBLE_EQ(r.tokens_per_charge, 0.0);
    EXPECT_NEAR(r.energy.idle_j, (2.5 + 0.25) * r.hours * 3600, 1e-6);
    EXPECT_NEAR(r.energy.screen_j, 1.5 * r.hours * 3600, 1e-6);
}

TEST(Battery, continuous_hours_and_tokens_follow_from_the_simulated_request) {
    config::BatteryUsageSpec u;
    const scenario::Inputs in = battery_inputs(u);
    const scenario::BatteryReport r = scenario::battery_life(in);
    const scenario::RequestCost c = scenario::request_cost(in, {64, 16});
    EXPECT_DOUBLE_EQ(r.hours, r.usable_wh / r.avg_power_w);
    EXPECT_NEAR(r.avg_power_w, c.energy_j / c.seconds, 1e-9 * r.avg_power_w);
    EXPECT_NEAR(r.tokens_per_charge, r.hours * 3600 * 16 / c.seconds, 1e-6 * r.tokens_per_charge);
    EXPECT_NEAR(r.energy.total(), r.usable_wh * 3600, 1e-6 * r.energy.total());
    EXPECT_FALSE(r.throttled);
    EXPECT_EQ(r.shapes_simulated, 1u);
}

TEST(Battery, chat_mixes_requests_and_analytic_idle) {
    config::BatteryUsageSpec u;
    u.pattern = config::UsageKind::chat;
    u.requests_per_hour = 60;
    const scenario::Inputs in = battery_inputs(u);
    const scenario::BatteryReport r = scenario::battery_life(in);
    const scenario::RequestCost c = scenario::request_cost(in, {64, 16});
    const double cycle_j = c.energy_j + 2.5 * (60.0 - c.seconds);
    EXPECT_NEAR(r.avg_power_w, cycle_j / 60.0, 1e-9);
    EXPECT_DOUBLE_EQ(r.hours, r.usable_wh / r.avg_power_w);
    EXPECT_NEAR(r.requests_per_charge, r.hours * 60, 1e-6);
    EXPECT_NEAR(r.tokens_per_charge, r.requests_per_charge * 16, 1e-6);
}

TEST(Battery, throttling_sets_in_when_the_rc_reaches_t_max) {
    config::BatteryUsageSpec u;
    // A domain that cannot hold the SoC's power for ever: onset at -RC ln((T_inf - T_max) / (T_inf - T_0)).
    const std::string extra = "thermal:\n  domains:\n    soc: {parts: [gpu, lpddr], resistance: 40, capacitance: 2, t_max: 60}\n";
    const scenario::Inputs in = battery_inputs(u, extra);
    scenario::Inputs plain = in;
    plain.machine.thermal = {};
    const scenario::RequestCost c = scenario::request_cost(plain, {64, 16});
    double soc_j = 0;
    for (const auto& [name, j] : c.domain_j) soc_j += (name == "compute:gpu" || name == "dram:lpddr") ? j : 0.0;
    const double p = soc_j / c.seconds, t_inf = 25 + 40 * p;
    ASSERT_GT(t_inf, 60.0) << "the test needs a domain that overheats";
    const scenario::BatteryReport r = scenario::battery_life(in);
    ASSERT_TRUE(r.throttled);
    EXPECT_EQ(r.throttle_limit, "thermal:soc");
    EXPECT_NEAR(r.throttle_at_s, -80.0 * std::log((t_inf - 60.0) / (t_inf - 25.0)), 1e-6);
}

TEST(Battery, trace_files_load_and_bad_lines_name_the_file_and_line) {
    TempDir dir;
    const std::string good = dir.write("reqs.csv", "at_s,prompt,gen\n0,512,128\n# a comment\n30.5,256,64\n");
    const auto t = config::load_request_trace(good);
    ASSERT_EQ(t.size(), 2u);
    EXPECT_DOUBLE_EQ(t[1].at_s, 30.5);
    EXPECT_EQ(t[1].gen, 64);
    const std::string bad = dir.write("bad.csv", "0,512,128\n10,abc,3\n");
    try {
        config::load_request_trace(bad);
        FAIL() << "a bad line was accepted";
    } catch (const config::InputError& e) {
        EXPECT_NE(std::string(e.what()).find("bad.csv:2"), std::string::npos) << e.what();
    }
}

TEST(Battery, a_machine_without_a_battery_is_refused) {
    config::BatteryUsageSpec u;
    scenario::Inputs in = battery_inputs(u);
    in.machine.power.battery.capacity_j = 0;
    EXPECT_THROW(scenario::battery_life(in), config::InputError);
}

}  // namespace infersim::test
