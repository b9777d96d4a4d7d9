// infersim trace: write the op trace of a scenario to a file (format: workload/trace_file.hpp).
#include <iostream>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "output/atomic_file.hpp"
#include "scenario/scenario_run.hpp"
#include "workload/trace_builder.hpp"
#include "workload/trace_file.hpp"

namespace infersim::cli {

int cmd_trace(const Args& args) {
    po::options_description opts("infersim trace [SCENARIO.yaml] [options] -o FILE");
    opts.add_options()("help,h", "show options")("output,o", po::value<std::string>(), "trace file to write")(
        "scenario", po::value<std::string>(), "scenario YAML (also positional)");
    opts.add(scenario_options());
    po::positional_options_description pos;
    pos.add("scenario", 1);
    po::variables_map vm = parse(args, opts, pos);
    if (printed_help(vm, opts)) return 0;
    if (!vm.count("output")) throw UsageError("command line: trace needs -o FILE");
    check_output(vm);
    std::optional<std::string> file;
    if (vm.count("scenario")) file = vm["scenario"].as<std::string>();
    config::ScenarioSpec scenario = scenario_from(vm, file);
    scenario::Inputs in = scenario::resolve_inputs(scenario, search_paths());
    const workload::RequestShape shape = scenario::request_shape(in);
    workload::TraceBuilder tb(in.model, in.weights, shape);
    if (tb.op_count() > scenario.sim.budget.max_ops)
        throw config::BudgetError("trace would hold " + std::to_string(tb.op_count()) + " ops, over sim.budget.max_ops");
    workload::TraceHeader h{scenario.model, scenario.quant, scenario.kv_cache, shape.prompt, shape.gen, shape.batch, shape.ubatch, {}};

    const std::string path = vm["output"].as<std::string>();
    output::write_atomically(path, [&](std::ostream& out) { write_trace(out, h, tb); });
    std::cerr << "wrote " << tb.step_count() << " steps, " << tb.op_count() << " ops to " << config::escape_controls(path) << "\n";
    return 0;
}

}  // namespace infersim::cli
