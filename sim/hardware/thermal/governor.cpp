// The governor's control law: a limit binds -> the units under it step one V-f point down; every
// limit a unit is under has headroom -> it steps one point up. One point per decision, so a
// clock moves smoothly and the same inputs give the same decisions.
#include "hardware/thermal/governor.hpp"

#include <algorithm>

namespace infersim::hw::thermal {

std::size_t top_point(const config::UnitDvfs& t, double hz) {
    std::size_t top = 0;
    while (top + 1 < t.points.size() && t.points[top + 1].hz <= hz * 1.02) ++top;
    return top;
}

double UnitClock::fv2_ratio(std::size_t p) const {
    const config::DvfsPoint& a = table->points[p];
    const config::DvfsPoint& b = table->points[point];
    return (a.hz * a.volts * a.volts) / (b.hz * b.volts * b.volts);
}

Governor::Governor(const config::MachineSpec& m, const std::vector<std::string>& domain_names)
    : m_(m), thermal_(make_thermal_model(m.thermal)) {
    for (std::size_t u = 0; u < m.units.size(); ++u) {
        const config::UnitDvfs* t = m.power.dvfs_of(m.units[u].name);
        if (!t || t->points.empty()) continue;
        UnitClock c;
        c.unit = u;
        c.table = t;
        c.top = top_point(*t, m.units[u].clock_hz);
        c.point = c.top;
        c.nominal_hz = m.units[u].clock_hz;
        clocks_.push_back(c);
        const auto it = std::find(domain_names.begin(), domain_names.end(), "compute:" + m.units[u].name);
        unit_domain_.push_back(static_cast<std::size_t>(it - domain_names.begin()));
    }
    for (const auto& d : m.thermal.domains) cooling_.push_back(parts(d.parts, domain_names));
    for (const auto& l : m.thermal.limits) limit_.push_back(parts(l.parts, domain_names));
    domain_w_.assign(cooling_.size(), 0.0);
    limit_avg_.assign(limit_.size(), 0.0);
}

std::vector<std::string> heat_domains(const config::MachineSpec& m, std::vector<std::string> parts) {
    if (parts.empty()) {
        for (const auto& u : m.units) parts.push_back(u.name);
        for (const auto& p : m.pools) parts.push_back(p.name);
    }
    std::vector<std::string> out;
    for (const std::string& n : parts) {
        if (m.unit(n)) {
            out.push_back("compute:" + n);
        } else if (m.pool(n)) {
            for (const char* level : {"dram:", "dram_phy:", "fabric:"}) out.push_back(level + n);
        } else {
            out.push_back(n);  // host, uncore (the loader checked the name)
        }
    }
    return out;
}

Governor::PartSet Governor::parts(const std::vector<std::string>& names, const std::vector<std::string>& domain_names) const {
    PartSet s;
    for (const std::string& domain : heat_domains(m_, names)) {
        const auto it = std::find(domain_names.begin(), domain_names.end(), domain);
        if (it != domain_names.end()) s.domains.push_back(static_cast<std::size_t>(it - domain_names.begin()));
    }
    for (std::size_t c = 0; c < clocks_.size(); ++c) {
        const std::string& unit = m_.units[clocks_[c].unit].name;
        if (names.empty() || std::find(names.begin(), names.end(), unit) != names.end()) s.clocks.push_back(c);
    }
    return s;
}

double Governor::power(const PartSet& s, std::span<const double> w) const {
    double p = 0;
    for (std::size_t d : s.domains) p += w[d];
    return p;
}

double Governor::power_one_up(const PartSet& s, std::span<const double> w) const {
    double p = power(s, w);
    for (std::size_t c : s.clocks) {
        const UnitClock& k = clocks_[c];
        if (k.point < k.top) p += w[unit_domain_[c]] * (k.fv2_ratio(k.point + 1) - 1.0);
    }
    return p;
}

bool Governor::decide(double dt_s, std::span<const double> energy_j) {
    if (dt_s <= 0) return false;
    watts_.resize(energy_j.size());
    for (std::size_t d = 0; d < energy_j.size(); ++d) watts_[d] = energy_j[d] / dt_s;
    std::vector<std::uint8_t> bound(clocks_.size(), 0), headroom(clocks_.size(), 1);
    for (std::size_t c = 0; c < cooling_.size(); ++c) {
        domain_w_[c] = power(cooling_[c], watts_);
        thermal_->advance(c, domain_w_[c], dt_s);
        const double t = thermal_->temperature_c(c), t_max = thermal_->domain(c).t_max_c;
        for (std::size_t k : cooling_[c].clocks) {
            if (t >= t_max) bound[k] = 1;
            if (t >= t_max - m_.thermal.hysteresis_k) headroom[k] = 0;
        }
    }
    for (std::size_t l = 0; l < limit_.size(); ++l) {
        const config::PowerLimitSpec& spec = m_.thermal.limits[l];
        limit_avg_[l] = relax(limit_avg_[l], power(limit_[l], watts_), dt_s, spec.tau_s);
        const bool over = limit_avg_[l] > spec.power_w;
        const bool room = spec.tau_s > 0 ? limit_avg_[l] < spec.power_w : power_one_up(limit_[l], watts_) <= spec.power_w;
        for (std::size_t k : limit_[l].clocks) {
            if (over) bound[k] = 1;
            if (!room) headroom[k] = 0;
        }
    }
    elapsed_s_ += dt_s;
    bool changed = false;
    for (std::size_t k = 0; k < clocks_.size(); ++k) {
        UnitClock& c = clocks_[k];
        if (bound[k] && first_throttle_s_ < 0) first_throttle_s_ = elapsed_s_;
        if (bound[k] && c.point > 0) { --c.point; changed = true; }
        else if (!bound[k] && headroom[k] && c.point < c.top) { ++c.point; changed = true; }
    }
    return changed;
}

}  // namespace infersim::hw::thermal
