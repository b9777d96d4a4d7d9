// A scenario's `battery:` section: the battery (capacity, usable fraction, discharge efficiency;
// defaults from the machine's power.battery), a screen-on baseline, and the usage pattern that
// drains it (continuous generation, chat, an agent loop, a trace of requests, or idle).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "config/errors.hpp"
#include "config/yaml_node.hpp"

namespace infersim::config {

enum class UsageKind { continuous, chat, agent, trace, idle };

/// One request of a trace: arrival time (s from the start of the trace), prompt and answer.
struct TraceRequest {
    double at_s = 0;
    std::int64_t prompt = 0, gen = 0;
};

struct BatteryUsageSpec {
    bool present = false;               // the scenario has a battery: section
    double capacity_j = 0;              // 0: the machine's power.battery
    double usable_fraction = -1;        // negative: the machine's
    double discharge_efficiency = -1;   // negative: the machine's
    double screen_w = 0;                // drawn all the time, on top of the machine's own figures
    double self_refresh_w = 0;          // DRAM self-refresh during idle spans, on top of power.idle
    UsageKind pattern = UsageKind::continuous;
    std::int64_t prompt = 0, gen = 0;   // per request; 0: the scenario's prompt and gen
    double requests_per_hour = 30;      // chat
    std::int64_t turns = 8;             // agent: requests per task
    std::int64_t growth = 512;          // agent: tokens the context grows by per turn (tool output)
    double tool_s = 5;                  // agent: tool time between turns
    double pause_s = 0;                 // agent: idle time between tasks
    std::vector<TraceRequest> trace;    // trace: the requests, repeated until the battery is empty
    SourceLocation where;
};

/// Reads a `battery:` mapping. Relative trace files resolve from `base_dir`.
BatteryUsageSpec read_battery_usage(const Node& n, const std::string& base_dir);
/// A trace file: CSV lines `at_s,prompt,gen` (a header line and # comments allowed) or a YAML
/// list of [at_s, prompt, gen]. Errors name the file and line.
std::vector<TraceRequest> load_request_trace(const std::string& path);
/// The pattern named on a command line (continuous, chat, agent, idle) or, for a file, a trace.
UsageKind parse_usage_kind(const std::string& name, bool* ok);
void describe_battery_schema(std::ostream& out);

}  // namespace infersim::config
