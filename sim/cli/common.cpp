// Option parsing shared by the commands.
#include "cli/common.hpp"

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "config/layered_file.hpp"
#include "output/atomic_file.hpp"

namespace infersim::cli {
namespace fs = std::filesystem;

namespace {
struct FlagKey {
    const char* flag;
    const char* key;      // scenario key
    const char* section;  // "" or "sim"
    const char* help;
};
constexpr FlagKey kFlags[] = {
    {"machine", "machine", "", "machine name (configs/machines) or YAML path"},
    {"model", "model", "", "model name (configs/models), YAML, config.json or .gguf path"},
    {"quant", "quant", "", "weight format: f16 bf16 q8_0 q4_0 q4_1 q4_k_m q5_k_m q6_k fp8 mxfp4 nvfp4 ..."},
    {"runtime", "runtime", "", "runtime profile (configs/runtimes); default: the machine's"},
    {"unit", "unit", "", "compute unit that runs the model"},
    {"kv-cache", "kv_cache", "", "KV cache precision: f16, q8_0, fp8"},
    {"prompt", "prompt", "", "prompt tokens"},
    {"gen", "gen", "", "generated tokens"},
    {"batch", "batch", "", "sequences decoded together"},
    {"ubatch", "ubatch", "", "prompt tokens per prefill step"},
    {"gpu-layers", "gpu_layers", "", "layers in the unit's own pool (llama.cpp -ngl); -1: as many as fit"},
    {"offload", "offload", "", "layers in another pool: stream (over the link) or compute (by that pool's unit)"},
    {"chunk", "chunk", "sim", "traffic granule per tile, e.g. '2 MiB'"},
    {"prefetch", "prefetch", "sim", "tiles read ahead of compute"},
    {"bin", "bin", "sim", "timeline bin, e.g. '10 ms'"},
    {"fidelity", "fidelity", "sim", "fast, detailed or rapid"},
    // llama-bench depth and flash attention (issue 9)
    {"depth", "depth", "", "tokens already in the KV cache before the run (llama-bench -d)"},
    {"flash-attn", "flash_attn", "", "flash attention on (true) or off (false); default: the runtime's"},
    // MoE routing (issue 9).
    {"routing", "routing", "", "MoE routing: independent, identical (as llama-batched-bench) or a histogram file"},
};
}  // namespace

po::options_description scenario_options() {
    po::options_description d("scenario");
    for (const FlagKey& f : kFlags) d.add_options()(f.flag, po::value<std::string>(), f.help);
    d.add_options()("max-events", po::value<std::string>(), "event budget (sim.budget.max_events)");
    d.add_options()("set", po::value<std::vector<std::string>>()->composing(),
                    "PATH=VALUE override of any field, repeatable: machine.memory.unified.channels=8, runtime.launch_overhead=5us, "
                    "model.layers=40, sim.chunk=4MiB");
    return d;
}

po::variables_map parse(const std::vector<std::string>& args, const po::options_description& options,
                        const po::positional_options_description& positional) {
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(args).options(options).positional(positional).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        throw UsageError(std::string("command line: ") + e.what());
    }
    return vm;
}

bool printed_help(const po::variables_map& vm, const po::options_description& options) {
    if (!vm.count("help")) return false;
    std::cout << options;
    return true;
}

config::ScenarioSpec scenario_from(const po::variables_map& vm, const std::optional<std::string>& file,
                                   const config::Node& below_flags) {
    YAML::Node flags(YAML::NodeType::Map);
    for (const FlagKey& f : kFlags) {
        if (!vm.count(f.flag)) continue;
        const std::string v = vm[f.flag].as<std::string>();
        if (std::string(f.section).empty()) flags[f.key] = v;
        else flags[f.section][f.key] = v;
    }
    if (vm.count("max-events")) flags["sim"]["budget"]["max_events"] = vm["max-events"].as<std::string>();
    config::Node root = flags.size() > 0 ? config::Node(flags, "command line") : config::Node();
    if (below_flags.defined()) root = root.defined() ? root.with_base(below_flags) : below_flags;
    std::string base_dir;
    if (file) {
        // Flags sit on top of the file; without flags, errors point into the file itself.
        config::Node from_file = config::load_layered(*file);
        root = root.defined() ? root.with_base(from_file) : from_file;
        base_dir = fs::path(*file).parent_path().string();
    } else if (!vm.count("machine") || (!vm.count("model") && !below_flags.has("model"))) {
        throw UsageError("command line: give a scenario file, or at least --machine and --model");
    }
    const std::vector<config::Override> sets = set_overrides(vm);
    config::ScenarioSpec s = config::read_scenario(config::apply_overrides(root, sets, ""));
    s.base_dir = base_dir;
    for (const config::Override& o : sets)
        if (!o.document.empty()) s.overrides.push_back(o);
    return s;
}

std::vector<config::Override> set_overrides(const po::variables_map& vm) {
    std::vector<config::Override> out;
    if (vm.count("set"))
        for (const std::string& a : vm["set"].as<std::vector<std::string>>()) out.push_back(config::parse_set(a));
    return out;
}

std::vector<std::string> input_files(const po::variables_map& vm, const std::string& output_key) {
    std::vector<std::string> files;
    auto add = [&](const std::string& v) {
        std::error_code ec;
        if (!v.empty() && fs::exists(v, ec)) files.push_back(v);
    };
    for (const auto& [key, value] : vm) {
        if (key == output_key) continue;
        if (const auto* s = boost::any_cast<std::string>(&value.value())) add(*s);
        else if (const auto* list = boost::any_cast<std::vector<std::string>>(&value.value()))
            for (const std::string& v : *list) add(v);
    }
    return files;
}

void check_output(const po::variables_map& vm, const std::vector<std::string>& more_inputs, const std::string& output_key) {
    if (!vm.count(output_key)) return;
    std::vector<std::string> inputs = input_files(vm, output_key);
    inputs.insert(inputs.end(), more_inputs.begin(), more_inputs.end());
    output::check_output_target(vm[output_key].as<std::string>(), inputs);
}

config::SearchPaths search_paths() { return config::default_search_paths(); }

}  // namespace infersim::cli
