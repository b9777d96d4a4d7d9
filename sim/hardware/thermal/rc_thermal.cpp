// Thermal model `rc`: one first-order RC per cooling domain, C dT/dt = P - (T - T_ambient) / R,
// advanced in closed form over each interval of constant power (no time stepping error).
#include "hardware/thermal/thermal_model.hpp"

#include <limits>
#include <vector>

namespace infersim::hw::thermal {
namespace {

class RcThermal final : public ThermalModel {
public:
    explicit RcThermal(const config::ThermalSpec& spec) : ThermalModel(spec) {
        for (const auto& d : spec.domains) t_.push_back(d.start_c < -273.15 ? d.ambient_c : d.start_c);
    }
    std::size_t domain_count() const override { return t_.size(); }
    void advance(std::size_t d, double power_w, double dt_s) override {
        const auto& s = domain(d);
        t_[d] = relax(t_[d], s.ambient_c + power_w * s.r_k_per_w, dt_s, s.r_k_per_w * s.c_j_per_k);
    }
    double temperature_c(std::size_t d) const override { return t_[d]; }
    void set_temperature_c(std::size_t d, double t) override { t_[d] = t; }
    double time_to_limit_s(std::size_t d, double power_w) const override {
        const auto& s = domain(d);
        if (t_[d] >= s.t_max_c) return 0;
        const double target = s.ambient_c + power_w * s.r_k_per_w;
        if (target <= s.t_max_c) return std::numeric_limits<double>::infinity();
        // T(t) = target + (T0 - target) e^{-t/RC} = t_max
        return -s.r_k_per_w * s.c_j_per_k * std::log((target - s.t_max_c) / (target - t_[d]));
    }
    double sustainable_w(std::size_t d) const override {
        const auto& s = domain(d);
        return (s.t_max_c - s.ambient_c) / s.r_k_per_w;
    }

private:
    std::vector<double> t_;
};

}  // namespace

ThermalModelEntry make_rc_thermal_entry() {
    return ThermalModelEntry{{"rc", "first-order RC per cooling domain (resistance K/W, capacitance J/K, t_max, ambient), closed form", {}},
                             [](const config::ThermalSpec& s) -> std::unique_ptr<ThermalModel> { return std::make_unique<RcThermal>(s); }};
}

}  // namespace infersim::hw::thermal
