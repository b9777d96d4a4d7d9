// Whole runs under power model `system`: energy equals the sum of its parts exactly (the split,
// in its key order) and each part the sum of its domains; an idle span costs the baseline x
// time; a memory-stalled GPU pays its active static power over its ops; a spinning host adds
// one core over them; doubling the DRAM pJ/bit doubles the DRAM device energy; prefill and
// decode energies per token; and every shipped machine builds its power model.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "hardware/power/power_models.hpp"
#include "support/inputs.hpp"

using namespace infersim;

namespace {

const std::string kModel = "name: mid\nlayers: 8\nhidden: 4096\nheads: 32\nkv_heads: 8\nffn: 14336\nvocab: 32000\n";

std::string power(const std::string& active = "10 W") {
    return "power:\n"
           "  impl: system\n"
           "  units: {gpu: {constant: 1 W, idle: 2 W, active: " + active + "}}\n"
           "  host: {core: 4 W, idle: 0.5 W}\n"
           "  uncore: 3 W\n"
           "  memory: {lpddr: {phy: 1 pJ/bit, fabric: 0.5 pJ/bit, background: 2 W}}\n"
           "  parts: {display: {min: 1 W, max: 5 W, brightness: 0.5}}\n"
           "  supply: {kind: adapter, rating: 100 W, efficiency: [[0.1, 0.8], [0.5, 0.9], [1.0, 0.85]], no_load: 0.25 W}\n";
}

scenario::RunOutput run(const std::string& pw, bool spin = false, double dram_scale = 1) {
    scenario::Inputs in = test::inputs(test::lpddr_machine_yaml(16, 100, pw), kModel, "q4_0", 32, 8);
    in.runtime.host_spins = spin;
    in.machine.pools[0].energy.read_j_per_bit *= dram_scale;
    in.machine.pools[0].energy.write_j_per_bit *= dram_scale;
    in.machine.pools[0].energy.activate_j *= dram_scale;
    return scenario::run(in);
}

double domain_j(const output::Summary& s, const std::string& name) {
    for (const auto& [k, v] : s.energy_by_domain)
        if (k == name) return v;
    ADD_FAILURE() << "no domain " << name;
    return 0;
}

double op_seconds(const output::Recorder& rec) {
    double s = 0;
    for (const replay::OpRecord& r : rec.ops()) s += engine::to_seconds(r.end - r.start);
    return s;
}

}  // namespace

TEST(SystemEnergy, energy_equals_the_sum_of_its_parts_exactly) {
    const scenario::RunOutput r = run(power());
    const output::Summary& s = r.summary;
    double split = 0;
    for (const auto& [k, v] : s.energy_split) split += v;   // in key order, as a JSON reader sees them
    EXPECT_EQ(split, s.energy_j);
    double domains = 0;
    for (const auto& [k, v] : s.energy_by_domain) domains += v;
    EXPECT_NEAR(domains, s.energy_j, 1e-12 * s.energy_j);
    // Each part is its domains' sum.
    std::map<std::string, double> by_kind;
    for (std::size_t d = 0; d < r.power->domain_count(); ++d) by_kind[hw::name(r.power->domain_kind(d))] += s.energy_by_domain[d].second;
    for (const auto& [k, v] : s.energy_split) EXPECT_DOUBLE_EQ(v, by_kind[k]) << k;
    EXPECT_GT(by_kind["supply_loss"], 0);
    EXPECT_GT(by_kind["memory_phy"], 0);
    // Wall = system + loss; the SoC is part of the system.
    EXPECT_NEAR(s.wall_power_w * s.simulated_s, s.energy_j, 1e-9 * s.energy_j);
    EXPECT_NEAR((s.wall_power_w - s.system_power_w) * s.simulated_s, by_kind["supply_loss"], 1e-9 * s.energy_j);
    EXPECT_LT(s.soc_power_w, s.system_power_w);
    EXPECT_GE(s.peak_power_w, s.system_power_w);
}

TEST(SystemEnergy, an_idle_span_costs_the_baseline_times_its_length) {
    const config::MachineSpec m = test::machine_from(test::lpddr_machine_yaml(2, 100, power()));
    auto pm = hw::make_power_model(m);
    output::Recorder rec(m, *pm, engine::from_seconds(0.25), 4, 0);
    rec.finish(engine::from_seconds(1.0));   // one idle second, no activity
    const double baseline = (1 + 2) + 0.5 + 2 + 3 + 3;   // unit, host, DRAM background, uncore, display
    EXPECT_DOUBLE_EQ(rec.constant_power_w(), baseline);
    double dc = 0;
    for (std::size_t d = 0; d < pm->domain_count(); ++d)
        if (d != pm->supply_domain()) dc += rec.domain_total_j(d);
    EXPECT_NEAR(dc, baseline * 1.0, 1e-12);
    EXPECT_NEAR(rec.total_energy_j(), pm->wall_power_w(baseline) * 1.0, 1e-12);
}

TEST(SystemEnergy, a_gpu_stalled_on_memory_pays_its_active_static_power) {
    const scenario::RunOutput hot = run(power("10 W")), cold = run(power("2 W"));   // active 10 W vs = idle
    ASSERT_EQ(hot.summary.decode.bound, "memory");
    const double span = op_seconds(*hot.recorder);
    EXPECT_DOUBLE_EQ(hot.summary.simulated_s, cold.summary.simulated_s);
    EXPECT_NEAR(domain_j(hot.summary, "compute:gpu") - domain_j(cold.summary, "compute:gpu"), 8.0 * span, 1e-9);
}

TEST(SystemEnergy, a_spinning_host_adds_one_cores_power_over_the_gpus_ops) {
    const scenario::RunOutput spin = run(power(), true), block = run(power(), false);
    const double span = op_seconds(*spin.recorder);
    EXPECT_NEAR(domain_j(spin.summary, "host") - domain_j(block.summary, "host"), 4.0 * span, 1e-9);
    EXPECT_NEAR(domain_j(block.summary, "host"), 0.5 * block.summary.simulated_s, 1e-9);
}

TEST(SystemEnergy, doubling_dram_pj_per_bit_doubles_dram_device_energy) {
    std::string pw = power();
    pw.replace(pw.find("background: 2 W"), 15, "background: 0 W");
    const scenario::RunOutput one = run(pw), two = run(pw, false, 2.0);
    EXPECT_NEAR(domain_j(two.summary, "dram:lpddr"), 2 * domain_j(one.summary, "dram:lpddr"), 1e-12 * domain_j(two.summary, "dram:lpddr"));
    EXPECT_DOUBLE_EQ(domain_j(two.summary, "dram_phy:lpddr"), domain_j(one.summary, "dram_phy:lpddr"));
}

TEST(SystemEnergy, prefill_and_decode_are_priced_per_their_own_tokens) {
    const output::Summary s = run(power()).summary;
    EXPECT_EQ(s.prefill.tokens, 32u);
    ASSERT_GT(s.decode.tokens, 0u);
    EXPECT_DOUBLE_EQ(s.prefill.joules_per_token, s.prefill.energy_j / 32);
    EXPECT_DOUBLE_EQ(s.decode.joules_per_token, s.decode.energy_j / static_cast<double>(s.decode.tokens));
    // The phases cover the run but for the host gaps after their steps and the supply's
    // nonlinearity (priced per bin for the run, per phase average for the phases).
    EXPECT_NEAR(s.prefill.energy_j + s.decode.energy_j, s.energy_j, 0.02 * s.energy_j);
    EXPECT_GT(s.decode.wall_power_w, s.decode.system_power_w);
}

TEST(SystemEnergy, every_shipped_machine_uses_the_system_model_and_builds_it) {
    const std::string dir = std::string(INFERSIM_SOURCE_DIR) + "/configs/machines";
    int n = 0;
    for (const auto& f : std::filesystem::directory_iterator(dir)) {
        if (f.path().extension() != ".yaml") continue;
        const config::MachineSpec m = hw::load_machine(f.path().string(), test::config_paths());
        EXPECT_EQ(m.power.impl, "system") << f.path();
        EXPECT_NO_THROW(hw::make_power_model(m, {true})) << f.path();
        ++n;
    }
    EXPECT_GE(n, 30);
}
