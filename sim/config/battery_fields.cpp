// The scenario's `battery:` section and request traces.
#include "config/battery_spec.hpp"

#include <array>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "config/fields.hpp"
#include "config/layered_file.hpp"

namespace infersim::config {
namespace {

std::int64_t tokens(const Node& n, std::int64_t min) { return n.as_integer(min, 16'777'216); }

std::vector<TraceRequest> trace_items(const Node& n) {
    if (!n.is_sequence()) n.fail("expected a list of [at_s, prompt, gen]");
    std::vector<TraceRequest> out;
    for (const Node& item : n.items()) {
        const std::vector<Node> v = item.is_sequence() ? item.items() : std::vector<Node>{};
        if (v.size() != 3) item.fail("expected a request [at_s, prompt, gen]");
        TraceRequest r{v[0].as_quantity(Dimension::time, 0, 1e7), tokens(v[1], 1), tokens(v[2], 0)};
        if (!out.empty() && r.at_s < out.back().at_s) item.fail("requests must be in arrival order");
        out.push_back(r);
    }
    if (out.empty()) n.fail("a trace needs at least one request");
    return out;
}

const std::array kBatteryUsageFields{
    Field<BatteryUsageSpec>{"capacity", "energy", false, "the machine's power.battery", "battery capacity, e.g. '72.4 Wh'",
                            [](BatteryUsageSpec& b, const Node& n) { b.capacity_j = n.as_quantity(Dimension::energy, 1, 1e8); }},
    Field<BatteryUsageSpec>{"usable", "fraction", false, "the machine's", "share of the capacity the system may use",
                            [](BatteryUsageSpec& b, const Node& n) { b.usable_fraction = n.as_quantity(Dimension::count, 0.01, 1); }},
    Field<BatteryUsageSpec>{"discharge_efficiency", "fraction", false, "the machine's", "share of the cells' energy reaching the system",
                            [](BatteryUsageSpec& b, const Node& n) { b.discharge_efficiency = n.as_quantity(Dimension::count, 0.01, 1); }},
    Field<BatteryUsageSpec>{"screen", "power", false, "0 W", "screen-on baseline on top of the machine's platform and idle figures",
                            [](BatteryUsageSpec& b, const Node& n) { b.screen_w = n.as_quantity(Dimension::power, 0, 1e4); }},
    Field<BatteryUsageSpec>{"self_refresh", "power", false, "0 W", "DRAM self-refresh between requests, on top of power.idle",
                            [](BatteryUsageSpec& b, const Node& n) { b.self_refresh_w = n.as_quantity(Dimension::power, 0, 1e4); }},
    Field<BatteryUsageSpec>{"usage", "enum", false, "continuous", "continuous, chat, agent, trace or idle",
                            [](BatteryUsageSpec& b, const Node& n) {
                                b.pattern = as_enum<UsageKind>(n, {{"continuous", UsageKind::continuous}, {"chat", UsageKind::chat},
                                                                   {"agent", UsageKind::agent}, {"trace", UsageKind::trace}, {"idle", UsageKind::idle}});
                            }},
    Field<BatteryUsageSpec>{"prompt", "integer", false, "the scenario's", "prompt tokens per request (agent: of the first turn)",
                            [](BatteryUsageSpec& b, const Node& n) { b.prompt = tokens(n, 1); }},
    Field<BatteryUsageSpec>{"gen", "integer", false, "the scenario's", "tokens generated per request",
                            [](BatteryUsageSpec& b, const Node& n) { b.gen = tokens(n, 0); }},
    Field<BatteryUsageSpec>{"requests_per_hour", "number", false, "30", "chat: requests per hour, idle between them",
                            [](BatteryUsageSpec& b, const Node& n) { b.requests_per_hour = n.as_quantity(Dimension::count, 1e-3, 1e6); }},
    Field<BatteryUsageSpec>{"turns", "integer", false, "8", "agent: model calls per task",
                            [](BatteryUsageSpec& b, const Node& n) { b.turns = n.as_integer(1, 10000); }},
    Field<BatteryUsageSpec>{"growth", "integer", false, "512", "agent: tokens the prompt grows by per turn",
                            [](BatteryUsageSpec& b, const Node& n) { b.growth = tokens(n, 0); }},
    Field<BatteryUsageSpec>{"tool_time", "time", false, "5 s", "agent: tool time between turns (idle)",
                            [](BatteryUsageSpec& b, const Node& n) { b.tool_s = n.as_quantity(Dimension::time, 0, 1e6); }},
    Field<BatteryUsageSpec>{"pause", "time", false, "0 s", "agent: idle time between tasks",
                            [](BatteryUsageSpec& b, const Node& n) { b.pause_s = n.as_quantity(Dimension::time, 0, 1e7); }},
    Field<BatteryUsageSpec>{"trace", "list of [at_s, prompt, gen]", false, "none", "trace: the requests, repeated until empty",
                            [](BatteryUsageSpec& b, const Node& n) { b.trace = trace_items(n); }},
    // Read by read_battery_usage: it needs the scenario's directory.
    Field<BatteryUsageSpec>{"trace_file", "path", false, "none", "trace: a CSV (at_s,prompt,gen) or YAML file of requests",
                            [](BatteryUsageSpec&, const Node&) {}},
};

// One CSV line `at_s,prompt,gen`; false for a header or blank/comment line.
bool csv_request(const std::string& line, TraceRequest& r, const SourceLocation& where) {
    const std::string body = line.substr(0, line.find('#'));
    if (body.find_first_not_of(" \t\r") == std::string::npos) return false;
    std::istringstream in(body);
    char c1 = 0, c2 = 0;
    if (!(in >> r.at_s >> c1 >> r.prompt >> c2 >> r.gen) || c1 != ',' || c2 != ',') {
        if (body.find_first_of("0123456789") == std::string::npos) return false;  // a header
        throw InputError(where, "trace", "expected 'at_s,prompt,gen', got '" + printable(body, 80) + "'");
    }
    if (r.at_s < 0 || r.prompt < 1 || r.gen < 0 || r.prompt > 16'777'216 || r.gen > 16'777'216)
        throw InputError(where, "trace", "expected at_s >= 0, 1 <= prompt, 0 <= gen (at most 2^24 tokens)");
    return true;
}

}  // namespace

std::vector<TraceRequest> load_request_trace(const std::string& path) {
    const std::string ext = std::filesystem::path(path).extension().string();
    if (ext == ".yaml" || ext == ".yml") return trace_items(load_layered(path));
    std::ifstream f(path);
    if (!f) throw InputError(SourceLocation{path}, "trace", "cannot read the request trace");
    std::vector<TraceRequest> out;
    std::string line;
    for (int no = 1; std::getline(f, line); ++no) {
        TraceRequest r;
        const SourceLocation where{path, no, 1};
        if (!csv_request(line, r, where)) continue;
        if (!out.empty() && r.at_s < out.back().at_s) throw InputError(where, "trace", "requests must be in arrival order");
        out.push_back(r);
    }
    if (out.empty()) throw InputError(SourceLocation{path}, "trace", "the request trace holds no requests");
    return out;
}

BatteryUsageSpec read_battery_usage(const Node& n, const std::string& base_dir) {
    BatteryUsageSpec b;
    b.present = true;
    b.where = n.location();
    read_fields<BatteryUsageSpec>(b, n, kBatteryUsageFields);
    if (const Node f = n.child("trace_file"); f.defined()) {
        std::filesystem::path p = f.as_string();
        if (p.is_relative() && !base_dir.empty()) p = std::filesystem::path(base_dir) / p;
        if (!std::filesystem::is_regular_file(p)) f.fail("no request trace file '" + p.string() + "'");
        b.trace = load_request_trace(p.string());
    }
    if (b.pattern == UsageKind::trace && b.trace.empty()) n.fail("usage: trace needs `trace` or `trace_file`");
    return b;
}

UsageKind parse_usage_kind(const std::string& name, bool* ok) {
    *ok = true;
    if (name == "continuous") return UsageKind::continuous;
    if (name == "chat") return UsageKind::chat;
    if (name == "agent") return UsageKind::agent;
    if (name == "idle") return UsageKind::idle;
    if (name == "trace") return UsageKind::trace;
    *ok = false;
    return UsageKind::continuous;
}

void describe_battery_schema(std::ostream& out) { print_fields<BatteryUsageSpec>(out, "\nbattery", kBatteryUsageFields); }

}  // namespace infersim::config
