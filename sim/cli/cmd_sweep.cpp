// infersim sweep / merge: run a sweep locally, one shard of it, or one point; join shard files.
#include <charconv>
#include <filesystem>
#include <iostream>
#include <thread>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cli/mpi_sweep.hpp"
#include "output/atomic_file.hpp"
#include "sweep/results.hpp"
#include "sweep/runner.hpp"

namespace infersim::cli {
namespace {

std::uint64_t number(const std::string& flag, const std::string& s) {
    std::uint64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size())
        throw UsageError("command line: " + flag + ": expected a non-negative integer, got '" + s + "'");
    return v;
}

}  // namespace

int cmd_sweep(const Args& args) {
    po::options_description opts("infersim sweep SWEEP.yaml -o results.jsonl [--jobs N] [--shard K/N] [--index I] [--resume]");
    opts.add_options()("help,h", "show options")("sweep", po::value<std::string>(), "sweep YAML (positional)")(
        "output,o", po::value<std::string>(), "result table (JSON Lines, one row per point)")(
        "jobs,j", po::value<std::string>(), "threads (default: all cores)")(
        "shard", po::value<std::string>(), "run slice K of N (0 <= K < N), e.g. --shard $SLURM_ARRAY_TASK_ID/$N")(
        "index", po::value<std::string>(), "run only point I")("resume", "skip points already in the output or its journal")(
        "list", "print the points and exit");
    po::positional_options_description pos;
    pos.add("sweep", 1);
    po::variables_map vm = parse(args, opts, pos);
    if (printed_help(vm, opts)) return 0;
    if (!vm.count("sweep")) throw UsageError("command line: sweep needs a sweep file");
    sweep::SweepSpec spec = sweep::SweepSpec::load(vm["sweep"].as<std::string>());
    if (vm.count("list")) {
        for (std::uint64_t i = 0; i < spec.size(); ++i) std::cout << i << "\t" << config::escape_controls(spec.point(i).key) << "\n";
        return 0;
    }
    if (!vm.count("output")) throw UsageError("command line: sweep needs -o FILE");
    sweep::RunOptions opt;
    opt.output = vm["output"].as<std::string>();
    check_output(vm, spec.inputs());
    output::check_output_target(opt.output + ".journal", input_files(vm));
    opt.paths = search_paths();
    opt.resume = vm.count("resume") > 0;
    // Range-checked before narrowing: 4294967297 must not wrap to 1.
    const std::uint64_t jobs = vm.count("jobs") ? number("--jobs", vm["jobs"].as<std::string>())
                                                : std::max(1u, std::thread::hardware_concurrency());
    if (jobs == 0 || jobs > 1024) throw UsageError("command line: --jobs: expected 1 to 1024");
    opt.jobs = static_cast<unsigned>(jobs);
    if (vm.count("shard")) {
        const std::string s = vm["shard"].as<std::string>();
        const auto slash = s.find('/');
        if (slash == std::string::npos) throw UsageError("command line: --shard: expected K/N, got '" + s + "'");
        opt.shard = number("--shard", s.substr(0, slash));
        opt.shards = number("--shard", s.substr(slash + 1));
        if (opt.shards == 0 || opt.shard >= opt.shards)
            throw UsageError("command line: --shard: expected 0 <= K < N, got '" + s + "'");
    }
    if (vm.count("index")) {
        opt.index = number("--index", vm["index"].as<std::string>());
        if (*opt.index >= spec.size())
            throw UsageError("command line: --index: the sweep has " + std::to_string(spec.size()) + " points (0.." +
                             std::to_string(spec.size() - 1) + ")");
    }
    auto progress = [](const nlohmann::json& row) {
        std::cerr << "[" << row["index"] << "] " << config::escape_controls(row["key"].get<std::string>()) << ": "
                  << (row["status"] == "ok" ? "ok" : config::escape_controls(row["error"].get<std::string>())) << "\n";
    };
    if (launched_by_mpi() && (vm.count("shard") || vm.count("index")))
        throw UsageError("command line: under mpirun the ranks split the sweep; drop --shard/--index");
    sweep::RunStats st = launched_by_mpi() ? run_sweep_mpi(spec, opt, progress) : sweep::run_sweep(spec, opt, progress);
    std::cerr << "sweep: " << st.selected << " points selected, " << st.skipped << " already done, " << st.ran << " run, "
              << st.failed << " failed" << (st.torn ? ", " + std::to_string(st.torn) + " torn rows recomputed" : std::string()) << " -> " << config::escape_controls(opt.output) << "\n";
    return st.failed > 0 ? 2 : 0;
}

int cmd_merge(const Args& args) {
    po::options_description opts("infersim merge -o results.jsonl SHARD.jsonl...");
    opts.add_options()("help,h", "show options")("output,o", po::value<std::string>(), "merged table")(
        "inputs", po::value<std::vector<std::string>>(), "shard tables");
    po::positional_options_description pos;
    pos.add("inputs", -1);
    po::variables_map vm = parse(args, opts, pos);
    if (printed_help(vm, opts)) return 0;
    if (!vm.count("output") || !vm.count("inputs")) throw UsageError("command line: merge needs -o FILE and input files");
    check_output(vm);
    sweep::Table table;
    for (const std::string& f : vm["inputs"].as<std::vector<std::string>>()) {
        std::error_code ec;
        if (!std::filesystem::is_regular_file(f, ec)) throw config::InputError(config::SourceLocation{f}, "", "no such file");
        sweep::read_rows(f, table);
    }
    sweep::write_rows(vm["output"].as<std::string>(), table);
    std::cerr << "merge: " << table.size() << " rows -> " << config::escape_controls(vm["output"].as<std::string>()) << "\n";
    return 0;
}

}  // namespace infersim::cli
