// `--set PATH=VALUE` on the commands that take a scenario: the override reaches the machine,
// model and runtime loaders, and a bad one exits 2 naming the argument and the field.
#include <gtest/gtest.h>

#include "integration/cli_checks.hpp"
#include "integration/cli_runner.hpp"

namespace infersim::test {
namespace {

double decode_tps(const CliResult& r) {
    const json j = parse_one_json_line(r);
    const json* v = at(j, "decode.tokens_per_s");
    return v ? v->get<double>() : -1;
}

const std::vector<std::string> kBase = {"run", "--json", "--machine", "apple-m4-max", "--model", "llama-3.1-8b", "--prompt", "32", "--gen", "8"};

}  // namespace

TEST(SetOverride, machine_model_and_runtime_fields_change_the_result) {
    const CliResult base = run_cli(kBase);
    ASSERT_EQ(base.exit_code, 0) << base.describe();
    const CliResult fewer = run_cli(cat(kBase, {"--set", "machine.memory.unified.channels=8"}));
    ASSERT_EQ(fewer.exit_code, 0) << fewer.describe();
    EXPECT_LT(decode_tps(fewer), 0.5 * decode_tps(base));  // 8 of 32 channels: memory-bound decode slows
    const CliResult thinner = run_cli(cat(kBase, {"--set", "model.layers=16"}));
    ASSERT_EQ(thinner.exit_code, 0) << thinner.describe();
    EXPECT_GT(decode_tps(thinner), 1.5 * decode_tps(base));  // half the layers of 32
    const CliResult slow_launch = run_cli(cat(kBase, {"--set", "runtime.dispatch.per_dispatch=50 us"}));
    ASSERT_EQ(slow_launch.exit_code, 0) << slow_launch.describe();
    EXPECT_LT(decode_tps(slow_launch), decode_tps(base));
    const CliResult scenario = run_cli(cat(kBase, {"--set", "gen=4"}));
    ASSERT_EQ(scenario.exit_code, 0) << scenario.describe();
    EXPECT_EQ(at(parse_one_json_line(scenario), "decode.tokens")->get<int>(), 3);
}

TEST(SetOverride, bad_overrides_exit_2_naming_the_argument_and_the_field) {
    struct Case {
        std::string set, text;
    } cases[] = {
        {"machine.memory.unifed.channels=8", "has no entry 'unifed'; it has: unified"},
        {"machine.memory.unified.channels=abc", "--set machine.memory.unified.channels=abc: field 'memory.unified.channels'"},
        {"runtime.launch_overhed=1us", "did you mean 'launch_overhead'"},
        {"model.layers=0", "field 'layers'"},
        {"nothing", "expected PATH=VALUE"},
    };
    for (const Case& c : cases) {
        const CliResult r = run_cli(cat(kBase, {"--set", c.set}));
        EXPECT_EQ(r.exit_code, 2) << c.set << ": " << r.describe();
        EXPECT_NE(r.err.find(c.text), std::string::npos) << c.set << ": " << r.describe();
        EXPECT_TRUE(r.out.empty()) << c.set;
    }
}

TEST(SetOverride, bench_takes_set_too) {
    const CliResult r = run_cli({"bench", "--machine", "apple-m4-max", "--model", "llama-3.1-8b", "--set", "machine.memory.unifed.channels=8"});
    EXPECT_EQ(r.exit_code, 2) << r.describe();
    EXPECT_NE(r.err.find("no entry 'unifed'"), std::string::npos) << r.describe();
}

}  // namespace infersim::test
