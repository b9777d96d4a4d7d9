// infersim run: simulate a scenario, print the summary, write the timelines.
#include <iostream>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "output/hdf5_writer.hpp"
#include "scenario/scenario_run.hpp"
#include "workload/trace_file.hpp"

namespace infersim::cli {

int cmd_run(const Args& args) {
    po::options_description opts("infersim run [SCENARIO.yaml] [options]");
    opts.add_options()("help,h", "show options")("json", "print the summary as one JSON object")(
        "output,o", po::value<std::string>(), "write timelines to this HDF5 file")(
        "trace", po::value<std::string>(), "replay this trace file instead of building the trace from the model")(
        "scenario", po::value<std::string>(), "scenario YAML (also positional)")(
        "no-wall-time", "report sim.wall_s as 0, so identical inputs print identical JSON")(
        "record-wall-time", "store sim.wall_s in the HDF5 file (otherwise 0 there, so files are byte-identical)");
    opts.add(scenario_options());
    po::positional_options_description pos;
    pos.add("scenario", 1);
    po::variables_map vm = parse(args, opts, pos);
    if (printed_help(vm, opts)) return 0;
    std::optional<std::string> file;
    if (vm.count("scenario")) file = vm["scenario"].as<std::string>();
    check_output(vm);  // before any work: a device, FIFO, symlink or input as -o is refused now

    std::optional<workload::TraceFile> trace;
    config::ScenarioSpec scenario;
    if (vm.count("trace")) {
        // The trace carries the request; the machine comes from the command line or scenario.
        trace = workload::TraceFile::load(vm["trace"].as<std::string>(), config::Budget{}.max_ops);
        const workload::TraceHeader& h = trace->header();
        auto agree = [&](const char* k, const std::string& v) {
            if (vm.count(k) && vm[k].as<std::string>() != v)
                throw UsageError("command line: --" + std::string(k) + " " + vm[k].as<std::string>() + " contradicts the trace, which says " +
                                 v + "; drop the flag");
        };
        agree("model", h.model);
        agree("quant", h.quant);
        agree("kv-cache", h.kv_cache);
        agree("prompt", std::to_string(h.prompt));
        agree("gen", std::to_string(h.gen));
        agree("batch", std::to_string(h.batch));
        agree("ubatch", std::to_string(h.ubatch));
        // The header is a layer of its own, so its errors name the trace file and line.
        scenario = scenario_from(vm, file, workload::header_node(*trace, vm["trace"].as<std::string>()));
    } else {
        scenario = scenario_from(vm, file);
    }
    scenario::Inputs in = scenario::resolve_inputs(scenario, search_paths());
    if (trace) trace->check_layers(in.model.layers, in.model.name);
    scenario::RunOutput out = trace ? scenario::run(in, *trace) : scenario::run(in);

    if (vm.count("no-wall-time")) out.summary.wall_s = 0;
    if (vm.count("output")) {
        output::Provenance prov{INFERSIM_VERSION, in.machine.resolved_yaml, in.model.source_text, scenario.resolved_yaml,
                                in.runtime.resolved_yaml};
        // Host wall time is the one non-deterministic figure; files leave it out unless asked.
        output::Summary stored = out.summary;
        if (!vm.count("record-wall-time")) stored.wall_s = 0;
        output::write_hdf5(vm["output"].as<std::string>(), *out.recorder, stored, prov, in.machine, &out.thermal);
    }
    if (vm.count("json")) std::cout << output::json_text(output::to_json(out.summary)) << "\n";
    else output::print_summary(std::cout, out.summary);
    return 0;
}

}  // namespace infersim::cli
