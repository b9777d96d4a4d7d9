// Overrides (config/overrides.hpp): --set and sweep axes over any field of the machine, model,
// runtime or scenario, layered on the document before its loader reads it.
#include <gtest/gtest.h>

#include "config/overrides.hpp"
#include "support/temp_dir.hpp"
#include "sweep/runner.hpp"

using namespace infersim;

namespace {

using test::TempDir;

config::Node doc(const std::string& yaml) { return config::Node(config::load_yaml_text(yaml, "m.yaml"), "m.yaml"); }

std::string error_of(const config::Node& root, const std::string& set, const std::string& document) {
    try {
        config::apply_overrides(root, {config::parse_set(set)}, document);
    } catch (const config::InputError& e) {
        return e.what();
    }
    return "";
}

const std::string kMachine = "memory:\n  unified: {channels: 8, capacity: 16 GiB}\n  other: {channels: 2}\nname: m\n";

}  // namespace

TEST(Overrides, paths_split_into_document_and_field) {
    const config::Override m = config::parse_set("machine.memory.unified.channels=16");
    EXPECT_EQ(m.document, "machine");
    EXPECT_EQ(m.path, "memory.unified.channels");
    EXPECT_EQ(m.value, "16");
    const config::Override s = config::parse_set("machine=rtx-spark");  // the scenario key, not the document
    EXPECT_EQ(s.document, "");
    EXPECT_EQ(s.path, "machine");
    EXPECT_EQ(config::parse_set("sim.chunk=4 MiB").document, "");
}

TEST(Overrides, a_layer_on_top_changes_one_field_and_keeps_the_rest) {
    const config::Node out = config::apply_overrides(doc(kMachine), {config::parse_set("machine.memory.unified.channels=32")}, "machine");
    EXPECT_EQ(out.child("memory").child("unified").child("channels").as_string(), "32");
    EXPECT_EQ(out.child("memory").child("unified").child("capacity").as_string(), "16 GiB");
    EXPECT_EQ(out.child("memory").child("other").child("channels").as_string(), "2");
    // An override of another document leaves this one alone.
    const config::Node same = config::apply_overrides(doc(kMachine), {config::parse_set("runtime.launch_overhead=5us")}, "machine");
    EXPECT_EQ(same.child("memory").child("unified").child("channels").as_string(), "8");
}

TEST(Overrides, bad_paths_name_the_argument_the_path_and_what_exists) {
    const config::Node m = doc(kMachine);
    const std::string typo = error_of(m, "machine.memory.unifed.channels=8", "machine");
    EXPECT_NE(typo.find("--set machine.memory.unifed.channels=8"), std::string::npos) << typo;
    EXPECT_NE(typo.find("no entry 'unifed'; it has: unified, other"), std::string::npos) << typo;
    const std::string whole = error_of(m, "machine.memory=3", "machine");
    EXPECT_NE(whole.find("is a mapping; name one of its fields: unified, other"), std::string::npos) << whole;
    const std::string through = error_of(m, "machine.name.x=3", "machine");
    EXPECT_NE(through.find("'machine.name' is a value"), std::string::npos) << through;
    EXPECT_NE(error_of(m, "noequals", "machine").find("expected PATH=VALUE"), std::string::npos);
    EXPECT_NE(error_of(m, "machine..x=1", "machine").find("dotted path"), std::string::npos);
}

TEST(Overrides, sweep_axes_over_machine_fields_reach_the_loader_and_are_checked_at_load) {
    TempDir t;
    const std::string good = t.write("s.yaml",
                                     "base: {machine: apple-m4-max, model: llama-3.2-3b, prompt: 16, gen: 4}\n"
                                     "axes:\n  machine.memory.unified.channels: [8, 16]\n  runtime.dispatch.per_dispatch: [\"2 us\", \"9 us\"]\n");
    const sweep::SweepSpec s = sweep::SweepSpec::load(good);
    ASSERT_EQ(s.size(), 4u);
    const config::ScenarioSpec sc = s.scenario(s.point(3));
    ASSERT_EQ(sc.overrides.size(), 2u);
    EXPECT_EQ(sc.overrides[0].document, "machine");
    EXPECT_EQ(sc.overrides[0].value, "16");
    EXPECT_EQ(sc.overrides[1].document, "runtime");
    const std::string bad = t.write("b.yaml",
                                    "base: {machine: apple-m4-max, model: llama-3.2-3b}\n"
                                    "axes:\n  machine.memory.unified.channels: [8, zero]\n");
    try {
        sweep::SweepSpec::load(bad);
        FAIL() << "a bad machine value was accepted";
    } catch (const config::InputError& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("b.yaml:3:"), std::string::npos) << what;  // the axis value's line
        EXPECT_NE(what.find("channels"), std::string::npos) << what;
        EXPECT_NE(what.find("zero"), std::string::npos) << what;
    }
}

TEST(Overrides, more_channels_never_slow_memory_bound_decode) {
    TempDir t;
    const sweep::SweepSpec s = sweep::SweepSpec::load(t.write(
        "c.yaml", "base: {machine: apple-m4-max, model: llama-3.1-8b, prompt: 16, gen: 8}\n"
                  "axes:\n  machine.memory.unified.channels: [2, 4, 8, 16, 32]\n"));
    double previous = 0;
    for (std::uint64_t i = 0; i < s.size(); ++i) {
        const nlohmann::json row = sweep::run_point(s, s.point(i), config::default_search_paths());
        ASSERT_EQ(row["status"], "ok") << row.dump();
        ASSERT_EQ(row["summary"]["decode"]["bound"], "memory") << s.point(i).key;
        const double tps = row["summary"]["decode"]["tokens_per_s"].get<double>();
        EXPECT_GE(tps, previous) << s.point(i).key;
        if (i > 0 && i < 3) EXPECT_GT(tps, 1.5 * previous) << s.point(i).key;  // far from any other limit, doubling helps
        previous = tps;
    }
}
