// Routing as a scenario input (issue 9): `routing:` in scenario YAML (a mode, an inline
// histogram, a histogram file), its errors, and batched MoE decode following from it.
#include <gtest/gtest.h>

#include "config/scenario_spec.hpp"
#include "support/inputs.hpp"
#include "support/temp_dir.hpp"

using namespace infersim;

namespace {

config::ScenarioSpec scenario_text(const std::string& text, const std::string& file = "s.yaml") {
    return config::read_scenario(config::Node(config::load_yaml_text(text, file), file));
}

const std::string kBase = "machine: m\nmodel: x\n";

}  // namespace

TEST(Routing, defaults_to_independent_and_reads_the_two_modes) {
    EXPECT_EQ(scenario_text(kBase).routing.mode, config::Routing::independent);
    EXPECT_EQ(scenario_text(kBase + "routing: independent\n").routing.mode, config::Routing::independent);
    EXPECT_EQ(scenario_text(kBase + "routing: identical\n").routing.mode, config::Routing::identical);
}

TEST(Routing, inline_histogram_one_row_or_one_per_layer) {
    const config::RoutingSpec one = scenario_text(kBase + "routing: {histogram: [3, 1, 0, 2]}\n").routing;
    EXPECT_EQ(one.mode, config::Routing::histogram);
    ASSERT_EQ(one.histogram.size(), 1u);
    EXPECT_EQ(one.histogram[0], (std::vector<double>{3, 1, 0, 2}));
    const config::RoutingSpec rows = scenario_text(kBase + "routing:\n  histogram: [[1, 1], [2, 0]]\n").routing;
    ASSERT_EQ(rows.histogram.size(), 2u);
    EXPECT_EQ(rows.histogram[1], (std::vector<double>{2, 0}));
}

TEST(Routing, histogram_file_relative_to_the_scenario) {
    test::TempDir dir;
    dir.write("pop.yaml", "# expert popularity of one layer\nhistogram: [5, 5, 0, 0]\n");
    const std::string s = dir.write("s.yaml", kBase + "routing: pop.yaml\n");
    const config::ScenarioSpec spec = config::load_scenario(s);
    ASSERT_EQ(spec.routing.mode, config::Routing::histogram);
    EXPECT_EQ(spec.routing.histogram[0], (std::vector<double>{5, 5, 0, 0}));
    dir.write("t.yaml", kBase + "routing: {file: pop.yaml}\n");
    EXPECT_EQ(config::load_scenario(dir.path("t.yaml")).routing.histogram.size(), 1u);
}

TEST(Routing, bad_values_name_the_routing_field_and_line) {
    auto error = [](const std::string& text) {
        try {
            scenario_text(text);
        } catch (const config::InputError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    const std::string unknown = error(kBase + "routing: skewed\n");
    EXPECT_NE(unknown.find("s.yaml:3"), std::string::npos) << unknown;
    EXPECT_NE(unknown.find("routing"), std::string::npos) << unknown;
    EXPECT_NE(unknown.find("identical"), std::string::npos) << unknown;  // lists the choices
    EXPECT_NE(error(kBase + "routing: {histogram: [1, -2]}\n").find("routing.histogram[1]"), std::string::npos);
    EXPECT_NE(error(kBase + "routing: {histogram: [1, 2], file: x}\n").find("exactly one"), std::string::npos);
    EXPECT_NE(error(kBase + "routing: {histogram: [0, 0]}\n").find("positive"), std::string::npos);
}

TEST(Routing, histogram_for_the_wrong_model_is_refused_when_inputs_resolve) {
    config::ScenarioSpec s = test::shipped_scenario("apple-m4-max", "mixtral-8x7b", "q4_0", 8, 2);
    s.routing.mode = config::Routing::histogram;
    s.routing.histogram = {std::vector<double>(128, 1.0)};  // Mixtral has 8 experts
    s.routing.where = {"s.yaml", 4, 10};
    try {
        scenario::resolve_inputs(s, test::config_paths());
        FAIL() << "expected an InputError";
    } catch (const config::InputError& e) {
        EXPECT_EQ(e.field(), "routing");
        EXPECT_NE(std::string(e.what()).find("s.yaml:4"), std::string::npos) << e.what();
    }
}

TEST(Routing, batched_decode_follows_the_distinct_experts_read) {
    // Qwen3-30B-A3B on the Metal profile: below 32 tokens every (token, expert) pair is read,
    // so routing changes nothing at batch 8; at 32 tokens identical routing reads the k experts
    // of one token where independent reads E (1 - (1 - k/E)^32) ~ 109 of 128.
    auto decode = [](std::int64_t batch, config::Routing routing) {
        config::ScenarioSpec s = test::shipped_scenario("apple-m4-max", "qwen3-30b-a3b", "q4_k_m", 8, 3, batch);
        s.routing.mode = routing;
        return scenario::run(scenario::resolve_inputs(s, test::config_paths())).summary.decode.tokens_per_s;
    };
    // Equal reads; the prefill (64 tokens, above the threshold) differs, so decode starts at
    // another DRAM refresh phase: equal within 1e-4, not bit for bit.
    const double same = decode(8, config::Routing::independent);
    EXPECT_NEAR(decode(8, config::Routing::identical), same, 1e-4 * same);
    EXPECT_GT(decode(32, config::Routing::identical), 1.5 * decode(32, config::Routing::independent));
}
