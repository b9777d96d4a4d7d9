// llama-bench predictions.
#include "scenario/llama_bench.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <string>

#include "workload/trace_builder.hpp"

namespace infersim::scenario {
namespace {

// llama.cpp's model type label ("7B", "8x7B", "30B.A3B") from the model's name where it says
// it ("llama-2-7b", "mixtral-8x7b", "qwen3-30b-a3b"), else from the parameter count.
std::string size_label(const std::string& name, std::uint64_t params) {
    std::string label;
    std::size_t at = 0;
    while (at <= name.size()) {
        const std::size_t end = std::min(name.find('-', at), name.size());
        std::string part = name.substr(at, end - at);
        at = end + 1;
        if (part.size() < 2 || std::tolower(static_cast<unsigned char>(part.back())) != 'b') continue;
        const std::string digits = part.substr(0, part.size() - 1);
        const bool numeric = !digits.empty() && std::all_of(digits.begin(), digits.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == 'x' || c == 'a'; });
        if (!numeric || !std::isdigit(static_cast<unsigned char>(digits.back()))) continue;
        for (char& c : part) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        label += label.empty() ? part : "." + part;
    }
    if (!label.empty()) return label;
    return std::to_string(static_cast<long long>(std::llround(static_cast<double>(params) / 1e9))) + "B";
}

}  // namespace

BenchResult predict_llama_bench(const Inputs& in, std::uint64_t p, std::uint64_t n) {
    BenchResult r;
    r.p = p;
    r.n = n;
    r.weights_bytes = in.weights.total_bytes();
    for (const auto& t : in.weights.tensors) r.params += t.elements;
    BenchTest t;
    t.n_gpu_layers = in.scenario.gpu_layers >= 0 ? static_cast<int>(in.scenario.gpu_layers) : 99;
    t.flash_attn = in.scenario.flash_attn.value_or(in.runtime.flash_attention);
    t.n_depth = static_cast<std::uint64_t>(in.scenario.depth);
    t.type_k = t.type_v = in.scenario.kv_cache;
    if (p > 0) {
        t.n_prompt = p;
        RunOutput o = run(bench_inputs(in, t, true));
        r.pp_tokens_per_s = o.summary.prefill.tokens_per_s;
        r.events += o.summary.events;
    }
    if (n > 0) {
        t.n_prompt = 0;
        t.n_gen = n;
        RunOutput o = run(bench_inputs(in, t, false));
        r.tg_tokens_per_s = o.summary.decode.tokens_per_s;
        r.events += o.summary.events;
    }
    return r;
}

Inputs bench_inputs(const Inputs& in, const BenchTest& t, bool prompt_part) {
    Inputs b = in;
    config::ScenarioSpec& s = b.scenario;
    s.batch = 1;
    s.gpu_layers = t.n_gpu_layers;
    s.flash_attn = t.flash_attn;
    s.kv_cache = t.type_k == t.type_v ? t.type_k : t.type_k + "/" + t.type_v;
    // K and V may differ in precision: the cache's bytes per element is their mean.
    b.kv_bytes_per_element = (workload::kv_bytes_per_element(t.type_k) + workload::kv_bytes_per_element(t.type_v)) / 2;
    if (prompt_part) {
        s.prompt = static_cast<std::int64_t>(t.n_prompt);
        s.gen = 0;
        s.depth = static_cast<std::int64_t>(t.n_depth);
        // llama.cpp clamps the ubatch to the batch; one ubatch never exceeds the prompt.
        s.ubatch = static_cast<std::int64_t>(std::min({t.n_ubatch, t.n_batch, std::max<std::uint64_t>(t.n_prompt, 1)}));
    } else {
        s.prompt = 0;
        s.gen = static_cast<std::int64_t>(t.n_gen);
        s.depth = static_cast<std::int64_t>(t.n_depth + t.n_prompt);
    }
    return b;
}

double bench_test_seconds(const Inputs& in, const BenchTest& t) {
    double seconds = 0;
    if (t.n_prompt > 0) seconds += run(bench_inputs(in, t, true)).summary.prefill.seconds;
    if (t.n_gen > 0) seconds += run(bench_inputs(in, t, false)).summary.decode.seconds;
    return seconds;
}

std::vector<BenchRow> run_bench(const Inputs& in, const std::vector<BenchTest>& tests, int repetitions) {
    std::vector<BenchRow> rows;
    for (const BenchTest& t : tests) {
        BenchRow r;
        r.test = t;
        r.repetitions = repetitions;
        r.ns = static_cast<std::uint64_t>(std::llround(bench_test_seconds(in, t) * 1e9));
        rows.push_back(r);
    }
    return rows;
}

BenchInfo bench_info(const Inputs& in) {
    BenchInfo info;
    info.model_size = in.weights.total_bytes();
    for (const auto& t : in.weights.tensors) info.model_n_params += t.elements;
    const std::string arch = in.model.architecture.empty() ? "llama" : in.model.architecture;
    const std::string ftype = in.quant_label == "gguf" ? "GGUF" : ftype_name(in.quant_label);
    info.model_type = arch + " " + size_label(in.model.name, info.model_n_params) + " " + ftype;
    info.model_filename = in.scenario.model;
    info.backends = backend_name(in.runtime.name);
    info.gpu_info = in.machine.description;
    for (const auto& u : in.machine.units)
        if (u.kind == config::UnitKind::cpu) {
            info.n_threads = static_cast<int>(u.count);
            info.cpu_info = in.machine.name + " " + u.name;
            break;
        }
    return info;
}

}  // namespace infersim::scenario
