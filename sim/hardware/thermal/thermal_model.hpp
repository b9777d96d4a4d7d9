// The thermal-model interface: how the power of a cooling domain's parts becomes its temperature.
// Implementations are registered (thermal_models()) and chosen by the machine's `thermal.impl`;
// the governor (governor.hpp) asks them whether a domain is at its limit.
#pragma once
#include <cmath>
#include <cstddef>
#include <memory>
#include <ostream>

#include "config/impl_info.hpp"
#include "config/machine_spec.hpp"
#include "core/registry.hpp"

namespace infersim::hw::thermal {

/// x(t) of dx/dt = (target - x) / tau after `dt_s` with constant `target`: the closed form of a
/// first-order RC (and of an exponentially weighted average, whose tau is its window).
inline double relax(double x, double target, double dt_s, double tau_s) {
    return tau_s <= 0 ? target : target + (x - target) * std::exp(-dt_s / tau_s);
}

class ThermalModel {
public:
    virtual ~ThermalModel() = default;
    virtual std::size_t domain_count() const = 0;
    /// Advances domain `d` by `dt_s` with its parts drawing `power_w` throughout.
    virtual void advance(std::size_t d, double power_w, double dt_s) = 0;
    virtual double temperature_c(std::size_t d) const = 0;
    virtual void set_temperature_c(std::size_t d, double t) = 0;
    /// Seconds until domain `d` reaches its t_max at constant `power_w`; infinity if it never does.
    virtual double time_to_limit_s(std::size_t d, double power_w) const = 0;
    /// The power the domain can dissipate for ever at t_max.
    virtual double sustainable_w(std::size_t d) const = 0;
    const config::CoolingDomainSpec& domain(std::size_t d) const { return spec_.domains[d]; }

protected:
    explicit ThermalModel(const config::ThermalSpec& spec) : spec_(spec) {}
    const config::ThermalSpec& spec_;
};

struct ThermalModelEntry : config::ImplInfo<config::ThermalSpec> {
    std::unique_ptr<ThermalModel> (*make)(const config::ThermalSpec& spec);
};

/// The built-in thermal models; the first is the default. Built once, immutable.
const core::Registry<ThermalModelEntry>& thermal_models();
/// The model `spec.impl` names (the default when empty); `spec` must outlive it.
std::unique_ptr<ThermalModel> make_thermal_model(const config::ThermalSpec& spec);
void print_thermal_models(std::ostream& out);

// One per implementation file.
ThermalModelEntry make_rc_thermal_entry();

}  // namespace infersim::hw::thermal
