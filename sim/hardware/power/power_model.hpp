// The power-model interface: turns what the hardware reports (hw::ActivitySink) into energy per
// power domain. Hardware components report activity (bytes a channel moved, bytes a link
// carried, a unit's busy span, an op's span on a unit); the power model prices it; the recorder
// only bins the joules. Implementations are registered (power_models.hpp) and chosen by the
// machine's `power.impl`.
#pragma once
#include <any>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "config/machine_spec.hpp"
#include "config/typed_params.hpp"
#include "hardware/activity.hpp"

namespace infersim::hw {

/// What a power domain stands for, for the summary's energy split (energy_split_j) and the
/// SoC / system / wall power figures.
enum class DomainKind : std::uint8_t { compute, host, uncore, memory_device, memory_phy, memory_fabric, caches, links, platform, supply_loss };
inline constexpr std::size_t kDomainKindCount = 10;
/// The split's key for a kind ("compute", "memory_phy", ...).
const char* name(DomainKind k);
/// On the SoC die (package): units, host cores, uncore, caches, memory PHY/controllers, fabric.
bool on_soc(DomainKind k);

/// A DRAM request's price in one domain, linear in its bytes; the recorder caches these per pool
/// so a request costs no virtual call.
struct DramPrice {
    std::size_t domain = 0;
    double read_j_per_byte = 0, write_j_per_byte = 0;
};

/// Power drawn in `domain` while an op runs on a unit (active-state static power above the idle
/// state, a host core spinning on the accelerator).
struct SpanPrice {
    std::size_t domain = 0;
    double watts = 0;
};

/// Power states of a unit (static power by state; the dynamic energy comes per op).
enum class UnitState : std::uint8_t { off, idle, active };

/// What the run adds to the machine: how the runtime's host thread waits for an accelerator.
struct PowerContext {
    bool host_spins = false;   // the runtime spins a host core while an accelerator works
};

class PowerModel {
public:
    virtual ~PowerModel() = default;

    /// Dynamic energy of one DRAM request (all its domains together). The recorder prefers
    /// dram_prices() when a model gives them (one domain each), else charges this to dram_domain.
    virtual double dram_energy_j(const ChannelActivity& a) const = 0;
    /// The linear prices of a request on `pool`, by domain; empty: use dram_energy_j.
    virtual std::span<const DramPrice> dram_prices(std::uint32_t) const { return {}; }
    /// Energy of `bytes` carried by link `link` (charged to link_domain(link)).
    virtual double link_energy_j(std::uint32_t link, std::uint64_t bytes) const = 0;
    /// Energy of `bytes` served by cache `cache` (charged to cache_domain(cache)).
    virtual double cache_energy_j(std::uint32_t cache, std::uint64_t bytes) const = 0;
    /// Energy of a compute unit's busy span of `busy` ps whose ops cost `dynamic_j` at nominal
    /// voltage (charged to unit_domain(unit)); a model scales it to the operating point.
    virtual double compute_energy_j(std::uint32_t unit, Tick busy, double dynamic_j) const = 0;
    /// Power drawn while an op runs on `unit` (its span, stalls and launch gaps included),
    /// on top of the constant power; empty for a model without power states.
    virtual std::span<const SpanPrice> op_span_prices(std::uint32_t) const { return {}; }
    /// Power drawn by `domain` for the whole run, whatever the activity (DRAM background,
    /// unit constant + idle-state static, platform baseline).
    virtual double constant_power_w(std::size_t domain) const = 0;
    /// The PSU/adapter loss of a DC load of `dc_j` over `seconds` (charged to supply_domain()).
    virtual double supply_loss_j(double, double) const { return 0; }
    std::size_t supply_domain() const { return supply_; }
    static constexpr std::size_t npos = std::numeric_limits<std::size_t>::max();

    // What a battery or governor model asks of the machine .
    /// Whole-machine DC power with every unit in its idle state (or off, when it is power-gated)
    /// and, with `self_refresh`, every DRAM pool in self-refresh.
    virtual double idle_power_w(bool self_refresh) const;
    /// The static power unit `unit` draws in `state` at its current operating point (constant
    /// part included; the dynamic energy comes per op).
    virtual double unit_state_power_w(std::size_t unit, UnitState state) const;
    /// Power at the wall for a DC load of `dc_w` (the supply's efficiency curve; dc_w without one).
    double wall_power_w(double dc_w) const { return dc_w + supply_loss_j(dc_w, 1.0); }

    /// Figures the machine left out that the model defaulted, named ("power.host: 0 W"), for the
    /// summary's power_defaults.
    const std::vector<std::string>& defaults() const { return defaults_; }

    /// The power domains, in output order (summary energy_by_domain_j, HDF5 /timeline/power):
    /// dram:<pool>..., compute:<unit>..., link:<link>..., cache:<cache>..., platform, then the
    /// model's own.
    const std::vector<std::string>& domain_names() const { return names_; }
    std::size_t domain_count() const { return names_.size(); }
    DomainKind domain_kind(std::size_t d) const { return kinds_[d]; }
    /// Whether the domain counts in soc_power_w (by default, on_soc(kind)).
    bool domain_on_soc(std::size_t d) const { return soc_[d]; }
    std::size_t dram_domain(std::size_t pool) const { return pool; }
    std::size_t unit_domain(std::size_t unit) const { return unit0_ + unit; }
    std::size_t link_domain(std::size_t link) const { return link0_ + link; }
    std::size_t cache_domain(std::size_t cache) const { return cache0_ + cache; }
    std::size_t platform_domain() const { return platform_; }

protected:
    /// Lays out the domains of `m`; an implementation may append its own after platform.
    explicit PowerModel(const config::MachineSpec& m);
    std::size_t add_domain(std::string name, DomainKind kind);
    std::size_t add_domain(std::string name, DomainKind kind, bool soc);
    /// Makes `d` the supply-loss domain (summed last, from the other domains' load).
    void set_supply_domain(std::size_t d) { supply_ = d; }
    void add_default(std::string what) { defaults_.push_back(std::move(what)); }

    const config::MachineSpec& machine() const { return m_; }

private:
    const config::MachineSpec& m_;
    std::vector<std::string> names_;
    std::vector<DomainKind> kinds_;
    std::vector<bool> soc_;
    std::size_t unit0_ = 0, link0_ = 0, cache0_ = 0, platform_ = 0, supply_ = npos;
    std::vector<std::string> defaults_;
};

/// The typed parameters of a power-model implementation, kept in PowerSpec::impl_params: its
/// field readers fill them (creating `Params{}` on first use)...
template <class Params>
Params& impl_params(config::PowerSpec& p) { return config::typed_params<Params>(p.impl_params); }
/// ...and its factory reads them back (`Params{}` when the machine file set none).
template <class Params>
Params impl_params_or_default(const config::PowerSpec& p) { return config::typed_params_or_default<Params>(p.impl_params); }

}  // namespace infersim::hw
