// The command with compute-unit implementations: `describe units` lists them, `run --unit npu`
// runs a model on a shipped NPU, and the NPU-contention scenario shows the NPU job's traffic.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "integration/cli_runner.hpp"

namespace infersim::test {
namespace {

using nlohmann::json;

TEST(CliComputeUnits, describe_units_lists_every_implementation_with_the_npus_fields) {
    const CliResult r = run_cli({"describe", "units"});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    for (const char* word : {"impl: gpu", "impl: cpu_simd", "impl: npu", "dispatch_overhead", "native_weights"})
        EXPECT_NE(r.out.find(word), std::string::npos) << word << " missing from:\n" << r.out;
}

TEST(CliComputeUnits, run_on_the_snapdragon_npu_reports_unit_npu_and_beats_the_gpu_at_prefill) {
    const std::vector<std::string> args = {"run", "--machine", "qualcomm-snapdragon-x-elite", "--model", "llama-3.2-3b", "--quant", "q4_0",
                                           "--prompt", "128", "--gen", "16", "--json", "--no-wall-time"};
    std::vector<std::string> npu = args;
    npu.insert(npu.end(), {"--unit", "npu"});
    const CliResult on_npu = run_cli(npu), on_gpu = run_cli(args);
    ASSERT_EQ(on_npu.exit_code, 0) << on_npu.describe();
    ASSERT_EQ(on_gpu.exit_code, 0) << on_gpu.describe();
    const json n = json::parse(on_npu.out), g = json::parse(on_gpu.out);
    EXPECT_EQ(n["unit"], "npu");
    EXPECT_EQ(g["unit"], "gpu");  // the NPU does not change the default unit
    // 45 TOPS INT8 against a 4.6 TFLOPS GPU without a matrix unit: prompt processing is faster.
    EXPECT_GT(n["prefill"]["tokens_per_s"].get<double>(), 2 * g["prefill"]["tokens_per_s"].get<double>());
    EXPECT_GT(n["decode"]["tokens_per_s"].get<double>(), 0);
}

TEST(CliComputeUnits, npu_contention_scenario_shows_the_npu_jobs_traffic) {
    const CliResult r = run_cli({"run", std::string(INFERSIM_SOURCE_DIR) + "/scenarios/npu-contention.yaml", "--json", "--no-wall-time"});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    const json j = json::parse(r.out);
    EXPECT_EQ(j["unit"], "gpu");
    EXPECT_NE(r.out.find("npu_job"), std::string::npos);
}

}  // namespace
}  // namespace infersim::test
