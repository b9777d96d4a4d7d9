// llama-bench flag parsing and test expansion.
#include "scenario/bench_plan.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>

#include "config/errors.hpp"
#include "config/scenario_spec.hpp"

namespace infersim::scenario {
namespace {

[[noreturn]] void bad(std::string_view flag, const std::string& what) {
    throw config::InputError(config::SourceLocation{"command line"}, std::string(flag), what);
}

std::vector<std::string_view> split(std::string_view text, char sep) {
    std::vector<std::string_view> out;
    for (std::size_t at = 0;;) {
        const std::size_t next = text.find(sep, at);
        out.push_back(text.substr(at, next == std::string_view::npos ? std::string_view::npos : next - at));
        if (next == std::string_view::npos) return out;
        at = next + 1;
    }
}

// A decimal number of at most 2^24 (the scenario's token limit) taken from the front of `s`.
std::uint64_t number(std::string_view& s, std::string_view flag, std::string_view item) {
    std::uint64_t v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end == s.data())
        bad(flag, "'" + std::string(item) + "' is not first[-last[(+|*)step]] with non-negative integers");
    if (v > static_cast<std::uint64_t>(config::kMaxTokens)) bad(flag, std::to_string(v) + " is over the limit of 16777216");
    s.remove_prefix(static_cast<std::size_t>(end - s.data()));
    return v;
}

bool parse_bool(std::string_view v, std::string_view flag) {
    if (v == "1" || v == "on" || v == "true") return true;
    if (v == "0" || v == "off" || v == "false") return false;
    bad(flag, "'" + std::string(v) + "' is not 0, 1, on or off");
}

void check_kv_type(std::string_view v, std::string_view flag) {
    constexpr std::string_view kTypes[] = {"f16", "bf16", "q8_0", "q4_0", "fp8"};
    if (std::find(std::begin(kTypes), std::end(kTypes), v) == std::end(kTypes))
        bad(flag, "unknown cache type '" + std::string(v) + "'; expected f16, bf16, q8_0 or q4_0");
}

template <typename T>
void append_once(std::vector<T>& list, bool& fresh, const std::vector<T>& more) {
    if (fresh) list.clear();  // the first use replaces the default; later uses append
    fresh = false;
    list.insert(list.end(), more.begin(), more.end());
}

}  // namespace

std::vector<std::uint64_t> parse_int_range(std::string_view text, std::string_view flag) {
    std::vector<std::uint64_t> out;
    for (std::string_view item : split(text, ',')) {
        std::string_view s = item;
        const std::uint64_t first = number(s, flag, item);
        std::uint64_t last = first, step = 1;
        char op = '+';
        if (!s.empty() && s.front() == '-') {
            s.remove_prefix(1);
            last = number(s, flag, item);
            if (!s.empty() && (s.front() == '+' || s.front() == '*')) {
                op = s.front();
                s.remove_prefix(1);
                step = number(s, flag, item);
            }
        }
        if (!s.empty()) bad(flag, "'" + std::string(item) + "' is not first[-last[(+|*)step]]");
        for (std::uint64_t i = first; i <= last;) {
            out.push_back(i);
            const std::uint64_t next = op == '+' ? i + step : i * step;
            if (next <= i) bad(flag, "the range '" + std::string(item) + "' does not advance");
            if (out.size() > 4096) bad(flag, "the range '" + std::string(item) + "' has more than 4096 values");
            i = next;
        }
    }
    return out;
}

BenchFlags take_bench_flags(std::vector<std::string>& args) {
    BenchFlags f;
    bool fp = true, fn = true, fd = true, fb = true, fub = true, fngl = true, ffa = true, fk = true, fv = true;
    std::vector<std::string> rest;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto is = [&](std::initializer_list<std::string_view> names) { return std::find(names.begin(), names.end(), a) != names.end(); };
        const bool known = is({"-p", "--n-prompt", "-n", "--n-gen", "-pg", "-d", "--n-depth", "-b", "--batch-size", "-ub", "--ubatch-size",
                               "-ngl", "--n-gpu-layers", "--gpu-layers", "-fa", "--flash-attn", "-ctk", "--cache-type-k", "-ctv",
                               "--cache-type-v", "-r", "--repetitions", "-o", "--output"});
        if (!known) {
            rest.push_back(a);
            continue;
        }
        if (i + 1 >= args.size()) bad(a, "needs a value");
        const std::string v = args[++i];
        if (is({"-p", "--n-prompt"})) append_once(f.n_prompt, fp, parse_int_range(v, a));
        else if (is({"-n", "--n-gen"})) append_once(f.n_gen, fn, parse_int_range(v, a));
        else if (is({"-d", "--n-depth"})) append_once(f.n_depth, fd, parse_int_range(v, a));
        else if (is({"-b", "--batch-size", "-ub", "--ubatch-size"})) {
            const auto sizes = parse_int_range(v, a);
            if (std::find(sizes.begin(), sizes.end(), 0u) != sizes.end()) bad(a, "a batch size must be at least 1");
            if (is({"-b", "--batch-size"})) append_once(f.n_batch, fb, sizes);
            else append_once(f.n_ubatch, fub, sizes);
        }
        else if (is({"-ngl", "--n-gpu-layers", "--gpu-layers"})) {
            std::vector<int> n;
            for (std::uint64_t x : parse_int_range(v, a)) n.push_back(static_cast<int>(std::min<std::uint64_t>(x, 100000)));
            append_once(f.n_gpu_layers, fngl, n);
        } else if (is({"-fa", "--flash-attn"})) {
            std::vector<bool> on;
            for (std::string_view x : split(v, ',')) on.push_back(parse_bool(x, a));
            append_once(f.flash_attn, ffa, on);
        } else if (is({"-ctk", "--cache-type-k", "-ctv", "--cache-type-v"})) {
            std::vector<std::string> types;
            for (std::string_view x : split(v, ',')) {
                check_kv_type(x, a);
                types.emplace_back(x);
            }
            if (is({"-ctk", "--cache-type-k"})) append_once(f.type_k, fk, types);
            else append_once(f.type_v, fv, types);
        } else if (a == "-pg") {
            const auto parts = split(v, ',');
            if (parts.size() != 2) bad(a, "'" + v + "' is not pp,tg");
            std::string_view p = parts[0], t = parts[1];
            const std::uint64_t pp = number(p, a, v), tg = number(t, a, v);
            if (!p.empty() || !t.empty()) bad(a, "'" + v + "' is not pp,tg");
            f.n_pg.emplace_back(pp, tg);
        } else if (is({"-r", "--repetitions"})) {
            const auto r = parse_int_range(v, a);
            if (r.size() != 1 || r[0] < 1 || r[0] > 1000) bad(a, "expected one repetition count from 1 to 1000");
            f.repetitions = static_cast<int>(r[0]);
        } else {
            if (v != "md" && v != "csv" && v != "json" && v != "jsonl") bad(a, "'" + v + "' is not md, csv, json or jsonl");
            f.output = v;
        }
    }
    args = rest;
    return f;
}

std::vector<BenchTest> expand(const BenchFlags& f) {
    std::vector<BenchTest> out;
    for (int ngl : f.n_gpu_layers)
        for (std::uint64_t nb : f.n_batch)
            for (std::uint64_t nub : f.n_ubatch)
                for (const std::string& tk : f.type_k)
                    for (const std::string& tv : f.type_v)
                        for (bool fa : f.flash_attn)
                            for (std::uint64_t nd : f.n_depth) {
                                BenchTest t;
                                t.n_gpu_layers = ngl;
                                t.n_batch = nb;
                                t.n_ubatch = nub;
                                t.type_k = tk;
                                t.type_v = tv;
                                t.flash_attn = fa;
                                t.n_depth = nd;
                                auto add = [&](std::uint64_t p, std::uint64_t n) {
                                    BenchTest x = t;
                                    x.n_prompt = p;
                                    x.n_gen = n;
                                    out.push_back(x);
                                };
                                for (std::uint64_t p : f.n_prompt)
                                    if (p > 0) add(p, 0);
                                for (std::uint64_t n : f.n_gen)
                                    if (n > 0) add(0, n);
                                for (const auto& [p, n] : f.n_pg)
                                    if (p > 0 || n > 0) add(p, n);
                            }
    return out;
}

}  // namespace infersim::scenario
