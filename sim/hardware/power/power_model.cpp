// The power domains every power model shares: one per pool, unit, link and cache, then the
// platform, in the order the summary and the HDF5 file have always listed them.
#include "hardware/power/power_model.hpp"

namespace infersim::hw {

PowerModel::PowerModel(const config::MachineSpec& m) {
    for (const auto& p : m.pools) names_.push_back("dram:" + p.name);
    unit0_ = names_.size();
    for (const auto& u : m.units) names_.push_back("compute:" + u.name);
    link0_ = names_.size();
    for (const auto& l : m.links) names_.push_back("link:" + l.name);
    cache0_ = names_.size();
    for (const auto& c : m.caches) names_.push_back("cache:" + c.name);
    platform_ = add_domain("platform");
}

std::size_t PowerModel::add_domain(std::string name) {
    names_.push_back(std::move(name));
    return names_.size() - 1;
}

}  // namespace infersim::hw
