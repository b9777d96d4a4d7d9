// infersim describe: the input schemas, printed from the loaders' own field tables.
#include <iostream>

#include "hardware/catalogs.hpp"
#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "config/machine_loader.hpp"
#include "config/runtime_spec.hpp"
#include "config/scenario_spec.hpp"
#include "workload/model_yaml.hpp"

namespace infersim::cli {

int cmd_describe(const Args& args) {
    po::options_description opts("infersim describe [machine|model|architectures|runtime|scenario]");
    opts.add_options()("help,h", "show options")("what", po::value<std::string>()->default_value("machine"), "which schema");
    po::positional_options_description pos;
    pos.add("what", 1);
    po::variables_map vm = parse(args, opts, pos);
    if (printed_help(vm, opts)) return 0;
    const std::string what = vm["what"].as<std::string>();
    if (what == "machine") config::describe_machine_schema(std::cout, hw::machine_catalogs());
    else if (what == "model") workload::describe_model_schema(std::cout);
    else if (what == "architectures") workload::print_architectures(std::cout);
    else if (what == "runtime") config::describe_runtime_schema(std::cout);
    else if (what == "scenario") config::describe_scenario_schema(std::cout);
    else throw UsageError("command line: describe what? expected machine, model, architectures, runtime or scenario, got '" + what + "'");
    return 0;
}

}  // namespace infersim::cli
