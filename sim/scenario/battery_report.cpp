// The battery report as JSON and as one screen of text.
#include <iomanip>
#include <ostream>

#include "scenario/battery.hpp"

namespace infersim::scenario {

nlohmann::json to_json(const BatteryReport& r) {
    nlohmann::json j = {
        {"machine", r.machine}, {"model", r.model}, {"quant", r.quant}, {"usage", r.pattern},
        {"battery_wh", r.battery_wh}, {"usable_wh", r.usable_wh}, {"avg_power_w", r.avg_power_w}, {"hours", r.hours},
        {"tokens_per_charge", r.tokens_per_charge}, {"requests_per_charge", r.requests_per_charge},
        {"wh_per_1000_tokens", r.wh_per_1000_tokens}, {"cycle_s", r.cycle_s}, {"cycle_tokens", r.cycle_tokens},
        {"active_tokens_per_s", r.active_tokens_per_s}, {"idle_power_w", r.idle_power_w}, {"screen_w", r.screen_w},
        {"energy_by_use_j", {{"inference", r.energy.inference_j}, {"platform", r.energy.platform_j}, {"idle", r.energy.idle_j}, {"screen", r.energy.screen_j}}},
        {"throttling", {{"throttled", r.throttled}, {"at_s", r.throttle_at_s}, {"limit", r.throttle_limit}, {"clock_hz", r.clock_hz},
                        {"throttled_clock_hz", r.throttled_clock_hz}}},
        {"sim", {{"shapes_simulated", r.shapes_simulated}, {"wall_s", r.wall_s}}},
    };
    return j;
}

void print_battery(std::ostream& out, const BatteryReport& r) {
    const double total = r.energy.total() > 0 ? r.energy.total() : 1;
    auto pct = [&](double j) { return 100.0 * j / total; };
    out << std::fixed << std::setprecision(2);
    out << r.machine << " | " << r.model << " " << r.quant << " | usage: " << r.pattern << "\n";
    out << "battery      " << r.battery_wh << " Wh, usable " << r.usable_wh << " Wh\n";
    out << "hours        " << r.hours << " h at " << r.avg_power_w << " W average\n";
    out << "tokens       " << std::setprecision(0) << r.tokens_per_charge << " per charge (" << r.requests_per_charge << " requests), "
        << std::setprecision(3) << r.wh_per_1000_tokens << " Wh per 1000 tokens\n";
    out << std::setprecision(1) << "energy       inference " << pct(r.energy.inference_j) << "%, platform " << pct(r.energy.platform_j)
        << "%, idle " << pct(r.energy.idle_j) << "%, screen " << pct(r.energy.screen_j) << "%\n";
    if (r.throttled)
        out << "throttling   " << r.throttle_limit << " binds after " << r.throttle_at_s << " s; clock " << r.clock_hz / 1e6 << " -> "
            << r.throttled_clock_hz / 1e6 << " MHz\n";
    else
        out << "throttling   none\n";
    out << std::setprecision(3) << "sim          " << r.shapes_simulated << " request shapes simulated in " << r.wall_s << " s\n";
}

}  // namespace infersim::scenario
