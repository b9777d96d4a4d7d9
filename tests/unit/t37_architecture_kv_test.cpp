// The new architectures' caches and ops against closed forms: KV bytes per token and layer
// (sliding windows where the runtime keeps an SWA cache, MLA's latent, linear attention's fixed
// state), the KV each decode step reads, active vs total weights of MoE models, Phi-3's fused
// tensors, layer_types, a header-only GGUF, and the errors of bad layer patterns.
#include <gtest/gtest.h>

#include <string>

#include "config/errors.hpp"
#include "support/fixtures.hpp"
#include "support/gguf_writer.hpp"
#include "support/temp_dir.hpp"
#include "workload/arch/architecture.hpp"
#include "workload/gguf_reader.hpp"
#include "workload/hf_config.hpp"
#include "workload/trace_builder.hpp"
#include "workload/weights.hpp"

using infersim::config::InputError;
using infersim::config::ModelSpec;
using infersim::config::OpKind;
namespace wl = infersim::workload;

namespace {

const std::string kTinyGemma = "name: tg\narchitecture: gemma3\nlayers: 4\nhidden: 64\nheads: 4\nkv_heads: 2\nhead_dim: 32\n"
                               "ffn: 128\nvocab: 256\ntied_embeddings: true\nsliding_window: 8\nlayer_pattern: sf\n";
const std::string kTinyNext = "name: tn\narchitecture: qwen3next\nlayers: 4\nhidden: 64\nheads: 4\nkv_heads: 1\nhead_dim: 16\n"
                              "ffn: 16\nvocab: 256\nexperts: 8\nactive_experts: 2\nshared_experts: 1\nlayer_pattern: lllf\n"
                              "linear_key_heads: 2\nlinear_value_heads: 4\nlinear_key_head_dim: 8\nlinear_value_head_dim: 8\n"
                              "linear_conv_kernel: 4\n";

// The attention op of layer `l` for one decode token after `ctx` cached ones.
wl::Op attention_op(const ModelSpec& m, int l, std::uint64_t ctx) {
    const wl::WeightInventory w = wl::build_weights(m, "f16");
    std::vector<wl::Op> ops;
    wl::make_architecture(m)->layer_ops(l, wl::LayerStep{1, 1, ctx, 2.0, true}, w, ops);
    for (const wl::Op& op : ops)
        if (op.kind == OpKind::attention) return op;
    ADD_FAILURE() << "no attention op";
    return {};
}

}  // namespace

TEST(ArchitectureKv, sliding_layers_keep_their_window_where_the_runtime_keeps_an_swa_cache) {
    const ModelSpec m = infersim::test::model_from(kTinyGemma);
    const double per_token = 2.0 * 2 * 32 * 2;  // K and V, 2 kv heads x 32, f16
    // Layers 0 and 2 slide (window 8), 1 and 3 are global: at 100 tokens 2 x 100 + 2 x 8.
    EXPECT_EQ(wl::kv_bytes(m, 100, 2.0), static_cast<std::uint64_t>(per_token * (2 * 100 + 2 * 8)));
    EXPECT_EQ(wl::kv_bytes(m, 100, 2.0, false), static_cast<std::uint64_t>(per_token * 4 * 100));
    EXPECT_EQ(wl::kv_bytes(m, 5, 2.0), static_cast<std::uint64_t>(per_token * 4 * 5));  // below the window
    // A decode step at depth reads the window on sliding layers, the whole context on global ones.
    EXPECT_EQ(attention_op(m, 0, 100).kv_read_bytes, static_cast<std::uint64_t>(per_token * 8));
    EXPECT_EQ(attention_op(m, 1, 100).kv_read_bytes, static_cast<std::uint64_t>(per_token * 101));
}

TEST(ArchitectureKv, gemma_has_post_norms_and_qk_norms_and_ties_the_head) {
    const ModelSpec m = infersim::test::model_from(kTinyGemma);
    // Per layer: 4 norms of 64, q/k norms of 32, q 64x128, k and v 64x64, o 128x64, FFN 3 x 64x128.
    const double layer = 4 * 64 + 2 * 32 + 64 * 128 + 2 * 64 * 64 + 128 * 64 + 3 * 64 * 128;
    EXPECT_DOUBLE_EQ(wl::parameter_count(m), 4 * layer + 64 * 256 + 64);
}

TEST(ArchitectureKv, linear_attention_holds_a_constant_state_per_layer) {
    const ModelSpec m = infersim::test::model_from(kTinyNext);
    // 3 linear layers: f32 state 4 heads x 8 x 8 + conv (4 - 1) x (2 x 16 + 32); 1 full layer: K and V of 1 x 16.
    const double state = (4.0 * 8 * 8 + 3.0 * (2 * 16 + 32)) * 4;
    const double per_token = 2.0 * 16 * 2;
    EXPECT_EQ(wl::kv_bytes(m, 0, 2.0), static_cast<std::uint64_t>(3 * state));
    EXPECT_EQ(wl::kv_bytes(m, 1000, 2.0), static_cast<std::uint64_t>(3 * state + 1000 * per_token));
    EXPECT_EQ(wl::kv_bytes(m, 1000, 2.0), wl::kv_bytes(m, 1000, 2.0, false));
    // A decode step reads and writes the state once, whatever the context.
    const wl::Op rec = attention_op(m, 0, 5000);
    EXPECT_EQ(rec.kv_read_bytes, static_cast<std::uint64_t>(state));
    EXPECT_EQ(rec.kv_write_bytes, static_cast<std::uint64_t>(state));
    EXPECT_EQ(attention_op(m, 0, 10).kv_read_bytes, rec.kv_read_bytes);
    EXPECT_EQ(attention_op(m, 3, 5000).kv_read_bytes, static_cast<std::uint64_t>(5001 * per_token));
}

TEST(ArchitectureKv, qwen3_next_80b_kv_per_token_is_its_full_layers_only) {
    ModelSpec m = infersim::test::model_from(
        "name: q\narchitecture: qwen3next\nlayers: 48\nhidden: 2048\nheads: 16\nkv_heads: 2\nhead_dim: 256\nffn: 512\n"
        "vocab: 151936\nexperts: 512\nactive_experts: 10\nshared_experts: 1\nlayer_pattern: lllf\nlinear_key_heads: 16\n"
        "linear_value_heads: 32\nlinear_key_head_dim: 128\nlinear_value_head_dim: 128\nlinear_conv_kernel: 4\n");
    // 12 full layers x 2 x 2 x 256 x 2 B per token; 36 x (32 x 128 x 128 + 3 x 8192) x 4 B of state.
    const std::uint64_t state = 36ull * (32 * 128 * 128 + 3 * 8192) * 4;
    EXPECT_EQ(wl::kv_bytes(m, 1, 2.0) - state, 12u * 2 * 2 * 256 * 2);
    EXPECT_EQ(wl::kv_bytes(m, 0, 2.0), state);
}

TEST(ArchitectureKv, mla_caches_the_latent_and_rope_key) {
    const ModelSpec m = infersim::test::model_from(
        "name: k\narchitecture: mla\nlayers: 61\nhidden: 7168\nheads: 64\nffn: 2048\ndense_ffn: 18432\nvocab: 163840\n"
        "experts: 384\nactive_experts: 8\nshared_experts: 1\nfirst_dense_layers: 1\nq_lora_rank: 1536\nkv_lora_rank: 512\n"
        "qk_rope_head_dim: 64\nqk_nope_head_dim: 128\nv_head_dim: 128\n");
    EXPECT_EQ(wl::kv_bytes(m, 1000, 2.0), 1000u * (512 + 64) * 61 * 2);  // Kimi K2: 70,272 B per token
}

TEST(ArchitectureKv, moe_active_weights_count_k_of_e_routed_experts) {
    const ModelSpec m = infersim::test::model_from(kTinyNext);
    const wl::ParameterCount p = wl::parameter_counts(m);
    const double routed = 4.0 * 8 * 3 * 64 * 16;  // 4 MoE layers x 8 experts x gate, up, down
    EXPECT_DOUBLE_EQ(p.total - p.active, routed * (1 - 2.0 / 8));
    const wl::InventoryParams inv = wl::inventory_params(wl::build_weights(m, "f16"), m);
    EXPECT_EQ(inv.total, static_cast<std::uint64_t>(p.total));
    EXPECT_EQ(inv.active, static_cast<std::uint64_t>(p.active));
    const ModelSpec dense = infersim::test::model_from(kTinyGemma);
    const wl::ParameterCount d = wl::parameter_counts(dense);
    EXPECT_EQ(d.total, d.active);
}

TEST(ArchitectureKv, phi3_fuses_qkv_and_gate_up_with_the_llama_elements) {
    const std::string shape = "layers: 2\nhidden: 64\nheads: 4\nkv_heads: 2\nhead_dim: 16\nffn: 128\nvocab: 256\n";
    const ModelSpec phi = infersim::test::model_from("name: p\narchitecture: phi3\n" + shape);
    const ModelSpec llama = infersim::test::model_from("name: l\narchitecture: llama\n" + shape);
    EXPECT_DOUBLE_EQ(wl::parameter_count(phi), wl::parameter_count(llama));
    const wl::WeightInventory w = wl::build_weights(phi, "f16");
    EXPECT_EQ(w.bytes(0, wl::TensorRole::attn_qkv), 64u * (64 + 2 * 32) * 2);
    EXPECT_EQ(w.bytes(0, wl::TensorRole::ffn_up), 2u * 64 * 128 * 2);
    EXPECT_EQ(w.bytes(0, wl::TensorRole::attn_q), 0u);
    EXPECT_EQ(w.total_bytes(), wl::build_weights(llama, "f16").total_bytes());
}

TEST(ArchitectureKv, hf_layer_types_are_read_and_checked) {
    infersim::test::TempDir dir;
    const std::string base = R"("model_type":"gpt_oss","hidden_size":64,"intermediate_size":64,"num_attention_heads":4,
"num_key_value_heads":2,"head_dim":16,"num_hidden_layers":3,"num_local_experts":4,"num_experts_per_tok":2,
"vocab_size":256,"sliding_window":128,)";
    const ModelSpec m = wl::load_hf_config(dir.write("a.json",
        "{" + base + R"("layer_types":["full_attention","sliding_attention","sliding_attention"]})"));
    EXPECT_EQ(m.layer_pattern, "fss");
    try {
        wl::load_hf_config(dir.write("b.json", "{" + base + R"("layer_types":["full_attention","mamba","full_attention"]})"));
        FAIL() << "accepted an unknown layer type";
    } catch (const InputError& e) {
        EXPECT_EQ(e.field(), "layer_types");
        EXPECT_NE(std::string(e.what()).find("b.json:3:"), std::string::npos) << e.what();
    }
    EXPECT_THROW(wl::load_hf_config(dir.write("c.json", "{" + base + R"("layer_types":["full_attention"]})")), InputError);
}

TEST(ArchitectureKv, nested_text_config_errors_point_into_the_file) {
    infersim::test::TempDir dir;
    const std::string path = dir.write("config.json", "{\"model_type\":\"gemma3\",\n\"text_config\":{\"hidden_size\":64,"
                                                      "\"num_attention_heads\":4,\"intermediate_size\":128}}");
    try {
        wl::load_hf_config(path);
        FAIL() << "accepted a text_config without num_hidden_layers";
    } catch (const InputError& e) {
        EXPECT_EQ(e.field(), "num_hidden_layers");
        EXPECT_NE(std::string(e.what()).find("config.json:2:"), std::string::npos) << e.what();
    }
}

TEST(ArchitectureKv, bad_layer_patterns_are_refused_with_the_field) {
    EXPECT_THROW(infersim::test::model_from(kTinyGemma + "layer_pattern: sx\n"), InputError);
    EXPECT_THROW(infersim::test::model_from(kTinyGemma + "layer_pattern: sfsfs\n"), InputError);  // 5 > 4 layers
    EXPECT_THROW(infersim::test::model_from(kTinyNext + "layer_pattern: ffff\n"), InputError);    // no linear layer
}

TEST(ArchitectureKv, header_only_gguf_is_accepted) {
    using namespace infersim::test;
    Gguf g;
    add_llama_metadata(g, "gemma3", 6, 64, 4, 2, 128);
    g.u32("gemma3.attention.key_length", 32);
    g.u32("gemma3.attention.sliding_window", 512);
    g.tensor("token_embd.weight", {64, 256}, F16);
    g.tensor("blk.0.attn_q.weight", {64, 128}, Q8_0);
    std::string bytes = g.build();
    bytes.resize(bytes.size() - g.total_tensor_bytes());  // the header alone
    TempDir dir;
    const ModelSpec m = wl::load_gguf(dir.write("h.gguf", bytes));
    EXPECT_EQ(m.architecture, "gemma3");
    EXPECT_EQ(m.layer_pattern, "sssssf");
    EXPECT_EQ(m.tensors.size(), 2u);
    EXPECT_EQ(m.tensors[1].bytes, 64u * 128 / 32 * 34);
    bytes.resize(bytes.size() - 1);  // cut inside the header: still refused
    EXPECT_THROW(wl::load_gguf(dir.write("t.gguf", bytes)), InputError);
}
