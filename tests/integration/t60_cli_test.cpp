// The infersim command end to end: contract keys of the JSON summary, the HDF5 layout read back
// with the HDF5 C API, determinism, trace round trips, fit, bench and stream (bad input: t68).
#include <gtest/gtest.h>
#include <hdf5.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "integration/cli_checks.hpp"
#include "integration/cli_runner.hpp"

namespace infersim::test {
namespace {

// ---- HDF5 reading -----------------------------------------------------------------------------

struct H5Handle {
    hid_t id;
    herr_t (*close)(hid_t);
    H5Handle(hid_t i, herr_t (*c)(hid_t)) : id(i), close(c) {}
    ~H5Handle() {
        if (id >= 0) close(id);
    }
    H5Handle(const H5Handle&) = delete;
    H5Handle& operator=(const H5Handle&) = delete;
    operator hid_t() const { return id; }
};

std::string read_string_attribute(hid_t obj, const char* name) {
    if (H5Aexists(obj, name) <= 0) return "";
    H5Handle a(H5Aopen(obj, name, H5P_DEFAULT), H5Aclose);
    H5Handle t(H5Aget_type(a), H5Tclose);
    if (H5Tget_class(t) != H5T_STRING) return "";
    if (H5Tis_variable_str(t) > 0) {
        char* p = nullptr;
        H5Handle mem(H5Tcopy(H5T_C_S1), H5Tclose);
        H5Tset_size(mem, H5T_VARIABLE);
        if (H5Aread(a, mem, &p) < 0 || !p) return "";
        std::string s(p);
        H5free_memory(p);
        return s;
    }
    std::string s(H5Tget_size(t), '\0');
    if (H5Aread(a, t, s.data()) < 0) return "";
    s.resize(std::strlen(s.c_str()));
    return s;
}

bool link_exists(hid_t file, const std::string& path) {
    // H5Lexists needs every intermediate link to exist; walk down the path.
    std::string prefix;
    std::size_t start = 1;
    while (start <= path.size()) {
        const std::size_t slash = path.find('/', start);
        prefix = path.substr(0, slash);
        if (H5Lexists(file, prefix.c_str(), H5P_DEFAULT) <= 0) return false;
        if (slash == std::string::npos) return true;
        start = slash + 1;
    }
    return true;
}

hssize_t rows_of(hid_t file, const char* path) {
    H5Handle d(H5Dopen2(file, path, H5P_DEFAULT), H5Dclose);
    if (d < 0) return -1;
    H5Handle sp(H5Dget_space(d), H5Sclose);
    return H5Sget_simple_extent_npoints(sp);
}

double read_scalar_double(hid_t file, const char* path) {
    H5Handle d(H5Dopen2(file, path, H5P_DEFAULT), H5Dclose);
    double v = std::nan("");
    if (d >= 0) H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, &v);
    return v;
}

struct TokenRow {
    std::uint64_t index;
    double time_s;
};

std::vector<TokenRow> read_tokens(hid_t file) {
    std::vector<TokenRow> rows(static_cast<std::size_t>(std::max<hssize_t>(0, rows_of(file, "/tokens"))));
    H5Handle t(H5Tcreate(H5T_COMPOUND, sizeof(TokenRow)), H5Tclose);
    H5Tinsert(t, "index", HOFFSET(TokenRow, index), H5T_NATIVE_UINT64);
    H5Tinsert(t, "time_s", HOFFSET(TokenRow, time_s), H5T_NATIVE_DOUBLE);
    H5Handle d(H5Dopen2(file, "/tokens", H5P_DEFAULT), H5Dclose);
    if (d < 0 || rows.empty() || H5Dread(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows.data()) < 0) return {};
    return rows;
}

// ---- the contract ------------------------------------------------------------------------------

TEST(CliRun, json_summary_has_every_design_contract_key) {
    ScratchDir dir("json_keys");
    CliResult r = run_cli(cat({"run"}, cat(kSmall, {"--json"})), {dir.path()});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_LT(r.wall_s, 2.0);
    json j = parse_one_json_line(r);
    ASSERT_TRUE(j.is_object());
    for (const char* key : {"machine", "model", "quant"}) {
        const json* v = at(j, key);
        ASSERT_NE(v, nullptr) << key;
        EXPECT_TRUE(v->is_string()) << key;
    }
    ASSERT_NE(at(j, "fits"), nullptr);
    EXPECT_TRUE(at(j, "fits")->is_boolean());
    for (const char* key : {"weights_bytes", "kv_bytes", "ttft_s", "prefill.tokens_per_s", "decode.tokens_per_s", "tpot_s",
                            "energy_j", "joules_per_token", "avg_power_w", "dram.avg_bw_util", "sim.events", "sim.wall_s"}) {
        const json* v = at(j, key);
        ASSERT_NE(v, nullptr) << "missing contract key " << key << " in " << r.out.substr(0, 300);
        ASSERT_TRUE(v->is_number()) << key;
        const double x = v->get<double>();
        EXPECT_TRUE(std::isfinite(x)) << key;
        EXPECT_GE(x, 0) << key;
        if (std::string(key) != "sim.wall_s") {
            EXPECT_GT(x, 0) << key;
        }
    }
    EXPECT_EQ(j["machine"], "rtx-spark");
    EXPECT_EQ(j["model"], "llama-3.1-8b");
    EXPECT_TRUE(j["fits"].get<bool>());
    EXPECT_LE(at(j, "dram.avg_bw_util")->get<double>(), 1.0);
    EXPECT_NEAR(j["joules_per_token"].get<double>() * 8, j["energy_j"].get<double>(), 1e-9 * j["energy_j"].get<double>());
    EXPECT_EQ(r.err, "");
}

TEST(CliRun, hdf5_has_every_group_provenance_ops_and_tokens) {
    ScratchDir dir("hdf5");
    CliResult r = run_cli(cat({"run"}, cat(kSmall, {"--json", "-o", "out.h5"})), {dir.path()});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    json j = parse_one_json_line(r);
    ASSERT_TRUE(j.is_object());
    EXPECT_EQ(dir.entries(), std::vector<std::string>{"out.h5"}) << "temporary files left behind";

    H5Handle f(H5Fopen((dir / "out.h5").c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
    ASSERT_GE(f, 0);
    for (const char* g : {"/summary", "/timeline", "/ops", "/tokens", "/timeline/time_s", "/summary/prefill/tokens_per_s",
                          "/summary/sim/events"})
        EXPECT_TRUE(link_exists(f, g)) << g;

    // Provenance: version and the resolved inputs as YAML text.
    EXPECT_EQ(read_string_attribute(f, "infersim_version").empty(), false);
    EXPECT_NE(read_string_attribute(f, "machine_yaml").find("memory"), std::string::npos);
    EXPECT_NE(read_string_attribute(f, "model_yaml").find("hidden"), std::string::npos);
    EXPECT_NE(read_string_attribute(f, "scenario_yaml").find("prompt"), std::string::npos);
    EXPECT_FALSE(read_string_attribute(f, "runtime_yaml").empty());
    const std::string summary_attr = read_string_attribute(f, "summary_json");
    ASSERT_FALSE(summary_attr.empty());
    EXPECT_EQ(without_wall_time(json::parse(summary_attr)), without_wall_time(j)) << "the file's summary differs from the printed one";

    // /summary mirrors the JSON, dotted keys as groups.
    EXPECT_DOUBLE_EQ(read_scalar_double(f, "/summary/prefill/tokens_per_s"), j["prefill"]["tokens_per_s"].get<double>());
    EXPECT_DOUBLE_EQ(read_scalar_double(f, "/summary/ttft_s"), j["ttft_s"].get<double>());

    // /timeline has a time axis and DRAM and power series of the same length.
    const hssize_t bins = rows_of(f, "/timeline/time_s");
    EXPECT_GT(bins, 0);
    EXPECT_EQ(rows_of(f, "/timeline/dram/unified/bw_util"), bins);

    // One /ops row per op; /tokens ends at gen x batch tokens, at non-decreasing times.
    EXPECT_EQ(rows_of(f, "/ops"), j["sim"]["ops"].get<hssize_t>());
    const std::vector<TokenRow> tokens = read_tokens(f);
    ASSERT_FALSE(tokens.empty());
    EXPECT_EQ(tokens.back().index, 8u);
    EXPECT_EQ(tokens.size(), 8u) << "one emission per step at batch 1";
    EXPECT_NEAR(tokens.front().time_s, j["ttft_s"].get<double>(), 1e-9);
    for (std::size_t i = 1; i < tokens.size(); ++i) EXPECT_GE(tokens[i].time_s, tokens[i - 1].time_s);
}

TEST(CliRun, identical_runs_give_identical_hdf5_bytes_and_json) {
    ScratchDir dir("determinism");
    CliResult a = run_cli(cat({"run"}, cat(kSmall, {"--json", "-o", "a.h5"})), {dir.path()});
    CliResult b = run_cli(cat({"run"}, cat(kSmall, {"--json", "-o", "b.h5"})), {dir.path()});
    ASSERT_EQ(a.exit_code, 0) << a.describe();
    ASSERT_EQ(b.exit_code, 0) << b.describe();
    const std::string fa = read_file(dir / "a.h5"), fb = read_file(dir / "b.h5");
    ASSERT_FALSE(fa.empty());
    EXPECT_TRUE(fa == fb) << "same inputs, different HDF5 bytes (sizes " << fa.size() << " and " << fb.size() << ")";
    EXPECT_EQ(without_wall_time(parse_one_json_line(a)), without_wall_time(parse_one_json_line(b)));
    EXPECT_EQ(dir.entries(), (std::vector<std::string>{"a.h5", "b.h5"}));
}

TEST(CliTrace, replaying_a_written_trace_gives_the_direct_run_summary) {
    ScratchDir dir("trace_roundtrip");
    CliResult t = run_cli(cat({"trace"}, cat(kSmall, {"-o", "t.trace"})), {dir.path()});
    ASSERT_EQ(t.exit_code, 0) << t.describe();
    EXPECT_EQ(dir.entries(), std::vector<std::string>{"t.trace"});
    CliResult replay = run_cli({"run", "--trace", "t.trace", "--machine", "rtx-spark", "--json"}, {dir.path()});
    CliResult direct = run_cli(cat({"run"}, cat(kSmall, {"--json"})), {dir.path()});
    ASSERT_EQ(replay.exit_code, 0) << replay.describe();
    ASSERT_EQ(direct.exit_code, 0) << direct.describe();
    json a = without_wall_time(parse_one_json_line(replay)), b = without_wall_time(parse_one_json_line(direct));
    EXPECT_EQ(a["sim"]["events"], b["sim"]["events"]);
    EXPECT_EQ(a, b) << "replayed:\n" << a.dump(1) << "\ndirect:\n" << b.dump(1);
}

TEST(CliFit, dgx_station_llama2_7b_q4_0_weights_match_llama_cpp_size) {
    CliResult r = run_cli({"fit", "--machine", "nvidia-dgx-station", "--model", "llama-2-7b", "--quant", "q4_0", "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    json j = parse_one_json_line(r);
    ASSERT_TRUE(j.contains("weights_bytes")) << r.out;
    const double w = j["weights_bytes"].get<double>();
    EXPECT_NEAR(w, 3'825'807'040.0, 0.01 * 3'825'807'040.0);
    EXPECT_TRUE(j["fits"].get<bool>());
}

TEST(CliBench, json_gives_positive_pp_and_tg_tokens_per_s) {
    CliResult r = run_cli({"bench", "--machine", "rtx-spark", "--model", "llama-3.1-8b", "--quant", "q4_0", "-p", "64", "-n", "8", "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_LT(r.wall_s, 2.0);
    json j = parse_one_json_line(r);
    ASSERT_TRUE(j.contains("pp_tokens_per_s") && j.contains("tg_tokens_per_s")) << r.out;
    EXPECT_GT(j["pp_tokens_per_s"].get<double>(), 0);
    EXPECT_GT(j["tg_tokens_per_s"].get<double>(), 0);
    EXPECT_GT(j["pp_tokens_per_s"].get<double>(), j["tg_tokens_per_s"].get<double>()) << "prefill batches, decode does not";
}

TEST(CliStream, json_efficiency_lies_in_zero_one_for_every_pool) {
    for (const char* machine : {"rtx-spark", "nvidia-dgx-station"}) {
        CliResult r = run_cli({"stream", "--machine", machine, "--json"});
        ASSERT_EQ(r.exit_code, 0) << r.describe();
        json j = parse_one_json_line(r);
        json rows = j.is_array() ? j : json::array({j});
        ASSERT_FALSE(rows.empty());
        for (const json& row : rows) {
            ASSERT_TRUE(row.contains("efficiency")) << row.dump();
            const double e = row["efficiency"].get<double>();
            EXPECT_GT(e, 0) << machine;
            EXPECT_LE(e, 1) << machine;
            EXPECT_GT(row["achieved_gb_per_s"].get<double>(), 0);
        }
    }
}

// ---- one test per error class --------------------------------------------------------------------

}  // namespace
}  // namespace infersim::test
