// Models that do not fit: refused with the shortfall (exit 2) by bench and run; -ngl N keeps
// the other layers in host memory and runs them on the host CPU. And `batched-bench`.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "integration/cli_checks.hpp"
#include "integration/cli_runner.hpp"

namespace infersim::test {
namespace {

const std::vector<std::string> k70b = {"--machine", "nvidia-rtx-4090", "--model", "llama-2-70b", "--quant", "q4_k_m"};

TEST(CliFitOffload, seventy_b_with_all_layers_on_a_24_gb_card_is_refused) {
    CliResult b = run_cli(cat(cat({"bench"}, k70b), {"-ngl", "99", "-n", "16", "-p", "64"}));
    EXPECT_EQ(b.exit_code, 2) << b.describe();
    EXPECT_NE(b.err.find("does not fit in nvidia-rtx-4090's vram (24.00 GiB)"), std::string::npos) << b.err;
    EXPECT_NE(b.err.find("GiB short"), std::string::npos) << b.err;
    EXPECT_EQ(b.out, "");
    CliResult r = run_cli(cat(cat({"run"}, k70b), {"--prompt", "64", "--gen", "4"}));
    EXPECT_EQ(r.exit_code, 2) << r.describe();
    EXPECT_NE(r.err.find("GiB short"), std::string::npos) << r.err;
}

TEST(CliFitOffload, seventy_b_with_forty_layers_on_the_card_runs_at_a_few_tokens_per_s) {
    CliResult r = run_cli(cat(cat({"bench"}, k70b), {"-ngl", "40", "-p", "64", "-n", "16", "-o", "jsonl"}));
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    std::istringstream in(r.out);
    std::string pp, tg;
    std::getline(in, pp);
    std::getline(in, tg);
    const json t = json::parse(tg);
    EXPECT_EQ(t["n_gpu_layers"], 40);
    EXPECT_GT(t["avg_ts"].get<double>(), 1.0);
    EXPECT_LT(t["avg_ts"].get<double>(), 10.0);
    CliResult run = run_cli(cat(cat({"run"}, k70b), {"--gpu-layers", "40", "--prompt", "64", "--gen", "4", "--json"}));
    ASSERT_EQ(run.exit_code, 0) << run.describe();
}

TEST(CliBatchedBench, prints_llama_batched_benchs_table) {
    CliResult r = run_cli({"batched-bench", "--machine", "nvidia-rtx-4090", "--model", "llama-2-7b", "--quant", "q4_0", "-npp", "128",
                           "-ntg", "16", "-npl", "1,4", "-c", "4096"});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_NE(r.out.find("|    PP |     TG |    B |   N_KV |   T_PP s | S_PP t/s |   T_TG s | S_TG t/s |      T s |    S t/s |"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("|   128 |     16 |    1 |    144 |"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("|   128 |     16 |    4 |    576 |"), std::string::npos) << r.out;
    CliResult j = run_cli({"batched-bench", "--machine", "nvidia-rtx-4090", "--model", "llama-2-7b", "--quant", "q4_0", "-npp", "128",
                           "-ntg", "16", "-npl", "1,4", "--output-format", "jsonl"});
    ASSERT_EQ(j.exit_code, 0) << j.describe();
    std::istringstream in(j.out);
    std::string a, b;
    std::getline(in, a);
    std::getline(in, b);
    const json one = json::parse(a), four = json::parse(b);
    EXPECT_EQ(four["pl"], 4);
    // Four sequences decode together for about the cost of one: weights are read once per step.
    EXPECT_GT(four["speed_tg"].get<double>(), 2.5 * one["speed_tg"].get<double>());
}

}  // namespace
}  // namespace infersim::test
