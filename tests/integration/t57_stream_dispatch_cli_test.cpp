// The command with the decode stream and fixed per-step costs: `stream` shows a unit's stream
// limit and a two-die part's die crossing; `describe` prints the new machine and runtime
// fields; `bench` on the pre-CUDA-graphs profile is slower at decode than the current one.
#include <gtest/gtest.h>

#include "integration/cli_checks.hpp"

namespace infersim::test {
namespace {

double efficiency(const std::string& machine, const std::string& unit = "") {
    std::vector<std::string> args{"stream", "--machine", machine, "--size", "256 MiB", "--json"};
    if (!unit.empty()) args.insert(args.end(), {"--unit", unit});
    const CliResult r = run_cli(args);
    EXPECT_EQ(r.exit_code, 0) << r.describe();
    return parse_one_json_line(r)["efficiency"].get<double>();
}

TEST(CliStreamFabric, a_two_die_ultra_streams_below_its_single_die_max_and_says_why) {
    const CliResult r = run_cli({"stream", "--machine", "apple-m2-ultra", "--size", "256 MiB", "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    const json j = parse_one_json_line(r);
    EXPECT_EQ(j["unit"], "gpu");
    EXPECT_LT(j["fabric_factor"].get<double>(), 1.0);
    EXPECT_NEAR(j["unit_stream_gb_per_s"].get<double>(), 680 * j["fabric_factor"].get<double>(), 1e-6);
    EXPECT_LT(j["achieved_gb_per_s"].get<double>(), j["dram_gb_per_s"].get<double>());
    EXPECT_LT(efficiency("apple-m2-ultra"), efficiency("apple-m2-max"));
    // The memory model alone: both parts stream the same fraction of their peak.
    EXPECT_NEAR(efficiency("apple-m2-ultra", "none"), efficiency("apple-m2-max", "none"), 1e-3);
}

TEST(CliStreamFabric, an_unknown_unit_is_a_usage_error) {
    const CliResult r = run_cli({"stream", "--machine", "apple-m2-ultra", "--unit", "tpu"});
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.err.find("--unit"), std::string::npos) << r.err;
}

TEST(CliStreamFabric, describe_prints_the_stream_fabric_host_and_dispatch_fields) {
    const CliResult m = run_cli({"describe", "machine"});
    ASSERT_EQ(m.exit_code, 0) << m.describe();
    for (const char* word : {"stream_bandwidth", "fabric", "crossing_efficiency", "host_cpu", "single_thread", "d2h_bandwidth"})
        EXPECT_NE(m.out.find(word), std::string::npos) << word;
    const CliResult r = run_cli({"describe", "runtime"});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    for (const char* word : {"runtime.dispatch", "per_dispatch", "graph_dispatch", "small_kernel_cycles", "host_per_node"})
        EXPECT_NE(r.out.find(word), std::string::npos) << word;
}

TEST(CliStreamFabric, decode_without_cuda_graphs_is_slower_than_with_them) {
    auto tg = [](const std::string& runtime) {
        const CliResult r = run_cli({"bench", "--machine", "nvidia-h100-sxm", "--model", "llama-2-7b", "--quant", "q4_0", "-p", "0",
                                     "-n", "16", "--runtime", runtime, "--json"});
        EXPECT_EQ(r.exit_code, 0) << r.describe();
        return parse_one_json_line(r)["tg_tokens_per_s"].get<double>();
    };
    EXPECT_LT(tg("llama.cpp-cuda-2023"), tg("llama.cpp-cuda"));
}

}  // namespace
}  // namespace infersim::test
