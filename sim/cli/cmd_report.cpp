// infersim report: one self-contained HTML file from result files (a run, a serving run, a sweep,
// battery reports, several runs to compare). The plots are drawn by analysis/report_html.py under
// /usr/bin/python3; this command finds the script, checks the target, runs it on a temporary
// file and publishes that file only when the script succeeded.
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "config/errors.hpp"
#include "output/atomic_file.hpp"

extern char** environ;

namespace infersim::cli {
namespace {

constexpr const char* kPython = "/usr/bin/python3";

/// analysis/ of the source tree, or $INFERSIM_ANALYSIS_DIR when set.
std::string analysis_dir() {
    if (const char* env = std::getenv("INFERSIM_ANALYSIS_DIR"); env && *env) return env;
    return INFERSIM_ANALYSIS_DIR;
}

/// Runs `argv` (no shell) and returns its exit status; -1 when it did not exit normally.
int run_program(const std::vector<std::string>& args) {
    std::vector<char*> argv;
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    pid_t pid = 0;
    if (const int err = posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ); err != 0)
        throw std::runtime_error("cannot start " + args[0] + ": error " + std::to_string(err));
    int status = 0;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) throw std::runtime_error("waiting for " + args[0]);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

int cmd_report(const Args& args) {
    po::options_description opts("infersim report RESULT [MORE ...] -o report.html");
    opts.add_options()("help,h", "show options")("output,o", po::value<std::string>(), "HTML file to write")(
        "inputs", po::value<std::vector<std::string>>(),
        "result files: run or serving HDF5 (several: a comparison), sweep HDF5 or JSON Lines, battery JSON");
    po::positional_options_description pos;
    pos.add("inputs", -1);
    po::variables_map vm = parse(args, opts, pos);
    if (printed_help(vm, opts)) return 0;
    if (!vm.count("output")) throw UsageError("command line: report needs -o FILE.html");
    if (!vm.count("inputs")) throw UsageError("command line: report needs at least one result file");
    const std::vector<std::string> inputs = vm["inputs"].as<std::vector<std::string>>();
    for (const std::string& in : inputs)
        if (access(in.c_str(), R_OK) != 0) throw UsageError("command line: cannot read result file '" + config::printable(in, 200) + "'");
    check_output(vm, inputs);
    const std::string script = analysis_dir() + "/report_html.py";
    if (access(kPython, X_OK) != 0) throw UsageError(std::string("report needs ") + kPython + " (with h5py, numpy, matplotlib, pandas): not found");
    if (access(script.c_str(), R_OK) != 0)
        throw UsageError("report needs " + config::printable(script, 200) + " (set INFERSIM_ANALYSIS_DIR to the analysis/ directory)");
    const std::string path = vm["output"].as<std::string>();
    struct ScriptFailed {};
    int status = 0;
    try {
        output::write_via_temporary(path, [&](const std::string& tmp) {
            std::vector<std::string> argv{kPython, script, "-o", tmp};
            argv.insert(argv.end(), inputs.begin(), inputs.end());
            status = run_program(argv);
            if (status != 0) throw ScriptFailed{};  // the temporary is removed
        });
    } catch (const ScriptFailed&) {
        // The script printed why on stderr: 2 for an input that is not a result, else a failure.
        return status == 2 ? 2 : 1;
    }
    std::cerr << "wrote " << config::escape_controls(path) << "\n";
    return 0;
}

}  // namespace infersim::cli
