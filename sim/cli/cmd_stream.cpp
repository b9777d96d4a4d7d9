// infersim stream: STREAM-like benchmark of a machine's memory model.
#include <algorithm>
#include <cstdio>
#include <iostream>

#include <nlohmann/json.hpp>

#include "hardware/catalogs.hpp"
#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "output/summary.hpp"
#include "config/machine_loader.hpp"
#include "config/scenario_spec.hpp"
#include "config/units.hpp"
#include "hardware/channel_models.hpp"
#include "hardware/stream_bench.hpp"

namespace infersim::cli {

namespace {

// The unit a pool's stream is seen from: --unit (none: the memory model alone), else the
// pool's first attached unit, else none.
const config::ComputeUnitSpec* stream_unit(const config::MachineSpec& m, const config::PoolSpec& p, const po::variables_map& vm) {
    if (vm.count("unit")) {
        const std::string name = vm["unit"].as<std::string>();
        if (name == "none") return nullptr;
        const config::ComputeUnitSpec* u = m.unit(name);
        if (!u) throw UsageError("command line: --unit: machine '" + m.name + "' has no compute unit '" + name + "'");
        return u->memory == p.name ? u : nullptr;
    }
    for (const config::ComputeUnitSpec& u : m.units)
        if (u.memory == p.name) return &u;
    return nullptr;
}

}  // namespace

int cmd_stream(const Args& args) {
    po::options_description opts("infersim stream --machine M [--pool P] [--pattern read|write|copy|triad|random] [--size BYTES] [--fidelity fast|detailed] [--unit U|none] [--json]");
    opts.add_options()("help,h", "show options")("machine", po::value<std::string>(), "machine name or path")(
        "pool", po::value<std::string>(), "memory pool (default: all)")(
        "pattern", po::value<std::string>()->default_value("read"), "read, write, copy, triad or random")(
        "size", po::value<std::string>()->default_value("1 GiB"), "bytes per array, e.g. '1 GiB' (detailed: 64 MiB unless given)")(
        "fidelity", po::value<std::string>(), "fast (chunk-level timing) or detailed (every burst, command by command) for every pool; default: each pool's channel_model")(
        "unit", po::value<std::string>(), "the compute unit whose stream limit (and the die-crossing fabric) applies; default: the pool's first attached unit; none: the memory model alone")(
        "json", "print JSON");
    po::variables_map vm = parse(args, opts);
    if (printed_help(vm, opts)) return 0;
    if (!vm.count("machine")) throw UsageError("command line: stream needs --machine");
    hw::StreamPattern pattern;
    if (!hw::parse_stream_pattern(vm["pattern"].as<std::string>(), pattern))
        throw UsageError("command line: --pattern: expected read, write, copy, triad or random, got '" + vm["pattern"].as<std::string>() + "'");
    std::optional<config::Fidelity> fidelity;
    if (vm.count("fidelity")) {
        const std::string f = vm["fidelity"].as<std::string>();
        if (f != "fast" && f != "detailed") throw UsageError("command line: --fidelity: expected fast or detailed, got '" + f + "'");
        fidelity = f == "detailed" ? config::Fidelity::detailed : config::Fidelity::fast;
    }
    const config::SearchPaths paths = search_paths();
    config::MachineSpec m = hw::load_machine(
        config::resolve_config("machines", vm["machine"].as<std::string>(), paths, "", {"command line"}, "--machine"), paths);
    nlohmann::json rows = nlohmann::json::array();
    bool found = false;
    for (const auto& p : m.pools) {
        if (vm.count("pool") && vm["pool"].as<std::string>() != p.name) continue;
        found = true;
        const hw::ChannelModelEntry& model = hw::channel_model(p, fidelity);
        // A model that simulates every burst (tens of millions per GiB) gets a smaller default
        // size, which keeps it to seconds; the efficiency it measures has converged long before.
        const std::string size_text = model.per_burst && vm["size"].defaulted() ? "64 MiB" : vm["size"].as<std::string>();
        std::string why;
        auto size = config::parse_quantity(size_text, config::Dimension::bytes, &why);
        if (!size || *size < 4096 || *size > 64.0 * (1ull << 30))
            throw UsageError("command line: --size: " + (size ? std::string("expected between 4 KiB and 64 GiB") : why));
        const std::string fidelity_name(model.name);
        const hw::StreamResult dram = hw::run_stream(p, pattern, static_cast<std::uint64_t>(*size), 64 * 1024, 1, fidelity);
        const config::ComputeUnitSpec* unit = stream_unit(m, p, vm);
        const hw::StreamResult r = unit ? hw::limit_to_unit(dram, p, *unit, m.fabric) : dram;
        const double host = std::max(r.host_seconds, 1e-9);
        rows.push_back({{"machine", m.name}, {"pool", p.name}, {"pattern", vm["pattern"].as<std::string>()}, {"bytes", r.bytes},
                        {"seconds", r.seconds}, {"achieved_gb_per_s", r.bytes_per_s / 1e9},
                        {"peak_gb_per_s", p.peak_bytes_per_s() / 1e9}, {"efficiency", r.efficiency}, {"fidelity", fidelity_name},
                        {"requests", r.requests}, {"commands", r.commands}, {"activations", r.activations},
                        {"host_s", r.host_seconds}, {"requests_per_host_s", r.requests / host},
                        {"commands_per_host_s", r.commands / host}, {"unit", unit ? unit->name : "none"},
                        {"dram_gb_per_s", dram.bytes_per_s / 1e9}, {"fabric_factor", m.fabric.stream_factor()},
                        {"unit_stream_gb_per_s", unit ? unit->stream_bytes_per_s * m.fabric.stream_factor() / 1e9 : 0.0}});
    }
    if (!found) throw UsageError("command line: --pool: machine '" + m.name + "' has no pool '" + vm["pool"].as<std::string>() + "'");
    if (vm.count("json")) {
        std::cout << output::json_text(rows.size() == 1 ? rows[0] : rows) << "\n";
        return 0;
    }
    for (const auto& r : rows) {
        std::printf("%-28s %-8s %-7s %9.1f GB/s of %7.1f peak  efficiency %5.1f%%", r["machine"].get<std::string>().c_str(),
                    r["pool"].get<std::string>().c_str(), r["pattern"].get<std::string>().c_str(), r["achieved_gb_per_s"].get<double>(),
                    r["peak_gb_per_s"].get<double>(), 100 * r["efficiency"].get<double>());
        if (r["unit_stream_gb_per_s"].get<double>() > 0)
            std::printf("  (%s stream %.1f GB/s%s; memory model %.1f)", r["unit"].get<std::string>().c_str(),
                        r["unit_stream_gb_per_s"].get<double>(),
                        r["fabric_factor"].get<double>() < 1 ? (", die crossing x" + std::to_string(r["fabric_factor"].get<double>()).substr(0, 5)).c_str() : "",
                        r["dram_gb_per_s"].get<double>());
        if (r["fidelity"] == "detailed")
            std::printf("  (detailed: %.1f M commands/s host, %.2f s)\n", r["commands_per_host_s"].get<double>() / 1e6, r["host_s"].get<double>());
        else
            std::printf("\n");
    }
    return 0;
}

}  // namespace infersim::cli
