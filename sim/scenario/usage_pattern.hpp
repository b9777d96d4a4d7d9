// Usage patterns for battery life: one cycle of requests that repeats until the battery is
// empty (continuous generation, chat at N requests per hour, an agent loop, a trace, idle).
// A pattern knows only request shapes and timing rules; how long a request takes comes from
// simulating its shape once (battery.cpp), and the cycle is laid out from those durations.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "config/battery_spec.hpp"

namespace infersim::scenario {

struct RequestShape {
    std::int64_t prompt = 0, gen = 0;
    bool operator<(const RequestShape& o) const { return prompt != o.prompt ? prompt < o.prompt : gen < o.gen; }
    bool operator==(const RequestShape& o) const { return prompt == o.prompt && gen == o.gen; }
};

/// A request of a cycle starts at max(arrival_s, previous end + after_prev_s).
struct PatternRequest {
    RequestShape shape;
    double arrival_s = 0;
    double after_prev_s = 0;
};

struct UsagePattern {
    std::string name;
    std::vector<PatternRequest> requests;
    double period_s = 0;   // > 0: the cycle lasts this long (longer if its requests run over)
    double tail_s = 0;     // idle after the last request when the period is 0
};

/// The pattern `u` describes, with `prompt`/`gen` as the defaults of its request shape.
UsagePattern make_pattern(const config::BatteryUsageSpec& u, std::int64_t prompt, std::int64_t gen);
/// Each shape once, in a stable order (sorted).
std::vector<RequestShape> distinct_shapes(const UsagePattern& p);

/// One cycle laid out: each request's [start, end), the cycle's length and its idle time.
struct CycleLayout {
    std::vector<double> start_s, end_s;
    double period_s = 0;
    double idle_s = 0;
};
/// Lays out a cycle of `p` given each request's duration.
CycleLayout lay_out(const UsagePattern& p, const std::function<double(const RequestShape&)>& seconds);

}  // namespace infersim::scenario
