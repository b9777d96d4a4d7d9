// The power domains every power model shares: one per pool, unit, link and cache, then the
// platform, in the order the summary and the HDF5 file have always listed them; the DVFS
// defaults a battery model asks for. DVFS lives in the machine's one V-f table (power.dvfs),
// which the governor applies (replay/thermal_governor.*): compute time and dynamic energy move
// with the point; static power stays at its nominal figure.
#include "hardware/power/power_model.hpp"

#include <string>

namespace infersim::hw {

const char* name(DomainKind k) {
    switch (k) {
        case DomainKind::compute: return "compute";
        case DomainKind::host: return "host";
        case DomainKind::uncore: return "uncore";
        case DomainKind::memory_device: return "memory_device";
        case DomainKind::memory_phy: return "memory_phy";
        case DomainKind::memory_fabric: return "memory_fabric";
        case DomainKind::caches: return "caches";
        case DomainKind::links: return "links";
        case DomainKind::platform: return "platform";
        case DomainKind::supply_loss: return "supply_loss";
    }
    return "?";
}

bool on_soc(DomainKind k) {
    switch (k) {
        case DomainKind::compute:
        case DomainKind::host:
        case DomainKind::uncore:
        case DomainKind::memory_phy:
        case DomainKind::memory_fabric:
        case DomainKind::caches: return true;
        default: return false;
    }
}

PowerModel::PowerModel(const config::MachineSpec& m) : m_(m) {
    for (const auto& p : m.pools) add_domain("dram:" + p.name, DomainKind::memory_device);
    unit0_ = names_.size();
    for (const auto& u : m.units) add_domain("compute:" + u.name, DomainKind::compute);
    link0_ = names_.size();
    for (const auto& l : m.links) add_domain("link:" + l.name, DomainKind::links);
    cache0_ = names_.size();
    for (const auto& c : m.caches) add_domain("cache:" + c.name, DomainKind::caches);
    platform_ = add_domain("platform", DomainKind::platform);
}

std::size_t PowerModel::add_domain(std::string name, DomainKind kind) { return add_domain(std::move(name), kind, on_soc(kind)); }

std::size_t PowerModel::add_domain(std::string name, DomainKind kind, bool soc) {
    names_.push_back(std::move(name));
    kinds_.push_back(kind);
    soc_.push_back(soc);
    return names_.size() - 1;
}

double PowerModel::idle_power_w(bool) const { return m_.power.idle_w; }

double PowerModel::unit_state_power_w(std::size_t unit, UnitState state) const {
    return state == UnitState::off ? 0.0 : m_.units[unit].static_w;
}

}  // namespace infersim::hw
