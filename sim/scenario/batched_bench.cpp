// llama-batched-bench: flags, simulation of its rows, and its printers.
#include "scenario/batched_bench.hpp"

#include <algorithm>
#include <cstdio>

#include "config/errors.hpp"
#include "scenario/bench_plan.hpp"

namespace infersim::scenario {
namespace {

[[noreturn]] void bad(const std::string& flag, const std::string& what) {
    throw config::InputError(config::SourceLocation{"command line"}, flag, what);
}

std::uint64_t one(const std::string& v, const std::string& flag) {
    const auto r = parse_int_range(v, flag);
    if (r.size() != 1) bad(flag, "expected one number");
    return r[0];
}

struct Speeds {
    float t_pp, t_tg, t, s_pp, s_tg, s;
};

// As llama-batched-bench computes them, in float.
Speeds speeds(const BatchedFlags& f, const BatchedRow& r) {
    Speeds s;
    s.t_pp = static_cast<float>(r.t_pp);
    s.t_tg = static_cast<float>(r.t_tg);
    s.t = s.t_pp + s.t_tg;
    const float pp = static_cast<float>(r.pp), tg = static_cast<float>(r.tg), pl = static_cast<float>(r.pl);
    s.s_pp = f.pps ? pp / s.t_pp : pl * pp / s.t_pp;
    s.s_tg = pl * tg / s.t_tg;
    s.s = ((f.pps ? pp : pl * pp) + pl * tg) / s.t;
    return s;
}

}  // namespace

BatchedFlags take_batched_flags(std::vector<std::string>& args) {
    BatchedFlags f;
    std::vector<std::string> rest;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "-pps") {
            f.pps = true;
            continue;
        }
        const bool known = a == "-npp" || a == "-ntg" || a == "-npl" || a == "-c" || a == "--ctx-size" || a == "-b" || a == "--batch-size" ||
                           a == "-ub" || a == "--ubatch-size" || a == "-ngl" || a == "--n-gpu-layers" || a == "--gpu-layers" || a == "-fa" ||
                           a == "--flash-attn" || a == "--output-format";
        if (!known) {
            rest.push_back(a);
            continue;
        }
        if (i + 1 >= args.size()) bad(a, "needs a value");
        const std::string v = args[++i];
        if (a == "-npp") f.npp = parse_int_range(v, a);
        else if (a == "-ntg") f.ntg = parse_int_range(v, a);
        else if (a == "-npl") f.npl = parse_int_range(v, a);
        else if (a == "-c" || a == "--ctx-size") f.n_ctx = one(v, a);
        else if (a == "-b" || a == "--batch-size") f.n_batch = std::max<std::uint64_t>(1, one(v, a));
        else if (a == "-ub" || a == "--ubatch-size") f.n_ubatch = std::max<std::uint64_t>(1, one(v, a));
        else if (a == "-ngl" || a == "--n-gpu-layers" || a == "--gpu-layers") f.n_gpu_layers = static_cast<int>(std::min<std::uint64_t>(one(v, a), 100000));
        else if (a == "-fa" || a == "--flash-attn") {
            if (v != "0" && v != "1" && v != "on" && v != "off") bad(a, "'" + v + "' is not 0, 1, on or off");
            f.flash_attn = v == "1" || v == "on";
        } else {
            if (v != "md" && v != "jsonl") bad(a, "'" + v + "' is not md or jsonl");
            f.jsonl = v == "jsonl";
        }
    }
    if (std::find(f.npl.begin(), f.npl.end(), 0u) != f.npl.end()) bad("-npl", "a batch of 0 sequences");
    args = rest;
    return f;
}

Inputs batched_inputs(const Inputs& in, const BatchedFlags& f, const BatchedRow& row, bool prompt_phase) {
    Inputs b = in;
    config::ScenarioSpec& s = b.scenario;
    s.gpu_layers = f.n_gpu_layers;
    s.flash_attn = f.flash_attn;
    // llama-batched-bench feeds token id 0 to every sequence, so all sequences route to the
    // same experts (runtimes.md).
    s.routing.mode = config::Routing::identical;
    if (prompt_phase) {
        // One shared prompt is processed once; otherwise B prompts together, in ubatches of
        // n_ubatch tokens in all (so ubatch / B tokens of each sequence per step).
        s.batch = f.pps ? 1 : static_cast<std::int64_t>(row.pl);
        s.prompt = static_cast<std::int64_t>(row.pp);
        s.gen = 0;
        s.depth = 0;
        const std::uint64_t ub = std::min(f.n_ubatch, f.n_batch);
        s.ubatch = static_cast<std::int64_t>(std::max<std::uint64_t>(1, ub / static_cast<std::uint64_t>(s.batch)));
    } else {
        s.batch = static_cast<std::int64_t>(row.pl);
        s.prompt = 0;
        s.gen = static_cast<std::int64_t>(row.tg);
        s.depth = static_cast<std::int64_t>(row.pp);
    }
    return b;
}

std::vector<BatchedRow> run_batched_bench(const Inputs& in, const BatchedFlags& f, std::uint64_t n_kv_max) {
    std::vector<BatchedRow> rows;
    for (std::uint64_t pp : f.npp)
        for (std::uint64_t tg : f.ntg)
            for (std::uint64_t pl : f.npl) {
                BatchedRow r{pp, tg, pl, pl * (pp + tg), 0, 0};
                if (n_kv_max > 0 && r.n_kv > n_kv_max) continue;  // llama-batched-bench skips what exceeds its KV cells
                if (pp > 0) r.t_pp = run(batched_inputs(in, f, r, true)).summary.prefill.seconds;
                if (tg > 0) r.t_tg = run(batched_inputs(in, f, r, false)).summary.decode.seconds;
                rows.push_back(r);
            }
    return rows;
}

void print_batched(std::ostream& out, const BatchedFlags& f, std::uint64_t n_kv_max, int n_threads, const std::vector<BatchedRow>& rows) {
    char b[1024];
    const int fa = f.flash_attn ? 1 : 0, pps = f.pps ? 1 : 0;
    const auto kv = static_cast<int>(n_kv_max);
    if (!f.jsonl) {
        std::snprintf(b, sizeof b,
                      "\nmain: n_kv_max = %d, n_batch = %d, n_ubatch = %d, flash_attn = %d, is_pp_shared = %d, n_gpu_layers = %d, "
                      "n_threads = %u, n_threads_batch = %u\n\n",
                      kv, static_cast<int>(f.n_batch), static_cast<int>(f.n_ubatch), fa, pps, f.n_gpu_layers, static_cast<unsigned>(n_threads),
                      static_cast<unsigned>(n_threads));
        out << b;
        std::snprintf(b, sizeof b, "|%6s | %6s | %4s | %6s | %8s | %8s | %8s | %8s | %8s | %8s |\n", "PP", "TG", "B", "N_KV", "T_PP s", "S_PP t/s",
                      "T_TG s", "S_TG t/s", "T s", "S t/s");
        out << b;
        std::snprintf(b, sizeof b, "|%6s-|-%6s-|-%4s-|-%6s-|-%8s-|-%8s-|-%8s-|-%8s-|-%8s-|-%8s-|\n", "------", "------", "----", "------",
                      "--------", "--------", "--------", "--------", "--------", "--------");
        out << b;
    }
    for (const BatchedRow& r : rows) {
        const Speeds s = speeds(f, r);
        const int pp = static_cast<int>(r.pp), tg = static_cast<int>(r.tg), pl = static_cast<int>(r.pl), n_kv = static_cast<int>(r.n_kv);
        if (f.jsonl)
            std::snprintf(b, sizeof b,
                          "{\"n_kv_max\": %d, \"n_batch\": %d, \"n_ubatch\": %d, \"flash_attn\": %d, \"is_pp_shared\": %d, \"n_gpu_layers\": %d, "
                          "\"n_threads\": %u, \"n_threads_batch\": %u, \"pp\": %d, \"tg\": %d, \"pl\": %d, \"n_kv\": %d, \"t_pp\": %f, "
                          "\"speed_pp\": %f, \"t_tg\": %f, \"speed_tg\": %f, \"t\": %f, \"speed\": %f}\n",
                          kv, static_cast<int>(f.n_batch), static_cast<int>(f.n_ubatch), fa, pps, f.n_gpu_layers, static_cast<unsigned>(n_threads),
                          static_cast<unsigned>(n_threads), pp, tg, pl, n_kv, s.t_pp, s.s_pp, s.t_tg, s.s_tg, s.t, s.s);
        else
            std::snprintf(b, sizeof b, "|%6d | %6d | %4d | %6d | %8.3f | %8.2f | %8.3f | %8.2f | %8.3f | %8.2f |\n", pp, tg, pl, n_kv, s.t_pp, s.s_pp,
                          s.t_tg, s.s_tg, s.t, s.s);
        out << b;
    }
}

}  // namespace infersim::scenario
