// Power model `system` priced directly: per-pool DRAM prices at device, PHY and fabric level
// (doubling the device pJ/bit doubles the device's energy and nothing else), an issuing unit's
// active static power over an op's span (stalled or not), a spinning host core per runtime,
// one V-f table per machine, the PSU curve's interpolation, and a machine that lacks a figure: an error at
// its file:line:col, or a default the model names.
#include <gtest/gtest.h>

#include "config/errors.hpp"
#include "hardware/power/power_models.hpp"
#include "hardware/power/system_params.hpp"
#include "support/fixtures.hpp"

using namespace infersim;

namespace {

const std::string kPower =
    "power:\n"
    "  impl: system\n"
    "  units:\n"
    "    gpu: {constant: 1 W, idle: 2 W, active: 10 W}\n"
    "  host: {core: 4 W, idle: 0.5 W}\n"
    "  uncore: 3 W\n"
    "  memory:\n"
    "    lpddr: {phy: 1 pJ/bit, fabric: 0.5 pJ/bit, background: 2 W, self_refresh: 0.25 W}\n"
    "  parts:\n"
    "    display: {min: 1 W, max: 5 W, brightness: 0.5}\n"
    "    ssd: {active: 0.5 W, idle: 0.125 W}\n"
    "  supply: {kind: adapter, rating: 100 W, efficiency: [[0.1, 0.8], [0.5, 0.9], [1.0, 0.85]], no_load: 0.25 W}\n";

config::MachineSpec machine(const std::string& power = kPower) { return test::machine_from(test::lpddr_machine_yaml(2, 100, power)); }

std::size_t domain(const hw::PowerModel& pm, const std::string& name) {
    for (std::size_t d = 0; d < pm.domain_count(); ++d)
        if (pm.domain_names()[d] == name) return d;
    ADD_FAILURE() << "no domain " << name;
    return 0;
}

double price(const hw::PowerModel& pm, std::size_t d, bool write) {
    for (const hw::DramPrice& p : pm.dram_prices(0))
        if (p.domain == d) return write ? p.write_j_per_byte : p.read_j_per_byte;
    return 0;
}

}  // namespace

TEST(SystemPower, is_registered_and_lays_out_its_domains_after_the_standard_ones) {
    const config::MachineSpec m = machine();
    auto pm = hw::make_power_model(m);
    const std::vector<std::string> expected{"dram:lpddr", "compute:gpu", "platform", "host", "dram_phy:lpddr", "fabric:lpddr",
                                            "uncore", "platform:display", "platform:ssd", "supply_loss"};
    EXPECT_EQ(pm->domain_names(), expected);
    EXPECT_EQ(pm->supply_domain(), expected.size() - 1);
    EXPECT_EQ(pm->domain_kind(domain(*pm, "dram_phy:lpddr")), hw::DomainKind::memory_phy);
    EXPECT_TRUE(pm->domain_on_soc(domain(*pm, "host")));
    EXPECT_FALSE(pm->domain_on_soc(domain(*pm, "dram:lpddr")));
}

TEST(SystemPower, prices_dram_at_device_phy_and_fabric_level) {
    const config::MachineSpec m = machine();
    auto pm = hw::make_power_model(m);
    const auto& pool = m.pools[0];
    const double act = pool.energy.activate_j / pool.timing.page_bytes;
    EXPECT_DOUBLE_EQ(price(*pm, 0, false), 8 * pool.energy.read_j_per_bit + act);
    EXPECT_DOUBLE_EQ(price(*pm, domain(*pm, "dram_phy:lpddr"), false), 8e-12);
    EXPECT_DOUBLE_EQ(price(*pm, domain(*pm, "fabric:lpddr"), true), 4e-12);
    const hw::ChannelActivity a{0, 0, 0, 1000, 4096, false, 0, 0, 0};
    EXPECT_DOUBLE_EQ(pm->dram_energy_j(a), 4096 * (8 * pool.energy.read_j_per_bit + act + 8e-12 + 4e-12));
}

TEST(SystemPower, doubling_dram_pj_per_bit_doubles_device_energy_only) {
    config::MachineSpec m = machine();
    m.pools[0].energy.activate_j = 0;   // the device's energy is then its pJ/bit alone
    auto pm = hw::make_power_model(m);
    config::MachineSpec m2 = m;
    m2.pools[0].energy.read_j_per_bit *= 2;
    m2.pools[0].energy.write_j_per_bit *= 2;
    auto pm2 = hw::make_power_model(m2);
    for (bool w : {false, true}) {
        EXPECT_EQ(price(*pm2, 0, w), 2 * price(*pm, 0, w));
        EXPECT_EQ(price(*pm2, domain(*pm2, "dram_phy:lpddr"), w), price(*pm, domain(*pm, "dram_phy:lpddr"), w));
    }
}

TEST(SystemPower, an_issuing_unit_pays_active_static_and_a_spinning_host_one_core) {
    const config::MachineSpec m = machine();
    auto blocking = hw::make_power_model(m, {false});
    auto spinning = hw::make_power_model(m, {true});
    // Over an op's span: active - idle on the unit; the host core only when the runtime spins.
    const auto b = blocking->op_span_prices(0), s = spinning->op_span_prices(0);
    ASSERT_EQ(b.size(), 1u);
    EXPECT_EQ(b[0].domain, blocking->unit_domain(0));
    EXPECT_DOUBLE_EQ(b[0].watts, 10 - 2);
    ASSERT_EQ(s.size(), 2u);
    EXPECT_EQ(s[1].domain, domain(*spinning, "host"));
    EXPECT_DOUBLE_EQ(s[1].watts, 4);
    // Always: constant + idle on the unit, the host's idle, background, uncore, parts.
    EXPECT_DOUBLE_EQ(blocking->constant_power_w(blocking->unit_domain(0)), 1 + 2);
    EXPECT_DOUBLE_EQ(blocking->constant_power_w(domain(*blocking, "host")), 0.5);
    EXPECT_DOUBLE_EQ(blocking->constant_power_w(0), 2);
    EXPECT_DOUBLE_EQ(blocking->constant_power_w(domain(*blocking, "platform:display")), 3);   // 1 + (5 - 1) x 0.5
    // A machine-level override: a host that blocks whatever the runtime does.
    std::string p = kPower;
    p.replace(p.find("idle: 0.5 W}"), 12, "idle: 0.5 W, sync: block}");
    const config::MachineSpec tegra = machine(p);
    EXPECT_EQ(hw::make_power_model(tegra, {true})->op_span_prices(0).size(), 1u);
}

TEST(SystemPower, the_machine_has_one_v_f_table_power_dvfs_not_one_per_power_unit) {
    std::string p = kPower;
    p.replace(p.find("active: 10 W}"), 13, "active: 10 W, dvfs: [[500 MHz, 500 mV], [1 GHz, 1000 mV]]}");
    try {
        machine(p);
        FAIL() << "a per-unit V-f table in power.units was accepted";
    } catch (const config::InputError& e) {
        EXPECT_NE(std::string(e.what()).find("test.yaml:"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("dvfs"), std::string::npos) << e.what();
    }
    const config::MachineSpec m = machine(kPower + "  dvfs:\n    gpu: [[500, 500], [1000, 1000]]\n");
    ASSERT_NE(m.power.dvfs_of("gpu"), nullptr);
    EXPECT_EQ(m.power.dvfs_of("gpu")->points.size(), 2u);
}

TEST(SystemPower, supply_curve_interpolates_in_load_and_holds_its_ends) {
    hw::SupplyPower s;
    s.set = true;
    s.rating_w = 100;
    s.curve = {{0.1, 0.8}, {0.5, 0.9}, {1.0, 0.85}};
    EXPECT_DOUBLE_EQ(hw::supply_efficiency(s, 5), 0.8);       // below the first point
    EXPECT_DOUBLE_EQ(hw::supply_efficiency(s, 30), 0.85);     // halfway 10% -> 50%
    EXPECT_DOUBLE_EQ(hw::supply_efficiency(s, 75), 0.875);
    EXPECT_DOUBLE_EQ(hw::supply_efficiency(s, 200), 0.85);    // past the last
    s.no_load_w = 0.25;
    EXPECT_DOUBLE_EQ(hw::supply_loss_w(s, 50), 0.25 + 50 / 0.9 - 50);
    const config::MachineSpec m = machine();
    auto pm = hw::make_power_model(m);
    EXPECT_DOUBLE_EQ(pm->wall_power_w(50), 0.25 + 50 / 0.9);
    EXPECT_DOUBLE_EQ(pm->supply_loss_j(100, 2), 2 * (0.25 + 50 / 0.9 - 50));
}

TEST(SystemPower, idle_power_is_every_constant_with_dram_in_self_refresh_and_parts_idle) {
    const config::MachineSpec m = machine();
    auto pm = hw::make_power_model(m);
    const double awake = (1 + 2) + 0.5 + 2 + 3 + 3 + 0.5;   // unit, host, dram, uncore, display, ssd
    EXPECT_DOUBLE_EQ(pm->idle_power_w(false), awake + (3 - 3) + (0.125 - 0.5));
    EXPECT_DOUBLE_EQ(pm->idle_power_w(true), awake - 0.375 + (0.25 - 2));
}

TEST(SystemPower, a_unit_without_figures_is_an_error_at_the_units_map) {
    const config::MachineSpec m = test::machine_from(test::lpddr_machine_yaml(2) +
                                                     "  cpu: {kind: cpu, count: 1, clock: 1 GHz, memory: lpddr, vector: {fp32: 16}}\n" + kPower);
    try {
        hw::make_power_model(m);
        FAIL() << "expected an InputError";
    } catch (const config::InputError& e) {
        EXPECT_EQ(e.field(), "power.units");
        EXPECT_EQ(e.where().file, "test.yaml");
        EXPECT_GT(e.where().line, 0);
        EXPECT_NE(std::string(e.what()).find("'cpu'"), std::string::npos) << e.what();
    }
}

TEST(SystemPower, a_required_figure_is_refused_at_load_and_optional_ones_are_named) {
    std::string p = kPower;
    p.replace(p.find(", active: 10 W"), 14, "");
    EXPECT_THROW(machine(p), config::InputError);   // units.gpu.active is required
    const config::MachineSpec bare = machine(
        "power:\n  impl: system\n  units: {gpu: {idle: 1 W, active: 2 W}}\n  memory: {lpddr: {phy: 1 pJ/bit, background: 1 W}}\n");
    auto pm = hw::make_power_model(bare);
    const std::vector<std::string>& d = pm->defaults();
    auto named = [&](const std::string& what) {
        for (const std::string& s : d)
            if (s.find(what) != std::string::npos) return true;
        return false;
    };
    for (const char* what : {"power.host", "power.uncore", "power.parts", "power.supply", "lpddr.fabric", "lpddr.self_refresh",
                             "compute.gpu.energy.fp16"})
        EXPECT_TRUE(named(what)) << what;
    EXPECT_EQ(pm->wall_power_w(10), 10);   // no supply: the wall is the DC side
}
