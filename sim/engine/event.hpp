// An event: a target to call, a small payload, and its place in the total order.
#pragma once
#include <cstdint>

#include "engine/time.hpp"

namespace infersim::engine {

class Simulator;

/// Anything that receives events. Components implement this rather than capturing closures,
/// so scheduling an event never allocates.
class EventHandler {
public:
    virtual ~EventHandler() = default;
    /// Called when an event scheduled for this handler fires; `tag` is the handler's own payload.
    virtual void handle(Simulator& sim, std::uint64_t tag) = 0;
};

/// Events are totally ordered by (when, priority, seq): seq is the insertion order, so equal
/// times and priorities fire first-scheduled first and every run is deterministic.
struct Event {
    Tick when = 0;
    std::int32_t priority = 0;
    std::uint64_t seq = 0;
    EventHandler* target = nullptr;
    std::uint64_t tag = 0;
};

inline bool fires_before(const Event& a, const Event& b) {
    if (a.when != b.when) return a.when < b.when;
    if (a.priority != b.priority) return a.priority < b.priority;
    return a.seq < b.seq;
}

}  // namespace infersim::engine
