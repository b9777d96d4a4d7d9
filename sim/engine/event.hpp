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
/// times and priorities fire first-scheduled first and every run is deterministic. The three
/// are packed into one 128-bit key (time | priority + 2^15 in 16 bits | seq in 48 bits) so the
/// heap compares with one integer comparison.
struct Event {
    unsigned __int128 key = 0;
    EventHandler* target = nullptr;
    std::uint64_t tag = 0;

    static constexpr int kSeqBits = 48;
    static constexpr std::uint64_t kMaxSeq = (1ULL << kSeqBits) - 1;

    static unsigned __int128 make_key(Tick when, std::int16_t priority, std::uint64_t seq) {
        const std::uint64_t low = (static_cast<std::uint64_t>(static_cast<std::uint16_t>(priority + 32768)) << kSeqBits) | seq;
        return (static_cast<unsigned __int128>(when) << 64) | low;
    }
    Tick when() const { return static_cast<Tick>(key >> 64); }
};

inline bool fires_before(const Event& a, const Event& b) { return a.key < b.key; }

}  // namespace infersim::engine
