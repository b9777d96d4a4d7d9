// Per-point timelines in a sweep's HDF5 table (`sweep -o r.h5 --timelines`): each ok point's
// /points/<index>/timeline holds the datasets and values `run -o` writes under /timeline, with
// dimension scales; the bytes do not depend on --jobs, and merging shards gives the single
// run's file; a resume re-runs only the points whose timeline is missing; combinations that
// cannot hold timelines are refused before anything is written.
#include <gtest/gtest.h>
#include <hdf5.h>
#include <hdf5_hl.h>

#include <fstream>
#include <map>
#include <sstream>

#include "integration/cli_runner.hpp"
#include "support/temp_dir.hpp"

namespace infersim::test {
namespace {

CliOptions in(const ScratchDir& d) { return CliOptions{d.path(), 120, 4ull << 30}; }

using infersim::test::slurp;

// Point 0 is the scenario of the `run` below.
const std::string kSweep = "base: {machine: apple-m4-max, model: llama-3.2-3b, prompt: 16, gen: 4}\naxes:\n  quant: [q4_0, q8_0]\n";
const std::vector<std::string> kRun = {"run", "--machine", "apple-m4-max", "--model", "llama-3.2-3b", "--quant", "q4_0",
                                       "--prompt", "16", "--gen", "4", "-o", "run.h5"};

CliResult ok(const std::vector<std::string>& args, const ScratchDir& d) {
    CliResult r = run_cli(args, in(d));
    EXPECT_EQ(r.exit_code, 0) << r.describe();
    return r;
}

herr_t visit(hid_t, const char* name, const H5O_info_t* info, void* out) {
    if (info->type == H5O_TYPE_DATASET) static_cast<std::vector<std::string>*>(out)->emplace_back(name);
    return 0;
}

// Every dataset under `group`, by path, read as doubles.
std::map<std::string, std::vector<double>> datasets(const std::filesystem::path& file, const std::string& group) {
    std::map<std::string, std::vector<double>> out;
    const hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0) return out;
    const hid_t g = H5Gopen2(f, group.c_str(), H5P_DEFAULT);
    std::vector<std::string> names;
    if (g >= 0) H5Ovisit(g, H5_INDEX_NAME, H5_ITER_INC, visit, &names);
    for (const std::string& n : names) {
        const hid_t d = H5Dopen2(g, n.c_str(), H5P_DEFAULT);
        const hid_t space = H5Dget_space(d);
        std::vector<double> v(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space)));
        if (!v.empty()) H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data());
        out[n] = v;
        H5Sclose(space);
        H5Dclose(d);
    }
    if (g >= 0) H5Gclose(g);
    H5Fclose(f);
    return out;
}

int scales_on(const std::filesystem::path& file, const std::string& dataset, unsigned dim) {
    const hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    const hid_t d = H5Dopen2(f, dataset.c_str(), H5P_DEFAULT);
    const int n = H5DSget_num_scales(d, dim);
    H5Dclose(d);
    H5Fclose(f);
    return n;
}

}  // namespace

TEST(SweepTimelines, each_ok_point_holds_the_runs_timeline_with_its_scales) {
    ScratchDir d("tl_points");
    d.write("s.yaml", kSweep);
    ok({"sweep", "s.yaml", "-o", "r.h5", "--timelines", "--jobs", "1"}, d);
    ok(kRun, d);
    const auto run = datasets(d / "run.h5", "timeline");
    ASSERT_GT(run.size(), 10u);
    EXPECT_EQ(datasets(d / "r.h5", "points/0/timeline"), run);
    const auto second = datasets(d / "r.h5", "points/1/timeline");
    EXPECT_EQ(second.size(), run.size());  // q8_0: the same datasets, other values
    EXPECT_NE(second, run);
    EXPECT_EQ(scales_on(d / "r.h5", "points/1/timeline/dram/unified/bw_util", 0), 1);
    EXPECT_EQ(scales_on(d / "r.h5", "points/1/timeline/dram/unified/channel_bw_util", 0), 1);  // channel
    EXPECT_FALSE(std::filesystem::exists(d / "r.h5.timelines"));
    EXPECT_FALSE(std::filesystem::exists(d / "r.h5.journal"));
}

TEST(SweepTimelines, bytes_do_not_depend_on_jobs_and_merged_shards_equal_the_single_run) {
    ScratchDir d("tl_bytes");
    d.write("s.yaml", kSweep);
    ok({"sweep", "s.yaml", "-o", "one.h5", "--timelines", "--jobs", "1"}, d);
    ok({"sweep", "s.yaml", "-o", "two.h5", "--timelines", "--jobs", "2"}, d);
    ok({"sweep", "s.yaml", "-o", "a.h5", "--timelines", "--shard", "0/2"}, d);
    ok({"sweep", "s.yaml", "-o", "b.h5", "--timelines", "--shard", "1/2"}, d);
    ok({"merge", "--sweep", "s.yaml", "-o", "m.h5", "b.h5", "a.h5"}, d);
    const std::string one = slurp(d / "one.h5");
    EXPECT_EQ(slurp(d / "two.h5"), one);
    EXPECT_EQ(slurp(d / "m.h5"), one);
    EXPECT_NE(one, slurp(d / "a.h5"));
}

TEST(SweepTimelines, resume_reruns_only_points_whose_timeline_is_missing) {
    ScratchDir d("tl_resume");
    d.write("s.yaml", kSweep);
    ok({"sweep", "s.yaml", "-o", "full.h5", "--timelines"}, d);
    // A shard without timelines, resumed with them: its ok point has no timeline, so it runs again.
    ok({"sweep", "s.yaml", "-o", "r.h5", "--shard", "0/2"}, d);
    CliResult r = ok({"sweep", "s.yaml", "-o", "r.h5", "--resume", "--timelines"}, d);
    EXPECT_NE(r.err.find("2 points selected, 0 already done, 2 run"), std::string::npos) << r.describe();
    EXPECT_EQ(slurp(d / "r.h5"), slurp(d / "full.h5"));
    // A finished table with timelines: nothing runs, the timelines are kept.
    r = ok({"sweep", "s.yaml", "-o", "r.h5", "--resume", "--timelines"}, d);
    EXPECT_NE(r.err.find("2 points selected, 2 already done, 0 run"), std::string::npos) << r.describe();
    EXPECT_EQ(slurp(d / "r.h5"), slurp(d / "full.h5"));
    // A table with point 1's timeline: point 0 runs, point 1's timeline is copied from it.
    ok({"sweep", "s.yaml", "-o", "k.h5", "--timelines", "--index", "1"}, d);
    r = ok({"sweep", "s.yaml", "-o", "k.h5", "--resume", "--timelines"}, d);
    EXPECT_NE(r.err.find("2 points selected, 1 already done, 1 run"), std::string::npos) << r.describe();
    EXPECT_EQ(slurp(d / "k.h5"), slurp(d / "full.h5"));
}

TEST(SweepTimelines, emit_slurm_runs_h5_shards_with_timelines_and_merges_them) {
    ScratchDir d("tl_slurm");
    d.write("s.yaml", kSweep);
    const CliResult r = ok({"sweep", "s.yaml", "-o", "r.h5", "--timelines", "--emit-slurm", "--array-size", "2"}, d);
    for (const char* text : {".shard${SLURM_ARRAY_TASK_ID}-of-2.h5\" --shard \"${SLURM_ARRAY_TASK_ID}/2\" --resume --timelines",
                             ".shard*-of-2.h5\""})
        EXPECT_NE(r.out.find(text), std::string::npos) << text << "\n" << r.out;
    const CliResult plain = ok({"sweep", "s.yaml", "-o", "r.h5", "--emit-slurm", "--array-size", "2"}, d);
    EXPECT_EQ(plain.out.find("--timelines"), std::string::npos) << plain.out;
}

TEST(SweepTimelines, combinations_that_cannot_hold_timelines_are_refused_and_write_nothing) {
    ScratchDir d("tl_refused");
    d.write("s.yaml", kSweep);
    for (const char* out : {"r.csv", "r.jsonl"}) {
        const CliResult r = run_cli({"sweep", "s.yaml", "-o", out, "--timelines"}, in(d));
        EXPECT_EQ(r.exit_code, 2) << r.describe();
        EXPECT_NE(r.err.find("--timelines needs an HDF5 table"), std::string::npos) << r.describe();
        EXPECT_FALSE(std::filesystem::exists(d / out));
        EXPECT_FALSE(std::filesystem::exists(d / (std::string(out) + ".journal")));
    }
    // merge: tables with and without timelines do not mix, and timelines need an .h5 output.
    ok({"sweep", "s.yaml", "-o", "a.h5", "--timelines", "--shard", "0/2"}, d);
    ok({"sweep", "s.yaml", "-o", "b.h5", "--shard", "1/2"}, d);
    const CliResult mixed = run_cli({"merge", "-o", "m.h5", "a.h5", "b.h5"}, in(d));
    EXPECT_EQ(mixed.exit_code, 2) << mixed.describe();
    EXPECT_NE(mixed.err.find("with per-point timelines"), std::string::npos) << mixed.describe();
    EXPECT_FALSE(std::filesystem::exists(d / "m.h5"));
    const CliResult csv = run_cli({"merge", "-o", "m.csv", "a.h5"}, in(d));
    EXPECT_EQ(csv.exit_code, 2) << csv.describe();
    EXPECT_FALSE(std::filesystem::exists(d / "m.csv"));
}

}  // namespace infersim::test
