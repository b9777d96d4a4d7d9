// Power models from the command line: `describe power` lists the registry, a machine file that
// names a power model explicitly runs like one that relies on the default, and an unknown one is
// refused at its file:line:col with the registered names.
#include <gtest/gtest.h>

#include "integration/cli_runner.hpp"

namespace infersim::test {
namespace {

const std::string kMachine =
    "name: m\n"
    "memory:\n"
    "  lpddr: {standard: lpddr5x-8533, capacity: 64 GiB, channels: 16}\n"
    "compute:\n"
    "  gpu: {count: 8, clock: 1 GHz, memory: lpddr, vector: {fp16: 256}, static_power: 2 W}\n"
    "power:\n"
    "  platform: 3 W\n";

const std::vector<std::string> kRun = {"--model", "llama-3.1-8b", "--prompt", "16", "--gen", "2", "--json", "--no-wall-time"};

std::vector<std::string> run_args(const std::string& machine) {
    std::vector<std::string> a{"run", "--machine", machine};
    a.insert(a.end(), kRun.begin(), kRun.end());
    return a;
}

}  // namespace

TEST(CliPower, describe_power_lists_the_registered_models) {
    CliResult r = run_cli({"describe", "power"});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_NE(r.out.find("impl: actions"), std::string::npos) << r.out;
}

TEST(CliPower, naming_the_default_model_changes_nothing) {
    ScratchDir dir("power_default");
    dir.write("default.yaml", kMachine);
    dir.write("named.yaml", kMachine + "  impl: actions\n");
    CliResult a = run_cli(run_args("default.yaml"), {dir.path()}), b = run_cli(run_args("named.yaml"), {dir.path()});
    ASSERT_EQ(a.exit_code, 0) << a.describe();
    ASSERT_EQ(b.exit_code, 0) << b.describe();
    EXPECT_EQ(a.out, b.out);
}

TEST(CliPower, unknown_power_model_names_file_line_column_and_the_registered_ones) {
    ScratchDir dir("power_unknown");
    dir.write("m.yaml", kMachine + "  impl: acions\n");
    CliResult r = run_cli({"check", "m.yaml"}, {dir.path()});
    EXPECT_EQ(r.exit_code, 2) << r.describe();
    EXPECT_EQ(one_line_error_problem(r.err), "") << r.describe();
    EXPECT_NE(r.err.find("m.yaml:8:9"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("power.impl"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("did you mean 'actions'"), std::string::npos) << r.err;
}

TEST(CliPower, check_builds_the_power_model_so_missing_figures_fail_there_not_at_run) {
    ScratchDir dir("power_check");
    // Loads (every field is well formed) but names no figures for the machine's pool.
    dir.write("m.yaml", "name: m\n"
                        "memory:\n  lpddr: {standard: lpddr5x-8533, capacity: 64 GiB, channels: 16}\n"
                        "compute:\n  gpu: {count: 8, clock: 1 GHz, memory: lpddr, vector: {fp16: 256}}\n"
                        "power:\n  impl: system\n  units:\n    gpu: {idle: 0.1 W, active: 1 W}\n"
                        "  memory:\n    other: {phy: 1 pJ/bit, background: 1 W}\n");
    CliResult r = run_cli({"check", "m.yaml"}, {dir.path()});
    EXPECT_EQ(r.exit_code, 2) << r.describe();
    EXPECT_NE(r.err.find("m.yaml:11:5"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("memory pool 'lpddr'"), std::string::npos) << r.err;
}

TEST(CliPower, check_tells_a_sweep_in_scenarios_from_a_scenario) {
    CliResult r = run_cli({"check", (source_dir() / "scenarios" / "sweep-laptops.yaml").string()});
    EXPECT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_NE(r.out.find("ok (sweep)"), std::string::npos) << r.out;
}

}  // namespace infersim::test
