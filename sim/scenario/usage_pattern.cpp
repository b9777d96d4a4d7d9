// The usage patterns as cycles of requests, and a cycle's layout in time.
#include "scenario/usage_pattern.hpp"

#include <algorithm>

namespace infersim::scenario {

UsagePattern make_pattern(const config::BatteryUsageSpec& u, std::int64_t prompt, std::int64_t gen) {
    const RequestShape shape{u.prompt > 0 ? u.prompt : prompt, u.gen > 0 ? u.gen : gen};
    UsagePattern p;
    switch (u.pattern) {
        case config::UsageKind::continuous:
            p.name = "continuous";
            p.requests.push_back({shape, 0, 0});  // back to back: the cycle is one request
            break;
        case config::UsageKind::chat:
            p.name = "chat";
            p.requests.push_back({shape, 0, 0});
            p.period_s = 3600.0 / u.requests_per_hour;
            break;
        case config::UsageKind::agent:
            // Each turn re-reads the grown context (no prefix reuse, ASSUMPTION: conservative),
            // after the tool has run.
            p.name = "agent";
            for (std::int64_t t = 0; t < u.turns; ++t)
                p.requests.push_back({RequestShape{shape.prompt + t * u.growth, shape.gen}, 0, t == 0 ? 0.0 : u.tool_s});
            p.tail_s = u.tool_s + u.pause_s;
            break;
        case config::UsageKind::trace:
            p.name = "trace";
            for (const config::TraceRequest& r : u.trace) p.requests.push_back({RequestShape{r.prompt, r.gen}, r.at_s, 0});
            break;
        case config::UsageKind::idle:
            p.name = "idle";
            p.period_s = 3600;
            break;
    }
    return p;
}

std::vector<RequestShape> distinct_shapes(const UsagePattern& p) {
    std::vector<RequestShape> out;
    for (const PatternRequest& r : p.requests) out.push_back(r.shape);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

CycleLayout lay_out(const UsagePattern& p, const std::function<double(const RequestShape&)>& seconds) {
    CycleLayout c;
    double prev_end = 0, busy = 0;
    for (std::size_t i = 0; i < p.requests.size(); ++i) {
        const PatternRequest& r = p.requests[i];
        const double start = std::max(r.arrival_s, i == 0 ? r.arrival_s : prev_end + r.after_prev_s);
        const double d = seconds(r.shape);
        c.start_s.push_back(start);
        c.end_s.push_back(start + d);
        prev_end = start + d;
        busy += d;
    }
    c.period_s = std::max(p.period_s, prev_end + (p.period_s > 0 ? 0.0 : p.tail_s));
    c.idle_s = c.period_s - busy;
    return c;
}

}  // namespace infersim::scenario
