// infersim: the command. Picks the sub-command and turns typed errors into exit codes:
// 0 success, 1 internal error, 2 bad input or usage, 3 budget exceeded, 4 output failure.
#include <cstring>
#include <iostream>
#include <string_view>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "config/errors.hpp"
#include "output/atomic_file.hpp"

namespace {

using infersim::cli::Args;

struct Command {
    std::string_view name;
    int (*run)(const Args&);
    std::string_view help;
};

constexpr Command kCommands[] = {
    {"run", infersim::cli::cmd_run, "simulate a scenario: infersim run [SCENARIO.yaml] [--machine M --model X --quant Q ...] [--json] [-o OUT.h5]"},
    {"bench", infersim::cli::cmd_bench, "predict llama-bench: infersim bench --machine M --model X --quant Q [-p 512] [-n 128] [-d 0] [-ngl 99] [-fa 0] [-o md]"},
    {"fit", infersim::cli::cmd_fit, "does it fit, and the bandwidth/compute ceilings: infersim fit --machine M --model X --quant Q [--context N]"},
    {"stream", infersim::cli::cmd_stream, "STREAM-like memory benchmark: infersim stream --machine M [--pool P] [--pattern read]"},
    {"check", infersim::cli::cmd_check, "validate machine, model, runtime and scenario files: infersim check FILE..."},
    {"trace", infersim::cli::cmd_trace, "write the op trace of a scenario: infersim trace [SCENARIO] [--model X ...] -o FILE"},
    {"sweep", infersim::cli::cmd_sweep, "run a sweep: infersim sweep SWEEP.yaml -o results.jsonl [--jobs N] [--shard K/N] [--index I] [--resume]"},
    {"merge", infersim::cli::cmd_merge, "join sweep shard tables: infersim merge -o results.jsonl SHARD..."},
    {"batched-bench", infersim::cli::cmd_batched_bench, "predict llama-batched-bench: infersim batched-bench --machine M --model X [-npp 128 -ntg 128 -npl 1,2,4]"},
    {"serve", infersim::cli::cmd_serve, "serve requests with continuous batching: infersim serve SCENARIO.yaml [--json] [-o out.h5]"},
    {"battery", infersim::cli::cmd_battery, "battery life under a usage pattern: infersim battery --machine M --model X --quant Q [--usage chat] [--json]"},
    {"report", infersim::cli::cmd_report, "HTML report of results: infersim report RESULT.h5 [MORE.h5 ...] -o report.html"},
    {"describe", infersim::cli::cmd_describe, "print the schema of machine, model, runtime or scenario files"},
};

// Every message is one line without raw control characters, whatever text it quotes.
std::string one_line(std::string_view message) { return infersim::config::escape_controls(message); }

void usage(std::ostream& out) {
    out << "usage: infersim COMMAND [options]   (infersim COMMAND --help for its options)\n\ncommands:\n";
    for (const Command& c : kCommands) out << "  " << c.name << std::string(c.name.size() < 10 ? 10 - c.name.size() : 1, ' ') << c.help << "\n";
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0) {
        usage(argc < 2 ? std::cerr : std::cout);
        return argc < 2 ? 2 : 0;
    }
    if (std::strcmp(argv[1], "--version") == 0) {
        std::cout << "infersim " << INFERSIM_VERSION << "\n";
        return 0;
    }
    const std::string_view name = argv[1];
    Args args(argv + 2, argv + argc);
    for (const Command& c : kCommands) {
        if (c.name != name) continue;
        try {
            return c.run(args);
        } catch (const infersim::config::InputError& e) {
            std::cerr << "error: " << one_line(e.what()) << "\n";
            return 2;
        } catch (const infersim::cli::UsageError& e) {
            std::cerr << "error: " << one_line(e.what()) << "\n";
            return 2;
        } catch (const infersim::config::BudgetError& e) {
            std::cerr << "error: budget exceeded: " << one_line(e.what()) << "\n";
            return 3;
        } catch (const infersim::output::OutputError& e) {
            std::cerr << "error: " << one_line(e.what()) << "\n";
            return 4;
        } catch (const std::bad_alloc&) {
            std::cerr << "error: out of memory\n";
            return 3;
        } catch (const std::exception& e) {
            std::cerr << "internal error: " << one_line(e.what()) << "\n";
            return 1;
        }
    }
    std::cerr << "error: unknown command '" << one_line(name) << "'\n";
    usage(std::cerr);
    return 2;
}
