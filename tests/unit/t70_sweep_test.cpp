// Sweeps: expansion, ranges, validation, and results that do not depend on how the sweep was
// run (threads, shards, resumption after a kill).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include "sweep/results.hpp"
#include "support/inputs.hpp"
#include "support/temp_dir.hpp"
#include "sweep/runner.hpp"

using namespace infersim;

namespace {

using test::TempDir;

using infersim::test::slurp;

const std::string kSweep =
    "base:\n  machine: rtx-spark\n  model: llama-3.2-3b\n  prompt: 32\n  gen: 4\n"
    "axes:\n  quant: [q4_0, q8_0, f16]\n  prompt: {from: 16, to: 64, factor: 2}\n";


std::string error_of(const TempDir& t, const std::string& yaml) {
    try {
        sweep::SweepSpec::load(t.write("bad.yaml", yaml));
    } catch (const config::InputError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST(Sweep, cross_expansion_varies_the_last_axis_fastest) {
    TempDir t;
    sweep::SweepSpec s = sweep::SweepSpec::load(t.write("s.yaml", kSweep));
    ASSERT_EQ(s.size(), 9u);
    EXPECT_EQ(s.point(0).key, "quant=q4_0,prompt=16");
    EXPECT_EQ(s.point(1).key, "quant=q4_0,prompt=32");
    EXPECT_EQ(s.point(3).key, "quant=q8_0,prompt=16");
    EXPECT_EQ(s.scenario(s.point(8)).prompt, 64);
    EXPECT_EQ(s.scenario(s.point(8)).quant, "f16");
}

TEST(Sweep, zip_mode_pairs_values) {
    TempDir t;
    sweep::SweepSpec s = sweep::SweepSpec::load(t.write(
        "z.yaml", "base: {machine: rtx-spark, model: llama-3.2-3b}\nmode: zip\naxes:\n  prompt: [16, 32]\n  gen: {from: 2, to: 4, step: 2}\n"));
    ASSERT_EQ(s.size(), 2u);
    EXPECT_EQ(s.point(1).key, "prompt=32,gen=4");
}

TEST(Sweep, bad_axis_value_names_the_point_and_field) {
    TempDir t;
    std::string e = error_of(t, "base: {machine: rtx-spark, model: llama-3.2-3b}\naxes:\n  prompt: [16, lots]\n");
    EXPECT_NE(e.find("bad.yaml"), std::string::npos) << e;
    EXPECT_NE(e.find("prompt"), std::string::npos) << e;
}

TEST(Sweep, huge_range_and_zip_length_mismatch_are_refused) {
    TempDir t;
    EXPECT_NE(error_of(t, "base: {machine: a, model: b}\naxes:\n  prompt: {from: 1, to: 1e12, step: 1}\n").find("more than"), std::string::npos);
    EXPECT_NE(error_of(t, "base: {machine: a, model: b}\nmode: zip\naxes:\n  prompt: [1, 2]\n  gen: [1]\n").find("zip"), std::string::npos);
    EXPECT_NE(error_of(t, "base: {machine: a, model: b}\naxes: {prompt: [1]}\nmodes: zip\n").find("did you mean 'mode'"), std::string::npos);
}

TEST(Sweep, table_is_identical_for_any_thread_count_and_any_sharding) {
    TempDir t;
    sweep::SweepSpec s = sweep::SweepSpec::load(t.write("s.yaml", kSweep));
    sweep::RunOptions one;
    one.output = t.path("one.jsonl");
    one.paths = test::config_paths();
    sweep::RunOptions two = one;
    two.output = t.path("two.jsonl");
    two.jobs = 2;
    sweep::run_sweep(s, one);
    sweep::run_sweep(s, two);
    EXPECT_EQ(slurp(one.output), slurp(two.output));
    sweep::Table merged;
    for (std::uint64_t k = 0; k < 3; ++k) {
        sweep::RunOptions shard = one;
        shard.output = t.path("shard" + std::to_string(k) + ".jsonl");
        shard.shard = k;
        shard.shards = 3;
        sweep::run_sweep(s, shard);
        sweep::read_rows(shard.output, merged);
    }
    sweep::write_rows(t.path("merged.jsonl"), merged);
    EXPECT_EQ(slurp(one.output), slurp(t.path("merged.jsonl")));
    const std::string table = slurp(one.output);
    EXPECT_EQ(std::count(table.begin(), table.end(), '\n'), 9);
}

TEST(Sweep, killed_sweep_resumes_with_nothing_lost_or_duplicated) {
    TempDir t;
    sweep::SweepSpec s = sweep::SweepSpec::load(t.write("s.yaml", kSweep));
    sweep::RunOptions full;
    full.output = t.path("full.jsonl");
    full.paths = test::config_paths();
    sweep::run_sweep(s, full);
    // A killed run: the journal holds four finished rows and a torn fifth line.
    std::string rows = slurp(full.output);
    std::size_t cut = 0;
    for (int i = 0; i < 4; ++i) cut = rows.find('\n', cut) + 1;
    sweep::RunOptions resumed = full;
    resumed.output = t.path("resumed.jsonl");
    resumed.resume = true;
    t.write("resumed.jsonl.journal", rows.substr(0, cut) + rows.substr(cut, 40));
    sweep::RunStats st = sweep::run_sweep(s, resumed);
    EXPECT_EQ(st.skipped, 4u);
    EXPECT_EQ(st.ran, 5u);
    EXPECT_EQ(slurp(resumed.output), rows);
    EXPECT_FALSE(std::filesystem::exists(resumed.output + ".journal"));
}

TEST(Sweep, failing_point_becomes_an_error_row_not_a_crash) {
    TempDir t;
    sweep::SweepSpec s = sweep::SweepSpec::load(
        t.write("f.yaml", "base: {machine: rtx-spark, model: llama-3.2-3b, prompt: 16, gen: 2}\naxes:\n  machine: [rtx-spark, no-such-machine]\n"));
    sweep::RunOptions o;
    o.output = t.path("f.jsonl");
    o.paths = test::config_paths();
    sweep::RunStats st = sweep::run_sweep(s, o);
    EXPECT_EQ(st.failed, 1u);
    sweep::Table table;
    sweep::read_rows(o.output, table);
    EXPECT_EQ(table.at(0)["status"], "ok");
    EXPECT_EQ(table.at(1)["status"], "error");
    EXPECT_NE(table.at(1)["error"].get<std::string>().find("unknown machine 'no-such-machine'"), std::string::npos);
}
