// Round two of the hostile inputs, the part about sweeps, budgets, load-time checks and
// messages: tables carry their sweep's identity (class 8); budgets are checked before the work
// that grows with the request, channels included (6); names that would collide in the HDF5
// file are refused at load (10); values that used to be accepted are refused (11); and the
// messages name the right place (12).
#include <gtest/gtest.h>

#include "integration/cli_runner.hpp"

namespace infersim::test {
namespace {

namespace fs = std::filesystem;

CliOptions in(const ScratchDir& d) { return CliOptions{d.path(), 30, 4ull << 30}; }

void expect_error(const CliResult& r, int code, const std::string& text) {
    EXPECT_EQ(r.signal, 0) << r.describe();
    EXPECT_EQ(r.exit_code, code) << r.describe();
    EXPECT_EQ(one_line_error_problem(r.err), "") << r.describe();
    EXPECT_NE(r.err.find(text), std::string::npos) << r.describe();
}

std::string spark() { return (source_dir() / "configs/machines/rtx-spark.yaml").string(); }

struct TwoSweeps {
    ScratchDir d{"sweeps"};
    TwoSweeps() {
        d.write("a.yaml", "base: {machine: rtx-spark, model: llama-3.2-3b, prompt: 16}\naxes:\n  gen: [2, 3, 4]\n");
        d.write("b.yaml", "base: {machine: rtx-spark, model: llama-3.2-3b, prompt: 32}\naxes:\n  gen: [2, 3, 4]\n");
    }
    CliResult sweep(const std::vector<std::string>& more) const {
        std::vector<std::string> args{"sweep"};
        args.insert(args.end(), more.begin(), more.end());
        return run_cli(args, in(d));
    }
};

// ---- class 8: sweep tables -----------------------------------------------------------------------

TEST(HostileSweeps, merge_refuses_tables_of_two_different_sweeps) {
    TwoSweeps s;
    ASSERT_EQ(s.sweep({"a.yaml", "-o", "a.jsonl", "--shard", "0/2"}).exit_code, 0);
    ASSERT_EQ(s.sweep({"b.yaml", "-o", "b.jsonl", "--shard", "1/2"}).exit_code, 0);
    expect_error(run_cli({"merge", "-o", "m.jsonl", "a.jsonl", "b.jsonl"}, in(s.d)), 2, "another sweep");
    EXPECT_FALSE(fs::exists(s.d / "m.jsonl"));
}

TEST(HostileSweeps, merge_refuses_a_torn_table_instead_of_losing_its_row) {
    TwoSweeps s;
    ASSERT_EQ(s.sweep({"a.yaml", "-o", "a.jsonl"}).exit_code, 0);
    const std::string t = read_file(s.d / "a.jsonl");
    s.d.write("torn.jsonl", t.substr(0, t.size() - 20));
    expect_error(run_cli({"merge", "-o", "m.jsonl", "torn.jsonl"}, in(s.d)), 2, "torn.jsonl:3");
}

TEST(HostileSweeps, resume_refuses_a_journal_of_another_sweep) {
    TwoSweeps s;
    ASSERT_EQ(s.sweep({"b.yaml", "-o", "b.jsonl"}).exit_code, 0);
    fs::copy_file(s.d / "b.jsonl", s.d / "a.jsonl.journal");
    expect_error(s.sweep({"a.yaml", "-o", "a.jsonl", "--resume"}), 2, "another sweep");
}

TEST(HostileSweeps, a_torn_row_is_recomputed_and_a_later_append_does_not_block_resumes) {
    TwoSweeps s;
    ASSERT_EQ(s.sweep({"a.yaml", "-o", "full.jsonl"}).exit_code, 0);
    const std::string full = read_file(s.d / "full.jsonl");
    const std::size_t first = full.find('\n') + 1;
    // A killed run left one whole row and a torn one; a second run, killed too, appended a row
    // to the torn line. Resuming drops the garbled line, recomputes its points, and finishes.
    s.d.write("r.jsonl.journal", full.substr(0, first) + full.substr(first, 30) + full.substr(first));
    const CliResult again = s.sweep({"a.yaml", "-o", "r.jsonl", "--resume"});
    ASSERT_EQ(again.exit_code, 0) << again.describe();
    EXPECT_NE(again.err.find("torn"), std::string::npos) << again.err;
    EXPECT_EQ(read_file(s.d / "r.jsonl"), full);
}

// ---- class 11: accepted when it should be refused ------------------------------------------------

TEST(HostileRefusals, jobs_beyond_32_bits_and_extends_as_an_axis) {
    TwoSweeps s;
    expect_error(s.sweep({"a.yaml", "-o", "a.jsonl", "--jobs", "4294967297"}), 2, "--jobs");
    s.d.write("e.yaml", "base: {machine: rtx-spark, model: llama-3.2-3b, prompt: 16, gen: 2}\naxes:\n  extends: [a.yaml]\n");
    expect_error(s.sweep({"e.yaml", "-o", "e.jsonl"}), 2, "e.yaml:3");
}

// ---- class 12: messages --------------------------------------------------------------------------

TEST(HostileMessages, sweep_axis_errors_name_the_value_line_and_its_point) {
    TwoSweeps s;
    s.d.write("bad.yaml", "base: {machine: rtx-spark, model: llama-3.2-3b, prompt: 16}\naxes:\n  prompt: [16, 32]\n  gen: [2, -5]\n");
    const CliResult r = s.sweep({"bad.yaml", "--list"});
    expect_error(r, 2, "bad.yaml:4");
    EXPECT_NE(r.err.find("point 1 (prompt=16,gen=-5)"), std::string::npos) << r.err;
}

TEST(HostileMessages, fit_context_errors_name_context_and_null_agents_name_their_file) {
    ScratchDir d("messages");
    const CliResult r = run_cli({"fit", "--machine", "rtx-spark", "--model", "llama-3.2-3b", "--context", "-1"}, in(d));
    expect_error(r, 2, "--context");
    EXPECT_EQ(r.err.find("'prompt'"), std::string::npos) << r.err;
    d.write("s.yaml", "machine: rtx-spark\nmodel: llama-3.2-3b\nprompt: 16\ngen: 2\nagents:\n  display:\n");
    const CliResult n = run_cli({"run", "s.yaml"}, in(d));
    expect_error(n, 2, "s.yaml:6");
    EXPECT_EQ(n.err.find("<input>"), std::string::npos) << n.err;
}

TEST(HostileMessages, an_infinite_estimate_is_not_printed_as_zero) {
    ScratchDir d("estimate");
    const CliResult r = run_cli({"run", "--machine", "rtx-spark", "--model", "llama-3.2-3b", "--prompt", "16", "--gen", "2", "--bin", "1e-300 s"}, in(d));
    EXPECT_EQ(r.signal, 0) << r.describe();
    EXPECT_EQ(r.err.find("at least 0 bins"), std::string::npos) << r.err;
}

// ---- class 6: budgets before the work ------------------------------------------------------------

TEST(HostileBudgets, a_4096_channel_machine_is_refused_before_it_runs) {
    ScratchDir d("channels");
    d.write("wide.yaml", "extends: " + spark() + "\nmemory:\n  unified:\n    channels: 4096\n");
    const CliResult r = run_cli({"run", "--machine", "wide.yaml", "--model", "llama-3.2-3b", "--prompt", "4096", "--gen", "4096"}, in(d));
    EXPECT_LT(r.wall_s, 10) << r.describe();
    expect_error(r, 3, "channels");
}

TEST(HostileBudgets, fit_refuses_a_prompt_trace_over_the_op_budget_quickly) {
    ScratchDir d("fit");
    const CliResult r = run_cli({"fit", "--machine", "rtx-spark", "--model", "llama-3.2-3b", "--context", "16000000", "--ubatch", "1"}, in(d));
    EXPECT_LT(r.wall_s, 10) << r.describe();
    EXPECT_EQ(r.signal, 0) << r.describe();
    EXPECT_NE(r.exit_code, 0) << r.describe();
}

// ---- class 10: names that collide in the HDF5 file -----------------------------------------------

TEST(HostileNames, colliding_storage_names_are_refused_at_load) {
    ScratchDir d("collide");
    d.write("s.yaml", "machine: rtx-spark\nmodel: llama-3.2-3b\nprompt: 16\ngen: 2\nagents:\n  model: {bandwidth: 1 GB/s}\n");
    expect_error(run_cli({"run", "s.yaml", "-o", "x.h5"}, in(d)), 2, "s.yaml:6");
    d.write("m.yaml", "extends: " + spark() + "\nmemory:\n  a/b: {standard: lpddr5x-8533, capacity: 1 GiB, channels: 1}\n"
                      "  a_b: {standard: lpddr5x-8533, capacity: 1 GiB, channels: 1}\n");
    expect_error(run_cli({"check", "m.yaml"}, in(d)), 2, "m.yaml:4");
    EXPECT_FALSE(fs::exists(d / "x.h5"));
}

}  // namespace
}  // namespace infersim::test
