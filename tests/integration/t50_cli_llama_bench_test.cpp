// `infersim bench` speaks llama-bench: its flags, its markdown table with depth rows, its JSON
// fields; `--json` keeps infersim's contract.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "integration/cli_checks.hpp"
#include "integration/cli_runner.hpp"

namespace infersim::test {
namespace {

const std::vector<std::string> k7b = {"bench", "--machine", "nvidia-rtx-4090", "--model", "llama-2-7b", "--quant", "q4_0",
                                      "-p", "512", "-n", "128", "-d", "0,4096", "-ngl", "99"};

std::vector<std::string> lines_with(const std::string& text, const std::string& what) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);)
        if (l.find(what) != std::string::npos) out.push_back(l);
    return out;
}

double ts_of(const std::string& row) {
    // "| ... |     12345.67 ± 0.00 |": the number before the ±.
    const std::size_t pm = row.rfind("\xC2\xB1");
    const std::size_t bar = row.rfind('|', pm);
    return std::stod(row.substr(bar + 1, pm - bar - 1));
}

TEST(CliLlamaBench, markdown_has_llama_benchs_columns_and_depth_rows) {
    CliResult r = run_cli(cat(k7b, {"-fa", "1", "-o", "md"}));
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_EQ(r.out.substr(0, r.out.find('\n')),
              "| model                          |       size |     params | backend    | ngl | fa |            test |                  t/s |");
    const auto pp = lines_with(r.out, "pp512"), tg = lines_with(r.out, "tg128");
    ASSERT_EQ(pp.size(), 2u) << r.out;
    ASSERT_EQ(tg.size(), 2u) << r.out;
    EXPECT_NE(pp[1].find("|   pp512 @ d4096 |"), std::string::npos) << pp[1];
    EXPECT_NE(tg[1].find("|   tg128 @ d4096 |"), std::string::npos) << tg[1];
    EXPECT_EQ(pp[0].find("| llama 7B Q4_0                  |   3.56 GiB |     6.74 B | CUDA       |  99 |  1 |"), 0u) << pp[0];
    EXPECT_NE(pp[0].find(" ± 0.00 |"), std::string::npos);
    // At depth the prompt and every generated token attend to 4096 more positions.
    EXPECT_LT(ts_of(pp[1]), ts_of(pp[0]));
    EXPECT_LT(ts_of(tg[1]), ts_of(tg[0]));
    EXPECT_GT(ts_of(tg[0]), 50);
}

TEST(CliLlamaBench, flash_attention_off_is_slower_at_depth) {
    CliResult on = run_cli({"bench", "--machine", "nvidia-rtx-4090", "--model", "llama-2-7b", "--quant", "q4_0", "-p", "512", "-n", "0",
                            "-d", "4096", "-fa", "0,1", "-o", "jsonl"});
    ASSERT_EQ(on.exit_code, 0) << on.describe();
    const auto rows = lines_with(on.out, "{");
    ASSERT_EQ(rows.size(), 2u);
    const json off = json::parse(rows[0]), fa = json::parse(rows[1]);
    EXPECT_FALSE(off["flash_attn"].get<bool>());
    EXPECT_TRUE(fa["flash_attn"].get<bool>());
    EXPECT_LT(off["avg_ts"].get<double>(), fa["avg_ts"].get<double>());  // -fa 0: the scores go through DRAM
}

TEST(CliLlamaBench, json_output_has_llama_benchs_fields) {
    CliResult r = run_cli(cat(k7b, {"-fa", "1", "-o", "json", "-r", "3"}));
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    const json j = json::parse(r.out);
    ASSERT_TRUE(j.is_array());
    ASSERT_EQ(j.size(), 4u);
    for (const char* k : {"build_commit", "backends", "model_type", "model_size", "model_n_params", "n_batch", "n_ubatch", "n_prompt",
                          "n_gen", "n_depth", "n_gpu_layers", "flash_attn", "type_k", "type_v", "avg_ns", "stddev_ns", "avg_ts",
                          "stddev_ts", "samples_ns", "samples_ts", "test_time"})
        EXPECT_TRUE(j[0].contains(k)) << k;
    EXPECT_EQ(j[0]["model_type"], "llama 7B Q4_0");
    EXPECT_EQ(j[0]["backends"], "CUDA");
    EXPECT_EQ(j[0]["n_prompt"], 512);
    EXPECT_EQ(j[2]["n_depth"], 4096);
    EXPECT_EQ(j[3]["n_gen"], 128);
    EXPECT_EQ(j[0]["n_gpu_layers"], 99);
    EXPECT_EQ(j[0]["type_k"], "f16");
    EXPECT_EQ(j[0]["stddev_ts"], 0.0);
    EXPECT_EQ(j[0]["samples_ns"].size(), 3u);
    EXPECT_NEAR(j[0]["avg_ts"].get<double>(), 512e9 / j[0]["avg_ns"].get<double>(), 1e-3);
}

TEST(CliLlamaBench, json_flag_keeps_infersims_contract) {
    CliResult r = run_cli({"bench", "--machine", "nvidia-rtx-4090", "--model", "llama-2-7b", "--quant", "q4_0", "-p", "512", "-n", "32", "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    const json j = parse_one_json_line(r);
    std::vector<std::string> keys;
    for (auto it = j.begin(); it != j.end(); ++it) keys.push_back(it.key());
    std::sort(keys.begin(), keys.end());
    EXPECT_EQ(keys, (std::vector<std::string>{"machine", "model", "n", "p", "params", "pp_tokens_per_s", "quant", "runtime",
                                              "tg_tokens_per_s", "unit", "weights_bytes"}));
}

TEST(CliLlamaBench, bad_ranges_are_refused_naming_the_flag) {
    CliResult r = run_cli({"bench", "--machine", "nvidia-rtx-4090", "--model", "llama-2-7b", "-p", "128x"});
    EXPECT_EQ(r.exit_code, 2) << r.describe();
    EXPECT_NE(r.err.find("-p"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace infersim::test
