// Battery life: one simulation per distinct request shape, idle spans in closed form, and the
// thermal and power-limit state followed analytically over the repeating cycle.
#include "scenario/battery.hpp"

#include <chrono>
#include <cmath>
#include <functional>
#include <limits>

#include "hardware/power/power_models.hpp"
#include "hardware/thermal/governor.hpp"

namespace infersim::scenario {

RequestCost request_cost(const Inputs& in, const RequestShape& shape) {
    Inputs one = in;
    one.scenario.prompt = shape.prompt;
    one.scenario.gen = shape.gen;
    const RunOutput out = run(one);
    RequestCost c;
    c.seconds = out.summary.simulated_s;
    // On battery there is no adapter or PSU between the cells and the machine: DC energy only.
    c.energy_j = out.summary.energy_j;
    for (const auto& [kind, j] : out.summary.energy_split)
        if (kind == "supply_loss") c.energy_j -= j;
    c.tokens = static_cast<std::uint64_t>(shape.gen);   // the first comes out of the prefill, the rest of decode
    c.domain_j = out.summary.energy_by_domain;
    for (const auto& [name, j] : c.domain_j)
        if (name == "platform") c.platform_j = j;
    return c;
}

// The machine between requests, as its power model prices idle: DRAM in self-refresh, units in
// their idle (or gated) state, the platform parts' idle draw (DC, on battery).
double machine_idle_power_w(const config::MachineSpec& m, const config::BatteryUsageSpec& u) {
    return hw::make_power_model(m)->idle_power_w(true) + u.self_refresh_w;
}

namespace {

constexpr double kJPerWh = 3600.0;

// A state the governor watches, as dx/dt = (ambient + gain P - x) / tau against `limit`: a
// cooling domain (x = temperature, gain = R, tau = RC), a sustained limit (x = the averaged
// power, gain 1, tau its window) or a cap (tau 0: x = P).
struct Watch {
    std::string name;
    std::vector<std::string> domains;   // power domains summed into P
    double ambient = 0, gain = 1, tau = 0, limit = 0, x = 0;
    double target(double p) const { return ambient + gain * p; }
};

std::vector<Watch> watches(const config::MachineSpec& m) {
    std::vector<Watch> out;
    for (const auto& d : m.thermal.domains)
        out.push_back({"thermal:" + d.name, hw::thermal::heat_domains(m, d.parts), d.ambient_c, d.r_k_per_w, d.r_k_per_w * d.c_j_per_k, d.t_max_c,
                       d.start_c < -273.15 ? d.ambient_c : d.start_c});
    for (const auto& l : m.thermal.limits) out.push_back({"limit:" + l.name, hw::thermal::heat_domains(m, l.parts), 0, 1, l.tau_s, l.power_w, 0});
    return out;
}

// A stretch of constant power: a request (P per watch from its simulation) or an idle span.
struct Segment {
    double seconds = 0;
    std::vector<double> watch_w;
};

struct Cycle {
    double period_s = 0, tokens = 0, requests = 0, busy_s = 0;
    EnergySplit split;                  // per cycle
    std::vector<Segment> segments;
    double power_w() const { return split.total() / period_s; }
};

using CostTable = std::map<RequestShape, RequestCost>;

Cycle evaluate(const UsagePattern& p, const CostTable& costs, const std::vector<Watch>& ws, double idle_w, double screen_w) {
    const CycleLayout lay = lay_out(p, [&](const RequestShape& s) { return costs.at(s).seconds; });
    Cycle c;
    c.period_s = lay.period_s;
    double t = 0;
    auto idle = [&](double until) {
        if (until > t) c.segments.push_back({until - t, std::vector<double>(ws.size(), 0.0)});  // units gated (ASSUMPTION)
        t = std::max(t, until);
    };
    for (std::size_t i = 0; i < p.requests.size(); ++i) {
        const RequestCost& rc = costs.at(p.requests[i].shape);
        idle(lay.start_s[i]);
        Segment s{rc.seconds, {}};
        for (const Watch& w : ws) {
            double j = 0;
            for (const auto& [name, e] : rc.domain_j)
                for (const std::string& d : w.domains) j += name == d ? e : 0.0;
            s.watch_w.push_back(rc.seconds > 0 ? j / rc.seconds : 0.0);
        }
        c.segments.push_back(std::move(s));
        t = lay.end_s[i];
        c.split.inference_j += rc.energy_j - rc.platform_j;
        c.split.platform_j += rc.platform_j;
        c.tokens += static_cast<double>(rc.tokens);
        c.requests += 1;
        c.busy_s += rc.seconds;
    }
    idle(lay.period_s);
    c.split.idle_j = idle_w * lay.idle_s;
    c.split.screen_j = screen_w * lay.period_s;
    return c;
}

// Follows the watches over repeated cycles from t = 0 to `horizon_s`; the time the first one
// reaches its limit, or -1. Stops early once a cycle leaves the state unchanged (periodic).
double onset(std::vector<Watch> ws, const Cycle& c, double horizon_s, std::string* which) {
    double t = 0;
    while (t < horizon_s) {
        double moved = 0;
        for (const Segment& s : c.segments) {
            for (std::size_t k = 0; k < ws.size(); ++k) {
                Watch& w = ws[k];
                const double target = w.target(s.watch_w[k]);
                if (target > w.limit) {
                    const double hit = w.tau <= 0 || w.x >= w.limit ? 0.0 : -w.tau * std::log((target - w.limit) / (target - w.x));
                    if (hit <= s.seconds && t + hit <= horizon_s) {
                        *which = w.name;
                        return t + hit;
                    }
                }
                const double x = hw::thermal::relax(w.x, target, s.seconds, w.tau);
                moved = std::max(moved, std::abs(x - w.x));
                w.x = x;
            }
            t += s.seconds;
        }
        if (c.segments.empty() || moved < 1e-12) break;
    }
    return -1;
}

// Whether the cycle, repeated for ever, keeps every watch within its limit.
bool sustainable(const std::vector<Watch>& ws, const Cycle& c) {
    for (std::size_t k = 0; k < ws.size(); ++k) {
        double avg = 0, peak = 0;
        for (const Segment& s : c.segments) {
            avg += s.watch_w[k] * s.seconds / c.period_s;
            peak = std::max(peak, s.watch_w[k]);
        }
        if (ws[k].target(ws[k].tau > 0 ? avg : peak) > ws[k].limit) return false;
    }
    return true;
}

// `in` with unit `u` at DVFS point `p`: its clock, and its op energy scaled by (V/V_top)^2;
// governor off (the battery follows the thermals itself).
Inputs at_point(const Inputs& in, const config::UnitDvfs& t, std::size_t top, std::size_t p) {
    Inputs out = in;
    config::ComputeUnitSpec& u = out.machine.units[in.unit];
    const double v = t.points[p].volts / t.points[top].volts;
    u.clock_hz = u.clock_hz * t.points[p].hz / t.points[top].hz;
    for (double& e : u.energy_j_per_op) e *= v * v;
    out.machine.thermal = {};
    return out;
}

CostTable costs_for(const Inputs& in, const std::vector<RequestShape>& shapes) {
    CostTable t;
    for (const RequestShape& s : shapes) t.emplace(s, request_cost(in, s));
    return t;
}

}  // namespace

BatteryReport battery_life(const Inputs& in) {
    const auto wall0 = std::chrono::steady_clock::now();
    const config::BatteryUsageSpec& u = in.scenario.battery;
    const config::BatterySpec& mb = in.machine.power.battery;
    BatteryReport r;
    r.machine = in.machine.name;
    r.model = in.model.name;
    r.quant = in.quant_label;
    const double capacity = u.capacity_j > 0 ? u.capacity_j : mb.capacity_j;
    if (capacity <= 0)
        throw config::InputError(u.present ? u.where : config::SourceLocation{in.machine.name}, "battery.capacity",
                                 "machine '" + in.machine.name + "' has no battery (power.battery); give battery.capacity");
    const double usable_fraction = u.usable_fraction > 0 ? u.usable_fraction : mb.usable_fraction;
    const double efficiency = u.discharge_efficiency > 0 ? u.discharge_efficiency : mb.discharge_efficiency;
    const double usable_j = capacity * usable_fraction * efficiency;
    r.battery_wh = capacity / kJPerWh;
    r.usable_wh = usable_j / kJPerWh;
    r.idle_power_w = machine_idle_power_w(in.machine, u);
    r.screen_w = u.screen_w;

    const UsagePattern pattern = make_pattern(u, in.scenario.prompt, in.scenario.gen);
    r.pattern = pattern.name;
    const std::vector<RequestShape> shapes = distinct_shapes(pattern);
    const std::vector<Watch> ws = watches(in.machine);
    // Per-request runs without the governor: the battery follows the thermals over the cycle.
    Inputs plain = in;
    plain.machine.thermal = {};
    const Cycle full = evaluate(pattern, costs_for(plain, shapes), ws, r.idle_power_w, r.screen_w);
    r.shapes_simulated = shapes.size();
    r.clock_hz = r.throttled_clock_hz = in.machine.units[in.unit].clock_hz;
    const double horizon = usable_j / full.power_w();
    r.throttle_at_s = ws.empty() ? -1 : onset(ws, full, horizon, &r.throttle_limit);
    r.throttled = r.throttle_at_s >= 0;

    double t1 = horizon, t2 = 0;
    Cycle slow = full;
    const config::UnitDvfs* table = in.machine.power.dvfs_of(in.machine.units[in.unit].name);
    if (r.throttled && table) {
        const std::size_t top = hw::thermal::top_point(*table, r.clock_hz);
        for (std::size_t p = top; p-- > 0;) {
            slow = evaluate(pattern, costs_for(at_point(in, *table, top, p), shapes), ws, r.idle_power_w, r.screen_w);
            r.shapes_simulated += shapes.size();
            r.throttled_clock_hz = r.clock_hz * table->points[p].hz / table->points[top].hz;
            if (sustainable(ws, slow)) break;
        }
        t1 = r.throttle_at_s;
        t2 = (usable_j - full.power_w() * t1) / slow.power_w();
    }
    const double n1 = t1 / full.period_s, n2 = t2 / slow.period_s;
    const double seconds = t1 + t2;
    r.hours = seconds / 3600.0;
    r.avg_power_w = usable_j / seconds;
    r.tokens_per_charge = full.tokens * n1 + slow.tokens * n2;
    r.requests_per_charge = full.requests * n1 + slow.requests * n2;
    r.wh_per_1000_tokens = r.tokens_per_charge > 0 ? r.usable_wh / r.tokens_per_charge * 1000.0 : 0;
    r.energy = EnergySplit{full.split.inference_j * n1 + slow.split.inference_j * n2, full.split.platform_j * n1 + slow.split.platform_j * n2,
                           full.split.idle_j * n1 + slow.split.idle_j * n2, full.split.screen_j * n1 + slow.split.screen_j * n2};
    r.cycle_s = full.period_s;
    r.cycle_tokens = full.tokens;
    r.active_tokens_per_s = full.busy_s > 0 ? full.tokens / full.busy_s : 0;
    r.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
    return r;
}

}  // namespace infersim::scenario
