// infersim bench: what llama-bench would print for this machine, model and quantization.
#include <cstdio>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "output/summary.hpp"
#include "scenario/llama_bench.hpp"

namespace infersim::cli {

int cmd_bench(const Args& args) {
    po::options_description opts("infersim bench --machine M --model X --quant Q [-p 512] [-n 128] [--runtime R] [--json]");
    opts.add_options()("help,h", "show options")("json", "print one JSON object")(
        "n-prompt,p", po::value<std::string>()->default_value("512"), "prompt tokens of the pp test (0: skip)")(
        "n-gen,n", po::value<std::string>()->default_value("128"), "generated tokens of the tg test (0: skip)");
    opts.add(scenario_options());
    po::variables_map vm = parse(args, opts);
    if (printed_help(vm, opts)) return 0;
    // -p and -n go through the scenario schema (prompt/gen) for the same validation as YAML.
    po::variables_map v2 = vm;
    v2.insert({"prompt", po::variable_value(std::string(vm["n-prompt"].as<std::string>() == "0" ? "1" : vm["n-prompt"].as<std::string>()), false)});
    v2.insert({"gen", po::variable_value(vm["n-gen"].as<std::string>(), false)});
    config::ScenarioSpec s = scenario_from(v2, std::nullopt);
    const std::uint64_t p = vm["n-prompt"].as<std::string>() == "0" ? 0 : static_cast<std::uint64_t>(s.prompt);
    const std::uint64_t n = static_cast<std::uint64_t>(s.gen);
    scenario::Inputs in = scenario::resolve_inputs(s, search_paths());
    scenario::BenchResult r = scenario::predict_llama_bench(in, p, n);
    if (vm.count("json")) {
        nlohmann::json j{{"machine", in.machine.name}, {"model", in.model.name}, {"quant", in.quant_label},
                         {"runtime", in.runtime.name}, {"unit", in.machine.units[in.unit].name}, {"p", p}, {"n", n},
                         {"pp_tokens_per_s", r.pp_tokens_per_s}, {"tg_tokens_per_s", r.tg_tokens_per_s},
                         {"weights_bytes", r.weights_bytes}, {"params", r.params}};
        std::cout << output::json_text(j) << "\n";
        return 0;
    }
    std::printf("| %-24s | %10s | %8s | %-16s | %8s | %12s |\n", "model", "size", "params", "backend", "test", "t/s");
    std::printf("| %-24s | %10s | %8s | %-16s | %8s | %12s |\n", "------------------------", "----------", "--------",
                "----------------", "--------", "------------");
    const std::string model = in.model.name + " " + in.quant_label;
    char size[32], params[32];
    std::snprintf(size, sizeof size, "%.2f GiB", static_cast<double>(r.weights_bytes) / (1ull << 30));
    std::snprintf(params, sizeof params, "%.2f B", static_cast<double>(r.params) / 1e9);
    if (p > 0)
        std::printf("| %-24s | %10s | %8s | %-16s | %8s | %12.2f |\n", model.c_str(), size, params, in.runtime.name.c_str(),
                    ("pp" + std::to_string(p)).c_str(), r.pp_tokens_per_s);
    if (n > 0)
        std::printf("| %-24s | %10s | %8s | %-16s | %8s | %12.2f |\n", model.c_str(), size, params, in.runtime.name.c_str(),
                    ("tg" + std::to_string(n)).c_str(), r.tg_tokens_per_s);
    std::printf("\n(predicted by infersim on %s; not a measurement)\n", in.machine.name.c_str());
    return 0;
}

}  // namespace infersim::cli
