// Per-point timeline files of a resumable sweep (sweep/point_timelines.hpp): a killed run's
// journal rows keep their point only when the point's timeline file is there and of this
// sweep; otherwise the point runs again, and the table is the uninterrupted run's, byte for byte.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "scenario/scenario_run.hpp"
#include "support/inputs.hpp"
#include "support/temp_dir.hpp"
#include "sweep/point_timelines.hpp"
#include "sweep/runner.hpp"

using namespace infersim;

namespace {

using infersim::test::slurp;

const std::string kSweep = "base: {machine: rtx-spark, model: llama-3.2-3b, prompt: 16, gen: 2}\naxes:\n  quant: [q4_0, q8_0, f16]\n";

// What a run killed after finishing point 1 leaves: its journal row and, when `file` is set,
// its timeline file (written as a sweep with identity `id` would).
void killed_after_point_1(const sweep::SweepSpec& s, const std::string& output, bool file, const std::string& id) {
    const sweep::Point p = s.point(1);
    std::ofstream(output + ".journal", std::ios::binary) << sweep::dump_row(sweep::run_point(s, p, test::config_paths())) << "\n";
    if (!file) return;
    const scenario::Inputs in = scenario::resolve_inputs(s.scenario(p), test::config_paths());
    const scenario::RunOutput out = scenario::run(in);
    sweep::prepare_timeline_dir(output, false);
    sweep::write_point_timeline(sweep::timeline_file(output, 1), *out.recorder, in.machine, &out.thermal, id, p.key);
}

sweep::RunOptions with_timelines(const test::TempDir& t, const std::string& name) {
    sweep::RunOptions o;
    o.output = t.path(name);
    o.paths = test::config_paths();
    o.timelines = true;
    return o;
}

}  // namespace

TEST(PointTimelines, a_resume_keeps_a_point_only_with_its_timeline_file_of_this_sweep) {
    test::TempDir t;
    const sweep::SweepSpec s = sweep::SweepSpec::load(t.write("s.yaml", kSweep));
    sweep::RunOptions full = with_timelines(t, "full.h5");
    full.jobs = 2;
    sweep::run_sweep(s, full);
    EXPECT_FALSE(std::filesystem::exists(sweep::timeline_dir(full.output)));
    struct Case {
        const char* name;
        bool file;
        std::string id;
        std::uint64_t skipped;
    };
    for (const Case& c : {Case{"kept.h5", true, s.identity(), 1}, Case{"missing.h5", false, s.identity(), 0},
                          Case{"foreign.h5", true, "0123456789abcdef", 0}}) {
        sweep::RunOptions resumed = full;
        resumed.output = t.path(c.name);
        resumed.resume = true;
        killed_after_point_1(s, resumed.output, c.file, c.id);
        const sweep::RunStats st = sweep::run_sweep(s, resumed);
        EXPECT_EQ(st.skipped, c.skipped) << c.name;
        EXPECT_EQ(st.ran, 3 - c.skipped) << c.name;
        EXPECT_EQ(slurp(resumed.output), slurp(full.output)) << c.name;
        EXPECT_FALSE(std::filesystem::exists(sweep::timeline_dir(resumed.output))) << c.name;
    }
}

TEST(PointTimelines, a_fresh_run_clears_point_files_but_nothing_else_in_the_directory) {
    test::TempDir t;
    const sweep::SweepSpec s = sweep::SweepSpec::load(t.write("s.yaml", kSweep));
    const sweep::RunOptions o = with_timelines(t, "r.h5");
    std::filesystem::create_directories(sweep::timeline_dir(o.output));
    t.write("r.h5.timelines/7.h5", "stale");
    t.write("r.h5.timelines/notes.txt", "the user's");
    sweep::run_sweep(s, o);
    EXPECT_FALSE(std::filesystem::exists(t.path("r.h5.timelines/7.h5")));
    EXPECT_TRUE(std::filesystem::exists(t.path("r.h5.timelines/notes.txt")));
    EXPECT_EQ(sweep::table_timelines(o.output).size(), 3u);
}

TEST(PointTimelines, an_error_row_has_no_timeline_and_the_ok_rows_keep_theirs) {
    test::TempDir t;
    const sweep::SweepSpec s = sweep::SweepSpec::load(
        t.write("f.yaml", "base: {machine: rtx-spark, model: llama-3.2-3b, prompt: 16, gen: 2}\naxes:\n  machine: [no-such-machine, rtx-spark]\n"));
    const sweep::RunOptions o = with_timelines(t, "f.h5");
    EXPECT_EQ(sweep::run_sweep(s, o).failed, 1u);
    const sweep::TimelineSources tl = sweep::table_timelines(o.output);
    ASSERT_EQ(tl.size(), 1u);
    EXPECT_EQ(tl.begin()->first, 1u);
    EXPECT_EQ(tl.begin()->second.group, "points/1/timeline");
}
