// Battery life under a usage pattern: each distinct request shape is simulated once
// (scenario::run), idle spans are advanced analytically (idle power x time, never ticked), and
// the machine's cooling domains and power limits are followed in closed form over the cycles to
// say whether and when throttling sets in; after it, the shapes run at the highest DVFS point
// the sustained limits allow.
#pragma once
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "scenario/scenario_run.hpp"
#include "scenario/usage_pattern.hpp"

namespace infersim::scenario {

/// What one request of a shape costs, from one simulation.
struct RequestCost {
    double seconds = 0;
    double energy_j = 0;                 // every power domain
    double platform_j = 0;               // of it, the platform baseline (display, uncore)
    std::uint64_t tokens = 0;            // generated
    std::vector<std::pair<std::string, double>> domain_j;  // energy by power domain
};

/// The active energy of one request of `shape` on `in` (THE lookup: re-point it at a richer
/// power model's summary at merge).
RequestCost request_cost(const Inputs& in, const RequestShape& shape);
/// The power the machine draws between requests, DRAM in self-refresh and units gated (THE
/// lookup: re-point it at the power model's idle state at merge).
double machine_idle_power_w(const config::MachineSpec& m, const config::BatteryUsageSpec& u);

/// Where the energy of one charge went (J).
struct EnergySplit {
    double inference_j = 0;  // SoC, memory, links during requests
    double platform_j = 0;   // the platform baseline during requests
    double idle_j = 0;       // the machine idle between requests (incl. self-refresh)
    double screen_j = 0;     // the screen-on baseline, all the time
    double total() const { return inference_j + platform_j + idle_j + screen_j; }
};

struct BatteryReport {
    std::string machine, model, quant, pattern;
    double battery_wh = 0, usable_wh = 0;
    double avg_power_w = 0, hours = 0;
    double tokens_per_charge = 0, requests_per_charge = 0, wh_per_1000_tokens = 0;
    double cycle_s = 0, cycle_tokens = 0, active_tokens_per_s = 0;
    double idle_power_w = 0, screen_w = 0;
    EnergySplit energy;
    bool throttled = false;
    double throttle_at_s = -1;           // when a limit first binds
    std::string throttle_limit;          // which
    double clock_hz = 0, throttled_clock_hz = 0;
    std::size_t shapes_simulated = 0;
    double wall_s = 0;
};

/// Battery life of `in` under its scenario's battery section (or continuous generation).
BatteryReport battery_life(const Inputs& in);

nlohmann::json to_json(const BatteryReport& r);
void print_battery(std::ostream& out, const BatteryReport& r);

}  // namespace infersim::scenario
