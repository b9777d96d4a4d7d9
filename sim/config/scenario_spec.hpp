// What to simulate: which machine, model, quantization and runtime, and the request shape.
#pragma once
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "config/battery_spec.hpp"
#include "config/errors.hpp"
#include "config/overrides.hpp"
#include "config/routing_spec.hpp"
#include "config/serving_spec.hpp"
#include "config/yaml_node.hpp"

namespace infersim::config {

enum class Fidelity { fast, detailed, rapid };

/// Limits on one run, so a runaway scenario stops with a message instead of eating the machine.
struct Budget {
    std::uint64_t max_events = 100'000'000;     // events plus coalesced tiles: ~1-2 min of work
    double max_memory_bytes = 2.0 * (1ull << 30); // op table and timelines
    std::uint64_t max_ops = 50'000'000;         // trace rows held in memory
    std::uint64_t max_timeline_bins = 20'000'000;
    double max_simulated_s = 30 * 86400.0;      // the clock is picoseconds in 64 bits: ~213 days at most
};

struct SimOptions {
    double chunk_bytes = 8 * 1048576.0;  // steady-state traffic of one tile
    double first_tile_bytes = 65536;     // an op's first tile; tiles double up to chunk_bytes
    int prefetch_depth = 4;              // tiles read ahead of compute
    int decode_stride = 0;               // decode steps per simulated one (0: 15 at rapid fidelity, else 1)
    double bin_s = 0.01;                 // timeline bin
    std::optional<Fidelity> fidelity;    // set: every pool's channel model; unset: each pool's own (default fast)
    Budget budget;
};

/// Decode steps per simulated one (replay/step_tape.hpp): the scenario's `sim.decode_stride`, or
/// by default 15 at rapid fidelity and 1 (every step simulated) otherwise.
inline std::size_t decode_stride(const SimOptions& s) {
    if (s.decode_stride > 0) return static_cast<std::size_t>(s.decode_stride);
    return s.fidelity == Fidelity::rapid ? 15 : 1;
}

/// Another agent sharing a memory pool with the model: a display controller, the OS, a CPU or
/// NPU job. It streams `bytes_per_s` in `chunk_bytes` requests from `start_s` to `stop_s`.
struct AgentSpec {
    std::string name;
    std::string pool;                    // empty: the unit's pool, else the model's pool
    std::string unit;                    // compute unit running the job (an NPU job); empty: none
    double bytes_per_s = 0;
    bool write = false;
    double chunk_bytes = 262144;
    double start_s = 0;
    double stop_s = 0;                   // 0: until the model finishes
    SourceLocation where;
};

enum class Offload { stream, compute };

struct ScenarioSpec {
    std::string machine;                 // name or path, as written
    std::string model;
    std::string quant = "q4_k_m";
    std::string runtime;                 // empty: the machine's default
    std::string unit;                    // empty: the first gpu, else the first unit
    std::string kv_cache = "f16";
    std::int64_t prompt = 512;
    std::int64_t gen = 128;
    std::int64_t batch = 1;
    std::int64_t ubatch = 512;           // prompt tokens per prefill step (llama.cpp -ub)
    std::int64_t gpu_layers = -1;        // layers on the unit's own pool (llama.cpp -ngl); -1: as many as fit
    // Layers in another pool: streamed over the link, or computed by that pool's unit. Unset: all
    // layers on the unit (refused when they do not fit, as llama.cpp fails to allocate), or with
    // gpu_layers < layers the rest computed by the host, as llama.cpp's CPU layers.
    std::optional<Offload> offload;
    std::vector<AgentSpec> agents;
    SimOptions sim;
    // Where fields were written, so checks that need the machine or model can point back.
    SourceLocation machine_where, model_where, quant_where, runtime_where, kv_where, unit_where, agents_where, prompt_where;
    std::string base_dir;                // directory of the scenario file (names resolve from here too)
    std::string resolved_yaml;

    // --- llama-bench depth and flash attention (issue 9) ---
    std::int64_t depth = 0;              // tokens already in the KV cache before the run (llama-bench -d)
    std::optional<bool> flash_attn;      // overrides the runtime's flash_attention (llama-bench -fa)
    SourceLocation gpu_layers_where;     // where gpu_layers (or the machine) was named, for the no-fit refusal
    // --- battery life: the `battery:` section ---
    BatteryUsageSpec battery;
    // MoE routing (issue 9): how tokens pick experts, so how many distinct experts a step reads.
    RoutingSpec routing;
    // Overrides of the machine, model and runtime documents (--set, sweep axes; config/overrides.hpp).
    std::vector<Override> overrides;
    // Serving (issue 15): the `serving:` section for `infersim serve`; present = false without it.
    ServingSpec serving;
};

inline constexpr std::int64_t kMaxTokens = 16'777'216;  // prompt or generation length refused above 2^24

ScenarioSpec load_scenario(const std::string& path);
ScenarioSpec read_scenario(const Node& root);
void describe_scenario_schema(std::ostream& out);

}  // namespace infersim::config
