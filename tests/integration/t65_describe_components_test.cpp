// `infersim describe components`: every axis of the registry with its implementations, printed
// from the same entries the loaders read, and an unknown topic refused with the list.
#include <gtest/gtest.h>

#include "integration/cli_runner.hpp"

namespace infersim::test {

TEST(CliDescribe, components_lists_every_axis_with_an_npu_and_mla) {
    CliResult r = run_cli({"describe", "components"});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    for (const char* want : {"compute units", "impl: gpu", "impl: cpu_simd", "impl: npu", "dispatch_overhead", "architecture",
                             "impl: llama", "impl: mla", "kv_lora_rank", "channel models", "impl: fast", "impl: detailed",
                             "queue_depth", "power models", "impl: actions", "DRAM standards", "lpddr5x-8533", "lpddr6-14400"})
        EXPECT_NE(r.out.find(want), std::string::npos) << "missing '" << want << "' in\n" << r.out;
}

TEST(CliDescribe, unknown_topic_is_a_usage_error_listing_the_topics) {
    CliResult r = run_cli({"describe", "widgets"});
    EXPECT_EQ(r.exit_code, 2) << r.describe();
    EXPECT_NE(r.err.find("components"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("'widgets'"), std::string::npos) << r.err;
}

}  // namespace infersim::test
