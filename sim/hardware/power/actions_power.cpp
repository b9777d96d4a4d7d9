// Power model `actions`: energy per action at the figures the machine file gives each part.
// DRAM: column + I/O energy per bit read or written, plus one row activation per page streamed,
// plus the pool's background power; links per bit; caches per byte; compute: the ops' dynamic
// energy as the replayer prices it, plus the unit's static power; the platform baseline.
// Constant powers are drawn for the whole run (no power states yet). No fields of its own:
// every figure lives with the part it belongs to (memory.<pool>.energy, links.<l>.energy, ...).
#include "hardware/power/power_models.hpp"

namespace infersim::hw {
namespace {

class ActionsPower final : public PowerModel {
public:
    explicit ActionsPower(const config::MachineSpec& m) : PowerModel(m), m_(m) {
        constant_w_.assign(domain_count(), 0.0);
        for (std::size_t p = 0; p < m.pools.size(); ++p) constant_w_[dram_domain(p)] = m.pools[p].energy.background_w;
        for (std::size_t u = 0; u < m.units.size(); ++u) constant_w_[unit_domain(u)] = m.units[u].static_w;
        constant_w_[platform_domain()] = m.power.platform_w;
    }

    double dram_energy_j(const ChannelActivity& a) const override {
        const config::PoolSpec& p = m_.pools[a.pool];
        const double bytes = static_cast<double>(a.bytes);
        return 8.0 * bytes * (a.write ? p.energy.write_j_per_bit : p.energy.read_j_per_bit) +
               bytes / p.timing.page_bytes * p.energy.activate_j;
    }
    double link_energy_j(std::uint32_t link, std::uint64_t bytes) const override {
        return 8.0 * static_cast<double>(bytes) * m_.links[link].energy_j_per_bit;
    }
    double cache_energy_j(std::uint32_t cache, std::uint64_t bytes) const override {
        return static_cast<double>(bytes) * m_.caches[cache].energy_j_per_byte;
    }
    double compute_energy_j(std::uint32_t, Tick, double dynamic_j) const override { return dynamic_j; }
    double constant_power_w(std::size_t domain) const override { return constant_w_[domain]; }

private:
    const config::MachineSpec& m_;
    std::vector<double> constant_w_;   // by domain
};

}  // namespace

PowerModelEntry make_actions_power_entry() {
    return PowerModelEntry{{"actions",
                            "energy per action at each part's own figures (DRAM pJ/bit + activations + background, "
                            "link pJ/bit, cache pJ/B, op energy + static power, platform baseline)",
                            {}},
                           [](const config::MachineSpec& m, const PowerContext&) -> std::unique_ptr<PowerModel> { return std::make_unique<ActionsPower>(m); }};
}

}  // namespace infersim::hw
