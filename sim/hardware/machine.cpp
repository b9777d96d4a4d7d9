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

int Machine::link_index(std::size_t unit, std::size_t pool) const {
    for (std::size_t i = 0; i < spec_.links.size(); ++i)
        if (spec_.links[i].unit == spec_.units[unit].name && spec_.links[i].pool == spec_.pools[pool].name)
            return static_cast<int>(i);
    return -1;
}

int Machine::cache_for(std::size_t pool) const {
    for (std::size_t i = 0; i < spec_.caches.size(); ++i)
        if (spec_.caches[i].fronts == spec_.pools[pool].name) return static_cast<int>(i);
    return -1;
}

}  // namespace infersim::hw
