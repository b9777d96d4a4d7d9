// What a serving engineer reads off a run: latency percentiles (TTFT, TPOT, end to end),
// throughput, goodput under the SLO, preemptions, KV occupancy, energy per request; as JSON
// and as a text summary.
#pragma once
#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "config/serving_spec.hpp"
#include "serving/serve_sim.hpp"

namespace infersim::serving {

struct Percentiles {
    double p50 = 0, p90 = 0, p99 = 0, mean = 0;
};

/// Nearest-rank percentiles of `v` (sorted in place).
Percentiles percentiles(std::vector<double>& v);

struct ServeReport {
    std::string machine, model, quant, runtime, scheduler, draft_model;
    Percentiles ttft, tpot, e2e;
    double duration_s = 0, output_tokens_per_s = 0, requests_per_s = 0, goodput_requests_per_s = 0, goodput_fraction = 0;
    std::uint64_t requests = 0, output_tokens = 0, prompt_tokens = 0, cached_prompt_tokens = 0, preemptions = 0;
    double kv_mean_occupancy = 0, kv_peak_occupancy = 0;
    std::uint64_t kv_pages = 0, kv_page_tokens = 0;
    double energy_j = 0, idle_energy_j = 0, energy_per_request_j = 0, joules_per_output_token = 0, avg_power_w = 0;
    double mean_batch = 0;
    std::uint64_t steps = 0, cache_hits = 0, cache_misses = 0, target_passes = 0, draft_passes = 0;
    double tokens_per_target_pass = 0;   // speculative: accepted + 1 per verified pass
    double wall_s = 0;
    config::SloSpec slo;
};

ServeReport make_report(const ServeTotals& t, const config::SloSpec& slo);
nlohmann::ordered_json to_json(const ServeReport& r);
void print_report(std::ostream& out, const ServeReport& r);

}  // namespace infersim::serving
