// infersim bench: what llama-bench would print for this machine, model and quantization. Takes
// llama-bench's flags (scenario/bench_plan) and prints its table or records (scenario/bench_format);
// `--json` keeps infersim's own one-object contract (the first -p and -n).
#include <cstdio>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cli/params_json.hpp"
#include "output/summary.hpp"
#include "scenario/llama_bench.hpp"

namespace infersim::cli {
namespace {

template <typename T>
T largest(const std::vector<T>& v) {
    return v.empty() ? T{} : *std::max_element(v.begin(), v.end());
}

}  // namespace

int cmd_bench(const Args& args) {
    po::options_description opts(
        "infersim bench --machine M --model X --quant Q [llama-bench flags: -p 512 -n 128 -pg P,N -d 0 -b 2048 -ub 512 -ngl 99 -fa 0 "
        "-ctk f16 -ctv f16 -r 5 -o md|csv|json|jsonl; numbers as lists '128,512' or ranges '128-1024+128', '1-16*2'] [--json]");
    opts.add_options()("help,h", "show options")("json", "print one JSON object (infersim's contract: the first -p and -n)");
    opts.add(scenario_options());
    Args rest = args;
    const scenario::BenchFlags flags = scenario::take_bench_flags(rest);
    po::variables_map vm = parse(rest, opts);
    if (printed_help(vm, opts)) return 0;
    const std::vector<scenario::BenchTest> tests = scenario::expand(flags);

    // The longest test bounds the context, checked against the model like any scenario.
    config::ScenarioSpec s = scenario_from(vm, std::nullopt);
    std::uint64_t prompt = largest(flags.n_prompt), gen = largest(flags.n_gen);
    for (const auto& [p, n] : flags.n_pg) prompt = std::max(prompt, p), gen = std::max(gen, n);
    s.prompt = static_cast<std::int64_t>(std::max<std::uint64_t>(prompt, 1));
    s.gen = static_cast<std::int64_t>(gen);
    scenario::Inputs in = scenario::resolve_inputs(s, search_paths());

    if (vm.count("json")) {
        const std::uint64_t p = flags.n_prompt.empty() ? 0 : flags.n_prompt.front();
        const std::uint64_t n = flags.n_gen.empty() ? 0 : flags.n_gen.front();
        in.scenario.gpu_layers = flags.n_gpu_layers.front();
        in.scenario.depth = static_cast<std::int64_t>(flags.n_depth.front());
        if (flags.flash_attn.size() != 1 || flags.flash_attn.front()) in.scenario.flash_attn = flags.flash_attn.front();
        scenario::BenchResult r = scenario::predict_llama_bench(in, p, n);
        nlohmann::json j{{"machine", in.machine.name}, {"model", in.model.name}, {"quant", in.quant_label},
                         {"runtime", in.runtime.name}, {"unit", in.machine.units[in.unit].name}, {"p", p}, {"n", n},
                         {"pp_tokens_per_s", r.pp_tokens_per_s}, {"tg_tokens_per_s", r.tg_tokens_per_s},
                         {"weights_bytes", r.weights_bytes}, {"params", params_json(in)}};
        std::cout << output::json_text(j) << "\n";
        return 0;
    }
    scenario::BenchInfo info = scenario::bench_info(in);
    info.build_commit = std::string("infersim ") + INFERSIM_VERSION;
    const std::vector<scenario::BenchRow> rows = scenario::run_bench(in, tests, flags.repetitions);
    scenario::print_bench(std::cout, info, flags, rows);
    if (flags.output == "md")
        std::printf("(predicted by infersim on %s, runtime %s; not a measurement: the simulation is deterministic, so the stddev is 0)\n",
                    in.machine.name.c_str(), in.runtime.name.c_str());
    std::cout.flush();
    return 0;
}

}  // namespace infersim::cli
