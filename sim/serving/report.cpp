// Serving metrics from the per-request records and the step timeline.
#include "serving/report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace infersim::serving {

Percentiles percentiles(std::vector<double>& v) {
    Percentiles p;
    if (v.empty()) return p;
    std::sort(v.begin(), v.end());
    auto at = [&](double q) { return v[static_cast<std::size_t>(std::max(1.0, std::ceil(q * static_cast<double>(v.size())))) - 1]; };
    p.p50 = at(0.5);
    p.p90 = at(0.9);
    p.p99 = at(0.99);
    double sum = 0;
    for (double x : v) sum += x;
    p.mean = sum / static_cast<double>(v.size());
    return p;
}

ServeReport make_report(const ServeTotals& t, const config::SloSpec& slo) {
    ServeReport r;
    r.slo = slo;
    std::vector<double> ttft, tpot, e2e;
    std::uint64_t good = 0;
    for (const Sequence& s : t.sequences) {
        if (!s.done) continue;
        ++r.requests;
        r.output_tokens += s.generated;
        r.prompt_tokens += s.req.prompt;
        r.cached_prompt_tokens += s.cached_tokens;
        const double first = engine::to_seconds(s.first_token - s.req.arrival);
        const double per = s.generated > 1 ? engine::to_seconds(s.finish - s.first_token) / (s.generated - 1) : 0;
        ttft.push_back(first);
        if (s.generated > 1) tpot.push_back(per);
        e2e.push_back(engine::to_seconds(s.finish - s.req.arrival));
        if (first <= slo.ttft_s && per <= slo.tpot_s) ++good;
    }
    r.ttft = percentiles(ttft);
    r.tpot = percentiles(tpot);
    r.e2e = percentiles(e2e);
    r.duration_s = engine::to_seconds(t.end);
    if (r.duration_s > 0) {
        r.output_tokens_per_s = static_cast<double>(r.output_tokens) / r.duration_s;
        r.requests_per_s = static_cast<double>(r.requests) / r.duration_s;
        r.goodput_requests_per_s = static_cast<double>(good) / r.duration_s;
    }
    r.goodput_fraction = r.requests ? static_cast<double>(good) / static_cast<double>(r.requests) : 0;
    r.preemptions = t.preemptions;
    double occ = 0, batch = 0, span = 0;
    for (const StepRecord& s : t.steps) {
        const double d = engine::to_seconds(s.end - s.start);
        occ += s.kv_occupancy * d;
        batch += s.batch * d;
        span += d;
    }
    r.kv_mean_occupancy = span > 0 ? occ / span : 0;
    r.mean_batch = span > 0 ? batch / span : 0;
    r.kv_peak_occupancy = t.peak_kv_occupancy;
    r.kv_pages = t.kv_pages;
    r.kv_page_tokens = t.page_tokens;
    r.energy_j = t.busy_energy_j + t.idle_energy_j;
    r.idle_energy_j = t.idle_energy_j;
    r.energy_per_request_j = r.requests ? r.energy_j / static_cast<double>(r.requests) : 0;
    r.joules_per_output_token = r.output_tokens ? r.energy_j / static_cast<double>(r.output_tokens) : 0;
    r.avg_power_w = r.duration_s > 0 ? r.energy_j / r.duration_s : 0;
    r.steps = t.steps.size();
    r.cache_hits = t.cache_hits;
    r.cache_misses = t.cache_misses;
    r.target_passes = t.target_passes;
    r.draft_passes = t.draft_passes;
    r.tokens_per_target_pass = t.verify_passes ? static_cast<double>(t.verify_tokens) / static_cast<double>(t.verify_passes) : 0;
    return r;
}

namespace {
nlohmann::ordered_json pct(const Percentiles& p) { return {{"p50", p.p50}, {"p90", p.p90}, {"p99", p.p99}, {"mean", p.mean}}; }
}  // namespace

nlohmann::ordered_json to_json(const ServeReport& r) {
    nlohmann::ordered_json j;
    j["machine"] = r.machine;
    j["model"] = r.model;
    j["quant"] = r.quant;
    j["runtime"] = r.runtime;
    j["scheduler"] = r.scheduler;
    j["requests"] = r.requests;
    j["ttft_s"] = pct(r.ttft);
    j["tpot_s"] = pct(r.tpot);
    j["e2e_s"] = pct(r.e2e);
    j["throughput"] = {{"output_tokens_per_s", r.output_tokens_per_s}, {"requests_per_s", r.requests_per_s}, {"duration_s", r.duration_s},
                       {"output_tokens", r.output_tokens}, {"prompt_tokens", r.prompt_tokens}, {"mean_batch", r.mean_batch}};
    j["goodput"] = {{"requests_per_s", r.goodput_requests_per_s}, {"fraction", r.goodput_fraction},
                    {"slo", {{"ttft_s", r.slo.ttft_s}, {"tpot_s", r.slo.tpot_s}}}};
    j["preemptions"] = r.preemptions;
    j["kv"] = {{"pages", r.kv_pages}, {"page_tokens", r.kv_page_tokens}, {"mean_occupancy", r.kv_mean_occupancy},
               {"peak_occupancy", r.kv_peak_occupancy}, {"prefix_cached_tokens", r.cached_prompt_tokens}};
    j["energy_j"] = r.energy_j;
    j["energy_per_request_j"] = r.energy_per_request_j;
    j["joules_per_token"] = r.joules_per_output_token;
    j["avg_power_w"] = r.avg_power_w;
    j["idle_energy_j"] = r.idle_energy_j;
    j["speculative"] = {{"draft_model", r.draft_model}, {"target_passes", r.target_passes}, {"draft_passes", r.draft_passes},
                        {"tokens_per_target_pass", r.tokens_per_target_pass}};
    j["sim"] = {{"steps", r.steps}, {"step_cache_hits", r.cache_hits}, {"step_cache_misses", r.cache_misses},
                {"step_cache_hit_rate", r.cache_hits + r.cache_misses ? static_cast<double>(r.cache_hits) / static_cast<double>(r.cache_hits + r.cache_misses) : 0},
                {"wall_s", r.wall_s}};
    return j;
}

void print_report(std::ostream& out, const ServeReport& r) {
    char b[256];
    out << "serving " << r.model << " " << r.quant << " on " << r.machine << " (runtime " << r.runtime << ", scheduler " << r.scheduler << ")\n";
    std::snprintf(b, sizeof b, "  requests %llu in %.2f s: %.2f req/s, %.1f output tok/s, mean batch %.1f\n",
                  static_cast<unsigned long long>(r.requests), r.duration_s, r.requests_per_s, r.output_tokens_per_s, r.mean_batch);
    out << b;
    out << "               p50        p90        p99       mean\n";
    for (auto [name, p] : {std::pair{"  TTFT  ", &r.ttft}, std::pair{"  TPOT  ", &r.tpot}, std::pair{"  E2E   ", &r.e2e}}) {
        std::snprintf(b, sizeof b, "%s %8.1f ms %7.1f ms %7.1f ms %7.1f ms\n", name, p->p50 * 1e3, p->p90 * 1e3, p->p99 * 1e3, p->mean * 1e3);
        out << b;
    }
    std::snprintf(b, sizeof b, "  goodput %.2f req/s (%.0f%% within TTFT <= %.0f ms and TPOT <= %.0f ms)\n", r.goodput_requests_per_s,
                  r.goodput_fraction * 100, r.slo.ttft_s * 1e3, r.slo.tpot_s * 1e3);
    out << b;
    std::snprintf(b, sizeof b, "  KV cache %llu pages x %llu tokens: mean %.0f%%, peak %.0f%% used; %llu preemptions; %llu prompt tokens from the prefix cache\n",
                  static_cast<unsigned long long>(r.kv_pages), static_cast<unsigned long long>(r.kv_page_tokens), r.kv_mean_occupancy * 100,
                  r.kv_peak_occupancy * 100, static_cast<unsigned long long>(r.preemptions), static_cast<unsigned long long>(r.cached_prompt_tokens));
    out << b;
    if (r.draft_passes > 0 || r.tokens_per_target_pass > 0) {
        std::snprintf(b, sizeof b, "  speculative: %.2f tokens per target pass, %llu draft passes\n", r.tokens_per_target_pass,
                      static_cast<unsigned long long>(r.draft_passes));
        out << b;
    }
    std::snprintf(b, sizeof b, "  energy %.1f J (%.2f J per request, %.3f J per output token, %.1f W average; %.1f J idle)\n", r.energy_j,
                  r.energy_per_request_j, r.joules_per_output_token, r.avg_power_w, r.idle_energy_j);
    out << b;
    std::snprintf(b, sizeof b, "  %llu steps, %llu replayed (step cache hit rate %.1f%%), %.2f s wall\n", static_cast<unsigned long long>(r.steps),
                  static_cast<unsigned long long>(r.cache_misses),
                  r.cache_hits + r.cache_misses ? 100.0 * static_cast<double>(r.cache_hits) / static_cast<double>(r.cache_hits + r.cache_misses) : 0,
                  r.wall_s);
    out << b;
}

}  // namespace infersim::serving
