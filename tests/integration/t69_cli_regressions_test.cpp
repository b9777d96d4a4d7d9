// Regressions of the command line on bad input: defects found while writing the CLI tests,
// fixed since; the comment on each says what was observed before the fix.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "integration/cli_checks.hpp"
#include "integration/cli_runner.hpp"

namespace infersim::test {
namespace {

using nlohmann::json;

TEST(CliRegressions, missing_key_in_scenario_file_is_reported_in_that_file) {
    ScratchDir dir("missing_key");
    dir.write("s.yaml", "machine: rtx-spark\nprompt: 64\n");
    expect_input_error(run_cli({"check", "s.yaml"}, {dir.path()}), 2, "s.yaml", 1, "model");
    expect_input_error(run_cli({"run", "s.yaml"}, {dir.path()}), 2, "s.yaml", 1, "model");
    dir.write("n.yaml", "machine: ~\nmodel: llama-3.1-8b\n");
    expect_input_error(run_cli({"run", "n.yaml"}, {dir.path()}), 2, "n.yaml", 0, "machine");
}

// Cross-field model checks (heads vs kv_heads, experts) report the top of the file (1:1),
// not the line of the field at fault. Expected: m.yaml:6:11 (the kv_heads value).
TEST(CliRegressions, model_cross_checks_point_at_the_field) {
    ScratchDir dir("model_line");
    dir.write("m.yaml", "# a model\nname: tiny\nlayers: 4\nhidden: 1024\nheads: 8\nkv_heads: 3\nffn: 4096\nvocab: 32000\n");
    expect_input_error(run_cli({"check", "m.yaml"}, {dir.path()}), 2, "m.yaml", 6, "kv_heads");
    dir.write("e.yaml", "name: tiny\nlayers: 4\nhidden: 1024\nheads: 8\nffn: 4096\nvocab: 32000\nexperts: 8\nactive_experts: 9\n");
    expect_input_error(run_cli({"check", "e.yaml"}, {dir.path()}), 2, "e.yaml", 8, "active_experts");
}

// A pool entry left empty ("lpddr:" with no value) loses the file and line:
// observed "error: <input>: field 'memory.lpddr': expected a mapping ...".
TEST(CliRegressions, null_pool_entry_is_reported_at_its_key) {
    ScratchDir dir("null_pool");
    dir.write("machines/m.yaml",
              "name: x\nmemory:\n  lpddr:\ncompute:\n  gpu: {count: 1, clock: 1 GHz, memory: lpddr, vector: {fp32: 1}}\n");
    expect_input_error(run_cli({"check", "machines/m.yaml"}, {dir.path()}), 2, "m.yaml", 3, "memory.lpddr");
}

// 'extends: ..' (a directory) is reported against the directory, without the file and line
// of the extends key. Observed: "error: ..: no such file (or not a regular file)".
TEST(CliRegressions, extends_to_a_directory_is_reported_at_the_extends_line) {
    ScratchDir dir("extends_dir");
    dir.write("machines/m.yaml", "extends: ..\nname: x\n");
    expect_input_error(run_cli({"check", "machines/m.yaml"}, {dir.path()}), 2, "m.yaml", 1, "extends");
}

std::string machine_without(const std::string& memory, const std::string& compute) {
    return "name: empty\nmemory: " + memory + "\ncompute: " + compute + "\n";
}

// A machine with no memory pools and no compute units passes `check`, then `run`, `fit` and
// `bench` die of SIGSEGV and `stream` reports "internal error: boost::bad_any_cast".
// Expected: the loader refuses it (exit 2, "memory: at least one pool", file:line:col).
TEST(CliRegressions, machine_without_pools_or_units_is_refused) {
    ScratchDir dir("empty_machine");
    dir.write("machines/m.yaml", machine_without("{}", "{}"));
    const std::vector<std::vector<std::string>> commands = {
        {"check", "machines/m.yaml"},
        {"run", "--machine", "machines/m.yaml", "--model", "llama-3.1-8b", "--prompt", "16", "--gen", "2"},
        {"fit", "--machine", "machines/m.yaml", "--model", "llama-3.1-8b"},
        {"bench", "--machine", "machines/m.yaml", "--model", "llama-3.1-8b", "-p", "16", "-n", "2"},
        {"stream", "--machine", "machines/m.yaml"},
        {"trace", "--machine", "machines/m.yaml", "--model", "llama-3.1-8b", "--prompt", "16", "--gen", "2", "-o", "t.trace"},
    };
    for (const auto& c : commands) {
        CliResult r = run_cli(c, {dir.path(), 5});
        EXPECT_EQ(r.exit_code, 2) << c[0] << ": " << r.describe();
        EXPECT_EQ(one_line_error_problem(r.err), "") << c[0] << ": " << r.describe();
        EXPECT_NE(r.err.find("m.yaml"), std::string::npos) << c[0] << ": " << r.err;
    }
}

std::string slow_machine(const std::string& clock) {
    return "name: slow\nmemory:\n  lpddr:\n    standard: lpddr5x-8533\n    capacity: 128 GiB\n    channels: 16\n"
           "compute:\n  gpu:\n    count: 32\n    clock: " +
           clock + "\n    memory: lpddr\n    vector: {fp32: 256, fp16: 512}\n    matrix: {fp16: 1024}\n";
}

// A compute-bound run longer than the timeline budget allows is not stopped: the bin
// estimate only uses the bandwidth ceiling, and the recorder then grows without limit
// (4.4 GB resident after 8 s for a 1 Hz unit). Expected: exit 3 (max_timeline_bins) at once.
TEST(CliRegressions, compute_bound_run_stops_at_the_timeline_budget) {
    ScratchDir dir("slow_clock");
    dir.write("slow.yaml", slow_machine("1 Hz"));
    CliOptions opt{dir.path(), 5, 2ull << 30};
    CliResult r = run_cli({"run", "--machine", "slow.yaml", "--model", "llama-3.1-8b", "--prompt", "16", "--gen", "2", "-o", "OUT.h5"}, opt);
    EXPECT_EQ(r.exit_code, 3) << r.describe();
    EXPECT_EQ(one_line_error_problem(r.err), "") << r.describe();
    // Under a 2 GiB address-space cap the run dies of bad_alloc ("error: out of memory", also
    // exit 3); without the cap it keeps growing. The refusal must come from the budget.
    EXPECT_NE(r.err.find("max_timeline_bins"), std::string::npos) << r.describe();
    EXPECT_EQ(dir.entries(), std::vector<std::string>{"slow.yaml"});
}

std::string one_op_trace(const std::string& op) {
    return "infersim-trace 1\nmodel llama-3.1-8b\nprompt 4\ngen 1\nstep prefill 4 1 0 1\n" + op + "\n";
}

// Op times overflow the picosecond clock silently: an op of 1e22 FLOPs "takes" 0.15 ms and
// the run exits 0 with nonsense (1e18 FLOPs takes 40,690 s, 1e20 hangs). Expected: a
// refusal (exit 2 naming the op line, or exit 3) when simulated time would exceed what a
// Tick holds.
TEST(CliRegressions, trace_op_flops_that_would_overflow_the_clock_are_refused) {
    ScratchDir dir("flops_overflow");
    dir.write("t.trace", one_op_trace("op qkv 0 4 4096 1000 1000 0 0 100 1e22 0 1"));
    CliResult r = run_cli({"run", "--trace", "t.trace", "--machine", "rtx-spark", "--json"}, {dir.path(), 5, 2ull << 30});
    EXPECT_TRUE(r.exit_code == 2 || r.exit_code == 3) << r.describe();
    EXPECT_EQ(one_line_error_problem(r.err), "") << r.describe();
}

// A trace op that reads 2^50 bytes is accepted (the event estimate uses the model, not the
// trace) and the run does not finish. Expected: exit 3 within a second.
TEST(CliRegressions, trace_op_with_a_petabyte_of_weights_is_refused_by_the_work_budget) {
    ScratchDir dir("bytes_unbounded");
    dir.write("t.trace", one_op_trace("op norm 0 4 4096 1125899906842624 0 0 0 1048576 1 0 0"));
    CliResult r = run_cli({"run", "--trace", "t.trace", "--machine", "rtx-spark"}, {dir.path(), 5, 2ull << 30});
    EXPECT_EQ(r.exit_code, 3) << r.describe();
    EXPECT_EQ(one_line_error_problem(r.err), "") << r.describe();
}

// A trace with no 'prompt' header line gets prompt 0, which is then blamed on the command
// line: "error: command line: field 'prompt': value 0 out of range". Expected: the trace file
// is named (missing header key, or a default).
TEST(CliRegressions, trace_without_prompt_header_is_reported_in_the_trace) {
    ScratchDir dir("trace_no_prompt");
    dir.write("t.trace", "infersim-trace 1\nmodel llama-3.1-8b\nstep prefill 4 1 0 1\n" + kOp);
    CliResult r = run_cli({"run", "--trace", "t.trace", "--machine", "rtx-spark"}, {dir.path(), 5});
    expect_input_error(r, 2, "t.trace", 0, "prompt");
}

// `run --trace T --prompt 4096` takes the flag over the trace header: the summary reports
// prompt 4096 and a KV cache sized for it while the replayed prefill has 4 tokens.
// Expected: flags that contradict the trace are refused (exit 2), or ignored consistently.
TEST(CliRegressions, run_trace_refuses_flags_that_contradict_the_trace) {
    ScratchDir dir("trace_contradiction");
    dir.write("t.trace", kTraceHeader + kStep + kOp);  // prompt 4
    CliResult r = run_cli({"run", "--trace", "t.trace", "--machine", "rtx-spark", "--prompt", "4096", "--json"}, {dir.path(), 5});
    if (r.exit_code == 0) {
        json j = parse_one_json_line(r);
        EXPECT_EQ(j["prompt"], j["prefill"]["tokens"]) << "summary says prompt " << j["prompt"] << " but the trace prefilled "
                                                       << j["prefill"]["tokens"];
    } else {
        expect_input_error(r, 2, "", 0, "prompt");
    }
}

// A dependency cycle closed by the last dep of a step is reported on the *next* step's line.
// Expected: the dep line (13), observed: 14 (the following 'step' line).
TEST(CliRegressions, trace_dependency_cycle_is_reported_on_the_dep_line) {
    ScratchDir dir("trace_cycle_line");
    dir.write("t.trace", kTraceHeader + kStep + kOp + kOp + "dep 0 1\ndep 1 0\n" + kStep + kOp);
    CliResult r = run_cli({"run", "--trace", "t.trace", "--machine", "rtx-spark"}, {dir.path(), 5});
    expect_input_error(r, 2, "t.trace", 13, "dep");
}

// A prompt of 1,000,000 tokens (beyond llama-3.1-8b's 131,072 context) is accepted and the
// run takes ~27 s of wall time for 0.9 M events (attention tiles run inline and are not
// counted against max_events); `bench -p 1000000` likewise. Expected: refused (prompt +
// gen over the model's max_context) or stopped by a budget, within seconds.
TEST(CliRegressions, prompt_beyond_the_trained_context_is_refused) {
    CliResult r = run_cli({"run", "--machine", "rtx-spark", "--model", "llama-3.1-8b", "--prompt", "1000000", "--gen", "8"}, {{}, 5});
    EXPECT_FALSE(r.timed_out) << r.describe();
    EXPECT_TRUE(r.exit_code == 2 || r.exit_code == 3) << r.describe();
    CliResult b = run_cli({"bench", "--machine", "rtx-spark", "--model", "llama-3.1-8b", "-p", "1000000", "-n", "1"}, {{}, 5});
    EXPECT_FALSE(b.timed_out) << b.describe();
}

// `check` with no file prints its options to stdout and exits 2 without any error message.
TEST(CliRegressions, check_without_files_says_so) {
    CliResult r = run_cli({"check"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(one_line_error_problem(r.err), "") << r.describe();
}

// Only the first YAML document is read; a second one (even a broken one) is silently
// ignored, so `check` says ok. Expected: "more than one YAML document" at its line.
TEST(CliRegressions, second_yaml_document_is_refused) {
    ScratchDir dir("multidoc");
    dir.write("scenarios/s.yaml", kScenario + "---\nprompt: 5\n");
    CliResult r = run_cli({"check", "scenarios/s.yaml"}, {dir.path()});
    EXPECT_EQ(r.exit_code, 2) << r.describe();
    EXPECT_NE(r.err.find("more than one YAML document"), std::string::npos) << r.describe();
}

// Messages echo input bytes verbatim: a NUL escape truncates the message, and ESC/RLO
// characters reach the terminal. Expected: non-printable characters escaped (as the GGUF
// reader does with \xNN).
TEST(CliRegressions, error_messages_escape_control_characters) {
    ScratchDir dir("control_chars");
    dir.write("s.yaml", "machine: \"rtx\\e[31m\\0spark\"\nmodel: llama-3.1-8b\n");
    CliResult r = run_cli({"run", "s.yaml"}, {dir.path()});
    EXPECT_EQ(r.exit_code, 2) << r.describe();
    for (char c : r.err)
        EXPECT_FALSE((static_cast<unsigned char>(c) < 0x20 && c != '\n') || c == 0x7f)
            << "control character " << static_cast<int>(c) << " in: " << r.err;
}

}  // namespace
}  // namespace infersim::test
