// Thermals, power limits and DVFS: the RC step response in closed form, the machine sections'
// loading and errors, the governor's control law, and a governed run slowing down.
#include <gtest/gtest.h>

#include <cmath>

#include "config/errors.hpp"
#include "hardware/thermal/governor.hpp"
#include "hardware/thermal/thermal_model.hpp"
#include "support/inputs.hpp"

namespace infersim::test {
namespace {

config::ThermalSpec one_domain(double r, double c, double t_max) {
    config::ThermalSpec t;
    config::CoolingDomainSpec d;
    d.name = "soc";
    d.r_k_per_w = r;
    d.c_j_per_k = c;
    d.t_max_c = t_max;
    d.ambient_c = 25;
    t.domains.push_back(d);
    return t;
}

// A 3-point GPU, a cap on its power, and energy per op so compute draws power.
std::string governed_machine(const std::string& limits) {
    return lpddr_machine_yaml(8, 10,
                              "    energy: {fp16: 2 pJ/FLOP, fp32: 2 pJ/FLOP}\n"
                              "power:\n"
                              "  dvfs:\n"
                              "    gpu: [[250, 600], [500, 750], [1000, 900]]\n" + limits);
}

}  // namespace

TEST(Thermal, rc_step_response_is_the_closed_form) {
    const config::ThermalSpec spec = one_domain(2.0, 10.0, 40.0);
    auto m = hw::thermal::make_thermal_model(spec);
    m->advance(0, 10.0, 5.0);
    // T(t) = Ta + P R (1 - e^{-t / RC}), RC = 20 s
    EXPECT_NEAR(m->temperature_c(0), 25.0 + 20.0 * (1.0 - std::exp(-5.0 / 20.0)), 1e-12);
    // Two halves land where one whole step does (no stepping error).
    auto halves = hw::thermal::make_thermal_model(spec);
    halves->advance(0, 10.0, 2.5);
    halves->advance(0, 10.0, 2.5);
    EXPECT_NEAR(halves->temperature_c(0), m->temperature_c(0), 1e-12);
    // From ambient at 10 W the domain heads for 45 C and crosses 40 C at RC ln(20 / 5).
    auto fresh = hw::thermal::make_thermal_model(spec);
    EXPECT_NEAR(fresh->time_to_limit_s(0, 10.0), 20.0 * std::log(4.0), 1e-12);
    EXPECT_TRUE(std::isinf(fresh->time_to_limit_s(0, 7.0)));   // 25 + 14 < 40: never
    EXPECT_DOUBLE_EQ(fresh->sustainable_w(0), 7.5);
}

TEST(Thermal, machine_sections_load_and_name_bad_parts) {
    const config::MachineSpec m = machine_from(governed_machine(
        "thermal:\n  domains:\n    soc: {parts: [gpu, lpddr], resistance: 2, capacitance: 30, t_max: 95}\n"
        "limits:\n  pl1: {power: 15 W, tau: 28 s}\n  pl2: {parts: [gpu], power: 25 W}\n"));
    ASSERT_EQ(m.thermal.domains.size(), 1u);
    EXPECT_EQ(m.thermal.impl, "rc");
    EXPECT_DOUBLE_EQ(m.thermal.domains[0].t_max_c, 95);
    ASSERT_EQ(m.thermal.limits.size(), 2u);
    EXPECT_DOUBLE_EQ(m.thermal.limits[0].tau_s, 28);
    ASSERT_NE(m.power.dvfs_of("gpu"), nullptr);
    EXPECT_DOUBLE_EQ(m.power.dvfs_of("gpu")->points[2].hz, 1e9);
    EXPECT_DOUBLE_EQ(m.power.dvfs_of("gpu")->points[0].volts, 0.6);
    try {
        machine_from(governed_machine("limits:\n  pl1: {parts: [gpux], power: 15 W}\n"));
        FAIL() << "an unknown part was accepted";
    } catch (const config::InputError& e) {
        EXPECT_NE(std::string(e.what()).find("test.yaml:"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("gpux"), std::string::npos) << e.what();
    }
    EXPECT_THROW(machine_from(governed_machine("thermal:\n  impl: nope\n  domains: {}\n")), config::InputError);
    EXPECT_THROW(machine_from(lpddr_machine_yaml(8, 10, "power:\n  dvfs:\n    gpu: [[500, 700], [400, 800]]\n")), config::InputError);
}

TEST(Thermal, a_pool_heats_with_its_device_phy_and_fabric_and_host_and_uncore_are_parts) {
    const config::MachineSpec m = machine_from(governed_machine(
        "thermal:\n  domains:\n    soc: {parts: [gpu, lpddr, host, uncore], resistance: 2, capacitance: 30, t_max: 95}\n"));
    const std::vector<std::string> want{"compute:gpu", "dram:lpddr", "dram_phy:lpddr", "fabric:lpddr", "host", "uncore"};
    EXPECT_EQ(hw::thermal::heat_domains(m, m.thermal.domains[0].parts), want);
    // No parts: every unit and every pool, each pool at all three levels.
    EXPECT_EQ(hw::thermal::heat_domains(m, {}), (std::vector<std::string>{"compute:gpu", "dram:lpddr", "dram_phy:lpddr", "fabric:lpddr"}));
    try {
        machine_from(governed_machine("thermal:\n  domains:\n    soc: {parts: [hots], resistance: 2, capacitance: 30, t_max: 95}\n"));
        FAIL() << "an unknown part was accepted";
    } catch (const config::InputError& e) {
        EXPECT_NE(std::string(e.what()).find("host or uncore"), std::string::npos) << e.what();
    }
}

TEST(Thermal, governor_steps_down_while_a_limit_binds_and_back_up_with_headroom) {
    const config::MachineSpec m = machine_from(governed_machine("limits:\n  cap: {parts: [gpu], power: 5 W}\n"));
    const std::vector<std::string> domains{"dram:lpddr", "compute:gpu", "platform"};
    hw::thermal::Governor g(m, domains);
    ASSERT_TRUE(g.active());
    EXPECT_DOUBLE_EQ(g.clocks()[0].hz(), 1e9);
    const std::vector<double> hot{0, 8.0, 0};   // 8 J in 1 s on the GPU: over the 5 W cap
    EXPECT_TRUE(g.decide(1.0, hot));
    EXPECT_DOUBLE_EQ(g.clocks()[0].hz(), 5e8);
    EXPECT_DOUBLE_EQ(g.clocks()[0].time_scale(), 2.0);
    EXPECT_DOUBLE_EQ(g.clocks()[0].energy_scale(), (0.75 / 0.9) * (0.75 / 0.9));
    EXPECT_DOUBLE_EQ(g.first_throttle_s(), 1.0);
    // 3 W at 500 MHz would be 3 x (1000 x 0.81) / (500 x 0.5625) = 8.6 W one point up: stay.
    EXPECT_FALSE(g.decide(1.0, std::vector<double>{0, 3.0, 0}));
    // 1 W -> 2.9 W one point up: under the cap, step up.
    EXPECT_TRUE(g.decide(1.0, std::vector<double>{0, 1.0, 0}));
    EXPECT_DOUBLE_EQ(g.clocks()[0].hz(), 1e9);
}

TEST(Thermal, a_binding_limit_lowers_the_clock_and_the_work_slows) {
    const std::string model = tiny_model_yaml();
    const scenario::Inputs free_in = inputs(governed_machine(""), model, "f16", 2048, 4);
    const scenario::Inputs capped_in = inputs(governed_machine("limits:\n  cap: {parts: [gpu], power: 1 mW}\n"), model, "f16", 2048, 4);
    const scenario::RunOutput free_run = scenario::run(free_in);
    const scenario::RunOutput capped = scenario::run(capped_in);
    EXPECT_TRUE(free_run.thermal.empty());
    ASSERT_FALSE(capped.thermal.empty());
    const auto& clock = capped.thermal.clock_hz[0];
    EXPECT_DOUBLE_EQ(clock.front(), 1e9);
    EXPECT_DOUBLE_EQ(clock.back(), 2.5e8);   // the lowest point
    EXPECT_GE(capped.throttle_s, 0);
    // The prompt is compute-bound: at a lower clock it takes longer.
    EXPECT_GT(capped.summary.simulated_s, free_run.summary.simulated_s);
}

// The fanless Air (cooling domain: the whole package into a chassis that sheds (100 - 25) /
// 7.5 K/W = 10 W at t_max, ASSUMPTION) under a compute-bound load: a 100,000-token prompt of
// llama-3.1-8b Q4_K_M, about half an hour of prefill at ~10.7 W of package power. Its domain
// reaches t_max after ~20 min, the governor steps the GPU down the V-f table and holds the
// domain there; the same SoC without the Air's cooling (apple-m2) runs it faster.
// A memory-bound decode on the Air draws ~9 W of package power (8B Q4_K_M; ~8 W in f16), under
// that 10 W, so the model predicts no throttling in decode; nothing here is tuned to change it.
TEST(Thermal, apple_m2_air_ends_a_30_minute_prompt_at_a_lower_clock) {
    auto long_prompt = [](const char* machine) {
        scenario::Inputs in = shipped(machine, "llama-3.1-8b", "q4_k_m", 100000, 1);
        in.scenario.sim.bin_s = 1.0;
        in.scenario.sim.chunk_bytes = 64.0 * 1048576;  // a long run: coarse tiles
        return scenario::run(in);
    };
    const scenario::RunOutput air = long_prompt("apple-m2-air");
    ASSERT_GE(air.summary.simulated_s, 1500.0);
    ASSERT_FALSE(air.thermal.empty());
    const std::vector<double>& clock = air.thermal.clock_hz[0];
    EXPECT_DOUBLE_EQ(clock.front(), 1.398e9);
    EXPECT_LT(clock.back(), clock.front());
    EXPECT_GT(air.throttle_s, 600.0);    // the chassis takes minutes to heat (RC = 7.5 min)
    // The domain sits at its limit at the end, not far above it (the governor holds it).
    EXPECT_GT(air.thermal.temperature_c[0].back(), 95.0);
    EXPECT_LT(air.thermal.temperature_c[0].back(), 100.0 + 2.0);
    // The summary says so.
    ASSERT_TRUE(air.summary.thermal.active);
    EXPECT_DOUBLE_EQ(air.summary.thermal.throttle_s, air.throttle_s);
    ASSERT_EQ(air.summary.thermal.units.size(), 1u);
    EXPECT_DOUBLE_EQ(air.summary.thermal.units[0].end_hz, clock.back());
    EXPECT_LT(air.summary.thermal.units[0].min_hz, 1.398e9);
    EXPECT_GT(air.summary.thermal.domains[0].peak_c, 95.0);
    const scenario::RunOutput pro = long_prompt("apple-m2");
    EXPECT_TRUE(pro.thermal.empty());
    EXPECT_FALSE(pro.summary.thermal.active);
    EXPECT_GT(air.summary.simulated_s, pro.summary.simulated_s);
}

}  // namespace infersim::test
