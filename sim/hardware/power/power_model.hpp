// The power-model interface: turns what the hardware reports (hw::ActivitySink) into energy per
// power domain. Hardware components report activity (bytes a channel moved, bytes a link
// carried, a unit's busy span); the power model prices it; the recorder only bins the joules.
// Implementations are registered (power_models.hpp) and chosen by the machine's `power.impl`.
#pragma once
#include <any>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "config/machine_spec.hpp"
#include "config/typed_params.hpp"
#include "hardware/activity.hpp"

namespace infersim::hw {

class PowerModel {
public:
    virtual ~PowerModel() = default;

    /// Dynamic energy of one DRAM request (charged to dram_domain(a.pool)).
    virtual double dram_energy_j(const ChannelActivity& a) const = 0;
    /// Energy of `bytes` carried by link `link` (charged to link_domain(link)).
    virtual double link_energy_j(std::uint32_t link, std::uint64_t bytes) const = 0;
    /// Energy of `bytes` served by cache `cache` (charged to cache_domain(cache)).
    virtual double cache_energy_j(std::uint32_t cache, std::uint64_t bytes) const = 0;
    /// Energy of a compute unit's busy span of `busy` ps whose ops cost `dynamic_j` (charged to
    /// unit_domain(unit)). The op's dynamic energy is still priced by the replayer's compute
    /// model and reported through ActivitySink::unit_busy; this is where a model adds what the
    /// span itself costs (e.g. active-state power).
    virtual double compute_energy_j(std::uint32_t unit, Tick busy, double dynamic_j) const = 0;
    /// Power drawn by `domain` for the whole run, whatever the activity (DRAM background,
    /// unit static, platform baseline).
    virtual double constant_power_w(std::size_t domain) const = 0;

    /// The power domains, in output order (summary energy_by_domain_j, HDF5 /timeline/power):
    /// dram:<pool>..., compute:<unit>..., link:<link>..., cache:<cache>..., platform.
    const std::vector<std::string>& domain_names() const { return names_; }
    std::size_t domain_count() const { return names_.size(); }
    std::size_t dram_domain(std::size_t pool) const { return pool; }
    std::size_t unit_domain(std::size_t unit) const { return unit0_ + unit; }
    std::size_t link_domain(std::size_t link) const { return link0_ + link; }
    std::size_t cache_domain(std::size_t cache) const { return cache0_ + cache; }
    std::size_t platform_domain() const { return platform_; }

protected:
    /// Lays out the domains of `m`; an implementation may append its own after platform.
    explicit PowerModel(const config::MachineSpec& m);
    std::size_t add_domain(std::string name);

private:
    std::vector<std::string> names_;
    std::size_t unit0_ = 0, link0_ = 0, cache0_ = 0, platform_ = 0;
};

/// The typed parameters of a power-model implementation, kept in PowerSpec::impl_params: its
/// field readers fill them (creating `Params{}` on first use)...
template <class Params>
Params& impl_params(config::PowerSpec& p) { return config::typed_params<Params>(p.impl_params); }
/// ...and its factory reads them back (`Params{}` when the machine file set none).
template <class Params>
Params impl_params_or_default(const config::PowerSpec& p) { return config::typed_params_or_default<Params>(p.impl_params); }

}  // namespace infersim::hw
