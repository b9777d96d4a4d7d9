// The power and thermal governor: given the energy each power domain drew since its last
// decision, it advances the cooling domains' temperatures and the limits' running averages, and
// moves the throttled units one DVFS point down when a limit binds, one up when all have headroom.
// Decisions are made at step boundaries by the replayer (replay/thermal_governor.hpp); the
// governor itself is plain state, deterministic and free of simulator knowledge.
#pragma once
#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "config/machine_spec.hpp"
#include "hardware/thermal/thermal_model.hpp"

namespace infersim::hw::thermal {

/// The point of `t` that stands for a spec clock of `hz`: the highest within 2% of it (0 if none).
std::size_t top_point(const config::UnitDvfs& t, double hz);

/// One unit's place on its V-f table. The top point is the unit's spec clock (the highest point
/// within 2% of it: tables list the silicon's points, spec files the sustained clock); scales
/// are relative to it: compute time x time_scale, dynamic energy x energy_scale.
struct UnitClock {
    std::size_t unit = 0;
    const config::UnitDvfs* table = nullptr;
    std::size_t top = 0, point = 0;     // highest allowed point, current point
    double nominal_hz = 0;              // the spec clock, at the top point
    double hz() const { return nominal_hz * table->points[point].hz / table->points[top].hz; }
    double time_scale() const { return table->points[top].hz / table->points[point].hz; }
    double energy_scale() const { const double v = table->points[point].volts / table->points[top].volts; return v * v; }
    /// f V^2 at point `p` over f V^2 now: how a unit's dynamic power moves with the point.
    double fv2_ratio(std::size_t p) const;
};

/// The power domains ("compute:<unit>", "dram:<pool>", ...) whose energy a cooling domain or a
/// limit with `parts` sums: a unit's compute domain; a pool's device, PHY and fabric domains (all
/// on the package for in-package DRAM, and the PHY and fabric on the die in any case); `host`
/// and `uncore` by those names. No parts: every unit and pool.
std::vector<std::string> heat_domains(const config::MachineSpec& m, std::vector<std::string> parts);

class Governor {
public:
    /// `domain_names` are the power model's domains ("compute:<unit>", "dram:<pool>", ...); parts
    /// of cooling domains and limits are matched against them. `m` must outlive the governor.
    Governor(const config::MachineSpec& m, const std::vector<std::string>& domain_names);

    /// True when the machine has a cooling domain or a limit and a unit with a V-f table.
    bool active() const { return !clocks_.empty() && (thermal_->domain_count() > 0 || !m_.thermal.limits.empty()); }
    /// `dt_s` seconds have passed in which power domain d drew energy_j[d]. Returns true when a
    /// unit's point changed.
    bool decide(double dt_s, std::span<const double> energy_j);

    const std::vector<UnitClock>& clocks() const { return clocks_; }
    const ThermalModel& thermal() const { return *thermal_; }
    /// Mean power of cooling domain d (or limit l's parts) over the last interval.
    double domain_power_w(std::size_t d) const { return domain_w_[d]; }
    double limit_average_w(std::size_t l) const { return limit_avg_[l]; }
    /// Seconds since the start at which a limit first bound; negative: never.
    double first_throttle_s() const { return first_throttle_s_; }

private:
    struct PartSet {
        std::vector<std::size_t> domains;   // power domains summed
        std::vector<std::size_t> clocks;    // indices into clocks_ of the units among the parts
    };
    PartSet parts(const std::vector<std::string>& names, const std::vector<std::string>& domain_names) const;
    double power(const PartSet& s, std::span<const double> w) const;
    /// Power of `s` with every throttled unit one point up, from f V^2 of the units' own domains.
    double power_one_up(const PartSet& s, std::span<const double> w) const;

    const config::MachineSpec& m_;
    std::unique_ptr<ThermalModel> thermal_;
    std::vector<UnitClock> clocks_;
    std::vector<std::size_t> unit_domain_;  // per clock: the unit's power domain
    std::vector<PartSet> cooling_, limit_;
    std::vector<double> domain_w_, limit_avg_, watts_;
    double elapsed_s_ = 0, first_throttle_s_ = -1;
};

}  // namespace infersim::hw::thermal
