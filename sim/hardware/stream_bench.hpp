// A STREAM-like microbenchmark of one memory pool's model: long sequential reads, writes,
// copies and triads, or random burst-sized accesses, issued back to back (ample memory-level
// parallelism) and timed by the channel model alone (the pool's own, or the one a fidelity stands for);
// then, seen from a compute unit, capped by what that unit pulls: its measured stream bandwidth
// lowered by the machine's die-crossing fabric (limit_to_unit).
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "config/machine_spec.hpp"
#include "config/scenario_spec.hpp"

namespace infersim::hw {

enum class StreamPattern { read, write, copy, triad, random };

struct StreamResult {
    std::uint64_t bytes = 0;       // bytes moved (reads + writes)
    double seconds = 0;
    double bytes_per_s = 0;
    double efficiency = 0;         // achieved / peak
    std::uint64_t requests = 0;    // pool requests
    std::uint64_t commands = 0;    // column commands (bursts) summed over channels
    std::uint64_t activations = 0;
    double host_seconds = 0;       // wall time the model took
};

/// Parses "read", "write", "copy", "triad", "random"; returns false on anything else.
bool parse_stream_pattern(const std::string& s, StreamPattern& out);

/// Runs `pattern` over `bytes` per array in requests of `request_bytes` (random: one burst),
/// on the pool's own channel model, or the one `fidelity` stands for.
StreamResult run_stream(const config::PoolSpec& pool, StreamPattern pattern, std::uint64_t bytes,
                        std::uint64_t request_bytes = 64 * 1024, std::uint64_t seed = 1,
                        std::optional<config::Fidelity> fidelity = std::nullopt);

/// `r` as `unit` sees it on a machine with `fabric`: the time is at least bytes over the unit's
/// stream bandwidth x the fabric's stream factor (no limit when the unit states none).
StreamResult limit_to_unit(StreamResult r, const config::PoolSpec& pool, const config::ComputeUnitSpec& unit,
                           const config::FabricSpec& fabric);

}  // namespace infersim::hw
