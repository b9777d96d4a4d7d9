// Sweep tables as data and on clusters: a sweep over machine.memory.unified.channels x
// data_rate x quant gives the same table (JSONL and HDF5, byte for byte) with one thread, two
// threads, or two shards merged; merge --sweep names missing points; --emit-slurm prints an
// array script with a dependent merge.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "integration/cli_runner.hpp"
#include "support/temp_dir.hpp"

namespace infersim::test {
namespace {

CliOptions in(const ScratchDir& d) { return CliOptions{d.path(), 60, 4ull << 30}; }

using infersim::test::slurp;

const std::string kSweep =
    "base: {machine: apple-m4-max, model: llama-3.2-3b, prompt: 16, gen: 4}\n"
    "axes:\n  machine.memory.unified.channels: [8, 16]\n  machine.memory.unified.data_rate: [\"6400 MT/s\", \"8533 MT/s\"]\n"
    "  quant: [q4_0, q8_0]\n";

CliResult ok(const std::vector<std::string>& args, const ScratchDir& d) {
    CliResult r = run_cli(args, in(d));
    EXPECT_EQ(r.exit_code, 0) << r.describe();
    return r;
}

}  // namespace

TEST(SweepTables, threads_shards_and_merges_give_identical_tables_in_every_format) {
    ScratchDir d("tables");
    d.write("s.yaml", kSweep);
    ok({"sweep", "s.yaml", "-o", "one.jsonl", "--jobs", "1"}, d);
    ok({"sweep", "s.yaml", "-o", "two.jsonl", "--jobs", "2"}, d);
    ok({"sweep", "s.yaml", "-o", "one.h5", "--jobs", "1"}, d);
    ok({"sweep", "s.yaml", "-o", "two.h5", "--jobs", "2"}, d);
    ok({"sweep", "s.yaml", "-o", "a.jsonl", "--shard", "0/2"}, d);
    ok({"sweep", "s.yaml", "-o", "b.jsonl", "--shard", "1/2"}, d);
    ok({"merge", "--sweep", "s.yaml", "-o", "m.jsonl", "a.jsonl", "b.jsonl"}, d);
    ok({"merge", "-o", "m.h5", "b.jsonl", "a.jsonl"}, d);
    ok({"merge", "-o", "back.jsonl", "one.h5"}, d);  // an HDF5 table reads back without loss
    const std::string one = slurp(d / "one.jsonl");
    EXPECT_EQ(std::count(one.begin(), one.end(), '\n'), 8);
    EXPECT_EQ(slurp(d / "two.jsonl"), one);
    EXPECT_EQ(slurp(d / "m.jsonl"), one);
    EXPECT_EQ(slurp(d / "back.jsonl"), one);
    const std::string h5 = slurp(d / "one.h5");
    EXPECT_EQ(h5.substr(1, 3), "HDF");
    EXPECT_EQ(slurp(d / "two.h5"), h5);
    EXPECT_EQ(slurp(d / "m.h5"), h5);
    // CSV: a header and one line per point.
    ok({"sweep", "s.yaml", "-o", "r.csv", "--jobs", "2"}, d);
    const std::string csv = slurp(d / "r.csv");
    EXPECT_EQ(csv.rfind("index,key,status,error,machine.memory.unified.channels,machine.memory.unified.data_rate,quant,", 0), 0u) << csv.substr(0, 300);
    EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 9);
}

TEST(SweepTables, resume_skips_the_points_of_a_finished_hdf5_table) {
    ScratchDir d("resume");
    d.write("s.yaml", kSweep);
    ok({"sweep", "s.yaml", "-o", "r.h5", "--shard", "0/2"}, d);
    const CliResult r = ok({"sweep", "s.yaml", "-o", "r.h5", "--resume"}, d);
    EXPECT_NE(r.err.find("8 points selected, 4 already done, 4 run"), std::string::npos) << r.describe();
    ok({"merge", "--sweep", "s.yaml", "-o", "all.jsonl", "r.h5"}, d);
}

TEST(SweepTables, merge_names_missing_points_and_refuses_another_sweep) {
    ScratchDir d("missing");
    d.write("s.yaml", kSweep);
    d.write("other.yaml", "base: {machine: apple-m4-max, model: llama-3.2-3b, prompt: 32, gen: 4}\naxes:\n  quant: [q4_0, q8_0]\n");
    ok({"sweep", "s.yaml", "-o", "a.jsonl", "--shard", "0/2"}, d);
    const CliResult missing = run_cli({"merge", "--sweep", "s.yaml", "-o", "m.jsonl", "a.jsonl"}, in(d));
    EXPECT_EQ(missing.exit_code, 2) << missing.describe();
    EXPECT_NE(missing.err.find("4 of 8 points missing: 1, 3, 5, 7"), std::string::npos) << missing.describe();
    const CliResult other = run_cli({"merge", "--sweep", "other.yaml", "-o", "m.jsonl", "a.jsonl"}, in(d));
    EXPECT_EQ(other.exit_code, 2) << other.describe();
    EXPECT_NE(other.err.find("another sweep"), std::string::npos) << other.describe();
    EXPECT_FALSE(std::filesystem::exists(d / "m.jsonl"));
}

TEST(SweepTables, emit_slurm_prints_an_array_script_with_a_dependent_merge) {
    ScratchDir d("slurm");
    d.write("s.yaml", kSweep);
    const CliResult r = ok({"sweep", "s.yaml", "-o", "r.h5", "--emit-slurm", "--array-size", "4", "--partition", "cpu", "--time", "0:30:00"}, d);
    EXPECT_EQ(r.out.rfind("#!/bin/bash\n", 0), 0u) << r.out;
    for (const char* line : {"#SBATCH --array=0-3\n", "#SBATCH --partition=cpu\n", "#SBATCH --time=0:30:00\n", "--shard \"${SLURM_ARRAY_TASK_ID}/4\" --resume",
                             "sbatch --dependency=afterok:${SLURM_ARRAY_JOB_ID}", "merge --sweep"})
        EXPECT_NE(r.out.find(line), std::string::npos) << line << "\n" << r.out;
    EXPECT_FALSE(std::filesystem::exists(d / "r.h5"));  // nothing is run
    // More tasks than points: one task per point.
    EXPECT_NE(ok({"sweep", "s.yaml", "-o", "r.h5", "--emit-slurm", "--array-size", "100"}, d).out.find("--array=0-7\n"), std::string::npos);
    EXPECT_EQ(run_cli({"sweep", "s.yaml", "-o", "r.h5", "--emit-slurm", "--partition", "a b"}, in(d)).exit_code, 2);
}

TEST(SweepTables, a_progress_line_on_a_terminal_and_none_otherwise) {
    ScratchDir d("progress");
    d.write("s.yaml", "base: {machine: apple-m4-max, model: llama-3.2-3b, prompt: 16, gen: 2}\naxes:\n  quant: [q4_0, q8_0]\n");
    const CliResult pipe = ok({"sweep", "s.yaml", "-o", "r.jsonl"}, d);
    EXPECT_EQ(pipe.err.find("points/s"), std::string::npos) << pipe.err;
    EXPECT_NE(pipe.err.find("[1] quant=q8_0: ok"), std::string::npos) << pipe.err;  // the per-point log stays
    // --progress always is what a terminal gets (auto); a pseudo-terminal is not on every machine.
    const std::string tty = ok({"sweep", "s.yaml", "-o", "t.jsonl", "--progress", "always"}, d).err;
    EXPECT_NE(tty.find("sweep: 2/2 done, "), std::string::npos) << tty;
    EXPECT_NE(tty.find(" points/s, ETA "), std::string::npos) << tty;
    EXPECT_NE(tty.find(", 0 failed"), std::string::npos) << tty;
    EXPECT_EQ(tty.find("[1] quant=q8_0: ok"), std::string::npos) << tty;  // ok points only move the line
    EXPECT_EQ(run_cli({"sweep", "s.yaml", "-o", "n.jsonl", "--progress", "sometimes"}, in(d)).exit_code, 2);
}

}  // namespace infersim::test
