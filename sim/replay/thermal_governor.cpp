// Energy totals per power domain between step boundaries, and the governor's decisions.
#include "replay/thermal_governor.hpp"

namespace infersim::replay {

ThermalGovernor::ThermalGovernor(const config::MachineSpec& m, const hw::PowerModel& power, ReplayObserver& inner)
    : m_(m), power_(power), inner_(inner), gov_(m, power.domain_names()), energy_(power.domain_count(), 0.0) {
    for (const auto& c : gov_.clocks()) log_.units.push_back(m.units[c.unit].name);
    for (const auto& d : m.thermal.domains) log_.domains.push_back(d.name);
    for (const auto& l : m.thermal.limits) log_.limits.push_back(l.name);
    log_.clock_hz.resize(log_.units.size());
    log_.temperature_c.resize(log_.domains.size());
    log_.domain_power_w.resize(log_.domains.size());
    log_.limit_power_w.resize(log_.limits.size());
}

void ThermalGovernor::record(double t) {
    log_.time_s.push_back(t);
    for (std::size_t u = 0; u < gov_.clocks().size(); ++u) log_.clock_hz[u].push_back(gov_.clocks()[u].hz());
    for (std::size_t d = 0; d < log_.domains.size(); ++d) {
        log_.temperature_c[d].push_back(gov_.thermal().temperature_c(d));
        log_.domain_power_w[d].push_back(gov_.domain_power_w(d));
    }
    for (std::size_t l = 0; l < log_.limits.size(); ++l) log_.limit_power_w[l].push_back(gov_.limit_average_w(l));
}

void ThermalGovernor::at_step(engine::Tick now, std::size_t step, std::span<ClockScale> clocks) {
    if (step > 0 && now > last_) {
        const double dt = engine::to_seconds(now - last_);
        // Constant power (background, static, platform) is drawn whatever the activity.
        for (std::size_t d = 0; d < energy_.size(); ++d) energy_[d] += power_.constant_power_w(d) * dt;
        gov_.decide(dt, energy_);
        std::fill(energy_.begin(), energy_.end(), 0.0);
        last_ = now;
    }
    for (const auto& c : gov_.clocks()) clocks[c.unit] = ClockScale{c.time_scale(), c.energy_scale()};
    record(engine::to_seconds(now));
}

void ThermalGovernor::channel_busy(const hw::ChannelActivity& a) {
    energy_[power_.dram_domain(a.pool)] += power_.dram_energy_j(a);
    inner_.channel_busy(a);
}
void ThermalGovernor::link_busy(std::uint32_t link, Tick start, Tick end, std::uint64_t bytes) {
    energy_[power_.link_domain(link)] += power_.link_energy_j(link, bytes);
    inner_.link_busy(link, start, end, bytes);
}
void ThermalGovernor::cache_busy(std::uint32_t cache, Tick start, Tick end, std::uint64_t bytes) {
    energy_[power_.cache_domain(cache)] += power_.cache_energy_j(cache, bytes);
    inner_.cache_busy(cache, start, end, bytes);
}
void ThermalGovernor::unit_busy(std::uint32_t unit, Tick start, Tick end, double energy_j) {
    energy_[power_.unit_domain(unit)] += power_.compute_energy_j(unit, end - start, energy_j);
    inner_.unit_busy(unit, start, end, energy_j);
}

}  // namespace infersim::replay
