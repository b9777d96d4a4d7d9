// Whole-system power from the command line: a shipped machine's summary carries SoC, system,
// wall and peak power, the energy split (summing to energy_j exactly, in its JSON key order),
// per-phase energy per token and the named defaults; `describe power` lists the model; a
// machine whose power section lacks a unit is refused naming the file and power.units.
#include <gtest/gtest.h>

#include "integration/cli_checks.hpp"

namespace infersim::test {
namespace {

const std::string kMachine =
    "name: m\n"
    "memory:\n"
    "  lpddr: {standard: lpddr5x-8533, capacity: 64 GiB, channels: 16}\n"
    "compute:\n"
    "  gpu: {count: 8, clock: 1 GHz, memory: lpddr, vector: {fp16: 256}}\n"
    "  cpu: {kind: cpu, count: 4, clock: 2 GHz, memory: lpddr, vector: {fp32: 16}}\n"
    "power:\n"
    "  impl: system\n"
    "  units:\n"
    "    gpu: {idle: 1 W, active: 3 W}\n"
    "  memory:\n"
    "    lpddr: {phy: 1 pJ/bit, background: 1 W}\n";

}  // namespace

TEST(CliSystemPower, summary_reports_power_levels_and_an_exact_energy_split) {
    CliResult r = run_cli({"run", "--machine", "apple-m4-max", "--model", "llama-3.1-8b", "--prompt", "32", "--gen", "4", "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    const json j = parse_one_json_line(r);
    for (const char* key : {"soc_power_w", "system_power_w", "wall_power_w", "peak_power_w", "prefill.joules_per_token",
                            "decode.joules_per_token", "decode.system_power_w", "decode.wall_power_w", "energy_j", "joules_per_token"})
        ASSERT_NE(at(j, key), nullptr) << key;
    EXPECT_EQ(j["power_model"], "system");
    ASSERT_TRUE(j["power_defaults"].is_array());
    double sum = 0;
    for (const auto& [k, v] : j["energy_split_j"].items()) sum += v.get<double>();
    EXPECT_EQ(sum, j["energy_j"].get<double>());
    EXPECT_GT(j["energy_split_j"]["supply_loss"].get<double>(), 0);
    const double soc = j["soc_power_w"], sys = j["system_power_w"], wall = j["wall_power_w"];
    EXPECT_GT(soc, 0);
    EXPECT_LT(soc, sys);
    EXPECT_LT(sys, wall);
    EXPECT_DOUBLE_EQ(wall, j["avg_power_w"].get<double>());
    EXPECT_NE(j["energy_by_domain_j"].find("platform:display"), j["energy_by_domain_j"].end());
}

TEST(CliSystemPower, describe_power_lists_the_system_model_and_its_fields) {
    CliResult r = run_cli({"describe", "power"});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    for (const char* s : {"impl: system", "units", "supply", "parts"}) EXPECT_NE(r.out.find(s), std::string::npos) << s;
}

TEST(CliSystemPower, a_unit_without_power_figures_is_refused_with_file_and_field) {
    ScratchDir dir("system_power_missing");
    dir.write("m.yaml", kMachine);
    CliResult r = run_cli({"run", "--machine", "m.yaml", "--model", "llama-3.1-8b", "--prompt", "8", "--gen", "2"}, {dir.path()});
    expect_input_error(r, 2, "m.yaml", 10, "power.units");
    EXPECT_NE(r.err.find("'cpu'"), std::string::npos) << r.err;
}

}  // namespace infersim::test
