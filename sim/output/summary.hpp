// The one-screen answer of a run: does it fit, how fast, how busy, how many joules.
// Serialized to JSON by nlohmann (keys are the DESIGN.md contract; dotted names are nested
// objects: "prefill.tokens_per_s" is {"prefill": {"tokens_per_s": ...}}).
#pragma once
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace infersim::output {

struct PoolSummary {
    std::string name;
    double capacity_bytes = 0;
    std::uint64_t used_bytes = 0;       // weights + KV + buffers placed there
    std::uint64_t weight_bytes = 0;
    std::uint64_t kv_bytes = 0;
    double peak_bytes_per_s = 0;
    double avg_bw_util = 0;             // over the whole run
    std::uint64_t bytes_read = 0, bytes_written = 0;
};

struct PhaseSummary {
    std::uint64_t tokens = 0;           // tokens processed (prefill) or generated (decode)
    double seconds = 0;
    double tokens_per_s = 0;
    std::string bound;                  // memory, compute or launch (time-weighted majority)
    double bw_util = 0;                 // DRAM bytes / (peak x time) of the unit's pools
    // Energy of the phase (issue 10): its activity + constant power over its steps + supply loss.
    double energy_j = 0;
    double joules_per_token = 0;        // per prompt token (prefill) or generated token (decode)
    double system_power_w = 0;          // DC, over the phase's steps
    double wall_power_w = 0;            // at the wall (= system without a PSU/adapter)
};

struct CacheSummary {
    std::string name;
    double hit_bytes = 0, miss_bytes = 0;
    double hit_rate = 0;                // of the bytes its policy keeps
};

struct AgentSummary {
    std::string name;                   // "model", or a scenario agent
    double bytes = 0;
    double avg_bytes_per_s = 0;
};

/// What the thermal governor did (present when the machine has cooling domains or limits).
struct ThermalSummary {
    bool active = false;
    double throttle_s = -1;             // when a limit first bound; negative: never
    struct Unit { std::string name; double start_hz = 0, end_hz = 0, min_hz = 0; };
    struct Domain { std::string name; double peak_c = 0, end_c = 0; };
    std::vector<Unit> units;            // the governed units' clocks
    std::vector<Domain> domains;        // the cooling domains' temperatures
};

struct Summary {
    std::string machine, model, quant, runtime, unit, kv_cache;
    std::uint64_t prompt = 0, gen = 0, batch = 0;
    bool fits = true;
    std::uint64_t weights_bytes = 0, kv_bytes = 0, needed_bytes = 0, shortfall_bytes = 0;
    std::vector<PoolSummary> pools;
    double ttft_s = 0, tpot_s = 0;
    PhaseSummary prefill, decode;
    double decode_bw_ceiling_tokens_per_s = 0;     // peak bandwidth / bytes per decode step
    double prefill_compute_ceiling_tokens_per_s = 0;
    double energy_j = 0, joules_per_token = 0, avg_power_w = 0;
    std::vector<std::pair<std::string, double>> energy_by_domain;
    double dram_avg_bw_util = 0;
    std::vector<AgentSummary> agents;
    std::vector<CacheSummary> caches;
    bool has_battery = false;
    double battery_hours = 0, battery_tokens_per_charge = 0;
    double simulated_s = 0;
    std::uint64_t events = 0, ops = 0;
    double wall_s = 0;
    std::string fidelity;
    // Whole-system power (issue 10). energy_j is the sum of energy_split (supply loss included).
    std::string power_model;
    double soc_power_w = 0;             // units, host cores, uncore, caches, memory PHY and fabric
    double system_power_w = 0;          // DC: everything but the supply's loss
    double wall_power_w = 0;            // at the wall: DC + PSU/adapter loss
    double peak_power_w = 0;            // highest DC power over the timeline bins
    std::vector<std::pair<std::string, double>> energy_split;   // by domain kind, alphabetical
    std::vector<std::string> power_defaults;                    // figures the machine left out
    ThermalSummary thermal;
};

nlohmann::json to_json(const Summary& s);
/// The readable one-screen summary.
/// The JSON text of `j` on one line. Names from input files may hold invalid UTF-8 (nlohmann's
/// plain dump() throws on it): such bytes become U+FFFD instead.
std::string json_text(const nlohmann::json& j);

void print_summary(std::ostream& out, const Summary& s);

}  // namespace infersim::output
