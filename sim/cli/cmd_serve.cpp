// infersim serve: a serving workload (the scenario's serving: section) on a machine: request
// arrivals, continuous batching, paged KV, preemption, prefix caching, speculative decoding;
// latency percentiles, throughput, goodput, energy per request.
#include <iostream>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "output/atomic_file.hpp"
#include "output/summary.hpp"
#include "scenario/serve_run.hpp"
#include "serving/serve_hdf5.hpp"

namespace infersim::cli {

int cmd_serve(const Args& args) {
    po::options_description opts("infersim serve SCENARIO.yaml [--json] [-o out.h5]");
    opts.add_options()("help,h", "show options")("json", "print the report as one JSON object")(
        "output,o", po::value<std::string>(), "write /requests, the /serving timelines and the hardware /timeline to this HDF5 file")(
        "scenario", po::value<std::string>(), "scenario YAML with a serving: section (also positional)")(
        "no-wall-time", "report sim.wall_s as 0, so identical inputs print identical JSON")(
        "set", po::value<std::vector<std::string>>()->composing(), "PATH=VALUE override of any field, repeatable (serving.arrivals.rate=8/s)");
    po::positional_options_description pos;
    pos.add("scenario", 1);
    po::variables_map vm = parse(args, opts, pos);
    if (printed_help(vm, opts)) return 0;
    if (!vm.count("scenario")) throw UsageError("serve: give a scenario file with a serving: section");
    const std::string file = vm["scenario"].as<std::string>();
    const std::string out_path = vm.count("output") ? vm["output"].as<std::string>() : "";
    if (!out_path.empty()) output::check_output_target(out_path, {file});
    config::ScenarioSpec scenario = scenario_from(vm, file, config::Node());  // the file, then --set
    if (!scenario.serving.present)
        throw config::InputError(config::SourceLocation{file}, "serving", "the scenario has no serving: section (arrivals, prompt, gen)");
    const scenario::Inputs in = scenario::resolve_inputs(scenario, search_paths());
    scenario::ServeOutput out = scenario::serve(in, search_paths(), !out_path.empty());  // timelines only for a file
    if (vm.count("no-wall-time")) out.report.wall_s = 0;
    const auto json = serving::to_json(out.report);
    if (!out_path.empty()) {
        auto stable = json;
        stable["sim"]["wall_s"] = 0;  // the file is the same bytes for the same inputs
        serving::write_serve_hdf5(out_path, out.totals, stable, scenario.resolved_yaml, out.timeline.get(), &in.machine);
    }
    if (vm.count("json")) std::cout << json.dump() << "\n";
    else serving::print_report(std::cout, out.report);
    return 0;
}

}  // namespace infersim::cli
