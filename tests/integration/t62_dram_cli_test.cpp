// The DRAM standards and channel models from the command line: `describe dram [NAME]`,
// `describe channel-models`, and a standard copied under a new name into a config root (no
// rebuild) streaming exactly as the original.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "integration/cli_runner.hpp"
#include "support/temp_dir.hpp"

namespace infersim::test {
namespace {

using infersim::test::slurp;

// The stream rows without the host-time fields.
nlohmann::json stream_rows(const CliResult& r) {
    nlohmann::json j = nlohmann::json::parse(r.out);
    for (const char* k : {"host_s", "requests_per_host_s", "commands_per_host_s", "machine"}) j.erase(k);
    return j;
}

}  // namespace

TEST(DramCli, describe_dram_lists_the_standards) {
    const CliResult r = run_cli({"describe", "dram"});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    for (const char* n : {"lpddr5x-8533", "lpddr6-14400", "hbm3e", "ddr5"}) EXPECT_NE(r.out.find(n), std::string::npos) << n;
}

TEST(DramCli, describe_dram_name_prints_resolved_values_in_units) {
    const CliResult r = run_cli({"describe", "dram", "lpddr5x-8533"});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_NE(r.out.find("8533 MT/s"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("32 B data of 32 B raw"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("17.066 GB/s data per channel (17.066 GB/s raw)"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("0.937537 ns"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("4.5 pJ/bit"), std::string::npos) << r.out;
    const CliResult bad = run_cli({"describe", "dram", "lpddr5x-8353"});
    EXPECT_EQ(bad.exit_code, 2) << bad.describe();
    EXPECT_NE(bad.err.find("did you mean 'lpddr5x-8533'"), std::string::npos) << bad.err;
}

TEST(DramCli, describe_channel_models_prints_the_registry) {
    const CliResult r = run_cli({"describe", "channel-models"});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_NE(r.out.find("impl: fast"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("impl: detailed"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("queue_depth"), std::string::npos) << r.out;
}

TEST(DramCli, a_standard_copied_into_a_config_root_streams_identically_without_rebuild) {
    ScratchDir root("dram_root");
    // ./configs in the working directory is a configuration root (after the shipped one).
    root.write("configs/dram/my-lp5x.yaml", slurp(source_dir() / "configs" / "dram" / "lpddr5x-8533.yaml"));
    std::string machine = slurp(source_dir() / "configs" / "machines" / "apple-m4-max.yaml");
    ASSERT_NE(machine.find("standard: lpddr5x-8533"), std::string::npos);
    machine.replace(machine.find("standard: lpddr5x-8533"), 22, "standard: my-lp5x");
    root.write("configs/machines/my-m4-max.yaml", machine);
    root.write("configs/machines/apple-m4-base.yaml", slurp(source_dir() / "configs" / "machines" / "apple-m4-base.yaml"));
    CliOptions opt;
    opt.cwd = root.path();
    const CliResult copy = run_cli({"stream", "--machine", "my-m4-max", "--json"}, opt);
    const CliResult orig = run_cli({"stream", "--machine", "apple-m4-max", "--json"});
    ASSERT_EQ(copy.exit_code, 0) << copy.describe();
    ASSERT_EQ(orig.exit_code, 0) << orig.describe();
    EXPECT_EQ(stream_rows(copy), stream_rows(orig));
}

}  // namespace infersim::test
