// Compute and runtime fidelity: shape efficiency, core scaling, per-kernel fixed costs, MoE
// expert reads, batching, and llama-bench predictions on every shipped machine.
#include <gtest/gtest.h>

#include "config/errors.hpp"

#include <filesystem>

#include "config/machine_loader.hpp"
#include "scenario/llama_bench.hpp"
#include "hardware/compute/compute_unit.hpp"
#include "hardware/compute/dispatch_cost.hpp"
#include "support/inputs.hpp"

using namespace infersim;

namespace {

using test::shipped;

const std::string kModel = "name: mid\nlayers: 8\nhidden: 4096\nheads: 32\nkv_heads: 8\nffn: 14336\nvocab: 32000\n";

}  // namespace

TEST(ComputeModel, batch_one_gemv_cannot_fill_a_matrix_unit) {
    config::MachineSpec m = test::machine_from(test::lpddr_machine_yaml(16, 100));
    hw::OpWork op;
    op.kind = config::OpKind::ffn_up;
    op.matrix = true;
    op.flops = 2.0 * 4096 * 4096;
    op.cols = 4096;
    config::RuntimeSpec rt;
    op.rows = 1;
    const auto gpu = hw::make_compute_model(m.units[0], rt);
    hw::ComputeCost gemv = gpu->cost(op);
    EXPECT_FALSE(gemv.matrix_path);  // 1/16 of a 100 TFLOPS matrix unit loses to 16 TFLOPS SIMD
    op.rows = 512;
    op.flops *= 512;
    op.prefill = true;
    hw::ComputeCost gemm = gpu->cost(op);
    EXPECT_TRUE(gemm.matrix_path);
    EXPECT_NEAR(gemm.seconds, op.flops / 100e12, 1e-12);  // 8 x 64 tiles over 32 cores: whole waves
}

TEST(ComputeModel, partial_last_wave_leaves_cores_idle) {
    config::MachineSpec m = test::machine_from(test::lpddr_machine_yaml(16, 100));  // 32 cores
    config::RuntimeSpec rt;
    rt.gemm_tile_rows = rt.gemm_tile_cols = 64;
    hw::OpWork op;
    op.kind = config::OpKind::ffn_up;
    op.prefill = true;
    op.matrix = true;
    op.rows = 64;
    op.cols = 33 * 64;  // 33 tiles: one full wave of 32 and a second with 1
    op.flops = 2.0 * op.rows * op.cols * 4096;
    hw::ComputeCost c = hw::make_compute_model(m.units[0], rt)->cost(op);
    EXPECT_NEAR(c.seconds, op.flops / (100e12 * 33.0 / 64.0), 1e-12);
}

TEST(ComputeRuntime, prefill_is_compute_bound_and_scales_with_core_count) {
    auto prefill = [&](int cores) {
        std::string y = test::lpddr_machine_yaml(16, 20);
        y.replace(y.find("count: 32"), 9, "count: " + std::to_string(cores));
        scenario::Inputs in = test::inputs(y, kModel, "q4_0", 2048, 1);
        return scenario::run(in).summary.prefill;
    };
    output::PhaseSummary a = prefill(32), b = prefill(64);
    EXPECT_EQ(a.bound, "compute");
    EXPECT_NEAR(b.tokens_per_s / a.tokens_per_s, 2.0, 0.15);
}

TEST(ComputeRuntime, decode_on_a_high_bandwidth_gpu_shows_the_fixed_per_kernel_cost) {
    // The same model on H100 with llama.cpp's CUDA profile and with the ideal runtime: the
    // difference per token is at least the kernel launches and host work the profile states.
    scenario::Inputs real = shipped("nvidia-h100-sxm", "llama-2-7b", "q4_0", 16, 33);
    scenario::Inputs ideal = shipped("nvidia-h100-sxm", "llama-2-7b", "q4_0", 16, 33, 1, "ideal");
    const double t_real = scenario::run(real).summary.tpot_s, t_ideal = scenario::run(ideal).summary.tpot_s;
    // Kernels per token: the per-layer ops (two norms) times 32 layers, plus the model-wide ops.
    const auto& k = real.runtime.kernels;
    auto n = [&](config::OpKind kind) { return static_cast<double>(k[static_cast<std::size_t>(kind)]); };
    using config::OpKind;
    const double per_layer = 2 * n(OpKind::norm) + n(OpKind::qkv) + n(OpKind::attention) + n(OpKind::out_proj) +
                             n(OpKind::ffn_up) + n(OpKind::ffn_down);
    const double per_token = 32 * per_layer + n(OpKind::embedding) + n(OpKind::norm) + n(OpKind::lm_head) + n(OpKind::sample);
    // The profile's chain (dispatch_cost.hpp): each op's dispatches and small kernels, plus the
    // host's work for the step's graph nodes.
    auto launch = [&](config::OpKind kind) {
        hw::OpWork w;
        w.kind = kind;
        w.rows = 1;
        return hw::gpu_launch_s(w, real.runtime, real.machine.units[0].clock_hz);
    };
    const double per_layer_launch = 2 * launch(OpKind::norm) + launch(OpKind::qkv) + launch(OpKind::attention) +
                                    launch(OpKind::out_proj) + launch(OpKind::ffn_up) + launch(OpKind::ffn_down);
    const double fixed = 32 * per_layer_launch + launch(OpKind::embedding) + launch(OpKind::norm) + launch(OpKind::lm_head) +
                         launch(OpKind::sample) + hw::host_step_s(real.runtime, real.machine.host_cpu, per_token, 0);
    EXPECT_GT(fixed, 1e-3);  // hundreds of dispatches and small kernels per token
    EXPECT_GT(t_real - t_ideal, 0.9 * fixed);
    // On 3.35 TB/s the fixed costs are a large share of the step; on a 273 GB/s laptop they are not.
    scenario::Inputs laptop = shipped("rtx-spark", "llama-2-7b", "q4_0", 16, 33);
    scenario::Inputs laptop_ideal = shipped("rtx-spark", "llama-2-7b", "q4_0", 16, 33, 1, "ideal");
    const double l_real = scenario::run(laptop).summary.tpot_s, l_ideal = scenario::run(laptop_ideal).summary.tpot_s;
    EXPECT_GT((t_real - t_ideal) / t_real, 2 * (l_real - l_ideal) / l_real);
}

TEST(ComputeRuntime, moe_decode_reads_only_the_active_experts) {
    scenario::Inputs in = shipped("nvidia-h100-sxm", "mixtral-8x7b", "q4_0", 8, 4);
    workload::RequestShape shape;
    shape.prompt = 8;
    shape.gen = 4;
    workload::TraceBuilder tb(in.model, in.weights, shape);
    const workload::Step& step = tb.step(tb.prefill_steps());  // a decode step, batch 1
    std::uint64_t expert_bytes = 0;
    for (const workload::Op& op : step.ops)
        if (op.layer == 0 && (op.kind == config::OpKind::ffn_up || op.kind == config::OpKind::ffn_down)) expert_bytes += op.weight_bytes;
    const std::uint64_t all = in.weights.bytes(0, workload::TensorRole::ffn_gate_exps) + in.weights.bytes(0, workload::TensorRole::ffn_up_exps) +
                              in.weights.bytes(0, workload::TensorRole::ffn_down_exps);
    EXPECT_NEAR(static_cast<double>(expert_bytes), static_cast<double>(all) * 2 / 8, 0.001 * static_cast<double>(all));
    // A 512-token prefill step touches all of them (1 - (6/8)^512 of each).
    workload::RequestShape pre_shape;
    pre_shape.prompt = 512;
    pre_shape.gen = 1;
    workload::TraceBuilder pre(in.model, in.weights, pre_shape);
    std::uint64_t pre_bytes = 0;
    for (const workload::Op& op : pre.step(0).ops)
        if (op.layer == 0 && (op.kind == config::OpKind::ffn_up || op.kind == config::OpKind::ffn_down)) pre_bytes += op.weight_bytes;
    EXPECT_NEAR(static_cast<double>(pre_bytes), static_cast<double>(all), 0.001 * static_cast<double>(all));
}

TEST(ComputeRuntime, batching_raises_throughput_sub_linearly) {
    double prev = 0;
    for (int batch : {1, 4, 16}) {
        scenario::Inputs in = shipped("rtx-spark", "llama-3.1-8b", "q4_k_m", 512, 17, batch);
        const double tps = scenario::run(in).summary.decode.tokens_per_s;
        if (prev > 0) {
            EXPECT_GT(tps, prev * 1.5) << "batch " << batch;
            EXPECT_LT(tps, prev * 4.0) << "batch " << batch;
        }
        prev = tps;
    }
}

TEST(ComputeRuntime, bench_predicts_pp_and_tg_on_every_shipped_machine) {
    for (const auto& entry : std::filesystem::directory_iterator(std::string(INFERSIM_SOURCE_DIR) + "/configs/machines")) {
        const std::string name = entry.path().stem().string();
        if (name.size() > 5 && name.substr(name.size() - 5) == "-base") continue;
        for (const char* quant : {"f16", "q8_0", "q4_0"}) {
            scenario::Inputs in = shipped(name, "llama-2-7b", quant, 512, 128);
            // A model the unit's memory cannot hold is refused, as llama.cpp fails to allocate (7B f16 on 8 GB).
            if (!scenario::fit(in, 640).placement.fits) {
                EXPECT_THROW(scenario::predict_llama_bench(in, 512, 16), config::InputError) << name << " " << quant;
                continue;
            }
            scenario::BenchResult r = scenario::predict_llama_bench(in, 512, 16);
            EXPECT_GT(r.pp_tokens_per_s, 0) << name << " " << quant;
            EXPECT_GT(r.tg_tokens_per_s, 0) << name << " " << quant;
            // Generation never beats what the bandwidth allows, nor prefill the compute ceiling.
            EXPECT_LT(r.tg_tokens_per_s, scenario::fit(in, 16).decode_bw_ceiling_tokens_per_s * 1.0001) << name << " " << quant;
        }
    }
}
