// `infersim battery` from the command line: the contract keys, hours = usable Wh / average power,
// tokens per charge consistent with the simulated tokens/s, chat and trace patterns, errors.
#include <gtest/gtest.h>

#include "integration/cli_checks.hpp"
#include "support/temp_dir.hpp"

namespace infersim::test {
namespace {

const std::vector<std::string> kM4 = {"battery", "--machine", "apple-m4-max", "--model", "llama-3.1-8b", "--quant", "q4_k_m",
                                      "--json", "--no-wall-time"};

}  // namespace

TEST(CliBattery, json_has_the_contract_keys_and_hours_is_usable_over_power) {
    const CliResult r = run_cli(kM4, {{}, 120});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    const json j = parse_one_json_line(r);
    for (const char* k : {"battery_wh", "usable_wh", "avg_power_w", "hours", "tokens_per_charge", "wh_per_1000_tokens", "energy_by_use_j", "throttling"})
        EXPECT_TRUE(j.contains(k)) << k;
    EXPECT_DOUBLE_EQ(j["battery_wh"].get<double>(), 99.6);
    EXPECT_NEAR(j["hours"].get<double>(), j["usable_wh"].get<double>() / j["avg_power_w"].get<double>(), 1e-12 * j["hours"].get<double>());
    // Continuous generation: tokens per charge = hours x the simulated request's tokens/s.
    EXPECT_NEAR(j["tokens_per_charge"].get<double>(), j["hours"].get<double>() * 3600 * j["active_tokens_per_s"].get<double>(),
                1e-9 * j["tokens_per_charge"].get<double>());
    EXPECT_EQ(j["usage"], "continuous");
}

TEST(CliBattery, chat_lasts_longer_than_continuous_and_eight_hours_simulate_in_seconds) {
    const CliResult cont = run_cli(kM4, {{}, 120});
    const CliResult chat = run_cli(cat(kM4, {"--usage", "chat", "--requests-per-hour", "20"}), {{}, 120});
    ASSERT_EQ(chat.exit_code, 0) << chat.describe();
    const json a = parse_one_json_line(cont), b = parse_one_json_line(chat);
    EXPECT_GT(b["hours"].get<double>(), 8.0);
    EXPECT_GT(b["hours"].get<double>(), a["hours"].get<double>());
    EXPECT_NEAR(b["requests_per_charge"].get<double>(), b["hours"].get<double>() * 20, 1e-6 * b["requests_per_charge"].get<double>());
    EXPECT_EQ(b["sim"]["shapes_simulated"], 1);   // one request shape simulated; idle advanced analytically
}

TEST(CliBattery, a_trace_file_drives_the_pattern_and_bad_usage_is_refused) {
    TempDir dir;
    const std::string trace = dir.write("reqs.csv", "at_s,prompt,gen\n0,256,64\n120,512,32\n");
    const CliResult r = run_cli(cat(kM4, {"--usage", trace}), {{}, 120});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    const json j = parse_one_json_line(r);
    EXPECT_EQ(j["usage"], "trace");
    EXPECT_EQ(j["sim"]["shapes_simulated"], 2);
    const CliResult bad = run_cli(cat(kM4, {"--usage", "sometimes"}));
    EXPECT_EQ(bad.exit_code, 2) << bad.describe();
    const CliResult none = run_cli({"battery", "--machine", "nvidia-rtx-4090", "--model", "llama-3.1-8b", "--json"});
    EXPECT_EQ(none.exit_code, 2) << none.describe();
    EXPECT_NE(none.err.find("battery"), std::string::npos) << none.err;
}

}  // namespace infersim::test
