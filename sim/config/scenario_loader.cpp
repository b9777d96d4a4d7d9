// The scenario schema.
#include <array>
#include <filesystem>

#include "config/fields.hpp"
#include "config/layered_file.hpp"
#include "config/scenario_spec.hpp"
#include "config/storage_names.hpp"

namespace infersim::config {
namespace {

std::int64_t tokens(const Node& n, std::int64_t min) { return n.as_integer(min, kMaxTokens); }

const std::array kBudgetFields{
    Field<Budget>{"max_memory", "bytes", false, "2 GiB", "memory for the op table and the timelines",
                  [](Budget& b, const Node& n) { b.max_memory_bytes = n.as_quantity(Dimension::bytes, 1 << 20, 1e13); }},
    Field<Budget>{"max_events", "integer", false, "1e8", "events and coalesced tiles before the run is stopped",
                  [](Budget& b, const Node& n) { b.max_events = static_cast<std::uint64_t>(n.as_integer(1, 1LL << 50)); }},
    Field<Budget>{"max_ops", "integer", false, "5e7", "trace operations held in memory",
                  [](Budget& b, const Node& n) { b.max_ops = static_cast<std::uint64_t>(n.as_integer(1, 1LL << 40)); }},
    Field<Budget>{"max_simulated_time", "time", false, "30 days", "simulated time before the run is stopped",
                  [](Budget& b, const Node& n) { b.max_simulated_s = n.as_quantity(Dimension::time, 1e-9, 180 * 86400.0); }},
    Field<Budget>{"max_timeline_bins", "integer", false, "2e7", "timeline bins held in memory",
                  [](Budget& b, const Node& n) { b.max_timeline_bins = static_cast<std::uint64_t>(n.as_integer(1, 1LL << 40)); }},
};

const std::array kSimFields{
    Field<SimOptions>{"chunk", "bytes", false, "8 MiB", "steady-state traffic of one tile (work per op vs. overlap detail)",
                      [](SimOptions& s, const Node& n) { s.chunk_bytes = n.as_quantity(Dimension::bytes, 4096, 1e10); }},
    Field<SimOptions>{"first_tile", "bytes", false, "64 KiB", "an op's first tile (its first wave of loads); tiles double up to chunk",
                      [](SimOptions& s, const Node& n) { s.first_tile_bytes = n.as_quantity(Dimension::bytes, 256, 1e10); }},
    Field<SimOptions>{"prefetch", "integer", false, "4", "tiles read ahead of compute",
                      [](SimOptions& s, const Node& n) { s.prefetch_depth = static_cast<int>(n.as_integer(1, 1024)); }},
    Field<SimOptions>{"decode_stride", "integer", false, "15 at rapid fidelity, else 1",
                      "decode steps per simulated one: each block of this many alike decode steps replays its middle step's activity (1: every step simulated)",
                      [](SimOptions& s, const Node& n) { s.decode_stride = static_cast<int>(n.as_integer(1, 4096)); }},
    Field<SimOptions>{"bin", "time", false, "10 ms", "timeline bin width",
                      [](SimOptions& s, const Node& n) { s.bin_s = n.as_quantity(Dimension::time, 1e-6, 3600); }},
    Field<SimOptions>{"fidelity", "enum", false, "each pool's channel_model",
                      "fast (chunk-level DRAM timing), detailed (per-burst bank state) or rapid (fast timing on one representative channel per pool) for every pool, over the pools' own channel_model",
                      [](SimOptions& s, const Node& n) {
                          s.fidelity = as_enum<Fidelity>(n, {{"fast", Fidelity::fast}, {"detailed", Fidelity::detailed}, {"rapid", Fidelity::rapid}});
                      }},
    Field<SimOptions>{"budget", "map", false, "", "max_events, max_ops, max_timeline_bins",
                      [](SimOptions& s, const Node& n) { read_fields<Budget>(s.budget, n, kBudgetFields); }},
};

const std::array kAgentFields{
    Field<AgentSpec>{"pool", "pool name", false, "the model's pool", "memory pool the agent uses",
                     [](AgentSpec& a, const Node& n) { a.pool = n.as_string(); }},
    Field<AgentSpec>{"unit", "unit name", false, "none", "compute unit running the job (e.g. npu): its pool by default, its running power while it streams",
                     [](AgentSpec& a, const Node& n) { a.unit = n.as_string(); }},
    Field<AgentSpec>{"bandwidth", "bandwidth", true, "", "average traffic, e.g. '4 GB/s' for a 4K120 display",
                     [](AgentSpec& a, const Node& n) { a.bytes_per_s = n.as_quantity(Dimension::bandwidth, 1, 1e15); }},
    Field<AgentSpec>{"write", "bool", false, "false", "the agent writes instead of reads",
                     [](AgentSpec& a, const Node& n) { a.write = n.as_bool(); }},
    Field<AgentSpec>{"chunk", "bytes", false, "256 KiB", "request size",
                     [](AgentSpec& a, const Node& n) { a.chunk_bytes = n.as_quantity(Dimension::bytes, 64, 1e9); }},
    Field<AgentSpec>{"start", "time", false, "0 s", "when the agent starts",
                     [](AgentSpec& a, const Node& n) { a.start_s = n.as_quantity(Dimension::time, 0, 1e7); }},
    Field<AgentSpec>{"stop", "time", false, "end of run", "when the agent stops",
                     [](AgentSpec& a, const Node& n) { a.stop_s = n.as_quantity(Dimension::time, 0, 1e7); }},
};

const std::array kScenarioFields{
    Field<ScenarioSpec>{"machine", "name or path", true, "", "machine (configs/machines/NAME.yaml or a path)",
                        [](ScenarioSpec& s, const Node& n) { s.machine = n.as_string(); s.machine_where = n.location(); }},
    Field<ScenarioSpec>{"model", "name or path", true, "", "model (configs/models/NAME.yaml, a config.json or a .gguf)",
                        [](ScenarioSpec& s, const Node& n) { s.model = n.as_string(); s.model_where = n.location(); }},
    Field<ScenarioSpec>{"quant", "format", false, "q4_k_m", "weight format: f32 f16 bf16 q8_0 q4_0 q4_1 q4_k_m q5_k_m q6_k fp8 mxfp4 nvfp4",
                        [](ScenarioSpec& s, const Node& n) { s.quant = n.as_string(); s.quant_where = n.location(); }},
    Field<ScenarioSpec>{"runtime", "name or path", false, "machine's default", "runtime profile (configs/runtimes)",
                        [](ScenarioSpec& s, const Node& n) { s.runtime = n.as_string(); s.runtime_where = n.location(); }},
    Field<ScenarioSpec>{"unit", "unit name", false, "first gpu", "compute unit that runs the model",
                        [](ScenarioSpec& s, const Node& n) { s.unit = n.as_string(); s.unit_where = n.location(); }},
    Field<ScenarioSpec>{"kv_cache", "format", false, "f16", "KV cache precision: f16, q8_0 or fp8",
                        [](ScenarioSpec& s, const Node& n) { s.kv_cache = n.as_string(); s.kv_where = n.location(); }},
    Field<ScenarioSpec>{"prompt", "integer", false, "512", "prompt tokens per request", [](ScenarioSpec& s, const Node& n) { s.prompt = tokens(n, 1); s.prompt_where = n.location(); }},
    Field<ScenarioSpec>{"gen", "integer", false, "128", "tokens generated per request", [](ScenarioSpec& s, const Node& n) { s.gen = tokens(n, 0); }},
    Field<ScenarioSpec>{"batch", "integer", false, "1", "concurrent requests decoded together",
                        [](ScenarioSpec& s, const Node& n) { s.batch = n.as_integer(1, 65536); }},
    Field<ScenarioSpec>{"ubatch", "integer", false, "512", "prompt tokens per prefill step",
                        [](ScenarioSpec& s, const Node& n) { s.ubatch = n.as_integer(1, 1 << 20); }},
    Field<ScenarioSpec>{"gpu_layers", "integer", false, "-1 (as many as fit)", "layers placed in the unit's own pool (llama.cpp -ngl)",
                        [](ScenarioSpec& s, const Node& n) { s.gpu_layers = n.as_integer(-1, 100000); s.gpu_layers_where = n.location(); }},
    Field<ScenarioSpec>{"offload", "enum", false, "unset: none, or compute below gpu_layers",
                        "layers in another pool: stream (read over the link) or compute (run by that pool's unit, as llama.cpp's CPU layers); "
                        "unset, a model that does not fit in the unit's pool is refused",
                        [](ScenarioSpec& s, const Node& n) {
                            s.offload = as_enum<Offload>(n, {{"stream", Offload::stream}, {"compute", Offload::compute}});
                        }},
    Field<ScenarioSpec>{"agents", "map of agents", false, "none", "other traffic sharing memory: display, OS, CPU/NPU jobs",
                        [](ScenarioSpec& s, const Node& n) {
                            if (!n.is_map()) n.fail("expected a mapping of agent names to {pool, bandwidth, ...}");
                            s.agents_where = n.location();
                            constexpr std::string_view kReserved[] = {"model"};  // the model's own traffic
                            check_storage_names(n, kReserved);
                            for (const std::string& k : n.keys()) {
                                AgentSpec a;
                                a.name = k;
                                if (!n.child(k).is_map())
                                    throw InputError(n.child(k).defined() ? n.child(k).location() : n.key_location(k), n.child(k).path(),
                                                     "expected a mapping {pool, bandwidth, ...} for the agent");
                                a.where = n.child(k).location();
                                read_fields<AgentSpec>(a, n.child(k), kAgentFields);
                                if (a.stop_s > 0 && a.stop_s <= a.start_s) n.child(k).child("stop").fail("stop must be after start");
                                s.agents.push_back(a);
                            }
                        }},
    Field<ScenarioSpec>{"sim", "map", false, "", "chunk, prefetch, bin, fidelity, budget",
                        [](ScenarioSpec& s, const Node& n) { read_fields<SimOptions>(s.sim, n, kSimFields); }},
    // --- llama-bench depth and flash attention (issue 9) ---
    Field<ScenarioSpec>{"depth", "integer", false, "0", "tokens already in the KV cache before the run (llama-bench -d); their prefill is not simulated",
                        [](ScenarioSpec& s, const Node& n) { s.depth = tokens(n, 0); }},
    Field<ScenarioSpec>{"flash_attn", "bool", false, "runtime's flash_attention", "flash attention on or off (llama-bench -fa): off, the scores go through memory",
                        [](ScenarioSpec& s, const Node& n) { s.flash_attn = n.as_bool(); }},
    // --- battery and thermals ---
    Field<ScenarioSpec>{"battery", "map", false, "none", "battery and usage pattern for `infersim battery`",
                        [](ScenarioSpec& s, const Node& n) { s.battery = read_battery_usage(n, std::filesystem::path(n.file()).parent_path().string()); }},
    // MoE routing (issue 9); read by config/routing_loader.cpp.
    Field<ScenarioSpec>{"routing", "mode, file or map", false, "independent",
                        "MoE routing: independent (uniform, each token its own k experts), identical (every sequence the same "
                        "experts, as llama-batched-bench), a histogram file, or {histogram: [counts per expert] | [[...] per MoE layer]}",
                        [](ScenarioSpec& s, const Node& n) { s.routing = read_routing(n); }},
    // Serving (issue 15); read by config/serving_loader.cpp.
    Field<ScenarioSpec>{"serving", "map", false, "none", "request arrivals, lengths, scheduler policy, speculative decoding for `infersim serve`",
                        [](ScenarioSpec& s, const Node& n) { s.serving = read_serving(n); }},
};

constexpr std::array<std::string_view, 1> kExtends{"extends"};

}  // namespace

ScenarioSpec read_scenario(const Node& root) {
    ScenarioSpec s;
    read_fields<ScenarioSpec>(s, root, kScenarioFields, kExtends);
    YAML::Emitter out;
    out << root.merged();
    s.resolved_yaml = out.c_str();
    return s;
}

ScenarioSpec load_scenario(const std::string& path) {
    ScenarioSpec s = read_scenario(load_layered(path));
    s.base_dir = std::filesystem::path(path).parent_path().string();
    return s;
}

void describe_scenario_schema(std::ostream& out) {
    print_fields<ScenarioSpec>(out, "scenario", kScenarioFields);
    print_fields<AgentSpec>(out, "\nagents.<name>", kAgentFields);
    print_fields<SimOptions>(out, "\nsim", kSimFields);
    print_fields<Budget>(out, "\nsim.budget", kBudgetFields);
    describe_battery_schema(out);
    describe_serving_schema(out);
}

}  // namespace infersim::config
