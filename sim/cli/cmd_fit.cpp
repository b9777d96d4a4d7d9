// infersim fit: the buyer's checklist. Does the model fit, and what do bandwidth and compute
// allow, before simulating anything.
#include <cstdio>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cli/params_json.hpp"
#include "output/summary.hpp"
#include "scenario/scenario_run.hpp"

namespace infersim::cli {

int cmd_fit(const Args& args) {
    po::options_description opts("infersim fit --machine M --model X --quant Q [--context N] [--json]");
    opts.add_options()("help,h", "show options")("json", "print one JSON object")(
        "context", po::value<std::string>()->default_value("4096"), "tokens of context to hold in the KV cache");
    opts.add(scenario_options());
    po::variables_map vm = parse(args, opts);
    if (printed_help(vm, opts)) return 0;
    // --context is the KV length; validate it through the scenario schema as a prompt length.
    po::variables_map with_ctx = vm;
    with_ctx.insert({"prompt", po::variable_value(vm["context"].as<std::string>(), false)});
    with_ctx.insert({"gen", po::variable_value(std::string("0"), false)});
    config::ScenarioSpec scenario;
    try {
        scenario = scenario_from(with_ctx, std::nullopt);
    } catch (const config::InputError& e) {
        // The value came from --context: say so, not 'prompt'.
        if (e.field() != "prompt" || vm.count("prompt")) throw;
        throw UsageError("command line: --context: " + e.detail());
    }
    scenario::Inputs in = scenario::resolve_inputs(scenario, search_paths());
    const auto context = static_cast<std::uint64_t>(scenario.prompt);
    scenario::FitReport f = scenario::fit(in, context);

    nlohmann::json pools = nlohmann::json::array();
    for (std::size_t p = 0; p < in.machine.pools.size(); ++p) {
        const auto& use = f.placement.pools[p];
        pools.push_back({{"name", use.pool}, {"capacity_bytes", use.capacity_bytes}, {"used_bytes", use.used()},
                         {"weight_bytes", use.weight_bytes}, {"kv_bytes", use.kv_bytes}, {"overhead_bytes", use.overhead_bytes},
                         {"fits", static_cast<double>(use.used()) <= use.capacity_bytes},
                         {"peak_bytes_per_s", in.machine.pools[p].peak_bytes_per_s()}});
    }
    nlohmann::json j{{"machine", in.machine.name}, {"model", in.model.name}, {"quant", in.quant_label}, {"context", context},
                     {"batch", scenario.batch}, {"fits", f.placement.fits}, {"weights_bytes", f.weights_bytes},
                     {"kv_bytes", f.kv_bytes}, {"overhead_bytes", f.overhead_bytes}, {"needed_bytes", f.placement.needed_bytes},
                     {"shortfall_bytes", f.placement.shortfall_bytes}, {"bits_per_weight", in.weights.bits_per_weight()},
                     {"pools", pools}, {"decode_step_bytes", f.decode_step_bytes},
                     {"decode_bw_ceiling_tokens_per_s", f.decode_bw_ceiling_tokens_per_s},
                     {"prefill_compute_ceiling_tokens_per_s", f.prefill_compute_ceiling_tokens_per_s}, {"params", params_json(in)}};
    if (vm.count("json")) {
        std::cout << output::json_text(j) << "\n";
        return 0;
    }
    auto gb = [](double b) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.2f GB", b / 1e9);
        return std::string(buf);
    };
    const auto esc = [](const std::string& name) { return config::escape_controls(name); };
    std::cout << esc(in.model.name) << " " << esc(in.quant_label) << " (" << in.weights.bits_per_weight() << " bits/weight) on "
              << esc(in.machine.name) << ", context " << context << ", batch " << scenario.batch << "\n\n"
              << "  weights        " << gb(static_cast<double>(f.weights_bytes)) << "\n"
              << "  KV cache       " << gb(static_cast<double>(f.kv_bytes)) << " (" << esc(scenario.kv_cache) << ")\n"
              << "  buffers        " << gb(static_cast<double>(f.overhead_bytes)) << " (runtime compute buffers, estimated)\n"
              << "  total          " << gb(static_cast<double>(f.placement.needed_bytes)) << "\n\n";
    for (std::size_t p = 0; p < in.machine.pools.size(); ++p) {
        const auto& use = f.placement.pools[p];
        std::cout << "  pool " << esc(use.pool) << ": " << gb(static_cast<double>(use.used())) << " of " << gb(use.capacity_bytes)
                  << (static_cast<double>(use.used()) <= use.capacity_bytes ? "  ok" : "  OVER") << "\n";
    }
    std::cout << "\n  fits: " << (f.placement.fits ? "yes" : "NO, short by " + gb(static_cast<double>(f.placement.shortfall_bytes))) << "\n"
              << "  decode ceiling (bandwidth): " << f.decode_bw_ceiling_tokens_per_s << " tokens/s ("
              << gb(f.decode_step_bytes) << " per step)\n"
              << "  prefill ceiling (compute):  " << f.prefill_compute_ceiling_tokens_per_s << " tokens/s\n";
    return 0;
}

}  // namespace infersim::cli
