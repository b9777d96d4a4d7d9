// The HDF5 writer: layout read back with the C API, power that integrates to the recorded energy,
// provenance text, byte-identical files for identical inputs, and no partial file on failure.
#include <gtest/gtest.h>
#include <hdf5.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>

#include "hardware/power/power_models.hpp"
#include "output/hdf5_writer.hpp"

using namespace infersim;
namespace fs = std::filesystem;

namespace {

constexpr engine::Tick kBin = 1'000'000;      // 1 us
constexpr engine::Tick kEnd = 3'500'000;      // 3.5 bins: the last one is half a bin

config::MachineSpec machine() {
    config::MachineSpec m;
    m.name = "h5-test";
    config::PoolSpec p;
    p.name = "lpddr";
    p.channels = 2;
    p.timing.data_rate = 8.0e9;
    p.timing.channel_width_bits = 16;   // 16 GB/s per channel
    p.timing.page_bytes = 2048;
    p.energy = {4e-12, 5e-12, 1e-9, 0.5};
    m.pools.push_back(p);
    config::ComputeUnitSpec u;
    u.name = "gpu";
    u.static_w = 2.0;
    m.units.push_back(u);
    m.power.platform_w = 3.0;
    return m;
}

/// A recorder fed a little of everything, finished at kEnd.
std::unique_ptr<output::Recorder> recorder(const config::MachineSpec& m, const hw::PowerModel& power) {
    auto rec = std::make_unique<output::Recorder>(m, power, kBin, 4, 4);
    rec->channel_busy(hw::ChannelActivity{0, 0, 0, 2'000'000, 16'000, false, 100'000, 400, 100});
    rec->channel_busy(hw::ChannelActivity{0, 1, 500'000, 3'200'000, 8'000, true, 0, 250, 0});
    rec->unit_busy(0, 100'000, 3'000'000, 1e-6);
    replay::OpRecord a{0, -1, config::OpKind::embedding, workload::Phase::prefill, 0, 0, 1'000'000, 4096, 1e6, 1e-7, 5e-7,
                       replay::Bound::launch};
    replay::OpRecord b{1, 3, config::OpKind::ffn_down, workload::Phase::decode, 0, 1'000'000, 3'000'000, 24'000, 2e9, 2e-7,
                       0, replay::Bound::memory};
    rec->op_done(a);
    rec->op_done(b);
    rec->tokens_emitted(1'000'000, 0, 1, workload::Phase::prefill);
    rec->tokens_emitted(3'000'000, 1, 2, workload::Phase::decode);
    rec->finish(kEnd);
    return rec;
}

output::Summary summary() {
    output::Summary s;
    s.machine = "h5-test";
    s.model = "tiny";
    s.decode.tokens_per_s = 42.5;
    s.decode.bound = "memory";
    s.pools.push_back({"lpddr", 1e9, 100, 50, 50, 32e9, 0.25, 16'000, 8'000});
    s.energy_by_domain = {{"dram:lpddr", 1.0}, {"platform", 2.0}};
    s.events = 7;
    return s;
}

output::Provenance provenance() { return {"9.9.9", "name: h5-test\n", "name: tiny\n", "prompt: 1\n", "name: ideal\n"}; }

struct H5 {
    hid_t id;
    herr_t (*close)(hid_t);
    ~H5() {
        if (id >= 0) close(id);
    }
    operator hid_t() const { return id; }
};

std::string read_string_attr(hid_t obj, const char* name) {
    H5 a{H5Aopen(obj, name, H5P_DEFAULT), H5Aclose};
    H5 t{H5Aget_type(a), H5Tclose};
    std::string s(H5Tget_size(t), '\0');
    EXPECT_GE(H5Aread(a, t, s.data()), 0);
    return s.substr(0, s.find('\0'));
}

std::vector<double> read_doubles(hid_t file, const std::string& path) {
    H5 d{H5Dopen2(file, path.c_str(), H5P_DEFAULT), H5Dclose};
    H5 sp{H5Dget_space(d), H5Sclose};
    std::vector<double> v(static_cast<std::size_t>(H5Sget_simple_extent_npoints(sp)));
    EXPECT_GE(H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()), 0);
    return v;
}

std::string bytes_of(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

class Hdf5Writer : public ::testing::Test {
protected:
    void SetUp() override {
        dir = fs::temp_directory_path() / ("infersim_t40_" + std::to_string(::getpid()));
        fs::remove_all(dir);
        fs::create_directories(dir);
    }
    void TearDown() override { fs::remove_all(dir); }
    void write(const fs::path& p) { output::write_hdf5(p.string(), *rec, sum, prov, m); }

    fs::path dir;
    config::MachineSpec m = machine();
    std::unique_ptr<hw::PowerModel> power = hw::make_power_model(m);
    std::unique_ptr<output::Recorder> rec = recorder(m, *power);
    output::Summary sum = summary();
    output::Provenance prov = provenance();
};

}  // namespace

TEST_F(Hdf5Writer, file_has_summary_timeline_ops_and_tokens) {
    const fs::path p = dir / "run.h5";
    write(p);
    H5 f{H5Fopen(p.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose};
    ASSERT_GE(f.id, 0);
    for (const char* g : {"/summary", "/timeline", "/timeline/dram/lpddr", "/timeline/compute/gpu", "/timeline/power",
                          "/ops", "/tokens", "/summary/decode/tokens_per_s", "/summary/pools/lpddr/avg_bw_util"})
        EXPECT_GT(H5Lexists(f, g, H5P_DEFAULT), 0) << g;
    EXPECT_DOUBLE_EQ(read_doubles(f, "/summary/decode/tokens_per_s").at(0), 42.5);

    EXPECT_EQ(read_doubles(f, "/timeline/time_s").size(), 4u);
    EXPECT_EQ(read_doubles(f, "/timeline/dram/lpddr/channel_bw_util").size(), 8u);
    // Channel 0 moves 16 kB over 2 us at 16 GB/s peak: half utilised in bins 0 and 1.
    const auto ch = read_doubles(f, "/timeline/dram/lpddr/channel_bw_util");
    EXPECT_NEAR(ch[0], 0.5, 1e-12);
    EXPECT_NEAR(ch[2], 0.0, 1e-12);
    // Channel 0: 400 row hits and 100 misses, 0.1 us of refresh, spread over its 2 us.
    EXPECT_NEAR(read_doubles(f, "/timeline/dram/lpddr/channel_row_hit_rate").at(0), 0.8, 1e-12);
    EXPECT_NEAR(read_doubles(f, "/timeline/dram/lpddr/channel_refresh_busy").at(0), 0.05, 1e-12);
    EXPECT_EQ(read_doubles(f, "/timeline/dram/lpddr/row_hit_rate").size(), 4u);
    EXPECT_NEAR(read_doubles(f, "/timeline/dram/lpddr/refresh_busy").at(0), 0.025, 1e-12);  // mean of 2 channels

    struct Row {
        std::uint32_t step;
        char kind[16];
        double end_s;
        std::uint64_t bytes;
    };
    H5 s16{H5Tcopy(H5T_C_S1), H5Tclose};
    H5Tset_size(s16, 16);
    H5Tset_cset(s16, H5T_CSET_UTF8);  // HDF5 does not convert between ASCII and UTF-8
    H5 rt{H5Tcreate(H5T_COMPOUND, sizeof(Row)), H5Tclose};
    H5Tinsert(rt, "step", HOFFSET(Row, step), H5T_NATIVE_UINT32);
    H5Tinsert(rt, "kind", HOFFSET(Row, kind), s16);
    H5Tinsert(rt, "end_s", HOFFSET(Row, end_s), H5T_NATIVE_DOUBLE);
    H5Tinsert(rt, "bytes", HOFFSET(Row, bytes), H5T_NATIVE_UINT64);
    H5 ops{H5Dopen2(f, "/ops", H5P_DEFAULT), H5Dclose};
    H5 sp{H5Dget_space(ops), H5Sclose};
    ASSERT_EQ(H5Sget_simple_extent_npoints(sp), 2);
    Row rows[2];
    ASSERT_GE(H5Dread(ops, rt, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows), 0);
    EXPECT_EQ(rows[1].step, 1u);
    EXPECT_EQ(std::string(rows[1].kind, strnlen(rows[1].kind, 16)), "ffn_down");
    EXPECT_DOUBLE_EQ(rows[1].end_s, 3e-6);
    EXPECT_EQ(rows[1].bytes, 24'000u);

    struct Tok {
        std::uint64_t index;
        double time_s;
    };
    H5 tt{H5Tcreate(H5T_COMPOUND, sizeof(Tok)), H5Tclose};
    H5Tinsert(tt, "index", HOFFSET(Tok, index), H5T_NATIVE_UINT64);
    H5Tinsert(tt, "time_s", HOFFSET(Tok, time_s), H5T_NATIVE_DOUBLE);
    H5 tokens{H5Dopen2(f, "/tokens", H5P_DEFAULT), H5Dclose};
    Tok toks[2];
    ASSERT_GE(H5Dread(tokens, tt, H5S_ALL, H5S_ALL, H5P_DEFAULT, toks), 0);
    EXPECT_EQ(toks[1].index, 3u);  // cumulative: 1 + 2
    EXPECT_DOUBLE_EQ(toks[1].time_s, 3e-6);
}

TEST_F(Hdf5Writer, power_timeline_integrates_to_recorded_energy) {
    const fs::path p = dir / "run.h5";
    write(p);
    H5 f{H5Fopen(p.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose};
    const auto t = read_doubles(f, "/timeline/time_s");
    std::vector<double> span(t.size());
    for (std::size_t b = 0; b < t.size(); ++b) span[b] = (b + 1 < t.size() ? t[b + 1] : 3.5e-6) - t[b];
    double energy = 0;
    for (const std::string& d : rec->domain_names()) {
        std::string name = d;
        std::replace(name.begin(), name.end(), ':', '_');
        const auto w = read_doubles(f, "/timeline/power/" + name);
        for (std::size_t b = 0; b < w.size(); ++b) energy += w[b] * span[b];
        H5 ds{H5Dopen2(f, ("/timeline/power/" + name).c_str(), H5P_DEFAULT), H5Dclose};
        EXPECT_EQ(read_string_attr(ds, "unit"), "W");
        EXPECT_EQ(read_string_attr(ds, "domain"), d);
    }
    EXPECT_NEAR(energy, rec->total_energy_j(), 1e-9 * rec->total_energy_j());
}

TEST_F(Hdf5Writer, root_attributes_carry_the_provenance_texts) {
    const fs::path p = dir / "run.h5";
    write(p);
    H5 f{H5Fopen(p.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose};
    EXPECT_EQ(read_string_attr(f, "infersim_version"), "9.9.9");
    EXPECT_EQ(read_string_attr(f, "machine_yaml"), prov.machine_yaml);
    EXPECT_EQ(read_string_attr(f, "model_yaml"), prov.model_yaml);
    EXPECT_EQ(read_string_attr(f, "scenario_yaml"), prov.scenario_yaml);
    EXPECT_EQ(read_string_attr(f, "runtime_yaml"), prov.runtime_yaml);
    EXPECT_EQ(read_string_attr(f, "summary_json"), output::to_json(sum).dump());
}

TEST_F(Hdf5Writer, identical_inputs_give_identical_bytes_without_timestamps) {
    write(dir / "a.h5");
    write(dir / "b.h5");
    const std::string a = bytes_of(dir / "a.h5");
    EXPECT_GT(a.size(), 0u);
    EXPECT_TRUE(a == bytes_of(dir / "b.h5"));
    // Timestamps would differ between runs a second apart: none are stored.
    H5 f{H5Fopen((dir / "a.h5").c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose};
    for (const char* obj : {"/", "/summary", "/ops", "/timeline/time_s"}) {
        H5O_info_t info;
        ASSERT_GE(H5Oget_info_by_name2(f, obj, &info, H5O_INFO_TIME, H5P_DEFAULT), 0);
        EXPECT_EQ(info.mtime, 0) << obj;
        EXPECT_EQ(info.ctime, 0) << obj;
    }
}

TEST_F(Hdf5Writer, success_leaves_no_temporary_file) {
    write(dir / "run.h5");
    for (const auto& e : fs::directory_iterator(dir)) EXPECT_EQ(e.path().filename(), "run.h5");
}

TEST_F(Hdf5Writer, missing_directory_throws_output_error_and_leaves_nothing) {
    const fs::path p = dir / "no-such-dir" / "run.h5";
    try {
        write(p);
        FAIL() << "expected OutputError";
    } catch (const output::OutputError& e) {
        EXPECT_NE(std::string(e.what()).find(p.string()), std::string::npos) << e.what();
    }
    EXPECT_FALSE(fs::exists(p));
    EXPECT_TRUE(fs::is_empty(dir));
}

TEST_F(Hdf5Writer, failure_midway_removes_the_temporary_file) {
    // Two pools that clean to the same group name make group creation fail after the file exists.
    m.pools.push_back(m.pools[0]);
    m.pools[1].name = "lpddr";
    auto pm = hw::make_power_model(m);
    auto r = recorder(m, *pm);
    EXPECT_THROW(output::write_hdf5((dir / "run.h5").string(), *r, sum, prov, m), output::OutputError);
    EXPECT_TRUE(fs::is_empty(dir));
}

TEST_F(Hdf5Writer, empty_run_writes_empty_tables) {
    output::Recorder empty(m, *power, kBin, 0, 0);
    empty.finish(0);
    const fs::path p = dir / "empty.h5";
    output::write_hdf5(p.string(), empty, sum, prov, m);
    H5 f{H5Fopen(p.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose};
    EXPECT_TRUE(read_doubles(f, "/timeline/time_s").empty());
    H5 ops{H5Dopen2(f, "/ops", H5P_DEFAULT), H5Dclose};
    H5 sp{H5Dget_space(ops), H5Sclose};
    EXPECT_EQ(H5Sget_simple_extent_npoints(sp), 0);
}
