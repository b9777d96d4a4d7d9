// The command with prefill GEMM kernel models: `describe kernels` lists them, the new runtime
// profiles check and run (llama.cpp-hip, llama.cpp-vulkan-amdvlk on Strix Halo), and the A100
// PCIe machine runs slower prompt processing than the SXM part only by its memory, not by
// its MMQ rate (same SMs, same sustained clock).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "integration/cli_runner.hpp"

namespace infersim::test {
namespace {

using nlohmann::json;

double pp(const std::string& machine, const std::string& runtime) {
    std::vector<std::string> args = {"bench", "--machine", machine, "--model", "llama-2-7b", "--quant", "q4_0", "-p", "512", "-n", "16", "--json"};
    if (!runtime.empty()) args.insert(args.end(), {"--runtime", runtime});
    const CliResult r = run_cli(args);
    EXPECT_EQ(r.exit_code, 0) << r.describe();
    if (r.exit_code != 0) return 0;
    return json::parse(r.out)["pp_tokens_per_s"].get<double>();
}

TEST(CliGemmKernels, describe_kernels_lists_every_model_and_the_runtime_schema_names_the_block) {
    const CliResult k = run_cli({"describe", "kernels"});
    ASSERT_EQ(k.exit_code, 0) << k.describe();
    for (const char* word : {"impl: mmq", "impl: blas", "impl: metal_mul_mm", "impl: vulkan_coopmat", "int8_rate"})
        EXPECT_NE(k.out.find(word), std::string::npos) << word << " missing from:\n" << k.out;
    const CliResult r = run_cli({"describe", "runtime"});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_NE(r.out.find("prefill_kernel"), std::string::npos) << r.out;
    const CliResult m = run_cli({"describe", "machine"});
    EXPECT_NE(m.out.find("sustained_clock"), std::string::npos) << m.out;
}

TEST(CliGemmKernels, new_runtime_profiles_and_the_a100_pcie_machine_check) {
    const std::string dir = std::string(INFERSIM_SOURCE_DIR) + "/configs/";
    const CliResult r = run_cli({"check", dir + "runtimes/llama.cpp-hip.yaml", dir + "runtimes/llama.cpp-vulkan-amdvlk.yaml",
                                 dir + "machines/nvidia-a100-pcie-80gb.yaml"});
    EXPECT_EQ(r.exit_code, 0) << r.describe();
}

TEST(CliGemmKernels, strix_halo_runs_vulkan_by_default_and_hip_and_amdvlk_on_request) {
    const double radv = pp("amd-strix-halo", ""), vulkan = pp("amd-strix-halo", "llama.cpp-vulkan");
    const double amdvlk = pp("amd-strix-halo", "llama.cpp-vulkan-amdvlk"), hip = pp("amd-strix-halo", "llama.cpp-hip");
    EXPECT_DOUBLE_EQ(radv, vulkan);  // the machine's default runtime
    EXPECT_GT(radv, amdvlk);         // the medium tile under AMDVLK's 32 KiB
    EXPECT_GT(hip, 0);
}

TEST(CliGemmKernels, a100_pcie_prompt_processing_is_close_to_the_sxm_part) {
    const double sxm = pp("nvidia-a100-sxm-80gb", ""), pcie = pp("nvidia-a100-pcie-80gb", "");
    EXPECT_LE(pcie, sxm);
    EXPECT_GT(pcie, 0.9 * sxm);  // MMQ-bound: same SMs and sustained clock; only the passes see the slower HBM
}

}  // namespace
}  // namespace infersim::test
