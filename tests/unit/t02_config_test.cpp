// Config: units, schema errors with file:line:column, extends, did-you-mean, hostile YAML.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "hardware/catalogs.hpp"
#include "config/layered_file.hpp"
#include "config/machine_loader.hpp"
#include "config/units.hpp"
#include "support/fixtures.hpp"
#include "support/temp_dir.hpp"

using namespace infersim;
using config::Dimension;
using test::TempDir;

namespace {

std::string error_of(const std::string& yaml) {
    try {
        test::machine_from(yaml);
    } catch (const config::InputError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST(Units, quantities_parse_to_si) {
    EXPECT_DOUBLE_EQ(*config::parse_quantity("8533 MT/s", Dimension::transfer_rate), 8533e6);
    EXPECT_DOUBLE_EQ(*config::parse_quantity("128 GiB", Dimension::bytes), 137438953472.0);
    EXPECT_DOUBLE_EQ(*config::parse_quantity("273 GB/s", Dimension::bandwidth), 273e9);
    EXPECT_DOUBLE_EQ(*config::parse_quantity("18 ns", Dimension::time), 18e-9);
    EXPECT_DOUBLE_EQ(*config::parse_quantity("4.5 pJ/bit", Dimension::energy_per_bit), 4.5e-12);
    EXPECT_DOUBLE_EQ(*config::parse_quantity("1.4 GHz", Dimension::frequency), 1.4e9);
    EXPECT_DOUBLE_EQ(*config::parse_quantity("99.6 Wh", Dimension::energy), 99.6 * 3600);
}

TEST(Units, wrong_unit_nan_and_missing_unit_are_rejected) {
    std::string why;
    EXPECT_FALSE(config::parse_quantity("18 GB", Dimension::time, &why));
    EXPECT_NE(why.find("time"), std::string::npos);
    EXPECT_FALSE(config::parse_quantity("nan ns", Dimension::time));
    EXPECT_FALSE(config::parse_quantity("inf GB", Dimension::bytes));
    EXPECT_FALSE(config::parse_quantity("128", Dimension::bytes, &why));
    EXPECT_NE(why.find("unit"), std::string::npos);
    EXPECT_FALSE(config::parse_quantity("12 furlongs", Dimension::bytes));
}

TEST(MachineYaml, valid_machine_has_the_peak_bandwidth_its_channels_imply) {
    config::MachineSpec m = test::machine_from(test::lpddr_machine_yaml(16));
    ASSERT_EQ(m.pools.size(), 1u);
    EXPECT_NEAR(m.pools[0].peak_bytes_per_s(), 273.056e9, 1e6);  // 16 x 16 bit x 8533 MT/s
    EXPECT_DOUBLE_EQ(m.pools[0].timing.tRCD, 18e-9);
}

TEST(MachineYaml, unknown_key_names_line_column_and_suggests) {
    std::string e = error_of(test::lpddr_machine_yaml(16) + "powr: {platform: 5 W}\n");
    EXPECT_NE(e.find("test.yaml:"), std::string::npos) << e;
    EXPECT_NE(e.find("did you mean 'power'"), std::string::npos) << e;
}

TEST(MachineYaml, wrong_type_names_the_field_path) {
    std::string y = test::lpddr_machine_yaml(16);
    y.replace(y.find("capacity: 128 GiB"), 17, "capacity: lots");
    std::string e = error_of(y);
    EXPECT_NE(e.find("test.yaml:5:"), std::string::npos) << e;
    EXPECT_NE(e.find("memory.lpddr.capacity"), std::string::npos) << e;
    EXPECT_NE(e.find("size like"), std::string::npos) << e;
}

TEST(MachineYaml, negative_zero_and_absurd_values_are_refused) {
    for (const char* bad : {"channels: -4", "channels: 0", "channels: 1e12", "channels: .nan"}) {
        std::string y = test::lpddr_machine_yaml(16);
        y.replace(y.find("channels: 16"), 12, bad);
        std::string e = error_of(y);
        EXPECT_NE(e.find("memory.lpddr.channels"), std::string::npos) << bad << ": " << e;
    }
}

TEST(MachineYaml, duplicate_keys_are_errors) {
    std::string e = error_of(test::lpddr_machine_yaml(16) + "name: again\n");
    EXPECT_NE(e.find("duplicate key"), std::string::npos) << e;
}

TEST(MachineYaml, syntax_error_reports_line) {
    std::string e = error_of("name: x\nmemory: [unclosed\n");
    EXPECT_NE(e.find("test.yaml:"), std::string::npos) << e;
    EXPECT_NE(e.find("syntax"), std::string::npos) << e;
}

TEST(MachineYaml, unknown_dram_standard_suggests_close_name) {
    std::string y = test::lpddr_machine_yaml(16);
    y.replace(y.find("lpddr5x-8533"), 12, "lpddr5x-8553");
    std::string e = error_of(y);
    EXPECT_NE(e.find("did you mean 'lpddr5x-8533'"), std::string::npos) << e;
}

TEST(MachineYaml, unit_memory_must_name_a_pool) {
    std::string y = test::lpddr_machine_yaml(16);
    y.replace(y.find("memory: lpddr"), 13, "memory: hbm");
    std::string e = error_of(y);
    EXPECT_NE(e.find("compute.gpu.memory"), std::string::npos) << e;
}

TEST(MachineYaml, alias_bomb_is_refused_quickly) {
    std::string y = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
    char prev = 'a';
    for (char c = 'b'; c <= 'k'; ++c) {
        y += std::string(1, c) + ": &" + c + " [*" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev +
             ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + "]\n";
        prev = c;
    }
    std::string e = error_of(y);
    EXPECT_NE(e.find("alias"), std::string::npos) << e;
}

TEST(MachineYaml, deep_nesting_is_refused) {
    std::string y = "name: " + std::string(5000, '[') + std::string(5000, ']') + "\n";
    std::string e = error_of(y);
    EXPECT_FALSE(e.empty());
}

TEST(MachineYaml, binary_garbage_and_empty_files_are_refused) {
    TempDir t;
    std::string bin = t.write("bin.yaml", std::string("\x00\x01\x02garbage", 10));
    EXPECT_THROW(hw::load_machine(bin), config::InputError);
    std::string empty = t.write("empty.yaml", "");
    try {
        hw::load_machine(empty);
        FAIL();
    } catch (const config::InputError& e) {
        EXPECT_NE(std::string(e.what()).find("empty"), std::string::npos) << e.what();
    }
}

TEST(Extends, variant_overrides_base_and_errors_name_the_right_file) {
    TempDir t;
    t.write("base.yaml", test::lpddr_machine_yaml(16));
    std::string v = t.write("variant.yaml", "extends: base.yaml\nname: wide\nmemory:\n  lpddr:\n    channels: 32\n");
    config::MachineSpec m = hw::load_machine(v);
    EXPECT_EQ(m.name, "wide");
    EXPECT_EQ(m.pools[0].channels, 32);
    EXPECT_EQ(m.pools[0].standard, "lpddr5x-8533");  // inherited
    std::string bad = t.write("bad.yaml", "extends: base.yaml\nmemory:\n  lpddr:\n    channels: many\n");
    try {
        hw::load_machine(bad);
        FAIL();
    } catch (const config::InputError& e) {
        EXPECT_NE(std::string(e.what()).find("bad.yaml:4:"), std::string::npos) << e.what();
    }
}

TEST(Extends, circular_chain_is_an_error) {
    TempDir t;
    t.write("a.yaml", "extends: b.yaml\n");
    std::string a = (t.dir / "a.yaml").string();
    t.write("b.yaml", "extends: a.yaml\n");
    try {
        hw::load_machine(a);
        FAIL();
    } catch (const config::InputError& e) {
        EXPECT_NE(std::string(e.what()).find("circular"), std::string::npos) << e.what();
    }
}

TEST(MachineYaml, lone_comma_is_refused_at_once) {
    // yaml-cpp's LoadAll never returns on this input (found by fuzzing); the loader must not use it.
    EXPECT_THROW(test::machine_from(","), config::InputError);
}

TEST(MachineYaml, second_document_is_refused_at_its_marker) {
    std::string e = error_of(test::lpddr_machine_yaml(16) + "---\nname: other\n");
    EXPECT_NE(e.find("more than one YAML document"), std::string::npos) << e;
    EXPECT_NE(e.find("test.yaml:14:1"), std::string::npos) << e;  // the fixture has 13 lines
    // A leading marker is just the start of the one document.
    EXPECT_NO_THROW(test::machine_from("---\n" + test::lpddr_machine_yaml(16)));
}
