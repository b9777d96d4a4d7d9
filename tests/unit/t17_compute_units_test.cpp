// Compute-unit implementations (gpu, cpu_simd, npu), each driven alone on a unit spec with round
// numbers against a fixed op (the mock neighbour), asserting exact seconds, energy and launch
// cost; the loader's impl selection and field tables; the replayer charging an NPU's dispatch
// once per step; an NPU job contending with GPU decode on the shared pool.
#include <gtest/gtest.h>

#include "hardware/compute/compute_unit.hpp"
#include "support/inputs.hpp"

using namespace infersim;

namespace {

// 1 core at 1 GHz: vector 1 T op/s (fp16 and fp32), matrix 10 T op/s fp16 and 20 T op/s int8,
// 1 pJ per fp16/fp32 op and 0.5 pJ per int8 op.
config::ComputeUnitSpec round_unit(const char* impl) {
    config::ComputeUnitSpec u;
    u.name = "u";
    u.impl = impl;
    u.count = 1;
    u.clock_hz = 1e9;
    u.vector_ops_per_cycle[static_cast<std::size_t>(config::DType::fp32)] = 1000;
    u.vector_ops_per_cycle[static_cast<std::size_t>(config::DType::fp16)] = 1000;
    u.matrix_ops_per_cycle[static_cast<std::size_t>(config::DType::fp16)] = 10000;
    u.matrix_ops_per_cycle[static_cast<std::size_t>(config::DType::int8)] = 20000;
    u.matrix_min_rows = 16;
    u.energy_j_per_op[static_cast<std::size_t>(config::DType::fp32)] = 1e-12;
    u.energy_j_per_op[static_cast<std::size_t>(config::DType::fp16)] = 1e-12;
    u.energy_j_per_op[static_cast<std::size_t>(config::DType::int8)] = 0.5e-12;
    return u;
}

config::RuntimeSpec round_runtime() {
    config::RuntimeSpec rt;
    rt.launch_overhead_s = 10e-6;
    rt.kernels[static_cast<std::size_t>(config::OpKind::ffn_up)] = 2;
    return rt;
}

// A 64 x 64 GEMM tile of 1e10 ops on 4-bit integer weights (one output tile: one whole wave).
hw::OpWork gemm() {
    hw::OpWork op;
    op.kind = config::OpKind::ffn_up;
    op.prefill = true;
    op.matrix = true;
    op.rows = 64;
    op.cols = 64;
    op.flops = 1e10;
    op.weights = hw::WeightFormat{config::DType::fp16, 4, true};
    return op;
}

}  // namespace

TEST(ComputeUnits, gpu_runs_a_gemm_at_its_matrix_rate_after_the_runtimes_launches) {
    const config::ComputeUnitSpec u = round_unit("gpu");
    const config::RuntimeSpec rt = round_runtime();
    const auto m = hw::make_compute_model(u, rt);
    hw::OpWork op = gemm();
    op.dequant_ops = 1e8;  // unpacked once per 64-row tile on the SIMD path: 1e8 / 1e12 = 0.1 ms
    const hw::ComputeCost c = m->cost(op);
    EXPECT_TRUE(c.matrix_path);
    EXPECT_DOUBLE_EQ(c.seconds, 1e-3 + 1e-4);         // 1e10 / 1e13 + 1e8 / 1e12
    EXPECT_DOUBLE_EQ(c.energy_j, 1e10 * 1e-12 + 1e8 * 1e-12);
    EXPECT_DOUBLE_EQ(m->launch_s(op, true), 20e-6);   // 2 kernels x 10 us, first op of a step or not
    EXPECT_DOUBLE_EQ(m->launch_s(op, false), 20e-6);
    EXPECT_DOUBLE_EQ(m->running_w(), 0);
}

TEST(ComputeUnits, cpu_simd_has_the_gpu_roofline_and_no_launch_cost) {
    const config::ComputeUnitSpec u = round_unit("cpu_simd");
    const config::RuntimeSpec rt = round_runtime();
    const auto m = hw::make_compute_model(u, rt);
    hw::OpWork op = gemm();
    op.matrix = false;  // a norm-like op: SIMD fp32
    op.kind = config::OpKind::norm;
    const hw::ComputeCost c = m->cost(op);
    EXPECT_FALSE(c.matrix_path);
    EXPECT_DOUBLE_EQ(c.seconds, 1e-2);  // 1e10 / 1e12
    EXPECT_DOUBLE_EQ(c.energy_j, 1e-2);
    EXPECT_DOUBLE_EQ(m->launch_s(gemm(), true), 0);
    const config::ComputeUnitSpec gpu = round_unit("gpu");
    EXPECT_DOUBLE_EQ(m->cost(gemm()).seconds, hw::make_compute_model(gpu, rt)->cost(gemm()).seconds);
}

TEST(ComputeUnits, npu_runs_native_int4_weights_at_its_int8_rate_and_dispatches_once_per_step) {
    config::ComputeUnitSpec u = round_unit("npu");
    u.params.set("dispatch_overhead", 100e-6);
    u.params.set("active_power", 2.0);
    const config::RuntimeSpec rt = round_runtime();  // the model keeps references to its specs
    const auto m = hw::make_compute_model(u, rt);
    hw::OpWork op = gemm();
    op.dequant_ops = 1e9;  // native: never paid
    const hw::ComputeCost c = m->cost(op);
    EXPECT_TRUE(c.matrix_path);
    EXPECT_EQ(c.dtype, config::DType::int8);
    EXPECT_DOUBLE_EQ(c.seconds, 0.5e-3);      // 1e10 / 2e13
    EXPECT_DOUBLE_EQ(c.energy_j, 5e-3);       // 1e10 x 0.5 pJ
    EXPECT_DOUBLE_EQ(m->launch_s(op, true), 100e-6);
    EXPECT_DOUBLE_EQ(m->launch_s(op, false), 0);
    EXPECT_DOUBLE_EQ(m->running_w(), 2.0);
    EXPECT_DOUBLE_EQ(m->prefill_peak_ops_per_s(), 2e13);
}

TEST(ComputeUnits, npu_pays_the_stated_unpack_cost_for_weights_it_does_not_run_natively) {
    const config::ComputeUnitSpec u = round_unit("npu");  // the model keeps references to its specs
    const config::RuntimeSpec rt = round_runtime();
    const auto m = hw::make_compute_model(u, rt);
    hw::OpWork op = gemm();
    op.weights = hw::WeightFormat{config::DType::fp16, 6, true};  // q6_k: not int4/int8/fp16
    op.dequant_ops = 1e9;                                          // once per step, on the 1 T op/s vector path
    const hw::ComputeCost c = m->cost(op);
    EXPECT_DOUBLE_EQ(c.seconds, 0.5e-3 + 1e-3);
    EXPECT_DOUBLE_EQ(c.energy_j, 5e-3 + 1e-3);
    // fp16 weights are native and multiply in fp16: 1e10 / 1e13.
    op.weights = hw::WeightFormat{config::DType::fp16, 16, false};
    op.dequant_ops = 0;
    EXPECT_DOUBLE_EQ(m->cost(op).seconds, 1e-3);
    // A batch-1 GEMV fills 1/16 of the matrix engine (1.25 T op/s) and still beats the vector path.
    op = gemm();
    op.rows = 1;
    op.flops = 1e9;
    EXPECT_DOUBLE_EQ(m->cost(op).seconds, 1e9 / (2e13 / 16));
}

TEST(ComputeUnits, loader_defaults_impl_from_kind_and_reads_the_impls_own_fields) {
    const std::string y = test::lpddr_machine_yaml(8, 100,
                                                   "  host:\n    kind: cpu\n    count: 8\n    clock: 3 GHz\n    memory: lpddr\n"
                                                   "    vector: {fp32: 32}\n"
                                                   "  npu:\n    kind: npu\n    count: 1\n    clock: 1 GHz\n    memory: lpddr\n"
                                                   "    vector: {fp16: 512}\n    matrix: {int8: 40000}\n"
                                                   "    dispatch_overhead: 50 us\n    native_weights: [int8]\n    active_power: 1.5 W\n");
    const config::MachineSpec m = test::machine_from(y);
    ASSERT_EQ(m.units.size(), 3u);
    EXPECT_EQ(m.units[0].impl, "gpu");
    EXPECT_EQ(m.units[1].impl, "cpu_simd");
    EXPECT_EQ(m.units[2].impl, "npu");
    EXPECT_DOUBLE_EQ(m.units[2].params.number("dispatch_overhead", 0), 50e-6);
    EXPECT_DOUBLE_EQ(m.units[2].params.number("active_power", 0), 1.5);
    EXPECT_EQ(m.units[2].params.list("native_weights", {}), std::vector<std::string>{"int8"});
}

TEST(ComputeUnits, loader_rejects_an_unknown_impl_and_fields_of_another_impl) {
    auto error_of = [](const std::string& extra) {
        try {
            test::machine_from(test::lpddr_machine_yaml(8, 100, extra));
        } catch (const config::InputError& e) {
            return std::string(e.what());
        }
        return std::string();
    };
    const std::string unit = "  x:\n    count: 1\n    clock: 1 GHz\n    memory: lpddr\n    vector: {fp16: 8}\n";
    const std::string unknown = error_of(unit + "    impl: tpu\n");
    EXPECT_NE(unknown.find("test.yaml:19:"), std::string::npos) << unknown;
    EXPECT_NE(unknown.find("compute.x.impl"), std::string::npos) << unknown;
    EXPECT_NE(unknown.find("gpu, cpu_simd or npu"), std::string::npos) << unknown;
    const std::string foreign = error_of(unit + "    dispatch_overhead: 1 us\n");  // an npu field on a gpu
    EXPECT_NE(foreign.find("dispatch_overhead"), std::string::npos) << foreign;
    const std::string bad = error_of(unit + "    impl: npu\n    native_weights: [int4, q4_0]\n");
    EXPECT_NE(bad.find("got 'q4_0'"), std::string::npos) << bad;
}

namespace {

const std::string kModel = "name: mid\nlayers: 8\nhidden: 4096\nheads: 32\nkv_heads: 8\nffn: 14336\nvocab: 32000\n";
// The test SoC with an NPU on the same pool, listed before the GPU.
const std::string kNpu = "  npu:\n    kind: npu\n    count: 1\n    clock: 1 GHz\n    memory: lpddr\n    vector: {fp16: 1000}\n"
                         "    matrix: {int8: 40000, fp16: 20000}\n    dispatch_overhead: 100 us\n    active_power: 2 W\n";

std::string soc_with_npu_first() {
    std::string y = test::lpddr_machine_yaml(8, 100);
    y.insert(y.find("  gpu:\n"), kNpu);
    return y;
}

}  // namespace

TEST(ComputeUnits, replayer_charges_the_npu_dispatch_at_the_first_op_of_each_step_and_its_running_power) {
    scenario::Inputs in = test::inputs(soc_with_npu_first(), kModel, "q4_0", 32, 4);
    in.unit = 0;  // the npu
    const scenario::RunOutput r = scenario::run(in);
    std::uint32_t step = ~0u;
    double running_j = 0;
    for (const replay::OpRecord& op : r.recorder->ops()) {
        EXPECT_EQ(op.unit, 0u);
        EXPECT_DOUBLE_EQ(op.launch_s, op.step != step ? 100e-6 : 0.0) << "step " << op.step;
        step = op.step;
        running_j += 2.0 * engine::to_seconds(op.end - op.start);
    }
    // The NPU's domain (no per-op energy in this spec): 2 W over every op's span, stalls and
    // dispatch included; the idle GPU draws nothing.
    EXPECT_NEAR(r.summary.energy_by_domain[1].second, running_j, 1e-12 * running_j);
    EXPECT_EQ(r.summary.energy_by_domain[1].first, "compute:npu");
    EXPECT_DOUBLE_EQ(r.summary.energy_by_domain[2].second, 0.0);
}

TEST(ComputeUnits, adding_an_npu_does_not_change_the_default_unit_or_its_results) {
    const config::ScenarioSpec s = test::shipped_scenario("qualcomm-snapdragon-x-elite", "llama-3.2-3b", "q4_0", 32, 4);
    const scenario::Inputs in = scenario::resolve_inputs(s, test::config_paths());
    EXPECT_EQ(in.machine.units[in.unit].name, "gpu");
    scenario::Inputs first = test::inputs(soc_with_npu_first(), kModel, "q4_0", 32, 4);
    first.unit = 1;  // as pick_unit chooses: the first gpu
    scenario::Inputs plain = test::inputs(test::lpddr_machine_yaml(8, 100), kModel, "q4_0", 32, 4);
    EXPECT_EQ(scenario::run(first).summary.decode.tokens_per_s, scenario::run(plain).summary.decode.tokens_per_s);
}

TEST(ComputeUnits, an_npu_job_on_the_shared_pool_slows_gpu_decode) {
    scenario::Inputs in = test::inputs(soc_with_npu_first(), kModel, "q4_0", 32, 8);
    in.unit = 1;
    const output::Summary alone = scenario::run(in).summary;
    config::AgentSpec job;
    job.name = "npu_job";
    job.unit = "npu";                       // its pool: the NPU's, shared with the GPU
    job.bytes_per_s = 0.4 * 8 * 17.0664e9;  // 40% of the 8-channel pool's peak
    job.chunk_bytes = 1 << 20;
    in.scenario.agents.push_back(job);
    const scenario::RunOutput shared = scenario::run(in);
    EXPECT_LT(shared.summary.decode.tokens_per_s, 0.8 * alone.decode.tokens_per_s);
    ASSERT_EQ(shared.summary.agents.size(), 2u);
    EXPECT_GT(shared.summary.agents[1].bytes, 0);
    double npu_busy = 0;
    for (double b : shared.recorder->unit_busy_ps()[0]) npu_busy += b;
    EXPECT_GT(npu_busy, 0);  // the NPU shows busy while its job streams
}
