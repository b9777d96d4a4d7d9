// `infersim serve` from the command line: the minimal scenario as written, the contract keys,
// the same bytes for the same seed, the HDF5 tables, and errors that name file, line and field.
#include <gtest/gtest.h>

#include <hdf5.h>

#include "integration/cli_checks.hpp"
#include "support/temp_dir.hpp"

namespace infersim::test {
namespace {

using infersim::test::slurp;

const char* kServeScenario = R"(machine: nvidia-dgx-spark
model: llama-3.2-3b
quant: q4_k_m
sim: {fidelity: fast}
serving:
  arrivals: {process: gamma, cv: 2, rate: 8/s, requests: 24, seed: 3}
  prompt: {dist: uniform, min: 64, max: 512}
  gen: {dist: empirical, values: [8, 16, 32], weights: [1, 2, 1]}
  prefix: {groups: 2, tokens: 256, fraction: 0.5}
  scheduler: {profile: vllm, max_num_seqs: 16}
  slo: {ttft: 500 ms, tpot: 50 ms}
)";

}  // namespace

TEST(CliServe, the_minimal_scenario_runs_as_written_with_the_contract_keys) {
    const CliResult r = run_cli({"serve", (source_dir() / "scenarios/serve-minimal.yaml").string(), "--json"}, {{}, 240});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    const json j = parse_one_json_line(r);
    for (const char* k : {"ttft_s", "tpot_s", "e2e_s"})
        for (const char* p : {"p50", "p90", "p99", "mean"}) EXPECT_TRUE(j[k].contains(p)) << k << "." << p;
    for (const char* k : {"output_tokens_per_s", "requests_per_s"}) EXPECT_GT(j["throughput"][k].get<double>(), 0) << k;
    EXPECT_TRUE(j.contains("goodput"));
    EXPECT_TRUE(j.contains("preemptions"));
    EXPECT_TRUE(j["kv"].contains("mean_occupancy"));
    EXPECT_GT(j["energy_per_request_j"].get<double>(), 0);
    EXPECT_EQ(j["requests"], 200);
    // 200 requests at 4/s: the run lasts at least the arrivals' span.
    EXPECT_GT(j["throughput"]["duration_s"].get<double>(), 30);
}

TEST(CliServe, the_same_seed_writes_the_same_bytes_and_the_tables_read_back) {
    TempDir d;
    const std::string sc = d.write("s.yaml", kServeScenario);
    const CliResult a = run_cli({"serve", sc, "-o", d.path("a.h5"), "--json", "--no-wall-time"}, {{}, 120});
    const CliResult b = run_cli({"serve", sc, "-o", d.path("b.h5"), "--json", "--no-wall-time"}, {{}, 120});
    ASSERT_EQ(a.exit_code, 0) << a.describe();
    ASSERT_EQ(b.exit_code, 0) << b.describe();
    EXPECT_EQ(a.out, b.out);
    EXPECT_EQ(slurp(d.path("a.h5")), slurp(d.path("b.h5")));
    const hid_t f = H5Fopen(d.path("a.h5").c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    ASSERT_GE(f, 0);
    for (const char* name : {"/requests/id", "/requests/arrival_s", "/requests/first_token_s", "/requests/finish_s", "/requests/preemptions",
                             "/serving/queue_depth", "/serving/batch_size", "/serving/kv_occupancy", "/serving/preemptions",
                             "/timeline/time_s", "/timeline/compute/gpu/util", "/timeline/power/compute_gpu"}) {
        const hid_t ds = H5Dopen2(f, name, H5P_DEFAULT);
        ASSERT_GE(ds, 0) << name;
        const hid_t sp = H5Dget_space(ds);
        hsize_t n = 0;
        H5Sget_simple_extent_dims(sp, &n, nullptr);
        if (std::string(name).starts_with("/requests")) EXPECT_EQ(n, 24u) << name;
        else EXPECT_GT(n, 0u) << name;
        H5Sclose(sp);
        H5Dclose(ds);
    }
    H5Fclose(f);
    const CliResult other = run_cli({"serve", d.write("t.yaml", std::string(kServeScenario).replace(std::string(kServeScenario).find("seed: 3"), 7, "seed: 4")),
                                     "--json", "--no-wall-time"}, {{}, 120});
    EXPECT_NE(other.out, a.out);
}

TEST(CliServe, bad_serving_input_names_file_line_and_field) {
    TempDir d;
    const std::string sc = d.write("bad.yaml", "machine: nvidia-dgx-spark\nmodel: llama-3.2-3b\nserving:\n  arrivals: {rate: fast}\n");
    CliResult r = run_cli({"serve", sc});
    EXPECT_EQ(r.exit_code, 2) << r.describe();
    EXPECT_NE(r.err.find("bad.yaml:4"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("serving.arrivals.rate"), std::string::npos) << r.err;
    const std::string sc2 = d.write("bad2.yaml", "machine: nvidia-dgx-spark\nmodel: llama-3.2-3b\nserving:\n  scheduler: {max_num_seq: 4}\n");
    r = run_cli({"serve", sc2});
    EXPECT_EQ(r.exit_code, 2) << r.describe();
    EXPECT_NE(r.err.find("max_num_seqs"), std::string::npos) << r.err;  // did you mean
    r = run_cli({"serve", d.write("none.yaml", "machine: nvidia-dgx-spark\nmodel: llama-3.2-3b\n")});
    EXPECT_EQ(r.exit_code, 2) << r.describe();
    EXPECT_NE(r.err.find("serving"), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(d.path("x.h5")));
}

TEST(CliServe, set_overrides_serving_fields_and_a_bad_path_names_the_argument) {
    TempDir d;
    const std::string sc = d.write("s.yaml", kServeScenario);
    const CliResult r = run_cli({"serve", sc, "--json", "--no-wall-time", "--set", "serving.arrivals.requests=6"}, {{}, 120});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_EQ(nlohmann::json::parse(r.out).at("requests"), 6) << r.out;
    const CliResult bad = run_cli({"serve", sc, "--set", "serving.arrivals.rat=3/s"});
    EXPECT_EQ(bad.exit_code, 2) << bad.describe();
    EXPECT_NE(bad.err.find("--set serving.arrivals.rat=3/s"), std::string::npos) << bad.err;
    EXPECT_NE(bad.err.find("did you mean 'rate'"), std::string::npos) << bad.err;
}

}  // namespace infersim::test
