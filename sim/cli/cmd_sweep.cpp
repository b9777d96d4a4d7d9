// infersim sweep / merge: run a sweep locally, one shard of it, or one point; join shard files.
#include <sched.h>
#include <unistd.h>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <thread>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cli/mpi_sweep.hpp"
#include "output/atomic_file.hpp"
#include "sweep/point_timelines.hpp"
#include "sweep/results.hpp"
#include "sweep/runner.hpp"
#include "sweep/slurm_script.hpp"
#include "sweep/table_hdf5.hpp"

namespace infersim::cli {
namespace {

std::uint64_t number(const std::string& flag, const std::string& s) {
    std::uint64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size())
        throw UsageError("command line: " + flag + ": expected a non-negative integer, got '" + s + "'");
    return v;
}

// $SLURM_CPUS_PER_TASK when set, else the CPUs of the affinity mask (a Slurm task or `taskset`
// sees only its own), else every core.
std::uint64_t default_jobs() {
    if (const char* slurm = std::getenv("SLURM_CPUS_PER_TASK"); slurm && *slurm) {
        std::uint64_t v = 0;
        auto [p, ec] = std::from_chars(slurm, slurm + std::strlen(slurm), v);
        if (ec == std::errc() && *p == '\0' && v > 0) return std::min<std::uint64_t>(v, 1024);
    }
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0) return static_cast<std::uint64_t>(CPU_COUNT(&set));
    return std::max(1u, std::thread::hardware_concurrency());
}

// The terminal's progress line: done/total, points per second, ETA, failures.
struct ProgressLine {
    std::uint64_t total = 0, done = 0, failed = 0;
    std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
    void update(bool failure) {
        ++done;
        failed += failure;
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        const double rate = s > 0 ? static_cast<double>(done) / s : 0;
        const double eta = rate > 0 && total > done ? static_cast<double>(total - done) / rate : 0;
        char text[160];
        std::snprintf(text, sizeof text, "\r\x1b[Ksweep: %llu/%llu done, %.1f points/s, ETA %.0f s, %llu failed", static_cast<unsigned long long>(done),
                      static_cast<unsigned long long>(total), rate, eta, static_cast<unsigned long long>(failed));
        std::cerr << text << std::flush;
    }
};

// merge --sweep: every row of this sweep, every point present.
void check_complete(const sweep::SweepSpec& spec, const sweep::Table& table) {
    const config::SourceLocation where{spec.file(), 0, 0};
    if (!table.empty() && table.begin()->second.value("sweep", "") != spec.identity())
        throw config::InputError(where, "sweep", "the tables belong to another sweep (identity " + table.begin()->second.value("sweep", "") +
                                                     ", this file's is " + spec.identity() + ")");
    std::string missing;
    std::uint64_t count = 0;
    for (std::uint64_t i = 0; i < spec.size(); ++i)
        if (!table.count(i) && ++count <= 20) missing += (missing.empty() ? "" : ", ") + std::to_string(i);
    if (!table.empty() && table.rbegin()->first >= spec.size())
        throw config::InputError(where, "index", "point " + std::to_string(table.rbegin()->first) + " is beyond the sweep's " + std::to_string(spec.size()));
    if (count > 0)
        throw config::InputError(where, "", std::to_string(count) + " of " + std::to_string(spec.size()) + " points missing: " + missing +
                                                (count > 20 ? ", ..." : "") + " (rerun their shards with --resume)");
}

// merge: the inputs' per-point timelines. All inputs have them (/points) or none does, and an
// ok row has its timeline in some input.
struct MergedTimelines {
    sweep::TimelineSources sources;
    std::string with, without;  // an input of each kind
    void take(const std::string& file) {
        const bool has = sweep::is_hdf5_table(file) && sweep::table_has_timelines(file);
        (has ? with : without) = file;
        if (!with.empty() && !without.empty())
            throw config::InputError(config::SourceLocation{has ? file : without, 0, 0}, "",
                                     "cannot merge tables with per-point timelines ('" + config::printable(with, 200) +
                                         "') and without ('" + config::printable(without, 200) + "'): rerun the shards the same way");
        if (has) sources.merge(sweep::table_timelines(file));  // a point in two inputs keeps the first one's
    }
    bool any() const { return !with.empty(); }
    void check(const sweep::Table& table) const {
        for (const auto& [index, row] : table)
            if (row.value("status", "") == "ok" && !sources.count(index))
                throw config::InputError(config::SourceLocation{with, 0, 0}, "points",
                                         "point " + std::to_string(index) + " is ok but no input holds its timeline");
    }
};

int emit_slurm(const po::variables_map& vm, const sweep::SweepSpec& spec) {
    if (vm.count("set")) throw UsageError("command line: --emit-slurm: put --set values in the sweep file, so every task and the merge agree");
    namespace fs = std::filesystem;
    sweep::SlurmOptions o;
    std::error_code ec;
    o.binary = fs::read_symlink("/proc/self/exe", ec).string();
    if (ec) o.binary = "infersim";
    o.sweep_file = fs::absolute(spec.file()).string();
    o.output = fs::absolute(vm["output"].as<std::string>()).string();
    o.points = spec.size();
    o.timelines = vm.count("timelines") > 0;
    o.array_size = std::min<std::uint64_t>(vm.count("array-size") ? number("--array-size", vm["array-size"].as<std::string>()) : 8, o.points);
    if (o.array_size == 0 || o.array_size > 100000) throw UsageError("command line: --array-size: expected 1 to 100000");
    for (const char* k : {"partition", "time"}) {
        if (!vm.count(k)) continue;
        const std::string v = vm[k].as<std::string>();
        if (v.empty() || v.find_first_of(" \t\n'\"\\$`;") != std::string::npos)
            throw UsageError(std::string("command line: --") + k + ": expected one word, got '" + config::escape_controls(v) + "'");
        (std::string(k) == "partition" ? o.partition : o.time) = v;
    }
    std::cout << sweep::slurm_script(o);
    return 0;
}

}  // namespace

int cmd_sweep(const Args& args) {
    po::options_description opts("infersim sweep SWEEP.yaml -o results.jsonl [--jobs N] [--shard K/N] [--index I] [--resume] [--timelines]");
    opts.add_options()("help,h", "show options")("sweep", po::value<std::string>(), "sweep YAML (positional)")(
        "output,o", po::value<std::string>(), "result table: .h5 (HDF5 /results), .csv, or JSON Lines (one row per point)")(
        "jobs,j", po::value<std::string>(), "threads (default: $SLURM_CPUS_PER_TASK, else the CPUs this process may run on)")(
        "shard", po::value<std::string>(), "run slice K of N (0 <= K < N), e.g. --shard $SLURM_ARRAY_TASK_ID/$N")(
        "index", po::value<std::string>(), "run only point I")("resume", "skip points already in the output or its journal")(
        "timelines", "also store each ok point's hardware timelines in the .h5 table, as /points/<index>/timeline")(
        "list", "print the points and exit")(
        "progress", po::value<std::string>(), "auto (default: a progress line when stderr is a terminal), always, or never")(
        "set", po::value<std::vector<std::string>>()->composing(), "PATH=VALUE override of the base, repeatable (under the axes)")(
        "emit-slurm", "print an sbatch array script that runs the shards with --resume and a dependent merge into -o, and exit")(
        "array-size", po::value<std::string>(), "--emit-slurm: array tasks (default 8, at most the points)")(
        "partition", po::value<std::string>(), "--emit-slurm: Slurm partition")("time", po::value<std::string>(), "--emit-slurm: time limit per task");
    po::positional_options_description pos;
    pos.add("sweep", 1);
    po::variables_map vm = parse(args, opts, pos);
    if (printed_help(vm, opts)) return 0;
    if (!vm.count("sweep")) throw UsageError("command line: sweep needs a sweep file");
    sweep::SweepSpec spec = sweep::SweepSpec::load(vm["sweep"].as<std::string>(), set_overrides(vm), search_paths());
    if (vm.count("list")) {
        for (std::uint64_t i = 0; i < spec.size(); ++i) std::cout << i << "\t" << config::escape_controls(spec.point(i).key) << "\n";
        return 0;
    }
    if (!vm.count("output")) throw UsageError("command line: sweep needs -o FILE");
    sweep::RunOptions opt;
    opt.output = vm["output"].as<std::string>();
    opt.timelines = vm.count("timelines") > 0;
    if (opt.timelines && !sweep::is_hdf5_table(opt.output))
        throw UsageError("command line: --timelines needs an HDF5 table (-o FILE.h5); CSV and JSON Lines hold no timelines");
    if (opt.timelines && launched_by_mpi())
        throw UsageError("command line: --timelines is not supported under mpirun (rank 0 would have to gather every timeline); "
                         "run shards with --shard K/N --timelines and join them with infersim merge");
    if (vm.count("emit-slurm")) return emit_slurm(vm, spec);
    check_output(vm, spec.inputs());
    output::check_output_target(opt.output + ".journal", input_files(vm));
    opt.paths = search_paths();
    opt.resume = vm.count("resume") > 0;
    // Range-checked before narrowing: 4294967297 must not wrap to 1.
    const std::uint64_t jobs = vm.count("jobs") ? number("--jobs", vm["jobs"].as<std::string>())
                                                : default_jobs();
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
    // On a terminal, one line rewritten in place (and the failures); otherwise a line per point.
    const std::string mode = vm.count("progress") ? vm["progress"].as<std::string>() : "auto";
    if (mode != "auto" && mode != "always" && mode != "never")
        throw UsageError("command line: --progress: expected auto, always or never, got '" + config::escape_controls(mode) + "'");
    const bool terminal = mode == "always" || (mode == "auto" && isatty(STDERR_FILENO) == 1);
    std::uint64_t selected = 0;
    for (std::uint64_t i = 0; i < spec.size(); ++i) selected += (!opt.index || *opt.index == i) && i % opt.shards == opt.shard;
    ProgressLine line{selected};
    auto progress = [&](const nlohmann::json& row) {
        const bool ok = row["status"] == "ok";
        if (terminal && ok) return line.update(false);
        // One write per line: the ranks of an MPI sweep share stderr.
        std::ostringstream text;
        text << (terminal ? "\r\x1b[K" : "") << "[" << row["index"] << "] " << config::escape_controls(row["key"].get<std::string>()) << ": "
             << (ok ? "ok" : config::escape_controls(row["error"].get<std::string>())) << "\n";
        std::cerr << text.str();
        if (terminal) line.update(true);
    };
    if (launched_by_mpi() && (vm.count("shard") || vm.count("index")))
        throw UsageError("command line: under mpirun the ranks split the sweep; drop --shard/--index");
    sweep::RunStats st = launched_by_mpi() ? run_sweep_mpi(spec, opt, progress) : sweep::run_sweep(spec, opt, progress);
    if (terminal && line.done > 0) std::cerr << "\n";
    std::ostringstream done;
    done << "sweep: " << st.selected << " points selected, " << st.skipped << " already done, " << st.ran << " run, " << st.failed
         << " failed" << (st.torn ? ", " + std::to_string(st.torn) + " torn rows recomputed" : std::string()) << " -> "
         << config::escape_controls(opt.output) << "\n";
    std::cerr << done.str();
    return st.failed > 0 ? 2 : 0;
}

int cmd_merge(const Args& args) {
    po::options_description opts("infersim merge -o results.{jsonl,h5,csv} SHARD.{jsonl,h5}...");
    opts.add_options()("help,h", "show options")("output,o", po::value<std::string>(), "merged table")(
        "inputs", po::value<std::vector<std::string>>(), "shard tables")(
        "sweep", po::value<std::string>(), "the sweep file: refuse tables of another sweep and name missing points");
    po::positional_options_description pos;
    pos.add("inputs", -1);
    po::variables_map vm = parse(args, opts, pos);
    if (printed_help(vm, opts)) return 0;
    if (!vm.count("output") || !vm.count("inputs")) throw UsageError("command line: merge needs -o FILE and input files");
    check_output(vm);
    sweep::Table table;
    MergedTimelines timelines;
    for (const std::string& f : vm["inputs"].as<std::vector<std::string>>()) {
        std::error_code ec;
        if (!std::filesystem::is_regular_file(f, ec)) throw config::InputError(config::SourceLocation{f}, "", "no such file");
        sweep::read_rows(f, table);
        timelines.take(f);
    }
    if (vm.count("sweep")) check_complete(sweep::SweepSpec::load(vm["sweep"].as<std::string>(), {}, search_paths()), table);
    const std::string out = vm["output"].as<std::string>();
    if (timelines.any() && !sweep::is_hdf5_table(out))
        throw UsageError("command line: the inputs hold per-point timelines; merge them into an .h5 table (CSV and JSON Lines hold none)");
    if (timelines.any()) timelines.check(table);
    sweep::write_rows(out, table, timelines.any() ? &timelines.sources : nullptr);
    std::cerr << "merge: " << table.size() << " rows -> " << config::escape_controls(vm["output"].as<std::string>()) << "\n";
    return 0;
}

}  // namespace infersim::cli
