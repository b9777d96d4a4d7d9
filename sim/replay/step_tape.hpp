// Decode-step sampling (rapid fidelity, `sim.decode_stride`). The decode steps of a request
// differ only in context: each reads the same weights and one more token of KV per layer, so
// a step's time and energy are, to first order, linear in its position, and a block of S
// consecutive steps costs S times its middle step (exactly, for a linear cost). The replayer
// simulates that middle step once, with this tape between it and the observer; the tape
// aggregates what the hardware and the replayer report, per series (a channel's reads or
// writes, a unit, a link, a cache, an agent) into windows of `window` ticks, and plays it back
// at every position of the block, shifted in time and numbered as that step.
//
// What the aggregation keeps exactly: every byte, joule, row hit and miss, refresh and busy
// picosecond, and every op record (times shifted). What it blurs: within a window, a series'
// activity is spread evenly over the span from its first start to its last end, so the
// timelines are exact at the scale of a bin, not inside it. Energy prices are linear in the
// quantities summed (bytes, busy time, dynamic joules), so summing before pricing changes no
// total. Not recording, the tape forwards every call unchanged.
#pragma once
#include <cstdint>
#include <vector>

#include "config/machine_spec.hpp"
#include "replay/observer.hpp"

namespace infersim::replay {

class StepTape final : public ReplayObserver {
public:
    /// `out` receives what the tape forwards or plays; it must outlive the tape.
    StepTape(const config::MachineSpec& machine, std::size_t agent_count, ReplayObserver& out, Tick window);

    /// Starts recording a step that begins at `origin` (nothing is forwarded until stop()).
    void record(Tick origin);
    /// Ends the recording at the step's end.
    void stop(Tick end);
    bool recording() const { return recording_; }
    /// The recorded step's span (its end minus its origin).
    Tick duration() const { return duration_; }
    std::size_t op_count() const { return ops_.size(); }
    /// Sends the recording to the observer as a step starting at `at`, its ops numbered `step`.
    void play(Tick at, std::uint32_t step);
    /// The latest end of anything played (posted writes may end after their step).
    Tick played_end() const { return played_end_; }

    void channel_busy(const hw::ChannelActivity& a) override;
    void link_busy(std::uint32_t link, Tick start, Tick end, std::uint64_t bytes) override;
    void cache_busy(std::uint32_t cache, Tick start, Tick end, std::uint64_t bytes) override;
    void unit_busy(std::uint32_t unit, Tick start, Tick end, double energy_j) override;
    void op_done(const OpRecord& r) override;
    void tokens_emitted(Tick when, std::uint32_t step, std::uint32_t count, workload::Phase phase) override;
    void cache_lookup(std::uint32_t cache, std::uint64_t hit_bytes, std::uint64_t miss_bytes) override;
    void agent_traffic(std::uint32_t agent, Tick start, Tick end, std::uint64_t bytes) override;

private:
    /// A link's, cache's, unit's or agent's activity in one window: [start, end) carries
    /// `amount` (bytes, or a unit's busy picoseconds, laid from `start`) and `energy_j`.
    struct Span {
        std::uint32_t id = 0;
        Tick start = 0, end = 0;
        std::uint64_t amount = 0;
        double energy_j = 0;
    };
    enum Series : std::size_t { links = 0, caches = 1, units = 2, agents = 3, series_kinds = 4 };

    void add_span(Series kind, std::uint32_t id, Tick start, Tick end, std::uint64_t amount, double energy_j);

    ReplayObserver& out_;
    Tick window_;
    bool recording_ = false;
    Tick origin_ = 0, duration_ = 0, played_end_ = 0;
    std::vector<std::size_t> channel_base_;          // key of (pool, channel 0, read)
    std::vector<std::int64_t> open_channel_;         // per key: index in channels_, or -1
    std::vector<hw::ChannelActivity> channels_;      // times relative to origin_
    std::vector<std::int64_t> open_span_[series_kinds];
    std::vector<Span> spans_[series_kinds];
    std::vector<std::uint64_t> lookups_;             // per cache: hit, miss
    std::vector<OpRecord> ops_;
};

}  // namespace infersim::replay
