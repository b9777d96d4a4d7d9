// The infersim command end to end: contract keys of the JSON summary, the HDF5 layout read back
// with the HDF5 C API, determinism, trace round trips, and one test per class of bad input
// (exit code, and a one-line message naming file, line, column and field).
//
// CliRegressions cover defects found while writing these tests, fixed since; the comment on
// each says what was observed before the fix.
#include <gtest/gtest.h>
#include <hdf5.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "integration/cli_runner.hpp"

namespace infersim::test {
namespace {

using nlohmann::json;

const std::vector<std::string> kSmall = {"--machine", "rtx-spark", "--model", "llama-3.1-8b", "--prompt", "64", "--gen", "8"};

std::vector<std::string> cat(std::vector<std::string> a, const std::vector<std::string>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

// stdout must be exactly one JSON document on one line.
json parse_one_json_line(const CliResult& r) {
    EXPECT_FALSE(r.out.empty()) << r.describe();
    EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << "stdout is not one line: " << r.out.substr(0, 400);
    try {
        return json::parse(r.out);
    } catch (const std::exception& e) {
        ADD_FAILURE() << "stdout is not JSON (" << e.what() << "): " << r.out.substr(0, 400);
        return json();
    }
}

// A dotted contract key ("prefill.tokens_per_s") is a path through nested objects.
const json* at(const json& j, const std::string& dotted) {
    const json* cur = &j;
    std::size_t start = 0;
    while (true) {
        const std::size_t dot = dotted.find('.', start);
        const std::string key = dotted.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        if (!cur->is_object() || !cur->contains(key)) return nullptr;
        cur = &(*cur)[key];
        if (dot == std::string::npos) return cur;
        start = dot + 1;
    }
}

json without_wall_time(json j) {
    if (j.contains("sim") && j["sim"].is_object()) j["sim"].erase("wall_s");
    return j;
}

// Asserts an input error: exit code, one "error:" line, and that it names the file, the line
// (with a column) and the field.
void expect_input_error(const CliResult& r, int code, const std::string& file, int line, const std::string& field) {
    EXPECT_EQ(r.exit_code, code) << r.describe();
    EXPECT_EQ(one_line_error_problem(r.err), "") << r.describe();
    if (!file.empty()) {
        EXPECT_NE(r.err.find(file), std::string::npos) << "message does not name the file " << file << ": " << r.err;
    }
    if (line > 0) {
        const std::string loc = file + ":" + std::to_string(line) + ":";
        const std::size_t p = r.err.find(loc);
        EXPECT_NE(p, std::string::npos) << "message does not name " << loc << "<column>: " << r.err;
        if (p != std::string::npos) {
            EXPECT_TRUE(std::isdigit(static_cast<unsigned char>(r.err[p + loc.size()]))) << "no column after " << loc << ": " << r.err;
        }
    }
    if (!field.empty()) {
        EXPECT_NE(r.err.find(field), std::string::npos) << "message does not name the field " << field << ": " << r.err;
    }
}

const std::string kScenario = "machine: rtx-spark\nmodel: llama-3.1-8b\nprompt: 64\ngen: 8\n";

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

TEST(CliErrors, unknown_key_names_file_line_and_key) {
    ScratchDir dir("unknown_key");
    dir.write("s.yaml", kScenario + "promtp: 64\n");
    CliResult r = run_cli({"run", "s.yaml"}, {dir.path()});
    expect_input_error(r, 2, "s.yaml", 5, "promtp");
    EXPECT_NE(r.err.find("did you mean 'prompt'"), std::string::npos) << r.err;
}

TEST(CliErrors, wrong_type_names_file_line_and_field) {
    ScratchDir dir("wrong_type");
    dir.write("s.yaml", "machine: rtx-spark\nmodel: llama-3.1-8b\nprompt: [64, 65]\n");
    expect_input_error(run_cli({"run", "s.yaml"}, {dir.path()}), 2, "s.yaml", 3, "prompt");
    dir.write("m.yaml", "machine: {name: rtx-spark}\nmodel: llama-3.1-8b\n");
    expect_input_error(run_cli({"run", "m.yaml"}, {dir.path()}), 2, "m.yaml", 1, "machine");
}

// Bad values of a scenario count (prompt) and of a machine quantity (pool capacity).
class CliBadValue : public ::testing::TestWithParam<std::pair<const char*, const char*>> {};

TEST_P(CliBadValue, is_refused_with_file_line_and_field) {
    const auto [kind, value] = GetParam();
    ScratchDir dir("bad_value");
    if (std::string(kind) == "prompt") {
        dir.write("s.yaml", "machine: rtx-spark\nmodel: llama-3.1-8b\ngen: 8\nprompt: " + std::string(value) + "\n");
        CliResult r = run_cli({"run", "s.yaml", "-o", "out.h5"}, {dir.path(), 5});
        expect_input_error(r, 2, "s.yaml", 4, "prompt");
        EXPECT_EQ(dir.entries(), std::vector<std::string>{"s.yaml"});
    } else {
        dir.write("machines/m.yaml",
                  "name: m\nmemory:\n  lpddr:\n    standard: lpddr5x-8533\n    capacity: " + std::string(value) +
                      "\n    channels: 16\ncompute:\n  gpu: {count: 8, clock: 1 GHz, memory: lpddr, vector: {fp16: 256}}\n");
        expect_input_error(run_cli({"check", "machines/m.yaml"}, {dir.path(), 5}), 2, "m.yaml", 5, "memory.lpddr.capacity");
        CliResult r = run_cli({"run", "--machine", "machines/m.yaml", "--model", "llama-3.1-8b", "--prompt", "16", "--gen", "2"}, {dir.path(), 5});
        expect_input_error(r, 2, "m.yaml", 5, "memory.lpddr.capacity");
    }
}

INSTANTIATE_TEST_SUITE_P(
    Values, CliBadValue,
    ::testing::Values(std::pair{"prompt", "-5"}, std::pair{"prompt", "0"}, std::pair{"prompt", ".nan"}, std::pair{"prompt", "nan"},
                      std::pair{"prompt", ".inf"}, std::pair{"prompt", "-.inf"}, std::pair{"prompt", "1e300"},
                      std::pair{"prompt", "99999999999999999999999999"}, std::pair{"prompt", "2.5"}, std::pair{"prompt", "64 GiB"},
                      std::pair{"capacity", "-1 GiB"}, std::pair{"capacity", "0 GiB"}, std::pair{"capacity", ".nan GiB"},
                      std::pair{"capacity", ".inf"}, std::pair{"capacity", "1e400 GiB"}, std::pair{"capacity", "1e30 TB"},
                      std::pair{"capacity", "128 GHz"}, std::pair{"capacity", "128"}),
    [](const auto& info) {
        std::string s = std::string(info.param.first) + "_" + std::to_string(info.index);
        return s;
    });

TEST(CliErrors, yaml_syntax_error_names_file_line_and_column) {
    ScratchDir dir("syntax");
    dir.write("s.yaml", "machine: rtx-spark\nmodel: [llama-3.1-8b\nprompt: 64\n");
    CliResult r = run_cli({"run", "s.yaml"}, {dir.path()});
    expect_input_error(r, 2, "s.yaml", 0, "");
    EXPECT_NE(r.err.find("s.yaml:"), std::string::npos);
    EXPECT_NE(r.err.find("syntax"), std::string::npos) << r.err;
}

TEST(CliErrors, duplicate_key_names_file_line_and_key) {
    ScratchDir dir("duplicate");
    dir.write("s.yaml", kScenario + "prompt: 128\n");
    CliResult r = run_cli({"run", "s.yaml"}, {dir.path()});
    expect_input_error(r, 2, "s.yaml", 5, "prompt");
    EXPECT_NE(r.err.find("duplicate"), std::string::npos) << r.err;
}

TEST(CliErrors, circular_extends_is_refused) {
    ScratchDir dir("circular");
    dir.write("a.yaml", "extends: b.yaml\nmachine: rtx-spark\n");
    dir.write("b.yaml", "extends: a.yaml\nmodel: llama-3.1-8b\n");
    CliResult r = run_cli({"run", "a.yaml"}, {dir.path(), 5});
    expect_input_error(r, 2, "a.yaml", 0, "extends");
    EXPECT_NE(r.err.find("circular"), std::string::npos) << r.err;
}

// Expected: the message points at the 'extends:' line that closes the cycle (b.yaml:1:10),
// like every other field error. Observed: "a.yaml: field 'extends': circular ..." (no line).
TEST(CliRegressions, circular_extends_is_reported_at_the_extends_line) {
    ScratchDir dir("circular_line");
    dir.write("a.yaml", "extends: b.yaml\nmachine: rtx-spark\n");
    dir.write("b.yaml", "# b\nextends: a.yaml\nmodel: llama-3.1-8b\n");
    CliResult r = run_cli({"run", "a.yaml"}, {dir.path(), 5});
    expect_input_error(r, 2, "b.yaml", 2, "extends");
}

TEST(CliErrors, unknown_machine_and_model_names_suggest_the_nearest) {
    ScratchDir dir("unknown_names");
    dir.write("s.yaml", "machine: rtx-sprak\nmodel: llama-3.1-8b\n");
    CliResult r = run_cli({"run", "s.yaml"}, {dir.path()});
    expect_input_error(r, 2, "s.yaml", 1, "machine");
    EXPECT_NE(r.err.find("did you mean 'rtx-spark'"), std::string::npos) << r.err;

    CliResult f = run_cli({"run", "--machine", "rtx-spark", "--model", "llama-3.1-8c", "--prompt", "16", "--gen", "2"});
    expect_input_error(f, 2, "command line", 0, "model");
    EXPECT_NE(f.err.find("did you mean 'llama-3.1-8b'"), std::string::npos) << f.err;
}

TEST(CliErrors, empty_file_is_refused_at_line_1) {
    ScratchDir dir("empty");
    dir.write("s.yaml", "");
    expect_input_error(run_cli({"run", "s.yaml"}, {dir.path()}), 2, "s.yaml", 1, "");
    dir.write("c.yaml", "# nothing but a comment\n\n");
    expect_input_error(run_cli({"run", "c.yaml"}, {dir.path()}), 2, "c.yaml", 1, "");
}

TEST(CliErrors, binary_garbage_is_refused) {
    ScratchDir dir("garbage");
    std::string junk;
    std::uint32_t x = 12345;
    for (int i = 0; i < 4096; ++i) {
        x = x * 1664525u + 1013904223u;
        junk += static_cast<char>(x >> 24);
    }
    dir.write("s.yaml", junk);
    CliResult r = run_cli({"run", "s.yaml", "-o", "out.h5"}, {dir.path(), 5});
    expect_input_error(r, 2, "s.yaml", 0, "");
    EXPECT_EQ(dir.entries(), std::vector<std::string>{"s.yaml"});
}

TEST(CliErrors, bad_flag_value_names_the_flag) {
    CliResult r = run_cli({"run", "--machine", "rtx-spark", "--model", "llama-3.1-8b", "--prompt", "abc", "--gen", "8"});
    expect_input_error(r, 2, "command line", 0, "prompt");
    EXPECT_NE(r.err.find("abc"), std::string::npos) << r.err;
}

TEST(CliErrors, unknown_flag_is_a_usage_error) {
    CliResult r = run_cli(cat({"run"}, cat(kSmall, {"--frobnicate"})));
    expect_input_error(r, 2, "", 0, "--frobnicate");
    CliResult c = run_cli({"frobnicate"});
    EXPECT_EQ(c.exit_code, 2) << c.describe();
    EXPECT_EQ(c.err.rfind("error:", 0), 0u) << c.err;
}

TEST(CliErrors, generation_of_1e15_tokens_is_refused_fast) {
    CliResult r = run_cli({"run", "--machine", "rtx-spark", "--model", "llama-3.1-8b", "--prompt", "64", "--gen", "1000000000000000"},
                          {{}, 5});
    expect_input_error(r, 2, "command line", 0, "gen");
    EXPECT_LT(r.wall_s, 1.0);
}

TEST(CliErrors, event_budget_exceeded_exits_3) {
    ScratchDir dir("budget");
    CliResult r = run_cli(cat({"run"}, cat(kSmall, {"--max-events", "1000", "-o", "out.h5"})), {dir.path(), 5});
    EXPECT_EQ(r.exit_code, 3) << r.describe();
    EXPECT_EQ(one_line_error_problem(r.err), "") << r.describe();
    EXPECT_NE(r.err.find("max_events"), std::string::npos) << r.err;
    EXPECT_TRUE(dir.entries().empty()) << "a failed run left files behind";
}

TEST(CliErrors, op_and_timeline_budgets_exceeded_exit_3) {
    ScratchDir dir("budgets");
    dir.write("ops.yaml", kScenario + "sim:\n  budget:\n    max_ops: 1\n");
    dir.write("bins.yaml", kScenario + "sim:\n  budget:\n    max_timeline_bins: 1\n");
    dir.write("narrow_bins.yaml", "machine: rtx-spark\nmodel: llama-3.1-8b\nprompt: 64\ngen: 2000\nsim: {bin: 1 us}\n");
    for (const auto& [file, budget] : {std::pair{"ops.yaml", "max_ops"}, std::pair{"bins.yaml", "max_timeline_bins"},
                                       std::pair{"narrow_bins.yaml", "max_timeline_bins"}}) {
        CliResult c = run_cli({"check", file}, {dir.path(), 5});
        EXPECT_EQ(c.exit_code, 0) << file << " is a valid file: " << c.describe();
        CliResult r = run_cli({"run", file, "-o", "OUT.h5"}, {dir.path(), 5});
        EXPECT_EQ(r.exit_code, 3) << file << ": " << r.describe();
        EXPECT_EQ(one_line_error_problem(r.err), "") << r.describe();
        EXPECT_NE(r.err.find(budget), std::string::npos) << r.err;
        EXPECT_LT(r.wall_s, 2.0) << file;
    }
    EXPECT_EQ(dir.entries(), (std::vector<std::string>{"bins.yaml", "narrow_bins.yaml", "ops.yaml"}));
}

// A failing run with -o leaves neither the output nor a temporary file, whatever failed:
// the input, the budget, or the output itself.
TEST(CliErrors, failing_run_leaves_no_output_and_no_temporary_file) {
    {
        ScratchDir dir("fail_input");
        dir.write("s.yaml", kScenario + "batch: 0\n");
        CliResult r = run_cli({"run", "s.yaml", "-o", "OUT.h5"}, {dir.path(), 5});
        EXPECT_EQ(r.exit_code, 2) << r.describe();
        EXPECT_EQ(dir.entries(), std::vector<std::string>{"s.yaml"});
    }
    {
        ScratchDir dir("fail_budget");
        CliResult r = run_cli(cat({"run"}, cat(kSmall, {"--max-events", "10", "-o", "OUT.h5"})), {dir.path(), 5});
        EXPECT_EQ(r.exit_code, 3) << r.describe();
        EXPECT_TRUE(dir.entries().empty());
    }
    {
        // The output name is a directory: the rename fails after the file was written.
        ScratchDir dir("fail_output");
        std::filesystem::create_directory(dir / "OUT.h5");
        CliResult r = run_cli(cat({"run"}, cat(kSmall, {"-o", "OUT.h5"})), {dir.path(), 5});
        EXPECT_EQ(r.exit_code, 4) << r.describe();
        EXPECT_EQ(one_line_error_problem(r.err), "") << r.describe();
        EXPECT_EQ(dir.entries(), std::vector<std::string>{"OUT.h5"});
        EXPECT_TRUE(std::filesystem::is_empty(dir / "OUT.h5"));
    }
    {
        ScratchDir dir("fail_trace_output");
        std::filesystem::create_directory(dir / "T");
        CliResult r = run_cli(cat({"trace"}, cat(kSmall, {"-o", "T"})), {dir.path(), 5});
        EXPECT_EQ(r.exit_code, 4) << r.describe();
        EXPECT_EQ(dir.entries(), std::vector<std::string>{"T"});
    }
}

// ---- trace files -----------------------------------------------------------------------------

const std::string kTraceHeader =
    "infersim-trace 1\nmodel llama-3.1-8b\nquant q4_k_m\nkv_cache f16\nprompt 4\ngen 1\nbatch 1\nubatch 512\n";  // lines 1-8
const std::string kStep = "step prefill 4 1 0 1\n";                                                            // line 9
const std::string kOp = "op norm 0 4 4096 16384 0 0 0 1048576 1048576 0 0\n";

struct BadTrace {
    const char* name;
    std::string body;  // after the header and the first step line
    int line;          // expected line in the message
    const char* field;
};

class CliBadTrace : public ::testing::TestWithParam<BadTrace> {};

TEST_P(CliBadTrace, is_refused_with_file_line_column_and_field) {
    const BadTrace& t = GetParam();
    ScratchDir dir(std::string("trace_") + t.name);
    dir.write("bad.trace", kTraceHeader + kStep + t.body);
    CliResult r = run_cli({"run", "--trace", "bad.trace", "--machine", "rtx-spark", "-o", "OUT.h5"}, {dir.path(), 5});
    expect_input_error(r, 2, "bad.trace", t.line, t.field);
    EXPECT_EQ(dir.entries(), std::vector<std::string>{"bad.trace"});
}

INSTANTIATE_TEST_SUITE_P(
    Lines, CliBadTrace,
    ::testing::Values(
        BadTrace{"unknown_kind", "op teleport 0 4 4096 16384 0 0 0 1048576 1 0 0\n", 10, "kind"},
        BadTrace{"nan_flops", "op norm 0 4 4096 16384 0 0 0 1048576 nan 0 0\n", 10, "flops"},
        BadTrace{"inf_flops", "op norm 0 4 4096 16384 0 0 0 1048576 inf 0 0\n", 10, "flops"},
        BadTrace{"negative_flops", "op norm 0 4 4096 16384 0 0 0 1048576 -1 0 0\n", 10, "flops"},
        BadTrace{"negative_bytes", "op norm 0 4 4096 -16384 0 0 0 1048576 1 0 0\n", 10, "weight_bytes"},
        BadTrace{"word_for_number", "op norm 0 four 4096 16384 0 0 0 1048576 1 0 0\n", 10, "rows"},
        BadTrace{"u64_overflow", "op norm 0 4 4096 99999999999999999999999 0 0 0 1 1 0 0\n", 10, "weight_bytes"},
        BadTrace{"too_few_values", "op norm 0 4\n", 10, "op"},
        BadTrace{"too_many_values", "op norm 0 4 4096 16384 0 0 0 1048576 1 0 0 f16 7\n", 10, "op"},
        BadTrace{"unknown_weight_format", "op norm 0 4 4096 16384 0 0 0 1048576 1 0 0 q7_k\n", 10, "format"},
        BadTrace{"matrix_not_bool", "op norm 0 4 4096 16384 0 0 0 1048576 1 0 2\n", 10, "matrix"},
        BadTrace{"self_dep", kOp + kOp + "dep 1 1\n", 12, "to"},
        BadTrace{"dep_out_of_range", kOp + "dep 0 5\n", 11, "to"},
        BadTrace{"dep_cycle", kOp + kOp + kOp + "dep 0 1\ndep 1 2\ndep 2 0\n", 15, "dep"},
        BadTrace{"unknown_phase", "step warmup 4 1 0 1\n", 10, "phase"},
        BadTrace{"unknown_line_kind", "frobnicate 1 2 3\n", 10, "frobnicate"},
        BadTrace{"header_after_steps_too_large", "prompt 99999999999\n", 10, "prompt"},
        BadTrace{"nul_byte", std::string("op norm 0 4 4096 16384 0 0 0 1048576 1 0 0\0\n", 44), 10, ""}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(CliErrors, trace_without_magic_or_with_wrong_version_is_refused) {
    ScratchDir dir("trace_magic");
    dir.write("a.trace", "model llama-3.1-8b\n");
    expect_input_error(run_cli({"run", "--trace", "a.trace", "--machine", "rtx-spark"}, {dir.path()}), 2, "a.trace", 1, "");
    dir.write("b.trace", "# comment\ninfersim-trace 2\n");
    expect_input_error(run_cli({"run", "--trace", "b.trace", "--machine", "rtx-spark"}, {dir.path()}), 2, "b.trace", 2, "version");
    dir.write("c.trace", "infersim-trace 1\n" + kOp);
    expect_input_error(run_cli({"run", "--trace", "c.trace", "--machine", "rtx-spark"}, {dir.path()}), 2, "c.trace", 2, "op");
    dir.write("d.trace", "");
    expect_input_error(run_cli({"run", "--trace", "d.trace", "--machine", "rtx-spark"}, {dir.path()}), 2, "d.trace", 1, "");
}

// ---- regressions: defects found while writing these tests, now fixed. Each comment says what ---
// ---- was observed before the fix ("Observed") and what the test now requires ("Expected"). ----

// A required key missing from a scenario *file* is blamed on the command line by `run`
// (`check` gets it right). Expected: "s.yaml:1:1: missing required key 'model' ...".
// Observed: "error: command line: missing required key 'model' ...".
TEST(CliRegressions, missing_key_in_scenario_file_is_reported_in_that_file) {
    ScratchDir dir("missing_key");
    dir.write("s.yaml", "machine: rtx-spark\nprompt: 64\n");
    expect_input_error(run_cli({"check", "s.yaml"}, {dir.path()}), 2, "s.yaml", 1, "model");
    expect_input_error(run_cli({"run", "s.yaml"}, {dir.path()}), 2, "s.yaml", 1, "model");
    dir.write("n.yaml", "machine: ~\nmodel: llama-3.1-8b\n");
    expect_input_error(run_cli({"run", "n.yaml"}, {dir.path()}), 2, "n.yaml", 0, "machine");
}

// Cross-field model checks (heads vs kv_heads, experts) report the top of the file (1:1),
// not the line of the field at fault. Expected: m.yaml:6:11 (the kv_heads value).
TEST(CliRegressions, model_cross_checks_point_at_the_field) {
    ScratchDir dir("model_line");
    dir.write("m.yaml", "# a model\nname: tiny\nlayers: 4\nhidden: 1024\nheads: 8\nkv_heads: 3\nffn: 4096\nvocab: 32000\n");
    expect_input_error(run_cli({"check", "m.yaml"}, {dir.path()}), 2, "m.yaml", 6, "kv_heads");
    dir.write("e.yaml", "name: tiny\nlayers: 4\nhidden: 1024\nheads: 8\nffn: 4096\nvocab: 32000\nexperts: 8\nactive_experts: 9\n");
    expect_input_error(run_cli({"check", "e.yaml"}, {dir.path()}), 2, "e.yaml", 8, "active_experts");
}

// A pool entry left empty ("lpddr:" with no value) loses the file and line:
// observed "error: <input>: field 'memory.lpddr': expected a mapping ...".
TEST(CliRegressions, null_pool_entry_is_reported_at_its_key) {
    ScratchDir dir("null_pool");
    dir.write("machines/m.yaml",
              "name: x\nmemory:\n  lpddr:\ncompute:\n  gpu: {count: 1, clock: 1 GHz, memory: lpddr, vector: {fp32: 1}}\n");
    expect_input_error(run_cli({"check", "machines/m.yaml"}, {dir.path()}), 2, "m.yaml", 3, "memory.lpddr");
}

// 'extends: ..' (a directory) is reported against the directory, without the file and line
// of the extends key. Observed: "error: ..: no such file (or not a regular file)".
TEST(CliRegressions, extends_to_a_directory_is_reported_at_the_extends_line) {
    ScratchDir dir("extends_dir");
    dir.write("machines/m.yaml", "extends: ..\nname: x\n");
    expect_input_error(run_cli({"check", "machines/m.yaml"}, {dir.path()}), 2, "m.yaml", 1, "extends");
}

std::string machine_without(const std::string& memory, const std::string& compute) {
    return "name: empty\nmemory: " + memory + "\ncompute: " + compute + "\n";
}

// A machine with no memory pools and no compute units passes `check`, then `run`, `fit` and
// `bench` die of SIGSEGV and `stream` reports "internal error: boost::bad_any_cast".
// Expected: the loader refuses it (exit 2, "memory: at least one pool", file:line:col).
TEST(CliRegressions, machine_without_pools_or_units_is_refused) {
    ScratchDir dir("empty_machine");
    dir.write("machines/m.yaml", machine_without("{}", "{}"));
    const std::vector<std::vector<std::string>> commands = {
        {"check", "machines/m.yaml"},
        {"run", "--machine", "machines/m.yaml", "--model", "llama-3.1-8b", "--prompt", "16", "--gen", "2"},
        {"fit", "--machine", "machines/m.yaml", "--model", "llama-3.1-8b"},
        {"bench", "--machine", "machines/m.yaml", "--model", "llama-3.1-8b", "-p", "16", "-n", "2"},
        {"stream", "--machine", "machines/m.yaml"},
        {"trace", "--machine", "machines/m.yaml", "--model", "llama-3.1-8b", "--prompt", "16", "--gen", "2", "-o", "t.trace"},
    };
    for (const auto& c : commands) {
        CliResult r = run_cli(c, {dir.path(), 5});
        EXPECT_EQ(r.exit_code, 2) << c[0] << ": " << r.describe();
        EXPECT_EQ(one_line_error_problem(r.err), "") << c[0] << ": " << r.describe();
        EXPECT_NE(r.err.find("m.yaml"), std::string::npos) << c[0] << ": " << r.err;
    }
}

std::string slow_machine(const std::string& clock) {
    return "name: slow\nmemory:\n  lpddr:\n    standard: lpddr5x-8533\n    capacity: 128 GiB\n    channels: 16\n"
           "compute:\n  gpu:\n    count: 32\n    clock: " +
           clock + "\n    memory: lpddr\n    vector: {fp32: 256, fp16: 512}\n    matrix: {fp16: 1024}\n";
}

// A compute-bound run longer than the timeline budget allows is not stopped: the bin
// estimate only uses the bandwidth ceiling, and the recorder then grows without limit
// (4.4 GB resident after 8 s for a 1 Hz unit). Expected: exit 3 (max_timeline_bins) at once.
TEST(CliRegressions, compute_bound_run_stops_at_the_timeline_budget) {
    ScratchDir dir("slow_clock");
    dir.write("slow.yaml", slow_machine("1 Hz"));
    CliOptions opt{dir.path(), 5, 2ull << 30};
    CliResult r = run_cli({"run", "--machine", "slow.yaml", "--model", "llama-3.1-8b", "--prompt", "16", "--gen", "2", "-o", "OUT.h5"}, opt);
    EXPECT_EQ(r.exit_code, 3) << r.describe();
    EXPECT_EQ(one_line_error_problem(r.err), "") << r.describe();
    // Under a 2 GiB address-space cap the run dies of bad_alloc ("error: out of memory", also
    // exit 3); without the cap it keeps growing. The refusal must come from the budget.
    EXPECT_NE(r.err.find("max_timeline_bins"), std::string::npos) << r.describe();
    EXPECT_EQ(dir.entries(), std::vector<std::string>{"slow.yaml"});
}

std::string one_op_trace(const std::string& op) {
    return "infersim-trace 1\nmodel llama-3.1-8b\nprompt 4\ngen 1\nstep prefill 4 1 0 1\n" + op + "\n";
}

// Op times overflow the picosecond clock silently: an op of 1e22 FLOPs "takes" 0.15 ms and
// the run exits 0 with nonsense (1e18 FLOPs takes 40,690 s, 1e20 hangs). Expected: a
// refusal (exit 2 naming the op line, or exit 3) when simulated time would exceed what a
// Tick holds.
TEST(CliRegressions, trace_op_flops_that_would_overflow_the_clock_are_refused) {
    ScratchDir dir("flops_overflow");
    dir.write("t.trace", one_op_trace("op qkv 0 4 4096 1000 1000 0 0 100 1e22 0 1"));
    CliResult r = run_cli({"run", "--trace", "t.trace", "--machine", "rtx-spark", "--json"}, {dir.path(), 5, 2ull << 30});
    EXPECT_TRUE(r.exit_code == 2 || r.exit_code == 3) << r.describe();
    EXPECT_EQ(one_line_error_problem(r.err), "") << r.describe();
}

// A trace op that reads 2^50 bytes is accepted (the event estimate uses the model, not the
// trace) and the run does not finish. Expected: exit 3 within a second.
TEST(CliRegressions, trace_op_with_a_petabyte_of_weights_is_refused_by_the_work_budget) {
    ScratchDir dir("bytes_unbounded");
    dir.write("t.trace", one_op_trace("op norm 0 4 4096 1125899906842624 0 0 0 1048576 1 0 0"));
    CliResult r = run_cli({"run", "--trace", "t.trace", "--machine", "rtx-spark"}, {dir.path(), 5, 2ull << 30});
    EXPECT_EQ(r.exit_code, 3) << r.describe();
    EXPECT_EQ(one_line_error_problem(r.err), "") << r.describe();
}

// A trace with no 'prompt' header line gets prompt 0, which is then blamed on the command
// line: "error: command line: field 'prompt': value 0 out of range". Expected: the trace file
// is named (missing header key, or a default).
TEST(CliRegressions, trace_without_prompt_header_is_reported_in_the_trace) {
    ScratchDir dir("trace_no_prompt");
    dir.write("t.trace", "infersim-trace 1\nmodel llama-3.1-8b\nstep prefill 4 1 0 1\n" + kOp);
    CliResult r = run_cli({"run", "--trace", "t.trace", "--machine", "rtx-spark"}, {dir.path(), 5});
    expect_input_error(r, 2, "t.trace", 0, "prompt");
}

// `run --trace T --prompt 4096` takes the flag over the trace header: the summary reports
// prompt 4096 and a KV cache sized for it while the replayed prefill has 4 tokens.
// Expected: flags that contradict the trace are refused (exit 2), or ignored consistently.
TEST(CliRegressions, run_trace_refuses_flags_that_contradict_the_trace) {
    ScratchDir dir("trace_contradiction");
    dir.write("t.trace", kTraceHeader + kStep + kOp);  // prompt 4
    CliResult r = run_cli({"run", "--trace", "t.trace", "--machine", "rtx-spark", "--prompt", "4096", "--json"}, {dir.path(), 5});
    if (r.exit_code == 0) {
        json j = parse_one_json_line(r);
        EXPECT_EQ(j["prompt"], j["prefill"]["tokens"]) << "summary says prompt " << j["prompt"] << " but the trace prefilled "
                                                       << j["prefill"]["tokens"];
    } else {
        expect_input_error(r, 2, "", 0, "prompt");
    }
}

// A dependency cycle closed by the last dep of a step is reported on the *next* step's line.
// Expected: the dep line (13), observed: 14 (the following 'step' line).
TEST(CliRegressions, trace_dependency_cycle_is_reported_on_the_dep_line) {
    ScratchDir dir("trace_cycle_line");
    dir.write("t.trace", kTraceHeader + kStep + kOp + kOp + "dep 0 1\ndep 1 0\n" + kStep + kOp);
    CliResult r = run_cli({"run", "--trace", "t.trace", "--machine", "rtx-spark"}, {dir.path(), 5});
    expect_input_error(r, 2, "t.trace", 13, "dep");
}

// A prompt of 1,000,000 tokens (beyond llama-3.1-8b's 131,072 context) is accepted and the
// run takes ~27 s of wall time for 0.9 M events (attention tiles run inline and are not
// counted against max_events); `bench -p 1000000` likewise. Expected: refused (prompt +
// gen over the model's max_context) or stopped by a budget, within seconds.
TEST(CliRegressions, prompt_beyond_the_trained_context_is_refused) {
    CliResult r = run_cli({"run", "--machine", "rtx-spark", "--model", "llama-3.1-8b", "--prompt", "1000000", "--gen", "8"}, {{}, 5});
    EXPECT_FALSE(r.timed_out) << r.describe();
    EXPECT_TRUE(r.exit_code == 2 || r.exit_code == 3) << r.describe();
    CliResult b = run_cli({"bench", "--machine", "rtx-spark", "--model", "llama-3.1-8b", "-p", "1000000", "-n", "1"}, {{}, 5});
    EXPECT_FALSE(b.timed_out) << b.describe();
}

// `check` with no file prints its options to stdout and exits 2 without any error message.
TEST(CliRegressions, check_without_files_says_so) {
    CliResult r = run_cli({"check"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(one_line_error_problem(r.err), "") << r.describe();
}

// Only the first YAML document is read; a second one (even a broken one) is silently
// ignored, so `check` says ok. Expected: "more than one YAML document" at its line.
TEST(CliRegressions, second_yaml_document_is_refused) {
    ScratchDir dir("multidoc");
    dir.write("scenarios/s.yaml", kScenario + "---\nprompt: 5\n");
    CliResult r = run_cli({"check", "scenarios/s.yaml"}, {dir.path()});
    EXPECT_EQ(r.exit_code, 2) << r.describe();
    EXPECT_NE(r.err.find("more than one YAML document"), std::string::npos) << r.describe();
}

// Messages echo input bytes verbatim: a NUL escape truncates the message, and ESC/RLO
// characters reach the terminal. Expected: non-printable characters escaped (as the GGUF
// reader does with \xNN).
TEST(CliRegressions, error_messages_escape_control_characters) {
    ScratchDir dir("control_chars");
    dir.write("s.yaml", "machine: \"rtx\\e[31m\\0spark\"\nmodel: llama-3.1-8b\n");
    CliResult r = run_cli({"run", "s.yaml"}, {dir.path()});
    EXPECT_EQ(r.exit_code, 2) << r.describe();
    for (char c : r.err)
        EXPECT_FALSE((static_cast<unsigned char>(c) < 0x20 && c != '\n') || c == 0x7f)
            << "control character " << static_cast<int>(c) << " in: " << r.err;
}

}  // namespace
}  // namespace infersim::test
