// Shipped configuration library: every machine, model and runtime file under configs/ loads,
// each memory pool's peak bandwidth matches the published figure, key compute peaks match
// their datasheets, and weight inventories match known GGUF file sizes.
#include <gtest/gtest.h>

#include "hardware/power/power_models.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "hardware/compute/compute_unit.hpp"
#include "hardware/catalogs.hpp"
#include "config/machine_loader.hpp"
#include "config/runtime_spec.hpp"
#include "workload/model_yaml.hpp"
#include "workload/weights.hpp"

using namespace infersim;
namespace fs = std::filesystem;

namespace {

const fs::path kConfigs = fs::path(INFERSIM_SOURCE_DIR) / "configs";

std::vector<fs::path> yaml_files(const std::string& folder) {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(kConfigs / folder))
        if (e.is_regular_file() && e.path().extension() == ".yaml") out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

// Loads every file with `load`, reporting the loader's message for each one that throws.
template <class Spec, class Load>
std::map<std::string, Spec> load_all(const std::string& folder, Load load) {
    std::map<std::string, Spec> out;
    for (const fs::path& p : yaml_files(folder)) {
        try {
            out.emplace(p.stem().string(), load(p.string()));
        } catch (const std::exception& e) {
            ADD_FAILURE() << p.filename().string() << " does not load: " << e.what();
        }
    }
    return out;
}

std::map<std::string, config::MachineSpec> machines() {
    return load_all<config::MachineSpec>("machines", [](const std::string& p) { return hw::load_machine(p); });
}

std::map<std::string, config::ModelSpec> models() {
    return load_all<config::ModelSpec>("models", [](const std::string& p) { return workload::load_model_yaml(p); });
}

double within(double got, double want) { return std::abs(got - want) / want; }

// Published peak bandwidth of every pool, GB/s. Apple rounds its LPDDR5-6400 figures down
// (100/200/400/800 GB/s); the table carries the exact bus width x data rate that reviewers
// quote (e.g. AnandTech's 409.6 GB/s for the M1 Max), which is also what hardware.md lists
// for the M3 Ultra (819 GB/s). Sources are in each machine file's comments.
struct PoolFigure {
    std::string pool;
    double gb_per_s;
};
const std::map<std::string, std::vector<PoolFigure>> kPublishedBandwidth{
    {"apple-m1-base", {{"unified", 68.25}}},
    {"apple-m1", {{"unified", 68.25}}},
    {"apple-m1-pro", {{"unified", 204.8}}},
    {"apple-m1-max", {{"unified", 409.6}}},
    {"apple-m1-ultra", {{"unified", 819.2}}},
    {"apple-m2-base", {{"unified", 102.4}}},
    {"apple-m2", {{"unified", 102.4}}},
    {"apple-m2-air", {{"unified", 102.4}}},  // the apple-m2 SoC in its fanless chassis
    {"apple-m2-pro", {{"unified", 204.8}}},
    {"apple-m2-max", {{"unified", 409.6}}},
    {"apple-m2-ultra", {{"unified", 819.2}}},
    {"apple-m3-base", {{"unified", 102.4}}},
    {"apple-m3", {{"unified", 102.4}}},
    {"apple-m3-pro", {{"unified", 153.6}}},
    {"apple-m3-max", {{"unified", 409.6}}},
    {"apple-m3-ultra", {{"unified", 819.0}}},
    {"apple-m4-base", {{"unified", 120.0}}},
    {"apple-m4", {{"unified", 120.0}}},
    {"apple-m4-pro", {{"unified", 273.0}}},
    {"apple-m4-max", {{"unified", 546.0}}},
    {"rtx-spark", {{"unified", 273.0}}},  // assumed GB10-class
    {"nvidia-dgx-spark", {{"unified", 273.0}}},
    {"nvidia-dgx-station", {{"hbm", 8000.0}, {"lpddr", 396.0}}},
    {"nvidia-h100-sxm", {{"hbm", 3350.0}, {"host", 614.4}}},  // host: DGX H100 16 ch DDR5-4800
    {"nvidia-h200", {{"hbm", 4800.0}, {"host", 614.4}}},
    {"nvidia-a100-sxm-80gb", {{"hbm", 2039.0}, {"host", 409.6}}},  // host: DGX A100 16 ch DDR4-3200
    {"nvidia-a100-pcie-80gb", {{"hbm", 1935.0}, {"host", 409.6}}},  // NVIDIA A100 datasheet (issue 9)
    {"nvidia-rtx-3090", {{"vram", 936.0}, {"host", 89.6}}},  // host: dual-channel DDR5-5600
    {"nvidia-rtx-4090", {{"vram", 1008.0}, {"host", 89.6}}},
    {"nvidia-rtx-5090", {{"vram", 1792.0}, {"host", 89.6}}},
    {"nvidia-jetson-agx-orin", {{"dram", 204.8}}},
    {"amd-strix-halo", {{"unified", 256.0}}},
    {"qualcomm-snapdragon-x-elite", {{"unified", 135.0}}},
    {"laptop-rtx-4060", {{"vram", 256.0}, {"ddr", 89.6}}},  // GDDR6 16 Gb/s x 128 bit; DDR5-5600 x 128 bit
};

// Datasheet compute peaks (TFLOPS or TOPS, dense) that the per-core figures must reproduce.
struct ComputeFigure {
    std::string machine;
    config::DType dtype;
    bool matrix;
    double tera_ops;
};
const std::vector<ComputeFigure> kPublishedCompute{
    {"apple-m1", config::DType::fp32, false, 2.6},          // Apple
    {"apple-m1-max", config::DType::fp32, false, 10.4},     // Apple
    {"apple-m1-ultra", config::DType::fp32, false, 21.0},   // Apple
    {"apple-m2-max", config::DType::fp32, false, 13.6},     // Apple
    {"apple-m2-ultra", config::DType::fp32, false, 27.2},   // Apple
    {"nvidia-h100-sxm", config::DType::bf16, true, 989.4},  // datasheet, dense
    {"nvidia-h100-sxm", config::DType::fp8, true, 1979.0},
    {"nvidia-a100-sxm-80gb", config::DType::fp16, true, 312.0},
    {"nvidia-a100-sxm-80gb", config::DType::int8, true, 624.0},
    {"nvidia-a100-sxm-80gb", config::DType::fp32, false, 19.5},
    {"nvidia-a100-pcie-80gb", config::DType::fp16, true, 312.0},  // datasheet, as the SXM part
    {"nvidia-rtx-3090", config::DType::fp16, true, 71.0},   // FP32 accumulate
    {"nvidia-rtx-3090", config::DType::int8, true, 284.0},
    {"nvidia-rtx-3090", config::DType::fp32, false, 35.6},
    {"nvidia-rtx-4090", config::DType::fp16, true, 165.2},  // FP32 accumulate
    {"nvidia-rtx-4090", config::DType::int8, true, 660.6},
    {"nvidia-rtx-4090", config::DType::fp32, false, 82.6},
    {"nvidia-rtx-5090", config::DType::fp16, true, 209.5},  // FP32 accumulate
    {"nvidia-rtx-5090", config::DType::int8, true, 838.0},
    {"nvidia-rtx-5090", config::DType::fp32, false, 104.8},
    {"nvidia-dgx-spark", config::DType::fp4, true, 500.0},  // "1 PFLOP FP4 sparse"
    {"nvidia-dgx-spark", config::DType::fp32, false, 31.0},
    {"nvidia-jetson-agx-orin", config::DType::int8, true, 85.0},  // GPU: 170 sparse
    {"nvidia-jetson-agx-orin", config::DType::fp32, false, 5.3},
    {"amd-strix-halo", config::DType::fp16, true, 59.4},
    {"qualcomm-snapdragon-x-elite", config::DType::fp32, false, 4.6},
};

// Known GGUF file sizes (../shared/reference/models.md). The file adds metadata and the
// tokenizer (well under 1%) to the tensors. Llama-3-8B/70B have Llama-3.1's shapes.
struct GgufSize {
    std::string model;
    std::string scheme;
    double bytes;
};
constexpr double GiB = 1073741824.0;
const std::vector<GgufSize> kGgufSizes{
    {"llama-2-7b", "f16", 12.55 * GiB},
    {"llama-2-7b", "q8_0", 6.67 * GiB},
    {"llama-2-7b", "q4_0", 3825807040.0},
    {"llama-2-7b", "q4_k_m", 3.80 * GiB},
    {"llama-3.1-8b", "f16", 14.96 * GiB},
    {"llama-3.1-70b", "q8_0", 69.83 * GiB},
    {"qwen2.5-7b", "q8_0", 7.54 * GiB},
    {"qwen2.5-7b", "q4_k_m", 4.36 * GiB},
    {"qwen3-30b-a3b", "q8_0", 30.25 * GiB},
    {"gpt-oss-20b", "mxfp4", 11.27 * GiB},
    {"gpt-oss-120b", "mxfp4", 59.02 * GiB},
};

}  // namespace

TEST(ShippedConfigs, every_machine_file_loads_and_names_a_shipped_runtime) {
    auto all = machines();
    EXPECT_GE(all.size(), 27u);
    for (const auto& [file, m] : all) {
        EXPECT_EQ(m.name, file) << file << ": the name should match the file name";
        EXPECT_FALSE(m.description.empty()) << file;
        EXPECT_TRUE(fs::exists(kConfigs / "runtimes" / (m.default_runtime + ".yaml")))
            << file << ": runtime '" << m.default_runtime << "' is not in configs/runtimes";
        ASSERT_FALSE(m.units.empty()) << file;
        EXPECT_EQ(m.units.front().kind, config::UnitKind::gpu) << file << ": the first unit should be the GPU llama.cpp runs on";
        const config::RuntimeSpec no_runtime{};
        for (const auto& u : m.units) {
            EXPECT_GT(u.energy_j_per_op[static_cast<std::size_t>(config::DType::fp16)], 0) << file << ": " << u.name << " fp16 energy";
            // Leakage always (static_power), or only while running for a power-gated unit (an NPU).
            EXPECT_GT(u.static_w + hw::make_compute_model(u, no_runtime)->running_w(), 0) << file << ": " << u.name;
        }
        // Family bases (*-base.yaml) are SoCs without a product: power lives in the products.
        if (file.ends_with("-base")) continue;
        // Power (issue 10): shipped machines run power model `system`, whose parts replace the
        // old platform/idle figures: the model builds and the machine idles above zero.
        const auto pm = hw::make_power_model(m);
        EXPECT_GT(pm->idle_power_w(false), 0) << file;
    }
}

TEST(ShippedConfigs, every_model_file_loads) {
    auto all = models();
    EXPECT_GE(all.size(), 11u);
    for (const auto& [file, m] : all) EXPECT_EQ(m.name, file) << file << ": the name should match the file name";
}

TEST(ShippedConfigs, every_runtime_file_loads) {
    int n = 0;
    for (const fs::path& p : yaml_files("runtimes")) {
        try {
            config::RuntimeSpec r = hw::load_runtime(p.string());
            EXPECT_EQ(r.name, p.stem().string());
            ++n;
        } catch (const std::exception& e) {
            ADD_FAILURE() << p.filename().string() << " does not load: " << e.what();
        }
    }
    EXPECT_GE(n, 5);
}

TEST(ShippedConfigs, ideal_runtime_costs_nothing) {
    config::RuntimeSpec r = hw::load_runtime((kConfigs / "runtimes" / "ideal.yaml").string());
    EXPECT_EQ(r.launch_overhead_s, 0);
    EXPECT_EQ(r.host_overhead_s, 0);
    EXPECT_EQ(r.gemv_bandwidth_fraction, 1.0);
}

TEST(ShippedConfigs, pool_peak_bandwidth_matches_published_figure_within_2_percent) {
    for (const auto& [file, m] : machines()) {
        auto it = kPublishedBandwidth.find(file);
        if (it == kPublishedBandwidth.end()) {
            ADD_FAILURE() << file << ": no published bandwidth in the test's table";
            continue;
        }
        EXPECT_EQ(m.pools.size(), it->second.size()) << file << ": every pool needs a published figure";
        for (const PoolFigure& f : it->second) {
            const config::PoolSpec* p = m.pool(f.pool);
            if (!p) {
                ADD_FAILURE() << file << ": no pool named " << f.pool;
                continue;
            }
            const double got = p->peak_bytes_per_s() / 1e9;
            EXPECT_LT(within(got, f.gb_per_s), 0.02)
                << file << "." << f.pool << ": " << p->channels << " channels x " << p->timing.channel_width_bits
                << " bit x " << p->timing.data_rate / 1e6 << " MT/s = " << got << " GB/s, published " << f.gb_per_s;
        }
    }
}

TEST(ShippedConfigs, compute_peaks_match_datasheets_within_2_percent) {
    auto all = machines();
    for (const ComputeFigure& f : kPublishedCompute) {
        auto it = all.find(f.machine);
        ASSERT_NE(it, all.end()) << f.machine;
        const config::ComputeUnitSpec& u = it->second.units.front();
        const double got = u.peak_ops_per_s(f.dtype, f.matrix) / 1e12;
        EXPECT_LT(within(got, f.tera_ops), 0.02)
            << f.machine << " " << config::name(f.dtype) << (f.matrix ? " matrix" : " vector") << ": " << got
            << " T, published " << f.tera_ops;
    }
}

TEST(ShippedConfigs, weight_bytes_match_known_gguf_sizes_within_1_percent) {
    auto all = models();
    for (const GgufSize& s : kGgufSizes) {
        auto it = all.find(s.model);
        ASSERT_NE(it, all.end()) << s.model;
        const double got = static_cast<double>(workload::build_weights(it->second, s.scheme).total_bytes());
        EXPECT_LT(within(got, s.bytes), 0.01)
            << s.model << " " << s.scheme << ": " << got << " bytes (" << got / GiB << " GiB), GGUF file " << s.bytes
            << " bytes (" << s.bytes / GiB << " GiB)";
    }
}

// The architectures' shipped models (issue 12) against their published totals (each YAML
// cites its source): gemma-3-12b counts its vision tower as vision_params.
TEST(ShippedConfigs, new_architecture_models_match_published_parameter_counts_within_1_percent) {
    const std::map<std::string, double> published{
        {"gemma-3-12b", 12.2e9}, {"phi-4-mini", 3.84e9}, {"kimi-k2", 1.03e12}, {"qwen3-next-80b-a3b", 80e9}, {"deepseek-v3", 671e9}};
    auto all = models();
    for (const auto& [name, figure] : published) {
        auto it = all.find(name);
        ASSERT_NE(it, all.end()) << name;
        const double got = workload::parameter_count(it->second) + it->second.vision_params;
        EXPECT_LT(within(got, figure), 0.01) << name << ": " << got << " parameters, published " << figure;
    }
}
