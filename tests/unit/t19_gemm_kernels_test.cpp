// Prefill GEMM kernel models (mmq, blas, metal_mul_mm, vulkan_coopmat), each driven alone on a
// unit spec with round numbers against a fixed GEMM (the mock neighbour), asserting the closed
// form: ops / (cores x rate x sustained clock), capped by the datasheet rate, plus the
// kernel's activation pass or its dequantization once per tile load; the `prefill_kernel:`
// block's loading (classes, models, fields, errors, `extends:` variants) and the
// `sustained_clock` machine field.
#include <gtest/gtest.h>

#include <sstream>

#include "config/layered_file.hpp"
#include "hardware/catalogs.hpp"
#include "hardware/compute/gemm_kernel.hpp"
#include "support/inputs.hpp"

using namespace infersim;
using config::DType;

namespace {

constexpr std::size_t idx(DType d) { return static_cast<std::size_t>(d); }

// 2 cores, datasheet clock 2 GHz, sustained 1 GHz; vector 1000 ops/cycle (fp32, fp16); matrix
// fp16 10000 and int8 20000 per core per cycle; 1 pJ per fp32/fp16 op, 0.5 pJ per int8 op.
config::ComputeUnitSpec round_unit() {
    config::ComputeUnitSpec u;
    u.name = "u";
    u.impl = "gpu";
    u.count = 2;
    u.clock_hz = 2e9;
    u.sustained_clock_hz = 1e9;
    u.vector_ops_per_cycle[idx(DType::fp32)] = 1000;
    u.vector_ops_per_cycle[idx(DType::fp16)] = 1000;
    u.matrix_ops_per_cycle[idx(DType::fp16)] = 10000;
    u.matrix_ops_per_cycle[idx(DType::int8)] = 20000;
    u.energy_j_per_op[idx(DType::fp32)] = 1e-12;
    u.energy_j_per_op[idx(DType::fp16)] = 1e-12;
    u.energy_j_per_op[idx(DType::int8)] = 0.5e-12;
    return u;
}

// A runtime profile from YAML text, read with the hardware layer's kernel catalog.
config::RuntimeSpec runtime(const std::string& yaml) {
    return config::read_runtime(config::Node(config::load_yaml_text(yaml, "rt.yaml"), "rt.yaml"), hw::gemm_kernel_catalog());
}

// A prefill GEMM: 64 tokens x 128 output features x K 1024 = 16,777,216 ops, 4-bit integer weights.
hw::OpWork gemm() {
    hw::OpWork op;
    op.kind = config::OpKind::ffn_up;
    op.prefill = true;
    op.matrix = true;
    op.rows = 64;
    op.cols = 128;
    op.flops = 2.0 * 64 * 128 * 1024;
    op.weights = hw::WeightFormat{DType::fp16, 4, true};
    return op;
}

constexpr double kFlops = 2.0 * 64 * 128 * 1024;
constexpr double kActElements = 64.0 * 1024;

}  // namespace

TEST(GemmKernels, mmq_time_is_ops_over_cores_rate_and_sustained_clock_plus_the_q8_1_pass) {
    config::ComputeUnitSpec u = round_unit();
    u.params.set("activation_bandwidth", 1e11);
    const auto rt = runtime("prefill_kernel:\n  quantized: {impl: mmq, int8_rate: 500, stream_k: true, activation_bytes: 5, activation_ops: 10}\n");
    const auto m = hw::make_compute_model(u, rt);
    const hw::ComputeCost c = m->cost(gemm());
    // 2 cores x 500 x 1 GHz (the sustained clock, not the 2 GHz datasheet one) = 1e12 ops/s;
    // the pass moves 65536 x 5 B at 100 GB/s (3.2768 us), slower than its 655360 ops on SIMD.
    EXPECT_DOUBLE_EQ(c.seconds, kFlops / 1e12 + kActElements * 5 / 1e11);
    EXPECT_TRUE(c.matrix_path);
    EXPECT_EQ(c.dtype, DType::int8);
    EXPECT_DOUBLE_EQ(c.energy_j, kFlops * 0.5e-12 + kActElements * 10 * 1e-12);
    EXPECT_DOUBLE_EQ(m->prefill_peak_ops_per_s(), 1e12);
}

TEST(GemmKernels, mmq_without_an_activation_bandwidth_pays_the_pass_on_simd) {
    const auto rt = runtime("prefill_kernel:\n  quantized: {impl: mmq, int8_rate: 500, stream_k: true, activation_ops: 10}\n");
    const config::ComputeUnitSpec u = round_unit();
    const auto m = hw::make_compute_model(u, rt);
    EXPECT_DOUBLE_EQ(m->cost(gemm()).seconds, kFlops / 1e12 + kActElements * 10 / 2e12);
}

TEST(GemmKernels, mmq_rate_is_capped_by_the_datasheet_int8_rate) {
    const auto rt = runtime("prefill_kernel:\n  quantized: {impl: mmq, int8_rate: 50000, stream_k: true, activation_ops: 0}\n");
    const config::ComputeUnitSpec u = round_unit();
    const auto m = hw::make_compute_model(u, rt);
    EXPECT_DOUBLE_EQ(m->cost(gemm()).seconds, kFlops / (20000 * 2 * 1e9));
}

TEST(GemmKernels, mmq_without_stream_k_loses_the_partial_wave) {
    config::ComputeUnitSpec u = round_unit();
    u.count = 3;  // 2 output tiles of 64 x 64 on 3 cores: one wave, 2/3 busy
    const auto rt = runtime("prefill_kernel:\n  quantized: {impl: mmq, int8_rate: 500, tile: [64, 64], activation_ops: 0}\n");
    EXPECT_DOUBLE_EQ(hw::make_compute_model(u, rt)->cost(gemm()).seconds, kFlops / (500 * 3 * 1e9 * 2.0 / 3.0));
}

TEST(GemmKernels, mmq_runs_fp4_weights_natively_only_on_units_with_fp4_matrix_units) {
    const auto rt = runtime("prefill_kernel:\n  fp4: {impl: mmq, int8_rate: 500, fp4_rate: 1000, stream_k: true, activation_ops: 0}\n");
    hw::OpWork op = gemm();
    op.weights = hw::WeightFormat{DType::fp4, 4, false};
    config::ComputeUnitSpec u = round_unit();
    EXPECT_DOUBLE_EQ(hw::make_compute_model(u, rt)->cost(op).seconds, kFlops / 1e12);  // int8 path
    u.matrix_ops_per_cycle[idx(DType::fp4)] = 40000;
    const hw::ComputeCost c = hw::make_compute_model(u, rt)->cost(op);
    EXPECT_DOUBLE_EQ(c.seconds, kFlops / 2e12);
    EXPECT_EQ(c.dtype, DType::fp4);
}

TEST(GemmKernels, float_weights_take_the_blas_path_and_quantized_ones_mmq) {
    const auto rt = runtime(
        "prefill_kernel:\n  quantized: {impl: mmq, int8_rate: 500, stream_k: true, activation_ops: 0}\n"
        "  float: {impl: blas, efficiency: 0.5, tile: [64, 64], activation_ops: 0}\n");
    const config::ComputeUnitSpec u = round_unit();
    const auto m = hw::make_compute_model(u, rt);
    hw::OpWork f16 = gemm();
    f16.weights = hw::WeightFormat{DType::fp16, 16, false};
    const hw::ComputeCost c = m->cost(f16);
    EXPECT_DOUBLE_EQ(c.seconds, kFlops / (10000 * 2 * 1e9 * 0.5));  // fp16 matrix rate x efficiency, sustained clock
    EXPECT_EQ(c.dtype, DType::fp16);
    EXPECT_TRUE(c.matrix_path);
    EXPECT_DOUBLE_EQ(m->cost(gemm()).seconds, kFlops / 1e12);       // the q4 op still on MMQ
}

TEST(GemmKernels, metal_mul_mm_charges_dequantization_once_per_tile_load) {
    config::ComputeUnitSpec u = round_unit();
    u.matrix_ops_per_cycle = {};  // an Apple GPU: simdgroup matrices on the ALUs
    const auto rt = runtime("prefill_kernel:\n  quantized: {impl: metal_mul_mm, rate: 250, tile: [64, 32]}\n"
                            "  float: {impl: metal_mul_mm, rate: 250}\n");
    const auto m = hw::make_compute_model(u, rt);
    hw::OpWork op = gemm();
    op.dequant_ops = 1e6;  // every weight unpacked once; 64 tokens = 2 token tiles of 32
    const double mma = kFlops / (250 * 2 * 1e9);
    const hw::ComputeCost c = m->cost(op);
    EXPECT_DOUBLE_EQ(c.seconds, mma + 2e6 / 2e12);
    EXPECT_DOUBLE_EQ(c.energy_j, (kFlops + 2e6) * 1e-12);
    hw::OpWork f16 = gemm();
    f16.weights = hw::WeightFormat{DType::fp16, 16, false};
    EXPECT_DOUBLE_EQ(m->cost(f16).seconds, mma);  // nothing to unpack
}

TEST(GemmKernels, vulkan_coopmat_takes_the_largest_tile_the_drivers_shared_memory_admits) {
    const std::string base = "prefill_kernel:\n  quantized: {impl: vulkan_coopmat, rate: 400, tiles: [[128, 128, 64], [64, 64, 64]], shared_memory: ";
    hw::OpWork op = gemm();
    op.rows = 128;  // 128 x 128 outputs: one large tile or four medium ones, on 1 core
    op.flops = 2.0 * 128 * 128 * 1024;
    config::ComputeUnitSpec u = round_unit();
    u.count = 1;
    // Large tile: (128 + 128) x (64 + 8) x 2 B = 36 KiB: fits 64 KiB (RADV), not 32 KiB (AMDVLK),
    // whose medium tile reuses operands half as much (64 x 64 / 128 against 128 x 128 / 256).
    const config::RuntimeSpec rt_radv = runtime(base + "64 KiB}\n");
    const config::RuntimeSpec rt_amdvlk = runtime(base + "32 KiB}\n");
    const double radv = hw::make_compute_model(u, rt_radv)->cost(op).seconds;
    const double amdvlk = hw::make_compute_model(u, rt_amdvlk)->cost(op).seconds;
    EXPECT_DOUBLE_EQ(radv, op.flops / (400 * 1e9));
    EXPECT_DOUBLE_EQ(amdvlk, op.flops / (200 * 1e9));
}

TEST(GemmKernels, vulkan_coopmat_leaves_devices_without_matrix_units_to_the_roofline) {
    config::ComputeUnitSpec u = round_unit();
    u.matrix_ops_per_cycle = {};
    const auto with = runtime("gemm_efficiency: 0.5\nprefill_kernel:\n  quantized: {impl: vulkan_coopmat, rate: 400}\n");
    const auto without = runtime("gemm_efficiency: 0.5\n");
    EXPECT_DOUBLE_EQ(hw::make_compute_model(u, with)->cost(gemm()).seconds, hw::make_compute_model(u, without)->cost(gemm()).seconds);
}

TEST(GemmKernels, decode_and_attention_ops_stay_on_the_roofline) {
    const auto with = runtime("prefill_kernel:\n  quantized: {impl: mmq, int8_rate: 1}\n  float: {impl: blas, efficiency: 0.01}\n");
    const auto without = runtime("name: plain\n");
    const config::ComputeUnitSpec u = round_unit();
    hw::OpWork decode = gemm();
    decode.prefill = false;
    hw::OpWork attention = gemm();
    attention.kind = config::OpKind::attention;
    attention.weights = hw::WeightFormat{};
    for (const hw::OpWork& op : {decode, attention})
        EXPECT_DOUBLE_EQ(hw::make_compute_model(u, with)->cost(op).seconds, hw::make_compute_model(u, without)->cost(op).seconds);
}

TEST(GemmKernels, a_profile_without_the_block_keeps_gemm_efficiency_of_the_datasheet_peak) {
    const auto rt = runtime("gemm_efficiency: 0.5\ngemm_tile: [64, 128]\nprefill_dtype: int8\n");
    // int8 matrix 20000 x 2 cores x 2 GHz (the datasheet clock) x 0.5; one 64 x 128 tile.
    config::ComputeUnitSpec u = round_unit();
    u.count = 1;
    EXPECT_DOUBLE_EQ(hw::make_compute_model(u, rt)->cost(gemm()).seconds, kFlops / (20000 * 2e9 * 0.5));
}

TEST(GemmKernels, loader_names_the_file_line_and_field_of_a_bad_kernel_entry) {
    auto error_of = [](const std::string& yaml) {
        try {
            runtime(yaml);
        } catch (const config::InputError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    const std::string unknown_impl = error_of("prefill_kernel:\n  quantized: {impl: mmqq, int8_rate: 5}\n");
    EXPECT_NE(unknown_impl.find("rt.yaml:2"), std::string::npos) << unknown_impl;
    EXPECT_NE(unknown_impl.find("did you mean 'mmq'"), std::string::npos) << unknown_impl;
    const std::string unknown_class = error_of("prefill_kernel:\n  int4: {impl: mmq, int8_rate: 5}\n");
    EXPECT_NE(unknown_class.find("int4"), std::string::npos) << unknown_class;
    const std::string missing = error_of("prefill_kernel:\n  quantized: {impl: mmq}\n");
    EXPECT_NE(missing.find("int8_rate"), std::string::npos) << missing;
    const std::string foreign = error_of("prefill_kernel:\n  quantized: {impl: blas, efficiency: 0.5, int8_rate: 5}\n");
    EXPECT_NE(foreign.find("int8_rate"), std::string::npos) << foreign;
    // Without the hardware layer's catalog the block cannot be read.
    EXPECT_THROW(config::read_runtime(config::Node(config::load_yaml_text("prefill_kernel:\n  quantized: {impl: mmq, int8_rate: 5}\n", "x"), "x")),
                 config::InputError);
}

TEST(GemmKernels, describe_lists_every_kernel_model_with_its_fields) {
    std::ostringstream out;
    hw::describe_gemm_kernels(out);
    for (const char* word : {"impl: mmq", "impl: blas", "impl: metal_mul_mm", "impl: vulkan_coopmat", "int8_rate", "fp4_rate",
                             "stream_k", "efficiency", "shared_memory", "tiles"})
        EXPECT_NE(out.str().find(word), std::string::npos) << word << " missing from:\n" << out.str();
}

TEST(GemmKernels, amdvlk_variant_extends_the_vulkan_profile_with_less_shared_memory) {
    const std::string dir = std::string(INFERSIM_SOURCE_DIR) + "/configs/runtimes/";
    const config::RuntimeSpec radv = hw::load_runtime(dir + "llama.cpp-vulkan.yaml");
    const config::RuntimeSpec amdvlk = hw::load_runtime(dir + "llama.cpp-vulkan-amdvlk.yaml");
    EXPECT_EQ(amdvlk.name, "llama.cpp-vulkan-amdvlk");
    EXPECT_EQ(amdvlk.launch_overhead_s, radv.launch_overhead_s);  // dispatch figures inherited
    EXPECT_EQ(amdvlk.prefill_kernel.of(config::WeightClass::quantized).impl, "vulkan_coopmat");
    const config::MachineSpec m = hw::load_machine(std::string(INFERSIM_SOURCE_DIR) + "/configs/machines/amd-strix-halo.yaml");
    hw::OpWork op = gemm();
    op.rows = 512;
    op.cols = 4096;
    op.flops = 2.0 * 512 * 4096 * 4096;
    const double t_radv = hw::make_compute_model(m.units[0], radv)->cost(op).seconds;
    const double t_amdvlk = hw::make_compute_model(m.units[0], amdvlk)->cost(op).seconds;
    EXPECT_GT(t_amdvlk, 1.5 * t_radv);
}

TEST(GemmKernels, sustained_clock_is_a_unit_field_that_defaults_to_the_clock) {
    const std::string dir = std::string(INFERSIM_SOURCE_DIR) + "/configs/machines/";
    const config::MachineSpec spark = hw::load_machine(dir + "nvidia-dgx-spark.yaml");
    EXPECT_DOUBLE_EQ(spark.units[0].clock_hz, 2.52e9);
    EXPECT_DOUBLE_EQ(spark.units[0].sustained_hz(), 2.184e9);
    // GB10's measured 1:1:2 BF16:INT8:FP4 tensor rates.
    EXPECT_EQ(spark.units[0].matrix_ops_per_cycle[idx(DType::bf16)], spark.units[0].matrix_ops_per_cycle[idx(DType::int8)]);
    EXPECT_EQ(2 * spark.units[0].matrix_ops_per_cycle[idx(DType::int8)], spark.units[0].matrix_ops_per_cycle[idx(DType::fp4)]);
    const config::MachineSpec m4090 = hw::load_machine(dir + "nvidia-rtx-4090.yaml");
    EXPECT_DOUBLE_EQ(m4090.units[0].sustained_hz(), m4090.units[0].clock_hz);
    const config::MachineSpec pcie = hw::load_machine(dir + "nvidia-a100-pcie-80gb.yaml");
    EXPECT_NEAR(pcie.pools[0].peak_bytes_per_s(), 1935e9, 1e9);
    EXPECT_EQ(pcie.units[0].count, 108);
}
