// The recorder only bins: driven with a mock power model whose prices are round numbers, each
// domain's bins hold exactly what the model priced, spread over the activity's span, plus the
// model's constant power over each bin's span; the total is the sum of the domains. And with
// the `actions` model, a recorded activity sequence gives each domain the model's arithmetic.
#include <gtest/gtest.h>

#include "hardware/power/power_models.hpp"
#include "output/recorder.hpp"

using namespace infersim;

namespace {

constexpr engine::Tick kBin = 1'000'000;   // 1 us

config::MachineSpec machine() {
    config::MachineSpec m;
    config::PoolSpec p;
    p.name = "lpddr";
    p.channels = 2;
    p.timing.page_bytes = 1024;
    p.energy = {0.25, 0.5, 2.0, 4.0};
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

// Prices that show which report reached which domain: 1 J per DRAM byte, 2 J per link byte,
// 3 J per cache byte, 10x the ops' energy; 1e6 W (1 J per us) of constant power on the cache.
class MockPower final : public hw::PowerModel {
public:
    explicit MockPower(const config::MachineSpec& m) : PowerModel(m) {}
    double dram_energy_j(const hw::ChannelActivity& a) const override { return static_cast<double>(a.bytes); }
    double link_energy_j(std::uint32_t, std::uint64_t bytes) const override { return 2.0 * static_cast<double>(bytes); }
    double cache_energy_j(std::uint32_t, std::uint64_t bytes) const override { return 3.0 * static_cast<double>(bytes); }
    double compute_energy_j(std::uint32_t, engine::Tick, double dynamic_j) const override { return 10 * dynamic_j; }
    double constant_power_w(std::size_t d) const override { return d == cache_domain(0) ? 1e6 : 0.0; }
};

// Bin by bin, to the last bit but for the rounding of spreading over a span.
void expect_bins(const output::Series& got, const output::Series& want) {
    ASSERT_EQ(got.size(), want.size());
    for (std::size_t b = 0; b < want.size(); ++b) EXPECT_DOUBLE_EQ(got[b], want[b]) << "bin " << b;
}

}  // namespace

TEST(Recorder, bins_the_energy_its_power_model_prices) {
    const config::MachineSpec m = machine();
    MockPower pm(m);
    output::Recorder rec(m, pm, kBin, 4, 0);
    rec.channel_busy(hw::ChannelActivity{0, 1, 500'000, 1'500'000, 1000, false, 0, 0, 0});   // half in bin 0, half in 1
    rec.link_busy(0, 2'000'000, 2'250'000, 4);                                             // bin 2
    rec.cache_busy(0, 0, 1'000'000, 2);                                                    // bin 0
    rec.unit_busy(0, 1'000'000, 3'000'000, 0.5);                                           // bins 1 and 2
    rec.finish(3'500'000);                                                                 // 3.5 bins
    ASSERT_EQ(rec.bins(), 4u);
    EXPECT_EQ(rec.domain_names(), pm.domain_names());
    const auto& e = rec.domain_energy();
    expect_bins(e[pm.dram_domain(0)], {500, 500, 0, 0});
    expect_bins(e[pm.link_domain(0)], {0, 0, 8, 0});
    expect_bins(e[pm.unit_domain(0)], {0, 2.5, 2.5, 0});
    expect_bins(e[pm.cache_domain(0)], {6 + 1, 1, 1, 0.5});   // 6 J dynamic, 1 J/us constant
    expect_bins(e[pm.platform_domain()], {0, 0, 0, 0});
    EXPECT_DOUBLE_EQ(rec.domain_total_j(pm.cache_domain(0)), 9.5);
    EXPECT_DOUBLE_EQ(rec.total_energy_j(), 1000 + 8 + 5 + 9.5);
}

TEST(Recorder, energy_is_the_sum_of_the_actions_models_parts) {
    const config::MachineSpec m = machine();
    auto pm = hw::make_power_model(m);
    output::Recorder rec(m, *pm, kBin, 2, 0);
    rec.channel_busy(hw::ChannelActivity{0, 0, 0, 800'000, 2048, false, 0, 1, 1});
    rec.channel_busy(hw::ChannelActivity{0, 1, 200'000, 900'000, 512, true, 0, 0, 1});
    rec.link_busy(0, 0, 500'000, 64);
    rec.cache_busy(0, 100'000, 600'000, 64);
    rec.unit_busy(0, 0, 1'000'000, 3.5);
    rec.finish(2'000'000);   // 2 us: constant power for 2e-6 s
    const double s = 2e-6;
    const std::vector<double> expected{
        (8.0 * 2048 * 0.25 + 2 * 2.0) + (8.0 * 512 * 0.5 + 0.5 * 2.0) + 4.0 * s,   // dram: read + write + background
        3.5 + 8.0 * s,                                                           // compute: ops + static
        8.0 * 64 * 0.125,                                                        // link
        64 * 0.0625,                                                             // cache
        16.0 * s};                                                               // platform
    double sum = 0;
    for (std::size_t d = 0; d < expected.size(); ++d) {
        EXPECT_DOUBLE_EQ(rec.domain_total_j(d), expected[d]) << rec.domain_names()[d];
        sum += rec.domain_total_j(d);
    }
    EXPECT_DOUBLE_EQ(rec.total_energy_j(), sum);
}
