// Summary serialization and the one-screen text.
#include "output/summary.hpp"

#include "config/errors.hpp"

#include <cstdio>
#include <iomanip>

namespace infersim::output {

nlohmann::json to_json(const Summary& s) {
    using nlohmann::json;
    json pools = json::array();
    for (const PoolSummary& p : s.pools)
        pools.push_back({{"name", p.name}, {"capacity_bytes", p.capacity_bytes}, {"used_bytes", p.used_bytes},
                         {"weight_bytes", p.weight_bytes}, {"kv_bytes", p.kv_bytes}, {"peak_bytes_per_s", p.peak_bytes_per_s},
                         {"avg_bw_util", p.avg_bw_util}, {"bytes_read", p.bytes_read}, {"bytes_written", p.bytes_written}});
    auto phase = [](const PhaseSummary& p) {
        return json{{"tokens", p.tokens}, {"seconds", p.seconds}, {"tokens_per_s", p.tokens_per_s}, {"bound", p.bound}, {"bw_util", p.bw_util},
                    {"energy_j", p.energy_j}, {"joules_per_token", p.joules_per_token}, {"system_power_w", p.system_power_w},
                    {"wall_power_w", p.wall_power_w}};
    };
    json agents = json::array();
    for (const AgentSummary& a : s.agents) agents.push_back({{"name", a.name}, {"bytes", a.bytes}, {"avg_bytes_per_s", a.avg_bytes_per_s}});
    json caches = json::array();
    for (const CacheSummary& c : s.caches)
        caches.push_back({{"name", c.name}, {"hit_bytes", c.hit_bytes}, {"miss_bytes", c.miss_bytes}, {"hit_rate", c.hit_rate}});
    json energy = json::object();
    for (const auto& [k, v] : s.energy_by_domain) energy[k] = v;
    json j{
        {"machine", s.machine}, {"model", s.model}, {"quant", s.quant}, {"runtime", s.runtime}, {"unit", s.unit},
        {"kv_cache", s.kv_cache}, {"prompt", s.prompt}, {"gen", s.gen}, {"batch", s.batch},
        {"fits", s.fits}, {"weights_bytes", s.weights_bytes}, {"kv_bytes", s.kv_bytes}, {"needed_bytes", s.needed_bytes},
        {"shortfall_bytes", s.shortfall_bytes}, {"pools", pools},
        {"ttft_s", s.ttft_s}, {"tpot_s", s.tpot_s}, {"prefill", phase(s.prefill)}, {"decode", phase(s.decode)},
        {"ceilings", {{"decode_bw_tokens_per_s", s.decode_bw_ceiling_tokens_per_s},
                      {"prefill_compute_tokens_per_s", s.prefill_compute_ceiling_tokens_per_s}}},
        {"energy_j", s.energy_j}, {"joules_per_token", s.joules_per_token}, {"avg_power_w", s.avg_power_w},
        {"energy_by_domain_j", energy},
        {"dram", {{"avg_bw_util", s.dram_avg_bw_util}}},
        {"agents", agents},
        {"caches", caches},
        {"sim", {{"events", s.events}, {"ops", s.ops}, {"wall_s", s.wall_s}, {"simulated_s", s.simulated_s}, {"fidelity", s.fidelity}}},
    };
    json split = json::object();
    for (const auto& [k, v] : s.energy_split) split[k] = v;
    j["energy_split_j"] = split;
    j["power_model"] = s.power_model;
    j["soc_power_w"] = s.soc_power_w;
    j["system_power_w"] = s.system_power_w;
    j["wall_power_w"] = s.wall_power_w;
    j["peak_power_w"] = s.peak_power_w;
    j["power_defaults"] = s.power_defaults;
    if (s.has_battery) j["battery"] = {{"hours_generating", s.battery_hours}, {"tokens_per_charge", s.battery_tokens_per_charge}};
    if (s.thermal.active) {
        json units = json::object(), domains = json::object();
        for (const ThermalSummary::Unit& u : s.thermal.units) units[u.name] = {{"start_hz", u.start_hz}, {"end_hz", u.end_hz}, {"min_hz", u.min_hz}};
        for (const ThermalSummary::Domain& d : s.thermal.domains) domains[d.name] = {{"peak_c", d.peak_c}, {"end_c", d.end_c}};
        j["thermal"] = {{"throttle_s", s.thermal.throttle_s < 0 ? json(nullptr) : json(s.thermal.throttle_s)}, {"units", units}, {"domains", domains}};
    }
    return j;
}

namespace {
std::string gb(double bytes) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f GB", bytes / 1e9);
    return buf;
}
// Names come from input files: escaped, so a name cannot clear the screen or forge a line.
std::string esc(const std::string& name) { return config::escape_controls(name); }
std::string fixed(double v, int digits) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.*f", digits, v);
    return buf;
}
}  // namespace

std::string json_text(const nlohmann::json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

void print_summary(std::ostream& out, const Summary& s) {
    out << std::fixed;
    out << "infersim: " << esc(s.model) << " " << esc(s.quant) << " on " << esc(s.machine) << " (" << esc(s.unit) << ", runtime "
        << esc(s.runtime) << ", " << esc(s.fidelity) << ")\n";
    out << "request:  prompt " << s.prompt << ", generate " << s.gen << ", batch " << s.batch << ", KV " << esc(s.kv_cache) << "\n\n";
    out << "memory:   weights " << gb(static_cast<double>(s.weights_bytes)) << " + KV " << gb(static_cast<double>(s.kv_bytes))
        << " = " << gb(static_cast<double>(s.needed_bytes)) << " with buffers -> "
        << (s.fits ? "FITS" : "DOES NOT FIT (short by " + gb(static_cast<double>(s.shortfall_bytes)) + ")") << "\n";
    for (const PoolSummary& p : s.pools)
        out << "          " << std::left << std::setw(10) << esc(p.name) << std::right << gb(static_cast<double>(p.used_bytes)) << " of "
            << gb(p.capacity_bytes) << ", peak " << std::setprecision(0) << p.peak_bytes_per_s / 1e9 << " GB/s, avg util "
            << std::setprecision(1) << 100 * p.avg_bw_util << "%\n";
    out << std::setprecision(3);
    out << "\nprefill:  " << s.prefill.tokens << " tokens in " << s.prefill.seconds << " s = " << std::setprecision(1)
        << s.prefill.tokens_per_s << " tok/s (" << s.prefill.bound << "-bound; compute ceiling "
        << s.prefill_compute_ceiling_tokens_per_s << " tok/s)\n";
    out << std::setprecision(3) << "TTFT:     " << s.ttft_s << " s\n";
    out << "decode:   " << s.decode.tokens << " tokens in " << s.decode.seconds << " s = " << std::setprecision(2)
        << s.decode.tokens_per_s << " tok/s (" << s.decode.bound << "-bound; bandwidth ceiling "
        << s.decode_bw_ceiling_tokens_per_s << " tok/s, DRAM util " << std::setprecision(1) << 100 * s.decode.bw_util << "%)\n";
    out << std::setprecision(2) << "TPOT:     " << 1e3 * s.tpot_s << " ms\n";
    out << "\nenergy:   " << s.energy_j << " J, " << s.joules_per_token << " J/token, average " << s.avg_power_w << " W\n";
    out << "power:    SoC " << s.soc_power_w << " W, system " << s.system_power_w << " W, wall " << s.wall_power_w << " W, peak "
        << s.peak_power_w << " W (" << esc(s.power_model) << ")\n";
    out << "          prefill " << std::setprecision(4) << s.prefill.joules_per_token << " J/prompt token, decode "
        << std::setprecision(3) << s.decode.joules_per_token << std::setprecision(2) << " J/token at " << s.decode.system_power_w << " W system, " << s.decode.wall_power_w << " W wall\n";
    for (const auto& [k, v] : s.energy_by_domain)
        if (v > 0) out << "          " << std::left << std::setw(20) << esc(k) << std::right << v << " J\n";
    for (const std::string& d : s.power_defaults) out << "default:  " << esc(d) << "\n";
    for (const CacheSummary& c : s.caches)
        if (c.hit_bytes + c.miss_bytes > 0)
            out << "cache:    " << esc(c.name) << " hit rate " << std::setprecision(1) << 100 * c.hit_rate << "% of "
                << std::setprecision(2) << (c.hit_bytes + c.miss_bytes) / 1e9 << " GB it keeps\n";
    if (s.agents.size() > 1) {
        out << "traffic:";
        for (const AgentSummary& a : s.agents) out << "  " << esc(a.name) << " " << std::setprecision(1) << a.avg_bytes_per_s / 1e9 << " GB/s";
        out << std::setprecision(2) << "\n";
    }
    if (s.has_battery)
        out << "battery:  " << s.battery_hours << " h of continuous generation, " << std::setprecision(0)
            << s.battery_tokens_per_charge << " tokens per charge\n";
    if (s.thermal.active) {
        out << "thermal:  " << (s.thermal.throttle_s < 0 ? std::string("never throttled") : "throttled from " + fixed(s.thermal.throttle_s, 1) + " s");
        for (const ThermalSummary::Unit& u : s.thermal.units)
            out << "; " << esc(u.name) << " " << fixed(u.start_hz / 1e6, 0) << " -> " << fixed(u.end_hz / 1e6, 0) << " MHz";
        for (const ThermalSummary::Domain& d : s.thermal.domains) out << "; " << esc(d.name) << " peak " << fixed(d.peak_c, 1) << " C";
        out << "\n";
    }
    out << std::setprecision(3) << "\nsim:      " << s.simulated_s << " s simulated, " << s.events << " events, " << s.ops
        << " ops, " << s.wall_s << " s wall\n";
}

}  // namespace infersim::output
