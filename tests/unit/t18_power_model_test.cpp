// Power models: the registry and its default, the `actions` model priced against a known activity
// sequence in exact joules, the domain layout the outputs depend on, and the machine loader's
// `power.impl` (validated against the catalog, with the impl's own fields).
#include <gtest/gtest.h>

#include <sstream>

#include "config/machine_loader.hpp"
#include "hardware/power/power_models.hpp"
#include "support/fixtures.hpp"

using namespace infersim;

namespace {

// Figures chosen so every product is exact in binary floating point.
config::MachineSpec machine() {
    config::MachineSpec m;
    config::PoolSpec p;
    p.name = "lpddr";
    p.channels = 2;
    p.timing.page_bytes = 1024;
    p.energy = {0.25, 0.5, 2.0, 4.0};   // J/bit read, J/bit write, J/activation, W background
    m.pools.push_back(p);
    config::ComputeUnitSpec u;
    u.name = "gpu";
    u.static_w = 8.0;
    m.units.push_back(u);
    config::LinkSpec l;
    l.name = "pcie";
    l.energy_j_per_bit = 0.125;
    m.links.push_back(l);
    config::CacheSpec c;
    c.name = "slc";
    c.energy_j_per_byte = 0.0625;
    m.caches.push_back(c);
    m.power.platform_w = 16.0;
    return m;
}

}  // namespace

TEST(PowerModels, actions_is_registered_first_and_is_the_default) {
    ASSERT_FALSE(hw::power_models().entries().empty());
    EXPECT_EQ(hw::power_models().entries().front().name, "actions");
    config::MachineSpec m = machine();
    EXPECT_NE(hw::make_power_model(m), nullptr);
    m.power.impl = "nope";
    EXPECT_THROW(hw::make_power_model(m), std::invalid_argument);
}

TEST(PowerModels, domains_keep_the_output_order) {
    const config::MachineSpec m = machine();
    auto pm = hw::make_power_model(m);
    const std::vector<std::string> expected{"dram:lpddr", "compute:gpu", "link:pcie", "cache:slc", "platform"};
    EXPECT_EQ(pm->domain_names(), expected);
    EXPECT_EQ(pm->dram_domain(0), 0u);
    EXPECT_EQ(pm->unit_domain(0), 1u);
    EXPECT_EQ(pm->link_domain(0), 2u);
    EXPECT_EQ(pm->cache_domain(0), 3u);
    EXPECT_EQ(pm->platform_domain(), 4u);
}

TEST(PowerModels, actions_prices_a_known_activity_sequence_exactly) {
    const config::MachineSpec m = machine();
    auto pm = hw::make_power_model(m);
    // A read of 2 pages, a write of half a page, a link transfer, a cache hit, a unit's span.
    const hw::ChannelActivity read{0, 0, 0, 1000, 2048, false, 0, 1, 1};
    const hw::ChannelActivity write{0, 1, 0, 1000, 512, true, 0, 0, 1};
    EXPECT_EQ(pm->dram_energy_j(read), 8.0 * 2048 * 0.25 + 2 * 2.0);     // 4100 J
    EXPECT_EQ(pm->dram_energy_j(write), 8.0 * 512 * 0.5 + 0.5 * 2.0);    // 2049 J
    EXPECT_EQ(pm->link_energy_j(0, 64), 64.0);                           // 512 bit x 0.125 J
    EXPECT_EQ(pm->cache_energy_j(0, 64), 4.0);                           // 64 B x 0.0625 J
    EXPECT_EQ(pm->compute_energy_j(0, 1000, 3.5), 3.5);                  // the ops' own energy
    // Constant power by domain: background, static, none for links and caches, platform.
    const std::vector<double> watts{4.0, 8.0, 0.0, 0.0, 16.0};
    for (std::size_t d = 0; d < watts.size(); ++d) EXPECT_EQ(pm->constant_power_w(d), watts[d]) << pm->domain_names()[d];
}

TEST(PowerModels, describe_lists_every_model) {
    std::ostringstream out;
    hw::print_power_models(out);
    EXPECT_NE(out.str().find("impl: actions"), std::string::npos);
}

// ---- the machine loader's power.impl -------------------------------------------------------

TEST(PowerYaml, power_impl_defaults_to_the_first_model_and_accepts_it_by_name) {
    EXPECT_EQ(test::machine_from(test::lpddr_machine_yaml(4)).power.impl, "actions");
    config::MachineSpec m = test::machine_from(test::lpddr_machine_yaml(4, 100, "power: {impl: actions, platform: 5 W}\n"));
    EXPECT_EQ(m.power.impl, "actions");
    EXPECT_EQ(m.power.platform_w, 5.0);
}

TEST(PowerYaml, unknown_power_impl_names_its_line_and_the_registered_models) {
    try {
        test::machine_from(test::lpddr_machine_yaml(4, 100, "power:\n  impl: bogus\n"));
        FAIL() << "accepted an unknown power model";
    } catch (const config::InputError& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("test.yaml:15:9"), std::string::npos) << what;
        EXPECT_NE(what.find("power.impl"), std::string::npos) << what;
        EXPECT_NE(what.find("bogus"), std::string::npos) << what;
        EXPECT_NE(what.find("actions"), std::string::npos) << what;
    }
}

namespace {

// A power model known only to this test, with one field of its own, to show the loader reads
// the chosen implementation's fields and refuses another implementation's.
struct MockParams {
    double idle_fraction = 0.5;
};
const std::array kMockFields{config::Field<config::PowerSpec>{
    "idle_fraction", "fraction", false, "0.5", "test field",
    [](config::PowerSpec& p, const config::Node& n) { hw::impl_params<MockParams>(p).idle_fraction = n.as_quantity(config::Dimension::count, 0, 1); }}};

struct MockEntry : config::ImplInfo<config::PowerSpec> {};

config::MachineSpec with_catalog(const std::string& power_yaml) {
    static const core::Registry<MockEntry> registry = [] {
        core::Registry<MockEntry> r("power models", "test");
        r.add(MockEntry{{"plain", "no fields", {}}});
        r.add(MockEntry{{"mock", "one field", kMockFields}});
        return r;
    }();
    config::MachineCatalogs catalogs;
    catalogs.power_models = config::ImplCatalog<config::PowerSpec>(registry);
    const std::string y = test::lpddr_machine_yaml(4, 100, power_yaml);
    return config::read_machine(config::Node(config::load_yaml_text(y, "test.yaml"), "test.yaml"), catalogs);
}

}  // namespace

TEST(PowerYaml, the_chosen_models_own_fields_are_read_into_its_params) {
    config::MachineSpec m = with_catalog("power: {impl: mock, idle_fraction: 0.25, platform: 2 W}\n");
    EXPECT_EQ(m.power.impl, "mock");
    EXPECT_EQ(hw::impl_params_or_default<MockParams>(m.power).idle_fraction, 0.25);
    EXPECT_EQ(m.power.platform_w, 2.0);
    // Unset: the params' own default.
    EXPECT_EQ(hw::impl_params_or_default<MockParams>(with_catalog("power: {impl: mock}\n").power).idle_fraction, 0.5);
    // Default implementation: the first registered.
    EXPECT_EQ(with_catalog("power: {platform: 2 W}\n").power.impl, "plain");
    // Another implementation's field is an unknown key.
    try {
        with_catalog("power: {impl: plain, idle_fraction: 0.25}\n");
        FAIL() << "accepted a field of another power model";
    } catch (const config::InputError& e) {
        EXPECT_NE(std::string(e.what()).find("idle_fraction"), std::string::npos) << e.what();
    }
}
