// Model architectures driven alone: one layer's tensors and ops for a tiny config with exact
// bytes and flops per op (f16 weights, so bytes are 2 per weight), the KV bytes each keeps per
// token, the registry's names and the importers' mappings onto it, and the shipped DeepSeek
// models against their published sizes.
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "support/fixtures.hpp"
#include "support/gguf_writer.hpp"
#include "support/temp_dir.hpp"
#include "workload/arch/architecture.hpp"
#include "workload/gguf_reader.hpp"
#include "workload/hf_config.hpp"
#include "workload/model_yaml.hpp"
#include "workload/trace_builder.hpp"
#include "workload/trace_file.hpp"

using infersim::config::InputError;
using infersim::config::ModelSpec;
using infersim::config::OpKind;
namespace wl = infersim::workload;

namespace {

const char* kTinyLlama = "name: tiny\narchitecture: llama\nlayers: 2\nhidden: 64\nheads: 4\nkv_heads: 2\nhead_dim: 16\nffn: 128\nvocab: 256\n";

std::string tiny_mla(int q_lora_rank) {
    return "name: tiny-mla\narchitecture: mla\nlayers: 2\nhidden: 64\nheads: 4\nffn: 32\ndense_ffn: 96\nvocab: 256\n"
           "experts: 4\nactive_experts: 2\nshared_experts: 1\nfirst_dense_layers: 1\nq_lora_rank: " +
           std::to_string(q_lora_rank) + "\nkv_lora_rank: 16\nqk_rope_head_dim: 8\nqk_nope_head_dim: 16\nv_head_dim: 16\n";
}

// Decode of one token after 10 cached ones: attention sees 11 keys.
const wl::LayerStep kDecode{1, 1, 10, 2.0, true};

std::vector<wl::Op> layer_ops(const ModelSpec& m, const wl::WeightInventory& w, int layer) {
    std::vector<wl::Op> ops;
    wl::make_architecture(m)->layer_ops(layer, kDecode, w, ops);
    return ops;
}

void expect_op(const wl::Op& op, OpKind kind, std::uint64_t weight_bytes, double flops, std::uint64_t kv_read = 0, std::uint64_t kv_write = 0) {
    EXPECT_EQ(op.kind, kind) << infersim::config::name(op.kind);
    EXPECT_EQ(op.weight_bytes, weight_bytes) << infersim::config::name(kind);
    EXPECT_DOUBLE_EQ(op.flops, flops) << infersim::config::name(kind);
    EXPECT_EQ(op.kv_read_bytes, kv_read) << infersim::config::name(kind);
    EXPECT_EQ(op.kv_write_bytes, kv_write) << infersim::config::name(kind);
}

}  // namespace

TEST(Architecture, llama_layer_ops_have_exact_bytes_and_flops) {
    const ModelSpec m = infersim::test::model_from(kTinyLlama);
    const wl::WeightInventory w = wl::build_weights(m, "f16");
    const auto ops = layer_ops(m, w, 0);
    ASSERT_EQ(ops.size(), 7u);
    // h 64, q 64, kv 32: qkv 64 x 128 weights; K and V of 1 token written, of 11 read.
    expect_op(ops[0], OpKind::norm, 64 * 4, 4 * 64);
    expect_op(ops[1], OpKind::qkv, 64 * 128 * 2, 2 * 64 * 128, 0, 2 * 32 * 2);
    expect_op(ops[2], OpKind::attention, 0, 4.0 * 11 * 64, 11 * 2 * 32 * 2);
    expect_op(ops[3], OpKind::out_proj, 64 * 64 * 2, 2 * 64 * 64);
    expect_op(ops[4], OpKind::norm, 64 * 4, 4 * 64);
    expect_op(ops[5], OpKind::ffn_up, 2 * 64 * 128 * 2, 2 * 64 * 256);
    expect_op(ops[6], OpKind::ffn_down, 128 * 64 * 2, 2 * 128 * 64);
    EXPECT_EQ(ops[1].weight_format->name, "f16");
    EXPECT_EQ(ops[0].weight_format->name, "f32");
    EXPECT_EQ(wl::make_architecture(m)->kv_elements_per_token(0), 2u * 32);
}

TEST(Architecture, mla_dense_layer_without_query_compression) {
    const ModelSpec m = infersim::test::model_from(tiny_mla(0));
    const wl::WeightInventory w = wl::build_weights(m, "f16");
    const auto ops = layer_ops(m, w, 0);
    ASSERT_EQ(ops.size(), 7u);
    // heads 4, q head 16 + 8: attn_q 64 x 96, kv_a 64 x (16 + 8), kv_a_norm 16 (f32).
    expect_op(ops[1], OpKind::qkv, (64 * 96 + 64 * 24) * 2 + 16 * 4, 2.0 * (64 * 96 + 64 * 24) + 4 * 16, 0, 24 * 2);
    EXPECT_EQ(ops[1].weight_elements, 64u * 96 + 64 * 24);
    // Absorbed: W_UK and W_UV (attn_kv_b, 16 x 4 x 32) per token; 11 keys x 4 heads over the
    // latent + rope (scores) and the latent (values); the cache read is 11 x (16 + 8) x 2 B.
    expect_op(ops[2], OpKind::attention, 16 * 4 * 32 * 2, 2.0 * 4 * 16 * 32 + 2.0 * 11 * 4 * (2 * 16 + 8), 11 * 24 * 2);
    expect_op(ops[3], OpKind::out_proj, 64 * 64 * 2, 2 * 64 * 64);
    expect_op(ops[5], OpKind::ffn_up, 2 * 64 * 96 * 2, 2 * 64 * 192);  // dense_ffn 96
    expect_op(ops[6], OpKind::ffn_down, 96 * 64 * 2, 2 * 96 * 64);
    EXPECT_EQ(wl::make_architecture(m)->kv_elements_per_token(0), 16u + 8);
}

TEST(Architecture, mla_moe_layer_with_query_compression_and_shared_expert) {
    const ModelSpec m = infersim::test::model_from(tiny_mla(32));
    const wl::WeightInventory w = wl::build_weights(m, "f16");
    const auto ops = layer_ops(m, w, 1);
    ASSERT_EQ(ops.size(), 8u);
    // q_a 64 x 32, q_a_norm 32 and kv_a_norm 16 (f32), q_b 32 x 96, kv_a 64 x 24.
    expect_op(ops[1], OpKind::qkv, (2048 + 3072 + 1536) * 2 + (32 + 16) * 4, 2.0 * (2048 + 3072 + 1536) + 4 * (16 + 32), 0, 48);
    expect_op(ops[5], OpKind::router, 64 * 4 * 4, 2 * 64 * 4);
    // One token touches 4 x (1 - (1 - 2/4)) = 2 of 4 experts (half the bytes), plus the shared one.
    expect_op(ops[6], OpKind::ffn_up, 2 * 4 * 64 * 32 * 2 / 2 + 2 * 64 * 32 * 2, 2.0 * 2 * 64 * 64 + 2.0 * 64 * 64);
    expect_op(ops[7], OpKind::ffn_down, 4 * 32 * 64 * 2 / 2 + 32 * 64 * 2, 2.0 * 2 * 32 * 64 + 2.0 * 32 * 64);
    EXPECT_EQ(ops[5].weight_format->name, "f32");
}

TEST(Architecture, each_op_carries_the_format_of_the_weights_it_reads) {
    // mxfp4: experts in MXFP4, attention and the shared expert in Q8_0, router f32.
    const ModelSpec m = infersim::test::model_from(tiny_mla(0));
    const wl::WeightInventory w = wl::build_weights(m, "mxfp4");
    const auto ops = layer_ops(m, w, 1);
    ASSERT_EQ(ops.size(), 8u);
    EXPECT_EQ(ops[1].weight_format->name, "q8_0");
    EXPECT_EQ(ops[5].weight_format->name, "f32");
    EXPECT_EQ(ops[6].weight_format->name, "mxfp4");
    EXPECT_EQ(ops[6].weight_format->compute, infersim::config::DType::fp4);
}

TEST(Architecture, registry_lists_implementations_and_family_names) {
    EXPECT_EQ(wl::find_architecture("mixtral"), wl::find_architecture("llama"));
    EXPECT_EQ(wl::find_architecture("deepseek2"), wl::find_architecture("mla"));
    EXPECT_EQ(wl::find_architecture("gpt"), nullptr);
    std::ostringstream out;
    wl::print_architectures(out);
    EXPECT_NE(out.str().find("impl: llama"), std::string::npos);
    EXPECT_NE(out.str().find("impl: mla"), std::string::npos);
    EXPECT_NE(out.str().find("kv_lora_rank"), std::string::npos);
}

TEST(Architecture, every_importer_name_maps_onto_a_registered_architecture) {
    for (const auto& [hf, ours] : wl::hf_model_types()) EXPECT_NE(wl::find_architecture(ours), nullptr) << hf;
    for (const auto& [gguf, ours] : wl::gguf_architectures()) EXPECT_NE(wl::find_architecture(ours), nullptr) << gguf;
}

TEST(Architecture, unknown_architecture_is_located_and_lists_the_names) {
    try {
        infersim::test::model_from("name: x\narchitecture: mamba\nlayers: 1\nhidden: 8\nheads: 1\nffn: 8\nvocab: 8\n");
        FAIL() << "no error";
    } catch (const InputError& e) {
        EXPECT_EQ(e.where().line, 2);
        EXPECT_EQ(e.where().column, 15);
        EXPECT_NE(std::string(e.what()).find("llama (also mistral"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("mla (also deepseek2)"), std::string::npos) << e.what();
    }
}

TEST(Architecture, fields_of_another_architecture_are_unknown_keys) {
    EXPECT_THROW(infersim::test::model_from(std::string(kTinyLlama) + "kv_lora_rank: 512\n"), InputError);
    // mla requires its latent width.
    std::string no_rank = tiny_mla(0);
    no_rank.erase(no_rank.find("kv_lora_rank"), std::string("kv_lora_rank: 16\n").size());
    EXPECT_THROW(infersim::test::model_from(no_rank), InputError);
}

TEST(Architecture, deepseek_v2_lite_kv_cache_and_weights_match_published_figures) {
    const ModelSpec m = wl::load_model_yaml(INFERSIM_SOURCE_DIR "/configs/models/deepseek-v2-lite.yaml");
    // (kv_lora_rank 512 + rope 64) x 27 layers x 2 B.
    EXPECT_EQ(wl::kv_bytes(m, 1, 2.0), 31104u);
    EXPECT_NEAR(wl::parameter_count(m), 15.7e9, 0.05e9);
    const wl::WeightInventory w = wl::build_weights(m, "q4_k_m");
    EXPECT_EQ(w.total_bytes(), 10360420352u);
    EXPECT_NEAR(static_cast<double>(w.total_bytes()), 10.4e9, 0.01 * 10.4e9);  // published Q4_K_M GGUF, about 10.4 GB
    // ffn_down_exps rows of 1408 weights are no multiple of 256: Q4_K falls back to Q5_0, Q6_K to Q8_0.
    EXPECT_EQ(w.format(1, wl::TensorRole::ffn_down_exps)->name, "q8_0");
    EXPECT_EQ(w.format(3, wl::TensorRole::ffn_down_exps)->name, "q5_0");
    EXPECT_EQ(w.format(0, wl::TensorRole::ffn_gate)->name, "q4_k");
}

TEST(Architecture, deepseek_v3_counts_671b_without_the_mtp_layer) {
    const ModelSpec m = wl::load_model_yaml(INFERSIM_SOURCE_DIR "/configs/models/deepseek-v3.yaml");
    EXPECT_NEAR(wl::parameter_count(m), 671e9, 1e9);
    EXPECT_EQ(wl::kv_bytes(m, 1, 2.0), 576u * 61 * 2);
}

TEST(Architecture, trace_builder_counts_the_ops_the_architecture_builds) {
    const ModelSpec m = wl::load_model_yaml(INFERSIM_SOURCE_DIR "/configs/models/deepseek-v2-lite.yaml");
    const wl::WeightInventory w = wl::build_weights(m, "q4_k_m");
    wl::RequestShape shape;
    shape.prompt = 16;
    shape.gen = 3;
    wl::TraceBuilder tb(m, w, shape);
    // Embedding, final norm, LM head, sampling; one dense layer of 7 ops and 26 MoE layers of 8.
    EXPECT_EQ(tb.op_count(), tb.step_count() * (4 + 7 + 26 * 8));
    for (std::size_t i = 0; i < tb.step_count(); ++i) EXPECT_EQ(tb.step(i).ops.size(), 4u + 7 + 26 * 8);
}

TEST(Architecture, hf_deepseek_config_maps_to_an_mla_spec) {
    infersim::test::TempDir dir;
    const std::string path = dir.write("config.json", R"({"model_type": "deepseek_v2", "hidden_size": 64,
  "num_hidden_layers": 3, "num_attention_heads": 4, "num_key_value_heads": 4, "vocab_size": 256,
  "q_lora_rank": null, "kv_lora_rank": 16, "qk_rope_head_dim": 8, "qk_nope_head_dim": 16, "v_head_dim": 16,
  "n_routed_experts": 8, "n_shared_experts": 2, "num_experts_per_tok": 2, "first_k_dense_replace": 1,
  "moe_layer_freq": 1, "moe_intermediate_size": 32, "intermediate_size": 96, "tie_word_embeddings": false})");
    const ModelSpec m = wl::load_hf_config(path);
    EXPECT_EQ(m.architecture, "deepseek2");
    EXPECT_EQ(m.mla.q_lora_rank, 0);
    EXPECT_EQ(m.mla.kv_lora_rank, 16);
    EXPECT_EQ(m.mla.qk_rope_head_dim, 8);
    EXPECT_EQ(m.mla.qk_nope_head_dim, 16);
    EXPECT_EQ(m.mla.v_head_dim, 16);
    EXPECT_EQ(m.experts, 8);
    EXPECT_EQ(m.shared_experts, 2);
    EXPECT_EQ(m.active_experts, 2);
    EXPECT_EQ(m.first_dense_layers, 1);
    EXPECT_EQ(m.ffn, 32);
    EXPECT_EQ(m.dense_ffn, 96);
    EXPECT_FALSE(m.moe_layer(0));
    EXPECT_TRUE(m.moe_layer(1));
    EXPECT_EQ(wl::kv_bytes(m, 1, 2.0), 3u * 24 * 2);
}

TEST(Architecture, hf_deepseek_config_without_kv_lora_rank_names_the_key) {
    infersim::test::TempDir dir;
    const std::string path = dir.write("config.json", R"({"model_type": "deepseek_v3", "hidden_size": 64,
  "num_hidden_layers": 3, "num_attention_heads": 4, "vocab_size": 256, "qk_rope_head_dim": 8,
  "qk_nope_head_dim": 16, "v_head_dim": 16, "intermediate_size": 96})");
    try {
        wl::load_hf_config(path);
        FAIL() << "no error";
    } catch (const InputError& e) {
        EXPECT_EQ(e.field(), "kv_lora_rank");
    }
}

TEST(Architecture, gguf_deepseek2_maps_to_latent_attention_and_its_tensors_classify) {
    using namespace infersim::test;
    TempDir dir;
    // A DeepSeek-V2-Lite-shaped header, tiny: no q compression, 1 leading dense layer.
    Gguf g;
    add_llama_metadata(g, "deepseek2", 2, 64, 4, 4, 96);
    g.u32("deepseek2.attention.key_length", 24);
    g.u32("deepseek2.attention.value_length", 16);
    g.u32("deepseek2.attention.kv_lora_rank", 16);
    g.u32("deepseek2.rope.dimension_count", 8);
    g.u32("deepseek2.leading_dense_block_count", 1);
    g.u32("deepseek2.expert_count", 4);
    g.u32("deepseek2.expert_used_count", 2);
    g.u32("deepseek2.expert_shared_count", 1);
    g.u32("deepseek2.expert_feed_forward_length", 32);
    g.tensor("token_embd.weight", {64, 10}, F32);
    g.tensor("blk.0.attn_kv_a_mqa.weight", {64, 24}, F16);
    g.tensor("blk.0.attn_kv_b.weight", {16, 128}, F16);
    ModelSpec m = wl::load_gguf(dir.write("tiny-deepseek.gguf", g.build()));
    EXPECT_EQ(m.architecture, "deepseek2");
    EXPECT_EQ(m.mla.q_lora_rank, 0);
    EXPECT_EQ(m.mla.kv_lora_rank, 16);
    EXPECT_EQ(m.mla.qk_rope_head_dim, 8);
    EXPECT_EQ(m.mla.qk_nope_head_dim, 16);
    EXPECT_EQ(m.mla.v_head_dim, 16);
    EXPECT_EQ(m.first_dense_layers, 1);
    EXPECT_EQ(m.ffn, 32);
    EXPECT_EQ(m.dense_ffn, 96);
    const wl::WeightInventory w = wl::weights_from_records(m);
    EXPECT_EQ(w.bytes(0, wl::TensorRole::attn_kv_a_mqa), 64u * 24 * 2);
    EXPECT_EQ(w.bytes(0, wl::TensorRole::attn_kv_b), 16u * 128 * 2);
    EXPECT_NE(m.source_text.find("kv_lora_rank: 16"), std::string::npos);
}

TEST(Architecture, trace_files_keep_each_ops_weight_format) {
    const ModelSpec m = infersim::test::model_from(tiny_mla(32));
    const wl::WeightInventory w = wl::build_weights(m, "mxfp4");
    wl::RequestShape shape;
    shape.prompt = 4;
    shape.gen = 2;
    wl::TraceBuilder tb(m, w, shape);
    std::ostringstream text;
    wl::write_trace(text, wl::TraceHeader{"tiny-mla", "mxfp4", "f16", 4, 2, 1, 512}, tb);
    infersim::test::TempDir dir;
    wl::TraceFile back = wl::TraceFile::load(dir.write("t.trace", text.str()), 1u << 20);
    ASSERT_EQ(back.step_count(), tb.step_count());
    for (std::size_t s = 0; s < tb.step_count(); ++s) {
        const auto& built = tb.step(s).ops;
        const auto& read = back.step(s).ops;
        ASSERT_EQ(read.size(), built.size());
        for (std::size_t i = 0; i < built.size(); ++i) EXPECT_EQ(read[i].weight_format, built[i].weight_format) << s << ":" << i;
    }
}

TEST(Architecture, hf_qwen2_moe_shared_expert_is_counted_in_expert_widths) {
    infersim::test::TempDir dir;
    // Qwen1.5-MoE-A2.7B's MoE keys, on a small body.
    const std::string path = dir.write("config.json", R"({"model_type": "qwen2_moe", "hidden_size": 64,
  "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 4, "vocab_size": 256,
  "num_experts": 60, "num_experts_per_tok": 4, "moe_intermediate_size": 1408,
  "shared_expert_intermediate_size": 5632, "intermediate_size": 5632, "decoder_sparse_step": 1})");
    const ModelSpec m = wl::load_hf_config(path);
    EXPECT_EQ(m.architecture, "qwen2moe");
    EXPECT_EQ(m.experts, 60);
    EXPECT_EQ(m.shared_experts, 4);
    EXPECT_EQ(m.ffn, 1408);
    EXPECT_TRUE(m.qkv_bias);
}
