// MoE as the runtimes dispatch it (issue 9): the expert-read rule on both sides of a backend's
// vector-kernel threshold, in closed form, and the kernel counts of a MoE layer's ops.
#include <gtest/gtest.h>

#include <cmath>

#include "config/runtime_spec.hpp"
#include "hardware/catalogs.hpp"
#include "support/inputs.hpp"
#include "workload/arch/moe_reads.hpp"

using namespace infersim;

namespace {

using config::OpKind;

// Qwen3-30B-A3B's routing shape (128 experts, 8 per token) on a small body.
const std::string kMoe =
    "name: moe\narchitecture: qwen3moe\nlayers: 2\nhidden: 512\nheads: 8\nkv_heads: 2\nhead_dim: 64\nffn: 256\nvocab: 1000\n"
    "experts: 128\nactive_experts: 8\n";

struct Fixture {
    config::ModelSpec model = test::model_from(kMoe);
    workload::WeightInventory weights = workload::build_weights(model, "q8_0");
    double all_up() const {
        return static_cast<double>(weights.bytes(0, workload::TensorRole::ffn_gate_exps) + weights.bytes(0, workload::TensorRole::ffn_up_exps));
    }
    double all_down() const { return static_cast<double>(weights.bytes(0, workload::TensorRole::ffn_down_exps)); }
};

/// Expert matrices layer 0 streams in the first decode step at `batch` sequences, read off
/// the bytes of its ffn_up op (gate + up of every expert read).
double decode_expert_reads(const Fixture& f, int vector_max_tokens, config::Routing routing, std::uint64_t batch) {
    workload::RequestShape shape;
    shape.prompt = 4;
    shape.gen = 2;
    shape.batch = batch;
    shape.moe_dispatch.vector_max_tokens = vector_max_tokens;
    shape.routing.mode = routing;
    workload::TraceBuilder tb(f.model, f.weights, shape);
    for (const workload::Op& op : tb.step(tb.prefill_steps()).ops)
        if (op.layer == 0 && op.kind == OpKind::ffn_up) return static_cast<double>(op.weight_bytes) / f.all_up() * f.model.experts;
    return -1;
}

double uniform(double tokens) { return 128.0 * (1.0 - std::pow(1.0 - 8.0 / 128.0, tokens)); }

config::RuntimeSpec shipped_runtime(const std::string& name) {
    return hw::load_runtime(std::string(INFERSIM_SOURCE_DIR) + "/configs/runtimes/" + name + ".yaml");
}

}  // namespace

TEST(MoeDispatch, metal_below_32_tokens_reads_every_token_expert_pair) {
    const Fixture f;
    // 8 tokens x 8 experts: 64 expert matrices, whatever the routing (mul_mv_id's grid).
    EXPECT_NEAR(decode_expert_reads(f, 31, config::Routing::independent, 8), 64.0, 1e-3);
    EXPECT_NEAR(decode_expert_reads(f, 31, config::Routing::identical, 8), 64.0, 1e-3);
    // 31 tokens: 248 reads, more than the 128 experts there are.
    EXPECT_NEAR(decode_expert_reads(f, 31, config::Routing::independent, 31), 248.0, 1e-3);
}

TEST(MoeDispatch, metal_from_32_tokens_reads_each_used_expert_once) {
    const Fixture f;
    // Independent routing: E (1 - (1 - k/E)^T) distinct experts; identical: the first sequence's k.
    EXPECT_NEAR(decode_expert_reads(f, 31, config::Routing::independent, 32), uniform(32), 1e-3);
    EXPECT_NEAR(decode_expert_reads(f, 31, config::Routing::identical, 32), 8.0, 1e-3);
    EXPECT_LT(uniform(32), 32 * 8);  // grouping reads fewer than the pairs
}

TEST(MoeDispatch, cuda_mmvq_id_up_to_8_tokens_then_mmq_id) {
    const Fixture f;
    EXPECT_NEAR(decode_expert_reads(f, 8, config::Routing::independent, 8), 64.0, 1e-3);
    EXPECT_NEAR(decode_expert_reads(f, 8, config::Routing::independent, 9), uniform(9), 1e-3);
    EXPECT_NEAR(decode_expert_reads(f, 8, config::Routing::identical, 9), 8.0, 1e-3);
}

TEST(MoeDispatch, without_a_threshold_each_used_expert_is_read_once_as_before) {
    const Fixture f;
    EXPECT_NEAR(decode_expert_reads(f, 0, config::Routing::independent, 1), 8.0, 1e-3);
    EXPECT_NEAR(decode_expert_reads(f, 0, config::Routing::independent, 4), uniform(4), 1e-3);
}

TEST(MoeDispatch, down_projection_follows_the_same_rule) {
    const Fixture f;
    workload::RequestShape shape;
    shape.prompt = 4;
    shape.gen = 2;
    shape.batch = 4;
    shape.moe_dispatch.vector_max_tokens = 31;
    workload::TraceBuilder tb(f.model, f.weights, shape);
    for (const workload::Op& op : tb.step(tb.prefill_steps()).ops)
        if (op.layer == 1 && op.kind == OpKind::ffn_down) {
            EXPECT_NEAR(static_cast<double>(op.weight_bytes), f.all_down() * 32 / 128, 1.0);
            EXPECT_EQ(op.weight_elements, static_cast<std::uint64_t>(32.0 * 256 * 512));
        }
}

TEST(MoeDispatch, histogram_gives_distinct_experts_from_the_popularity) {
    // 16 equally popular experts, the other 112 never picked: each of the 16 is among a
    // token's 8 picks with p = 1/2, so 32 tokens use 16 (1 - 2^-32) of them.
    const Fixture f;
    config::RoutingSpec r;
    r.mode = config::Routing::histogram;
    r.histogram = {std::vector<double>(128, 0.0)};
    for (int e = 0; e < 16; ++e) r.histogram[0][static_cast<std::size_t>(e)] = 5;
    config::MoeDispatchSpec grouped;
    workload::ExpertReads reads(f.model, grouped, r);
    EXPECT_NEAR(reads.for_step(1, 32)[0], 16 * (1 - std::pow(0.5, 32)), 1e-9);
    EXPECT_NEAR(reads.for_step(1, 1)[1], 8.0, 1e-9);  // one token: always k
    // A uniform histogram is independent routing.
    r.histogram = {std::vector<double>(128, 1.0)};
    workload::ExpertReads flat(f.model, grouped, r);
    EXPECT_NEAR(flat.for_step(1, 32)[0], uniform(32), 1e-9);
    // Below the vector threshold the histogram does not matter: pairs are read.
    config::MoeDispatchSpec metal;
    metal.vector_max_tokens = 31;
    workload::ExpertReads below(f.model, metal, r);
    EXPECT_NEAR(below.for_step(1, 16)[0], 128.0, 1e-9);
}

TEST(MoeDispatch, histogram_rows_are_per_moe_layer) {
    const Fixture f;
    config::RoutingSpec r;
    r.mode = config::Routing::histogram;
    r.histogram = {std::vector<double>(128, 1.0), std::vector<double>(128, 0.0)};
    for (int e = 0; e < 8; ++e) r.histogram[1][static_cast<std::size_t>(e)] = 1;  // layer 1: always the same 8
    workload::ExpertReads reads(f.model, config::MoeDispatchSpec{}, r);
    const auto per_layer = reads.for_step(1, 32);
    EXPECT_NEAR(per_layer[0], uniform(32), 1e-9);
    EXPECT_NEAR(per_layer[1], 8.0, 1e-9);
}

TEST(MoeDispatch, impossible_histograms_are_refused_at_the_routing_field) {
    const Fixture f;
    config::RoutingSpec r;
    r.mode = config::Routing::histogram;
    r.where = {"s.yaml", 3, 10};
    r.histogram = {std::vector<double>(64, 1.0)};  // 64 experts for a 128-expert model
    try {
        workload::check_routing(f.model, r);
        FAIL() << "expected an InputError";
    } catch (const config::InputError& e) {
        EXPECT_EQ(e.field(), "routing");
        EXPECT_NE(std::string(e.what()).find("128"), std::string::npos);
    }
    r.histogram = {std::vector<double>(128, 1.0)};
    r.histogram[0][0] = 100;  // a share of ~0.44, over 1/8: a token picks an expert once
    EXPECT_THROW(workload::check_routing(f.model, r), config::InputError);
    r.histogram = {std::vector<double>(128, 1.0), std::vector<double>(128, 1.0), std::vector<double>(128, 1.0)};
    EXPECT_THROW(workload::check_routing(f.model, r), config::InputError);  // 3 rows, 2 MoE layers
}

TEST(MoeDispatch, shipped_profiles_state_the_backend_thresholds) {
    EXPECT_EQ(shipped_runtime("llama.cpp-metal").moe.vector_max_tokens, 31);  // ne21_mm_id_min = 32
    EXPECT_EQ(shipped_runtime("llama.cpp-cuda").moe.vector_max_tokens, 8);    // MMVQ_MAX_BATCH_SIZE
    EXPECT_EQ(shipped_runtime("ideal").moe.vector_max_tokens, 0);
}

TEST(MoeDispatch, kernel_counts_of_a_moe_layer) {
    // Qwen3-30B-A3B (k = 8). Metal: router 6 + ffn_up 3 + ffn_down (2 + k) = 19 dependent
    // dispatches; CUDA with its fused top-k: 2 + 5 + (3 + k) = 18.
    const config::RuntimeSpec metal = shipped_runtime("llama.cpp-metal"), cuda = shipped_runtime("llama.cpp-cuda");
    auto moe_ffn = [](const config::RuntimeSpec& r, int k) {
        return r.moe.kernel_count(OpKind::router, k, r.kernels) + r.moe.kernel_count(OpKind::ffn_up, k, r.kernels) +
               r.moe.kernel_count(OpKind::ffn_down, k, r.kernels);
    };
    EXPECT_EQ(moe_ffn(metal, 8), 19);
    EXPECT_EQ(moe_ffn(cuda, 8), 18);
    EXPECT_EQ(moe_ffn(metal, 2), 13);  // Mixtral: one add in the expert sum
    // A dense layer's ops keep the dense counts.
    EXPECT_EQ(metal.moe.kernel_count(OpKind::ffn_down, 0, metal.kernels), 2);
    EXPECT_EQ(cuda.moe.kernel_count(OpKind::ffn_up, 0, cuda.kernels), 5);
}

TEST(MoeDispatch, trace_marks_the_ops_of_moe_layers_only) {
    const std::string dense_first = kMoe + "first_dense_layers: 1\ndense_ffn: 1024\n";
    const config::ModelSpec model = test::model_from(dense_first);
    const workload::WeightInventory weights = workload::build_weights(model, "q8_0");
    workload::RequestShape shape;
    shape.prompt = 4;
    shape.gen = 2;
    workload::TraceBuilder tb(model, weights, shape);
    int marked = 0;
    for (const workload::Op& op : tb.step(tb.prefill_steps()).ops) {
        if (op.active_experts == 0) continue;
        EXPECT_EQ(op.layer, 1);
        EXPECT_EQ(op.active_experts, 8);
        ++marked;
    }
    EXPECT_EQ(marked, 3);  // router, ffn_up, ffn_down of the MoE layer
}

TEST(MoeDispatch, old_runtime_files_load_with_grouped_reads_and_dense_counts) {
    const config::RuntimeSpec r = config::read_runtime(
        config::Node(config::load_yaml_text("name: old\nkernels: {router: 4, ffn_down: 2}\n", "old.yaml"), "old.yaml"));
    EXPECT_EQ(r.moe.vector_max_tokens, 0);
    EXPECT_EQ(r.moe.kernel_count(OpKind::router, 8, r.kernels), 4);
    EXPECT_EQ(r.moe.kernel_count(OpKind::ffn_down, 8, r.kernels), 2);
}

TEST(MoeDispatch, unknown_op_in_moe_kernels_names_the_field) {
    try {
        config::read_runtime(config::Node(config::load_yaml_text("moe:\n  kernels: {rooter: 6}\n", "rt.yaml"), "rt.yaml"));
        FAIL() << "expected an InputError";
    } catch (const config::InputError& e) {
        EXPECT_NE(std::string(e.what()).find("rt.yaml:2"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("router"), std::string::npos) << e.what();  // the suggestion
    }
}
