// The instantiated hardware of a machine: memory pools with their channels, links and caches,
// built from a MachineSpec, and its routes (which link joins a unit to a pool, which unit is
// attached to a pool) resolved once into tables. Compute units are timed by their models
// (hardware/compute), their occupancy is serialized by the replayer.
#pragma once
#include <memory>
#include <optional>
#include <vector>

#include "config/machine_spec.hpp"
#include "config/scenario_spec.hpp"
#include "hardware/activity.hpp"
#include "hardware/memory_pool.hpp"
#include "hardware/pipe.hpp"

namespace infersim::hw {

class Machine {
public:
    /// Each pool gets the channel model it names (`channel_model:`), unless `fidelity` is set:
    /// then every pool gets the model it stands for (a scenario's sim.fidelity).
    Machine(const config::MachineSpec& spec, ActivitySink& sink, std::optional<config::Fidelity> fidelity = std::nullopt);

    const config::MachineSpec& spec() const { return spec_; }
    std::size_t pool_count() const { return pools_.size(); }
    MemoryPool& pool(std::size_t i) { return *pools_[i]; }
    const MemoryPool& pool(std::size_t i) const { return *pools_[i]; }
    /// Index of the pool named `name`, or -1.
    int pool_index(const std::string& name) const;
    int unit_index(const std::string& name) const;
    /// Index of the link from unit `u` to pool `p`, or -1 (the unit's own pool needs none).
    int link_index(std::size_t unit, std::size_t pool) const { return route_link_[unit * pools_.size() + pool]; }
    /// The first unit attached to pool `p` (whose `memory` it is), or -1.
    int attached_unit(std::size_t pool) const { return pool_unit_[pool]; }
    Pipe& link(std::size_t i) { return links_[i]; }
    /// Index of a cache in front of pool `p`, or -1.
    int cache_for(std::size_t pool) const;
    Pipe& cache(std::size_t i) { return caches_[i]; }

private:
    const config::MachineSpec& spec_;
    std::vector<std::unique_ptr<MemoryPool>> pools_;
    std::vector<Pipe> links_;
    std::vector<Pipe> caches_;
    std::vector<int> route_link_;   // unit x pool -> link index or -1
    std::vector<int> pool_unit_;    // pool -> attached unit or -1
};

}  // namespace infersim::hw
