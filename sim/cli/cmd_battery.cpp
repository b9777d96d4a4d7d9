// infersim battery: hours and tokens per charge under a usage pattern.
#include <filesystem>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "output/summary.hpp"
#include "scenario/battery.hpp"

namespace infersim::cli {

int cmd_battery(const Args& args) {
    po::options_description opts("infersim battery [SCENARIO.yaml] [options]");
    opts.add_options()("help,h", "show options")("json", "print the report as one JSON object")(
        "usage", po::value<std::string>(), "continuous, chat, agent, idle, or a request trace (CSV at_s,prompt,gen or YAML)")(
        "requests-per-hour", po::value<double>(), "chat: requests per hour")(
        "scenario", po::value<std::string>(), "scenario YAML with a battery: section (also positional)")(
        "no-wall-time", "report sim.wall_s as 0, so identical inputs print identical JSON");
    opts.add(scenario_options());
    po::positional_options_description pos;
    pos.add("scenario", 1);
    po::variables_map vm = parse(args, opts, pos);
    if (printed_help(vm, opts)) return 0;
    std::optional<std::string> file;
    if (vm.count("scenario")) file = vm["scenario"].as<std::string>();
    config::ScenarioSpec scenario = scenario_from(vm, file);
    config::BatteryUsageSpec& b = scenario.battery;
    if (vm.count("usage")) {
        const std::string u = vm["usage"].as<std::string>();
        bool named = false;
        b.pattern = config::parse_usage_kind(u, &named);
        if (!named) {
            if (!std::filesystem::is_regular_file(u))
                throw UsageError("--usage: expected continuous, chat, agent, idle or a request trace file, got '" + u + "'");
            b.pattern = config::UsageKind::trace;
            b.trace = config::load_request_trace(u);
        }
        if (b.pattern == config::UsageKind::trace && b.trace.empty()) throw UsageError("--usage trace: give a trace file instead");
    }
    if (vm.count("requests-per-hour")) {
        const double n = vm["requests-per-hour"].as<double>();
        if (!(n > 0 && n <= 1e6)) throw UsageError("--requests-per-hour: expected a number in (0, 1e6]");
        b.requests_per_hour = n;
    }
    const scenario::Inputs in = scenario::resolve_inputs(scenario, search_paths());
    scenario::BatteryReport r = scenario::battery_life(in);
    if (vm.count("no-wall-time")) r.wall_s = 0;
    if (vm.count("json")) std::cout << output::json_text(scenario::to_json(r)) << "\n";
    else scenario::print_battery(std::cout, r);
    return 0;
}

}  // namespace infersim::cli
