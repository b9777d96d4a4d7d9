// SpecCache (scenario/spec_cache.hpp): a sweep worker loads each machine, model and runtime
// file once per set of overrides aimed at it; a cached spec runs exactly as a fresh load.
#include <gtest/gtest.h>

#include "config/errors.hpp"
#include "output/summary.hpp"
#include "scenario/spec_cache.hpp"
#include "support/inputs.hpp"

namespace infersim {
namespace {

std::string summary_of(const scenario::Inputs& in) {
    nlohmann::json j = output::to_json(scenario::run(in).summary);
    j["sim"].erase("wall_s");
    return j.dump();
}

TEST(SpecCache, loads_each_document_once_and_gives_what_a_fresh_load_gives) {
    scenario::SpecCache cache;
    config::ScenarioSpec s = test::shipped_scenario("apple-m4-max", "llama-3.2-3b", "q4_k_m", 32, 8);
    s.sim.fidelity = config::Fidelity::rapid;
    const scenario::Inputs first = scenario::resolve_inputs(s, test::config_paths(), cache);
    EXPECT_EQ(cache.loads(), 3u);  // machine, model, runtime
    s.prompt = 64;                 // a scenario key: nothing to load again
    s.quant = "q8_0";
    const scenario::Inputs again = scenario::resolve_inputs(s, test::config_paths(), cache);
    EXPECT_EQ(cache.loads(), 3u);
    EXPECT_EQ(summary_of(again), summary_of(scenario::resolve_inputs(s, test::config_paths())));
    EXPECT_EQ(again.machine.pools.at(0).channels, first.machine.pools.at(0).channels);

    // An override aimed at the machine is a machine of its own; the model and runtime stay.
    s.overrides.push_back(config::parse_set("machine.memory.unified.channels=16"));
    const scenario::Inputs narrow = scenario::resolve_inputs(s, test::config_paths(), cache);
    EXPECT_EQ(cache.loads(), 4u);
    EXPECT_EQ(narrow.machine.pools.at(0).channels, 16);
    EXPECT_EQ(summary_of(narrow), summary_of(scenario::resolve_inputs(s, test::config_paths())));
    (void)scenario::resolve_inputs(s, test::config_paths(), cache);
    EXPECT_EQ(cache.loads(), 4u);
}

TEST(SpecCache, a_failed_load_is_not_kept) {
    scenario::SpecCache cache;
    config::ScenarioSpec s = test::shipped_scenario("apple-m4-max", "llama-3.2-3b", "q4_k_m", 32, 8);
    s.overrides.push_back(config::parse_set("machine.memory.unified.channels=-3"));
    EXPECT_THROW((void)scenario::resolve_inputs(s, test::config_paths(), cache), config::InputError);
    EXPECT_THROW((void)scenario::resolve_inputs(s, test::config_paths(), cache), config::InputError);
    EXPECT_EQ(cache.loads(), 0u);
}

TEST(SpecCache, keeps_at_most_its_bound_per_kind) {
    scenario::SpecCache cache;
    int loads = 0;
    auto load = [&] {
        ++loads;
        return config::MachineSpec{};
    };
    for (std::size_t i = 0; i <= scenario::SpecCache::kMaxEntries; ++i)
        (void)cache.machine("m" + std::to_string(i), {}, load);
    (void)cache.machine("m0", {}, load);  // the oldest was dropped: loaded again
    (void)cache.machine("m5", {}, load);  // still kept
    EXPECT_EQ(loads, static_cast<int>(scenario::SpecCache::kMaxEntries) + 2);
}

}  // namespace
}  // namespace infersim
