// infersim batched-bench: what llama-batched-bench would print for this machine, model and
// quantization (scenario/batched_bench): prompt and batched-decode throughput per (PP, TG, B).
#include <algorithm>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "scenario/batched_bench.hpp"

namespace infersim::cli {

int cmd_batched_bench(const Args& args) {
    po::options_description opts(
        "infersim batched-bench --machine M --model X --quant Q [llama-batched-bench flags: -npp 128,256,512 -ntg 128,256 "
        "-npl 1,2,4,8,16,32 [-pps] -c N_KV -b 2048 -ub 512 -ngl 99 -fa 0 --output-format md|jsonl]");
    opts.add_options()("help,h", "show options");
    opts.add(scenario_options());
    Args rest = args;
    const scenario::BatchedFlags flags = scenario::take_batched_flags(rest);
    po::variables_map vm = parse(rest, opts);
    if (printed_help(vm, opts)) return 0;

    config::ScenarioSpec s = scenario_from(vm, std::nullopt);
    s.prompt = static_cast<std::int64_t>(std::max<std::uint64_t>(1, *std::max_element(flags.npp.begin(), flags.npp.end())));
    s.gen = static_cast<std::int64_t>(*std::max_element(flags.ntg.begin(), flags.ntg.end()));
    scenario::Inputs in = scenario::resolve_inputs(s, search_paths());
    // -c 0: the model's trained context, as llama.cpp's n_ctx 0; unknown: no limit.
    const std::uint64_t n_kv_max = flags.n_ctx > 0 ? flags.n_ctx : static_cast<std::uint64_t>(std::max<std::int64_t>(0, in.model.max_context));
    int threads = 1;
    for (const auto& u : in.machine.units)
        if (u.kind == config::UnitKind::cpu) {
            threads = u.count;
            break;
        }
    const std::vector<scenario::BatchedRow> rows = scenario::run_batched_bench(in, flags, n_kv_max);
    scenario::print_batched(std::cout, flags, n_kv_max, threads, rows);
    if (!flags.jsonl)
        std::cout << "\n(predicted by infersim on " << in.machine.name << ", runtime " << in.runtime.name << "; not a measurement)\n";
    return 0;
}

}  // namespace infersim::cli
