// infersim describe: the input schemas, printed from the loaders' own field tables; the DRAM
// standards (configs/dram) and the channel-model registry.
#include <iostream>

#include "hardware/power/power_models.hpp"
#include "hardware/compute/compute_unit.hpp"
#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "config/dram_standard.hpp"
#include "config/machine_loader.hpp"
#include "config/model_loader.hpp"
#include "config/runtime_spec.hpp"
#include "config/scenario_spec.hpp"
#include "hardware/catalogs.hpp"
#include "hardware/channel_models.hpp"

namespace infersim::cli {

int cmd_describe(const Args& args) {
    po::options_description opts("infersim describe [machine|units|model|runtime|scenario|dram [NAME]|channel-models|power]");
    opts.add_options()("help,h", "show options")("what", po::value<std::string>()->default_value("machine"), "which schema")(
        "name", po::value<std::string>(), "dram: the standard to print (a name or a path)");
    po::positional_options_description pos;
    pos.add("what", 1).add("name", 1);
    po::variables_map vm = parse(args, opts, pos);
    if (printed_help(vm, opts)) return 0;
    const std::string what = vm["what"].as<std::string>();
    if (vm.count("name") && what != "dram") throw UsageError("command line: describe " + what + " takes no name");
    if (what == "machine") config::describe_machine_schema(std::cout, hw::machine_catalogs(), search_paths());
    else if (what == "units" || what == "compute") hw::describe_compute_units(std::cout);
    else if (what == "model") config::describe_model_schema(std::cout);
    else if (what == "runtime") config::describe_runtime_schema(std::cout);
    else if (what == "scenario") config::describe_scenario_schema(std::cout);
    else if (what == "channel-models") hw::print_channel_models(std::cout);
    else if (what == "power") hw::print_power_models(std::cout);
    else if (what == "dram" && !vm.count("name")) config::print_dram_standards(std::cout, search_paths());
    else if (what == "dram") {
        const config::Node name(YAML::Node(vm["name"].as<std::string>()), "command line", "describe dram");
        config::print_dram_standard(std::cout, config::load_dram_standard(config::resolve_dram_standard(name, search_paths())));
    } else
        throw UsageError("command line: describe what? expected machine, units, model, runtime, scenario, dram, channel-models or power, got '" + what + "'");
    return 0;
}

}  // namespace infersim::cli
