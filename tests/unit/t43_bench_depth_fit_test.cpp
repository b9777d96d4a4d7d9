// Depth (llama-bench -d), flash attention on and off at depth, sliding-window layers at depth,
// and the no-fit refusal: closed-form KV reads and score traffic per step, and the shortfall
// arithmetic (weights + KV + compute buffers against the unit's memory).
#include <gtest/gtest.h>

#include "config/errors.hpp"
#include "scenario/llama_bench.hpp"
#include "scenario/scenario_run.hpp"
#include "support/inputs.hpp"
#include "workload/arch/block_parts.hpp"
#include "workload/trace_builder.hpp"

namespace infersim {
namespace {

using config::OpKind;

// tiny: hidden 1024, 8 heads (head_dim 128), 2 KV heads: kv_dim 256, K+V f16 = 1024 B per token and layer.
constexpr double kKvBytesPerToken = 2 * 256 * 2;

std::vector<const workload::Op*> attention(const workload::Step& s) {
    std::vector<const workload::Op*> out;
    for (const workload::Op& op : s.ops)
        if (op.kind == OpKind::attention) out.push_back(&op);
    return out;
}

TEST(BenchDepth, decode_at_depth_reads_the_depth_and_skips_its_prefill) {
    const config::ModelSpec m = test::model_from(test::tiny_model_yaml());
    const workload::WeightInventory w = workload::build_weights(m, "q8_0");
    workload::RequestShape shape;
    shape.prompt = 0;
    shape.gen = 4;
    shape.depth = 1000;
    workload::TraceBuilder tb(m, w, shape);
    ASSERT_EQ(tb.prefill_steps(), 0u);  // the depth is not simulated
    ASSERT_EQ(tb.step_count(), 4u);
    for (std::size_t i = 0; i < 4; ++i) {
        const workload::Step& s = tb.step(i);
        EXPECT_EQ(s.context, 1000 + i);
        for (const workload::Op* a : attention(s)) EXPECT_EQ(a->kv_read_bytes, static_cast<std::uint64_t>((1000 + i + 1) * kKvBytesPerToken));
    }
}

TEST(BenchDepth, prompt_at_depth_attends_to_depth_plus_its_own_tokens) {
    const config::ModelSpec m = test::model_from(test::tiny_model_yaml());
    const workload::WeightInventory w = workload::build_weights(m, "q8_0");
    workload::RequestShape shape;
    shape.prompt = 512;
    shape.gen = 0;
    shape.ubatch = 512;
    shape.depth = 4096;
    shape.flash_attention = true;
    workload::TraceBuilder on(m, w, shape);
    shape.flash_attention = false;
    workload::TraceBuilder off(m, w, shape);
    ASSERT_EQ(on.step_count(), 1u);
    const workload::Op a = *attention(on.step(0)).front();
    const workload::Op b = *attention(off.step(0)).front();
    EXPECT_EQ(a.kv_read_bytes, static_cast<std::uint64_t>(4608 * kKvBytesPerToken));
    const double avg_keys = 4096 + 513.0 / 2;
    EXPECT_DOUBLE_EQ(a.flops, 4.0 * 512 * avg_keys * 1024);  // QK^T and PV over q_dim 1024
    // -fa 0: the f32 scores of 8 heads are written, read and written again (softmax) in memory.
    EXPECT_EQ(b.act_bytes - a.act_bytes, static_cast<std::uint64_t>(512 * avg_keys * 8 * 4.0 * 3));
}

TEST(BenchDepth, sliding_window_layers_attend_to_the_window_at_depth) {
    const config::ModelSpec m = test::model_from(test::tiny_model_yaml() + "sliding_window: 128\nsliding_window_every: 2\n");
    const workload::WeightInventory w = workload::build_weights(m, "q8_0");
    workload::RequestShape shape;
    shape.prompt = 512;
    shape.gen = 2;
    shape.depth = 4096;
    workload::TraceBuilder tb(m, w, shape);
    const auto pre = attention(tb.step(0));
    ASSERT_EQ(pre.size(), 4u);
    // Layer 0 is windowed: the window plus the chunk's tokens are read, every query sees 128 keys.
    EXPECT_EQ(pre[0]->kv_read_bytes, static_cast<std::uint64_t>((128 + 511) * kKvBytesPerToken));
    EXPECT_DOUBLE_EQ(pre[0]->flops, 4.0 * 512 * 128 * 1024);
    EXPECT_EQ(pre[1]->kv_read_bytes, static_cast<std::uint64_t>(4608 * kKvBytesPerToken));
    const auto dec = attention(tb.step(1));
    EXPECT_EQ(dec[0]->kv_read_bytes, static_cast<std::uint64_t>(128 * kKvBytesPerToken));
    EXPECT_EQ(dec[1]->kv_read_bytes, static_cast<std::uint64_t>((4096 + 512 + 1) * kKvBytesPerToken));
}

TEST(BenchDepth, window_keys_follow_the_closed_form_below_the_window) {
    // Context 100, 64 new tokens, window 128: queries 1..28 see 100+i keys, the rest 128.
    workload::LayerStep s;
    s.new_tokens = 64;
    s.context = 100;
    const workload::AttentionSpan span = workload::attention_span(s, 128);
    const double sum = 28 * 100 + 28.0 * 29 / 2 + 36 * 128;
    EXPECT_DOUBLE_EQ(span.avg_keys, sum / 64);
    EXPECT_DOUBLE_EQ(span.kv_len, 164);
}

TEST(BenchFit, a_model_that_does_not_fit_on_the_unit_is_refused_with_its_shortfall) {
    scenario::Inputs in = test::shipped("nvidia-rtx-4090", "llama-2-70b", "q4_k_m", 512, 128);
    const scenario::FitReport f = scenario::fit(in, scenario::run_context(in));
    const replay::PoolUse& vram = f.placement.pools[f.placement.order.front()];
    // All 80 layers on the card (no offload mode, gpu_layers unset = -ngl 99).
    EXPECT_EQ(vram.weight_bytes, in.weights.total_bytes());
    EXPECT_EQ(vram.kv_bytes, workload::kv_bytes(in.model, 640, 2) / 80 * 80);
    EXPECT_EQ(vram.used(), vram.weight_bytes + vram.kv_bytes + vram.overhead_bytes);
    const double short_by = static_cast<double>(vram.used()) - 24.0 * (1ull << 30);
    ASSERT_GT(short_by, 10e9);
    char expect[64];
    std::snprintf(expect, sizeof expect, "%.2f GiB short", short_by / (1ull << 30));
    try {
        scenario::check_fits(in, f);
        FAIL() << "not refused";
    } catch (const config::InputError& e) {
        EXPECT_NE(std::string(e.what()).find(expect), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("(24.00 GiB)"), std::string::npos) << e.what();
    }
    EXPECT_THROW(scenario::run(in), config::InputError);
}

TEST(BenchFit, gpu_layers_keep_the_rest_on_the_host_and_compute_them_there) {
    scenario::Inputs in = test::shipped("nvidia-rtx-4090", "llama-2-70b", "q4_k_m", 512, 128);
    in.scenario.gpu_layers = 40;
    EXPECT_TRUE(scenario::offload_computes(in));
    const scenario::FitReport f = scenario::fit(in, scenario::run_context(in));
    EXPECT_NO_THROW(scenario::check_fits(in, f));
    std::uint64_t host_layers = 0;
    for (std::size_t p : f.placement.layer_pool) host_layers += p != f.placement.order.front();
    EXPECT_EQ(host_layers, 40u);
    // Asked for explicitly, streaming over PCIe is allowed, and no longer computes on the host.
    in.scenario.offload = config::Offload::stream;
    EXPECT_FALSE(scenario::offload_computes(in));
}

TEST(BenchFit, offload_to_a_pool_without_a_unit_must_be_asked_for) {
    std::string y = test::lpddr_machine_yaml(16);
    y.insert(y.find("compute:"), "  far:\n    standard: lpddr5x-8533\n    capacity: 64 GiB\n    channels: 8\n");
    y += "links:\n  l:\n    unit: gpu\n    pool: far\n    bandwidth: 50 GB/s\n    latency: 1 us\n";
    scenario::Inputs in = test::inputs(y, test::tiny_model_yaml(), "q8_0", 16, 2);
    in.scenario.gpu_layers = 2;
    const scenario::FitReport f = scenario::fit(in, 18);
    EXPECT_THROW(scenario::check_fits(in, f), config::InputError);
    in.scenario.offload = config::Offload::stream;
    EXPECT_NO_THROW(scenario::check_fits(in, f));
}

}  // namespace
}  // namespace infersim
