// Building the hardware.
#include "hardware/machine.hpp"

#include "hardware/channel_models.hpp"

namespace infersim::hw {

Machine::Machine(const config::MachineSpec& spec, ActivitySink& sink, std::optional<config::Fidelity> fidelity) : spec_(spec) {
    for (std::size_t i = 0; i < spec.pools.size(); ++i) {
        const config::PoolSpec& p = spec.pools[i];
        pools_.push_back(std::make_unique<MemoryPool>(p, static_cast<std::uint32_t>(i), sink, channel_model(p, fidelity)));
    }
    for (const auto& l : spec.links) links_.emplace_back(l.bandwidth, l.latency);
    for (const auto& c : spec.caches) caches_.emplace_back(c.bandwidth, c.latency);
    // Routes by name, resolved here once so nothing compares names per op or per tile.
    route_link_.assign(spec.units.size() * spec.pools.size(), -1);
    pool_unit_.assign(spec.pools.size(), -1);
    for (std::size_t u = 0; u < spec.units.size(); ++u)
        for (std::size_t p = 0; p < spec.pools.size(); ++p) {
            for (std::size_t i = 0; i < spec.links.size() && route_link_[u * spec.pools.size() + p] < 0; ++i)
                if (spec.links[i].unit == spec.units[u].name && spec.links[i].pool == spec.pools[p].name)
                    route_link_[u * spec.pools.size() + p] = static_cast<int>(i);
            if (pool_unit_[p] < 0 && spec.units[u].memory == spec.pools[p].name) pool_unit_[p] = static_cast<int>(u);
        }
}

int Machine::pool_index(const std::string& name) const {
    for (std::size_t i = 0; i < spec_.pools.size(); ++i)
        if (spec_.pools[i].name == name) return static_cast<int>(i);
    return -1;
}

int Machine::unit_index(const std::string& name) const {
    for (std::size_t i = 0; i < spec_.units.size(); ++i)
        if (spec_.units[i].name == name) return static_cast<int>(i);
    return -1;
}

int Machine::cache_for(std::size_t pool) const {
    for (std::size_t i = 0; i < spec_.caches.size(); ++i)
        if (spec_.caches[i].fronts == spec_.pools[pool].name) return static_cast<int>(i);
    return -1;
}

}  // namespace infersim::hw
