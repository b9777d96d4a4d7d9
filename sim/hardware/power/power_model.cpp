// The power domains every power model shares: one per pool, unit, link and cache, then the
// platform, in the order the summary and the HDF5 file have always listed them; the DVFS
// operating points and the defaults a battery model asks for.
#include "hardware/power/power_model.hpp"

#include <algorithm>
#include <stdexcept>
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
    points_.resize(m.units.size());
    current_.assign(m.units.size(), 0);
}

std::size_t PowerModel::add_domain(std::string name, DomainKind kind) { return add_domain(std::move(name), kind, on_soc(kind)); }

std::size_t PowerModel::add_domain(std::string name, DomainKind kind, bool soc) {
    names_.push_back(std::move(name));
    kinds_.push_back(kind);
    soc_.push_back(soc);
    return names_.size() - 1;
}

void PowerModel::set_operating_points(std::size_t unit, std::vector<OperatingPoint> points) {
    points_[unit] = std::move(points);
    current_[unit] = points_[unit].empty() ? 0 : points_[unit].size() - 1;
}

void PowerModel::set_operating_point(std::size_t unit, std::size_t index) {
    if (index >= std::max<std::size_t>(1, points_[unit].size()))
        throw std::out_of_range("operating point " + std::to_string(index) + " of unit " + std::to_string(unit));
    current_[unit] = index;
    on_operating_point_changed(unit);
}

double PowerModel::static_scale(std::size_t unit) const {
    const auto& p = points_[unit];
    return p.empty() ? 1.0 : p[current_[unit]].v / p.back().v;
}

double PowerModel::dynamic_scale(std::size_t unit) const {
    const double s = static_scale(unit);
    return s * s;
}

double PowerModel::idle_power_w(bool) const { return m_.power.idle_w; }

double PowerModel::unit_state_power_w(std::size_t unit, UnitState state) const {
    return state == UnitState::off ? 0.0 : m_.units[unit].static_w;
}

}  // namespace infersim::hw
