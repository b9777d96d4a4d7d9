// DRAM standards as data (configs/dram): every shipped standard loads; the files reproduce
// the former C++ preset formulas bit for bit; a copy under a new name, found through a config
// root or as a path, gives identical results; LPDDR6 counts data bytes, not pin bytes; bad
// standard files and unknown names fail at file:line:col.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "config/dram_standard.hpp"
#include "config/errors.hpp"
#include "config/machine_loader.hpp"
#include "hardware/catalogs.hpp"
#include "hardware/dram_channel.hpp"
#include "hardware/stream_bench.hpp"
#include "support/fixtures.hpp"
#include "support/inputs.hpp"
#include "support/temp_dir.hpp"

using namespace infersim;
namespace fs = std::filesystem;

namespace {

const std::string kShipped = std::string(INFERSIM_SOURCE_DIR) + "/configs";

config::DramStandard shipped(const std::string& name) { return config::load_dram_standard(kShipped + "/dram/" + name + ".yaml"); }

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string error_of_standard(const std::string& text) {
    test::TempDir d;
    const std::string path = d.write("bad.yaml", text);
    try {
        config::load_dram_standard(path);
    } catch (const config::InputError& e) {
        std::string msg = e.what();
        const std::size_t at = msg.find(d.dir.string());
        if (at != std::string::npos) msg.erase(at, d.dir.string().size() + 1);  // "bad.yaml:..." without the directory
        return msg;
    }
    return "";
}

std::string machine_error(const std::string& yaml, const config::SearchPaths& paths) {
    try {
        hw::read_machine(config::Node(config::load_yaml_text(yaml, "test.yaml"), "test.yaml"), paths);
    } catch (const config::InputError& e) {
        return e.what();
    }
    return "";
}

// A stream result without the host-time fields.
std::string stream_key(const hw::StreamResult& r) {
    std::ostringstream s;
    s.precision(17);
    s << r.bytes << " " << r.seconds << " " << r.bytes_per_s << " " << r.efficiency << " " << r.requests << " " << r.commands << " "
      << r.activations;
    return s.str();
}

const char* const kMinimal = R"(description: test standard
data_rate: 8000 MT/s
channel_width: 16
banks: 16
bank_groups: 4
burst_length: 16
page: 2 KiB
timing: {tCK: 8 UI, tRCD: 18 ns, tRP: 18 ns, tRAS: 42 ns, tRC: 60 ns, tWR: 34 ns, tCCD_S: 2 nCK, tCCD_L: 4 nCK,
         tRRD: 5 ns, tFAW: 20 ns, tWTR: 10 ns, tRTW: 7.5 ns, tRFC: 380 ns, tREFI: 3906 ns, tRFCpb: 190 ns, tREFIpb: 488 ns}
energy: {read: 4.5 pJ/bit, write: 4.5 pJ/bit, activate: 1 nJ}
)";

}  // namespace

TEST(DramStandards, every_shipped_standard_loads_and_is_listed_sorted) {
    const std::vector<std::string> names = config::dram_standard_names(test::config_paths());
    ASSERT_GE(names.size(), 19u);
    EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
    for (const char* n : {"lpddr4x-4266", "lpddr5-6400", "lpddr5x-7500", "lpddr5x-8000", "lpddr5x-8533", "lpddr5x-9600", "hbm2e", "hbm3",
                          "hbm3e", "gddr6x", "gddr7", "ddr5-5600", "lpddr6-10667", "lpddr6-14400", "lpddr4x", "lpddr5", "lpddr5x", "ddr5", "lpddr6"})
        EXPECT_NE(std::find(names.begin(), names.end(), n), names.end()) << n;
    for (const std::string& n : names) {
        SCOPED_TRACE(n);
        const config::DramStandard s = shipped(n);
        EXPECT_FALSE(s.description.empty());
        EXPECT_GT(s.timing.data_rate, 0);
        EXPECT_GT(s.timing.tCK, 0);
        EXPECT_GT(s.timing.tREFIpb, 0);
        EXPECT_GT(s.energy.read_j_per_bit, 0);
        EXPECT_GT(s.timing.burst_data_bytes(), 0);
    }
}

// The files must give exactly the values the deleted C++ preset functions computed, so no
// machine result moves: the same products and quotients, evaluated the same way.
TEST(DramStandards, files_reproduce_the_former_preset_formulas_exactly) {
    constexpr double ns = 1e-9, pJ = 1e-12;
    for (double mtps : {6400.0, 7500.0, 8000.0, 8533.0, 9600.0}) {
        const std::string name = mtps == 6400 ? "lpddr5-6400" : "lpddr5x-" + std::to_string(static_cast<int>(mtps));
        SCOPED_TRACE(name);
        const config::DramTiming t = shipped(name).timing;
        const double rate = mtps * 1e6, tck = 8.0 / rate;
        EXPECT_EQ(t.data_rate, rate);
        EXPECT_EQ(t.tCK, tck);
        EXPECT_EQ(t.tCCD_S, 2 * tck);
        EXPECT_EQ(t.tCCD_L, 4 * tck);
        EXPECT_EQ(t.tRRD, std::max(4 * tck, 5 * ns));
        EXPECT_EQ(t.tRCD, 18 * ns);
        EXPECT_EQ(t.tRTW, 7.5 * ns);
        EXPECT_EQ(t.tRFC, 380 * ns);
        EXPECT_EQ(t.page_bytes, 2048);
        EXPECT_EQ(shipped(name).energy.read_j_per_bit, (mtps == 6400 ? 5 : 4.5) * pJ);
        EXPECT_EQ(shipped(name).energy.activate_j, 1.0 * 1e-9);
    }
    const config::DramTiming l4 = shipped("lpddr4x-4266").timing;
    EXPECT_EQ(l4.tCK, 2.0 / 4266e6);
    EXPECT_EQ(l4.tCCD_S, 8 * l4.tCK);
    for (auto [name, gbps] : {std::pair{"hbm3", 6.4}, std::pair{"hbm3e", 9.6}}) {
        const config::DramTiming t = shipped(name).timing;
        EXPECT_EQ(t.data_rate, gbps * 1e9) << name;
        EXPECT_EQ(t.tCK, 4.0 / (gbps * 1e9)) << name;
        EXPECT_EQ(t.tCCD_L, 4 * t.tCK) << name;
        EXPECT_EQ(t.tREFIpb, 3900 * ns / 16) << name;
        EXPECT_EQ(t.tRCD, 19.4 * ns) << name;
    }
    EXPECT_EQ(shipped("hbm3e").energy.read_j_per_bit, 3.0 * pJ);
    EXPECT_EQ(shipped("hbm3e").energy.activate_j, 0.5 * 1e-9);
    for (auto [name, gbps, bl] : {std::tuple{"gddr6x", 21.0, 8}, std::tuple{"gddr7", 28.0, 32}}) {
        const config::DramTiming t = shipped(name).timing;
        const double rate = gbps * 1e9;
        EXPECT_EQ(t.tCK, bl / rate / 2) << name;
        EXPECT_EQ(t.tCCD_S, bl / rate) << name;
        EXPECT_EQ(t.tCCD_L, 2 * (bl / rate)) << name;
        EXPECT_EQ(t.tREFIpb, 1900 * ns / 16) << name;
        EXPECT_EQ(t.burst_length, bl) << name;
    }
    const config::DramTiming d5 = shipped("ddr5-5600").timing;
    EXPECT_EQ(d5.tCCD_S, 8 * (2.0 / 5600e6));
    EXPECT_EQ(d5.tREFIpb, 3900 * ns / 32);
}

TEST(DramStandards, a_family_name_is_its_common_grade) {
    const config::DramStandard alias = shipped("lpddr5x"), grade = shipped("lpddr5x-8533");
    EXPECT_EQ(alias.timing.tCK, grade.timing.tCK);
    EXPECT_EQ(alias.timing.data_rate, grade.timing.data_rate);
    EXPECT_EQ(alias.energy.read_j_per_bit, grade.energy.read_j_per_bit);
    EXPECT_NE(alias.description, grade.description);
    const config::MachineSpec m = test::machine_from(test::lpddr_machine_yaml(16));
    std::string y = test::lpddr_machine_yaml(16);
    y.replace(y.find("lpddr5x-8533"), 12, "lpddr5x");
    EXPECT_EQ(test::machine_from(y).pools[0].peak_bytes_per_s(), m.pools[0].peak_bytes_per_s());
}

TEST(DramStandards, a_copy_under_a_new_name_in_a_config_root_streams_identically) {
    test::TempDir root;
    fs::create_directories(root.dir / "dram");
    root.write("dram/my-lp5x.yaml", read_file(kShipped + "/dram/lpddr5x-8533.yaml"));
    config::SearchPaths paths{{root.dir.string(), kShipped}};
    std::string y = test::lpddr_machine_yaml(16);
    y.replace(y.find("lpddr5x-8533"), 12, "my-lp5x");
    const config::MachineSpec copy = hw::read_machine(config::Node(config::load_yaml_text(y, "test.yaml"), "test.yaml"), paths);
    const config::MachineSpec orig = test::machine_from(test::lpddr_machine_yaml(16));
    EXPECT_EQ(copy.pools[0].standard, "my-lp5x");
    for (hw::StreamPattern pat : {hw::StreamPattern::read, hw::StreamPattern::copy, hw::StreamPattern::random})
        EXPECT_EQ(stream_key(hw::run_stream(copy.pools[0], pat, 64ull << 20)), stream_key(hw::run_stream(orig.pools[0], pat, 64ull << 20)));
}

TEST(DramStandards, a_standard_named_by_path_is_found_beside_the_machine_file) {
    test::TempDir d;
    d.write("my-lp5x.yaml", read_file(kShipped + "/dram/lpddr5x-8533.yaml"));
    std::string y = test::lpddr_machine_yaml(16);
    y.replace(y.find("lpddr5x-8533"), 12, "my-lp5x.yaml");
    const config::MachineSpec m = hw::load_machine(d.write("machine.yaml", y), config::SearchPaths{});
    const config::MachineSpec orig = test::machine_from(test::lpddr_machine_yaml(16));
    EXPECT_EQ(stream_key(hw::run_stream(m.pools[0], hw::StreamPattern::triad, 32ull << 20)),
              stream_key(hw::run_stream(orig.pools[0], hw::StreamPattern::triad, 32ull << 20)));
}

TEST(DramStandards, lpddr6_peak_counts_data_bytes_not_pin_bytes) {
    const config::DramTiming t = shipped("lpddr6-14400").timing;
    EXPECT_EQ(t.burst_raw_bytes(), 36);   // BL24 x 12 DQ = 288 bits
    EXPECT_EQ(t.burst_data_bytes(), 32);  // 256 data bits, 32 metadata bits
    EXPECT_EQ(t.peak_raw_bytes_per_s(), 21.6e9);
    EXPECT_EQ(t.peak_data_bytes_per_s(), 19.2e9);
    std::string y = test::lpddr_machine_yaml(8);
    y.replace(y.find("lpddr5x-8533"), 12, "lpddr6-14400");
    const config::PoolSpec p = test::machine_from(y).pools[0];
    EXPECT_EQ(p.peak_bytes_per_s(), 153.6e9);  // 8 sub-channels x 19.2 GB/s of data
    EXPECT_EQ(shipped("lpddr6-10667").timing.peak_data_bytes_per_s(), 10667e6 * 12 / 8 * 256 / 288);
    // The channel models move 32 data bytes per burst, each taking the pins' BL24 time.
    const hw::ChannelTiming ct = hw::ChannelTiming::from(p);
    EXPECT_EQ(ct.burst_bytes, 32);
    EXPECT_NEAR(ct.peak_bytes_per_ps() * 1e12, 19.2e9, 1);
    const hw::StreamResult r = hw::run_stream(p, hw::StreamPattern::read, 256ull << 20);
    EXPECT_LT(r.bytes_per_s, 153.6e9);
    EXPECT_GT(r.efficiency, 0.8);  // efficiency is of the data peak, so it stays comparable to LPDDR5X's
    EXPECT_EQ(r.commands, (256ull << 20) / 32);
}

TEST(DramStandards, clock_counts_follow_an_overridden_data_rate) {
    std::string y = test::lpddr_machine_yaml(16);
    y.replace(y.find("    channels: 16\n"), 17, "    channels: 16\n    data_rate: 6400 MT/s\n    timing: {tCCD_L: 3 nCK}\n");
    const config::DramTiming t = test::machine_from(y).pools[0].timing;
    const double tck = (8.0 / 8533e6) * (8533e6 / 6400e6);  // the preset's clock, moved with the rate
    EXPECT_EQ(t.tCK, tck);
    EXPECT_EQ(t.tCCD_S, (2 * (8.0 / 8533e6)) * (8533e6 / 6400e6));
    EXPECT_EQ(t.tCCD_L, 3 * tck);
}

TEST(DramStandards, unknown_standard_lists_the_available_names_at_the_key) {
    std::string y = test::lpddr_machine_yaml(16);
    y.replace(y.find("lpddr5x-8533"), 12, "lpddr6-1066");
    const std::string e = machine_error(y, test::config_paths());
    EXPECT_NE(e.find("test.yaml:4:15"), std::string::npos) << e;
    EXPECT_NE(e.find("memory.lpddr.standard"), std::string::npos) << e;
    EXPECT_NE(e.find("did you mean 'lpddr6-10667'"), std::string::npos) << e;
    EXPECT_NE(e.find("available: ddr5 ddr5-5600 gddr6x gddr7 hbm2e hbm3 hbm3e lpddr4x"), std::string::npos) << e;
    EXPECT_EQ(e.find("-base"), std::string::npos) << e;
}

TEST(DramStandards, bad_standard_files_fail_at_file_line_column) {
    std::string minimal = kMinimal;
    EXPECT_EQ(error_of_standard(minimal), "");
    std::string s = minimal;
    s.replace(s.find("tRCD: 18 ns"), 11, "tRCD: 18 pJ");
    std::string e = error_of_standard(s);
    EXPECT_NE(e.find("bad.yaml:8:"), std::string::npos) << e;
    EXPECT_NE(e.find("timing.tRCD"), std::string::npos) << e;
    s = minimal;
    s.replace(s.find("tRCD: 18 ns, "), 13, "");
    e = error_of_standard(s);
    EXPECT_NE(e.find("bad.yaml:8:"), std::string::npos) << e;
    EXPECT_NE(e.find("missing required key 'tRCD'"), std::string::npos) << e;
    s = minimal;
    s.replace(s.find("tCK: 8 UI"), 9, "tCK: 2 nCK");  // a clock count needs a clock
    e = error_of_standard(s);
    EXPECT_NE(e.find("bad.yaml:8:15"), std::string::npos) << e;
    EXPECT_NE(e.find("tCK is not set"), std::string::npos) << e;
    s = minimal;
    s.replace(s.find("banks: 16"), 9, "bankz: 16");
    e = error_of_standard(s);
    EXPECT_NE(e.find("bad.yaml:4:"), std::string::npos) << e;
    EXPECT_NE(e.find("did you mean 'banks'"), std::string::npos) << e;
    e = error_of_standard(minimal + "metadata_bits: 300\n");
    EXPECT_NE(e.find("bad.yaml:1:1"), std::string::npos) << e;
    EXPECT_NE(e.find("metadata_bits (300)"), std::string::npos) << e;
    e = error_of_standard("extends: nowhere.yaml\ndescription: x\n");
    EXPECT_NE(e.find("bad.yaml:1:10"), std::string::npos) << e;
    EXPECT_NE(e.find("not found"), std::string::npos) << e;
}

TEST(DramStandards, describe_prints_data_and_raw_bytes_and_the_peak) {
    std::ostringstream out;
    config::print_dram_standard(out, shipped("lpddr6-14400"));
    const std::string s = out.str();
    EXPECT_NE(s.find("32 B data of 36 B raw"), std::string::npos) << s;
    EXPECT_NE(s.find("19.2 GB/s data per channel (21.6 GB/s raw)"), std::string::npos) << s;
    EXPECT_NE(s.find("14400 MT/s"), std::string::npos) << s;
    EXPECT_NE(s.find("timing.tCK"), std::string::npos) << s;
    std::ostringstream list;
    config::print_dram_standards(list, test::config_paths());
    EXPECT_NE(list.str().find("lpddr5x-8533"), std::string::npos);
    EXPECT_NE(list.str().find("LPDDR6-10667 12-bit sub-channel"), std::string::npos);
}
