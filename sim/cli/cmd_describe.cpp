// infersim describe: the input schemas and every registry, printed from the same field tables
// the loaders read; the DRAM standards (configs/dram).
#include <array>
#include <functional>
#include <iostream>
#include <string_view>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "config/dram_standard.hpp"
#include "config/machine_loader.hpp"
#include "config/runtime_spec.hpp"
#include "config/scenario_spec.hpp"
#include "hardware/catalogs.hpp"
#include "hardware/channel_models.hpp"
#include "hardware/compute/compute_unit.hpp"
#include "hardware/compute/gemm_kernel.hpp"
#include "hardware/power/power_models.hpp"
#include "workload/arch/architecture.hpp"
#include "workload/model_yaml.hpp"

namespace infersim::cli {
namespace {

void print_components(std::ostream& out) {
    hw::describe_compute_units(out);
    out << "\n";
    hw::describe_gemm_kernels(out);
    out << "\n";
    workload::print_architectures(out);
    out << "\n";
    hw::print_channel_models(out);
    out << "\n";
    hw::print_power_models(out);
    out << "\nDRAM standards (data, configs/dram; `infersim describe dram NAME`):\n";
    config::print_dram_standards(out, search_paths());
}

struct Topic {
    std::string_view name;
    void (*print)(std::ostream&);
};

const std::array kTopics{
    Topic{"machine", [](std::ostream& o) { config::describe_machine_schema(o, hw::machine_catalogs(), search_paths()); }},
    Topic{"model", [](std::ostream& o) { workload::describe_model_schema(o); }},
    Topic{"runtime", [](std::ostream& o) { config::describe_runtime_schema(o); }},
    Topic{"kernels", [](std::ostream& o) { hw::describe_gemm_kernels(o); }},
    Topic{"scenario", [](std::ostream& o) { config::describe_scenario_schema(o); }},
    Topic{"components", print_components},
    Topic{"units", [](std::ostream& o) { hw::describe_compute_units(o); }},
    Topic{"compute", [](std::ostream& o) { hw::describe_compute_units(o); }},
    Topic{"architectures", [](std::ostream& o) { workload::print_architectures(o); }},
    Topic{"channel-models", [](std::ostream& o) { hw::print_channel_models(o); }},
    Topic{"power", [](std::ostream& o) { hw::print_power_models(o); }},
    Topic{"dram", [](std::ostream& o) { config::print_dram_standards(o, search_paths()); }},
};

}  // namespace

int cmd_describe(const Args& args) {
    po::options_description opts(
        "infersim describe [machine|model|runtime|kernels|scenario|components|units|architectures|channel-models|power|dram [NAME]]");
    opts.add_options()("help,h", "show options")("what", po::value<std::string>()->default_value("machine"), "which schema")(
        "name", po::value<std::string>(), "dram: the standard to print (a name or a path)");
    po::positional_options_description pos;
    pos.add("what", 1).add("name", 1);
    po::variables_map vm = parse(args, opts, pos);
    if (printed_help(vm, opts)) return 0;
    const std::string what = vm["what"].as<std::string>();
    if (vm.count("name") && what != "dram") throw UsageError("command line: describe " + what + " takes no name");
    if (vm.count("name")) {
        const config::Node name(YAML::Node(vm["name"].as<std::string>()), "command line", "describe dram");
        config::print_dram_standard(std::cout, config::load_dram_standard(config::resolve_dram_standard(name, search_paths())));
        return 0;
    }
    std::string names;
    for (const Topic& t : kTopics) {
        if (t.name == what) {
            t.print(std::cout);
            return 0;
        }
        names += (names.empty() ? "" : ", ") + std::string(t.name);
    }
    throw UsageError("command line: describe what? expected one of " + names + ", got '" + what + "'");
}

}  // namespace infersim::cli
