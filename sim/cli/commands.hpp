// The sub-commands. Each takes its arguments (after the command name) and returns an exit
// code; errors propagate as exceptions and main() maps them to exit codes.
#pragma once
#include <string>
#include <vector>

namespace infersim::cli {

using Args = std::vector<std::string>;

int cmd_run(const Args& args);
int cmd_fit(const Args& args);
int cmd_check(const Args& args);
int cmd_trace(const Args& args);
int cmd_describe(const Args& args);
int cmd_bench(const Args& args);
int cmd_stream(const Args& args);
int cmd_sweep(const Args& args);
int cmd_merge(const Args& args);
int cmd_batched_bench(const Args& args);  // llama-batched-bench
int cmd_battery(const Args& args);
int cmd_report(const Args& args);  // HTML report (analysis/report_html.py)
int cmd_serve(const Args& args);  // serving workloads (issue 15)

}  // namespace infersim::cli
