// infersim check: validate input files of any kind, reporting every bad one.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>

#include "hardware/catalogs.hpp"
#include "hardware/power/power_models.hpp"
#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "config/bounded_read.hpp"
#include "config/layered_file.hpp"
#include "config/yaml_node.hpp"
#include "config/machine_loader.hpp"
#include "config/runtime_spec.hpp"
#include "config/scenario_spec.hpp"
#include "scenario/scenario_run.hpp"
#include "sweep/sweep_spec.hpp"
#include "workload/model_source.hpp"
#include "workload/trace_file.hpp"

namespace infersim::cli {
namespace {

// What a YAML file is: by its directory (configs/machines, ...) or by its keys.
std::string kind_of(const std::string& path) {
    const std::string dir = std::filesystem::path(path).parent_path().filename().string();
    if (dir == "machines" || dir == "models" || dir == "runtimes") return dir;
    if (dir == "scenarios") {  // scenarios/ holds sweeps too
        const config::Node n = config::load_layered(path);
        return n.has("base") && n.has("axes") ? "sweeps" : "scenarios";
    }
    const std::string ext = std::filesystem::path(path).extension().string();
    if (ext == ".gguf" || ext == ".json") return "models";
    if (ext == ".trace") return "traces";
    {
        // Bounded like every reader: /dev/zero or a FIFO is refused here, not read forever.
        config::LineFile in(path, config::ReadLimits{std::numeric_limits<std::uint64_t>::max(), config::kMaxYamlLineBytes});
        std::string first;
        while (in.next(first) && (first.empty() || first[0] == '#')) {
        }
        if (first.rfind("infersim-trace", 0) == 0) return "traces";
    }
    config::Node n = config::load_layered(path);
    if (n.has("memory") || n.has("compute")) return "machines";
    if (n.has("layers") || n.has("hidden")) return "models";
    if (n.has("base") && n.has("axes")) return "sweeps";
    if (n.has("machine") || n.has("model")) return "scenarios";
    if (n.has("launch_overhead") || n.has("kernels") || n.has("gemv_bandwidth") || n.has("dispatch")) return "runtimes";
    n.fail("cannot tell what kind of file this is (expected a machine, model, runtime or scenario)");
}

}  // namespace

int cmd_check(const Args& args) {
    po::options_description opts("infersim check FILE...");
    opts.add_options()("help,h", "show options")("files", po::value<std::vector<std::string>>(), "files to check");
    po::positional_options_description pos;
    pos.add("files", -1);
    po::variables_map vm = parse(args, opts, pos);
    if (printed_help(vm, opts)) return 0;
    if (!vm.count("files")) throw UsageError("command line: check needs at least one file (infersim check FILE...)");
    int bad = 0;
    for (const std::string& f : vm["files"].as<std::vector<std::string>>()) {
        try {
            const std::string kind = kind_of(f);
            // A machine is checked as a run would build it: its power model too (missing figures).
            if (kind == "machines") (void)hw::make_power_model(hw::load_machine(f));
            else if (kind == "models") workload::load_model_file(f);
            else if (kind == "runtimes") hw::load_runtime(f);
            else if (kind == "sweeps") sweep::SweepSpec::load(f);
            else if (kind == "traces") workload::TraceFile::load(f, config::Budget{}.max_ops);
            else (void)hw::make_power_model(scenario::resolve_inputs(config::load_scenario(f), search_paths()).machine);
            std::cout << config::escape_controls(f) << ": ok (" << kind.substr(0, kind.size() - 1) << ")\n";
        } catch (const config::InputError& e) {
            std::cerr << "error: " << config::escape_controls(e.what()) << "\n";
            ++bad;
        }
    }
    return bad ? 2 : 0;
}

}  // namespace infersim::cli
