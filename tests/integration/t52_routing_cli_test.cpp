// `--routing` on the command line (issue 9): the modes change batched MoE decode as the
// expert-read rule says, a histogram file is read, and bad values are input errors.
#include <gtest/gtest.h>

#include "integration/cli_checks.hpp"
#include "integration/cli_runner.hpp"

namespace infersim::test {
namespace {

std::vector<std::string> moe_run(const std::string& batch) {
    return {"run", "--machine", "apple-m4-max", "--model", "qwen3-30b-a3b", "--prompt", "8", "--gen", "3", "--batch", batch, "--json"};
}

double decode_tps(const CliResult& r) {
    const json j = parse_one_json_line(r);
    const json* v = at(j, "decode.tokens_per_s");
    return v && v->is_number() ? v->get<double>() : -1;
}

TEST(RoutingCli, identical_routing_reads_fewer_experts_at_32_sequences) {
    const CliResult independent = run_cli(cat(moe_run("32"), {"--routing", "independent"}), {{}, 120});
    const CliResult identical = run_cli(cat(moe_run("32"), {"--routing", "identical"}), {{}, 120});
    ASSERT_EQ(independent.exit_code, 0) << independent.describe();
    ASSERT_EQ(identical.exit_code, 0) << identical.describe();
    EXPECT_GT(decode_tps(identical), 1.5 * decode_tps(independent));
    // The default is independent.
    const CliResult plain = run_cli(moe_run("32"), {{}, 120});
    EXPECT_DOUBLE_EQ(decode_tps(plain), decode_tps(independent));
}

TEST(RoutingCli, histogram_file_from_the_working_directory) {
    ScratchDir dir("routing_hist");
    // Every token's 8 picks among the same 8 experts: as few reads as identical routing.
    std::string row = "[";
    for (int e = 0; e < 128; ++e) row += std::string(e ? ", " : "") + (e < 8 ? "1" : "0");
    dir.write("pop.yaml", "histogram: " + row + "]\n");
    const CliResult hist = run_cli(cat(moe_run("32"), {"--routing", "pop.yaml"}), {dir.path(), 120});
    const CliResult identical = run_cli(cat(moe_run("32"), {"--routing", "identical"}), {dir.path(), 120});
    ASSERT_EQ(hist.exit_code, 0) << hist.describe();
    // Same expert reads; the histogram's prefill differs a little, shifting decode's DRAM refresh phase.
    EXPECT_NEAR(decode_tps(hist), decode_tps(identical), 1e-4 * decode_tps(identical));
}

TEST(RoutingCli, bad_routing_values_are_input_errors) {
    ScratchDir dir("routing_bad");
    expect_input_error(run_cli(cat(moe_run("2"), {"--routing", "skewed"}), {dir.path()}), 2, "", 0, "routing");
    dir.write("few.yaml", "histogram: [1, 1, 1]\n");  // 3 experts for a 128-expert model
    const CliResult few = run_cli(cat(moe_run("2"), {"--routing", "few.yaml"}), {dir.path()});
    expect_input_error(few, 2, "", 0, "routing");
    EXPECT_NE(few.err.find("128"), std::string::npos) << few.err;
    dir.write("s.yaml", "machine: apple-m4-max\nmodel: qwen3-30b-a3b\nprompt: 8\ngen: 2\nrouting: {histogram: [1, x]}\n");
    expect_input_error(run_cli({"run", "s.yaml"}, {dir.path()}), 2, "s.yaml", 5, "routing.histogram[1]");
}

}  // namespace
}  // namespace infersim::test
