// What the replayer reports besides hardware activity: finished ops, emitted tokens, steps.
#pragma once
#include <cstdint>

#include "config/op_kind.hpp"
#include "hardware/activity.hpp"
#include "workload/trace.hpp"

namespace infersim::replay {

using engine::Tick;

enum class Bound : std::uint8_t { memory, compute, launch };
inline const char* name(Bound b) {
    switch (b) {
        case Bound::memory: return "memory";
        case Bound::compute: return "compute";
        case Bound::launch: return "launch";
    }
    return "?";
}

struct OpRecord {
    std::uint32_t step = 0;
    std::int32_t layer = -1;
    config::OpKind kind = config::OpKind::norm;
    workload::Phase phase = workload::Phase::decode;
    std::uint32_t unit = 0;
    Tick start = 0, end = 0;
    std::uint64_t bytes = 0;        // DRAM/cache traffic of the op
    double flops = 0;
    double compute_s = 0;           // arithmetic time alone
    double launch_s = 0;            // launch/dispatch time
    Bound bound = Bound::memory;
    std::uint64_t cache_bytes = 0;  // the part of `bytes` a cache served (bytes - cache_bytes came from DRAM)
};

class ReplayObserver : public hw::ActivitySink {
public:
    virtual void op_done(const OpRecord& r) = 0;
    /// `count` tokens became available at `when` (end of a step that samples).
    virtual void tokens_emitted(Tick when, std::uint32_t step, std::uint32_t count, workload::Phase phase) = 0;
    /// A cache served `hit_bytes` of data its policy keeps, and sent `miss_bytes` on to memory.
    virtual void cache_lookup(std::uint32_t cache, std::uint64_t hit_bytes, std::uint64_t miss_bytes) = 0;
    /// Agent `agent` (0: the model; then the scenario's agents) moved `bytes` in [start, end).
    virtual void agent_traffic(std::uint32_t agent, Tick start, Tick end, std::uint64_t bytes) = 0;
};

}  // namespace infersim::replay
