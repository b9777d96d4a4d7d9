// GGUF header import: metadata and tensor mapping on synthetic files, and rejection of hostile
// ones (truncated at every byte, lying counts, bad magic) with the file, offset and field named.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "config/errors.hpp"
#include "support/gguf_writer.hpp"
#include "workload/gguf_reader.hpp"
#include "workload/model_source.hpp"
#include "workload/weights.hpp"

using infersim::config::InputError;
using infersim::config::ModelSpec;
using infersim::workload::load_gguf;

namespace {

namespace fs = std::filesystem;

using namespace infersim::test;

// A llama-shaped model: Q4_0 linears, Q6_K (Q8_0 when too narrow) attn_v / ffn_down / output, F32 norms.
Gguf llama_like(std::uint64_t hidden = 256, std::uint64_t ffn = 512, std::uint64_t vocab = 1000, int layers = 2) {
    Gguf g;
    add_llama_metadata(g, "llama", static_cast<std::uint32_t>(layers), static_cast<std::uint32_t>(hidden), 4, 2,
                       static_cast<std::uint32_t>(ffn));
    g.strings("tokenizer.ggml.tokens", {"<s>", "</s>", "a", "b"});
    std::uint64_t kv = hidden / 2;
    std::uint32_t k_quant = hidden % 256 == 0 && ffn % 256 == 0 ? Q6_K : Q8_0;  // K-quants need rows of 256
    g.tensor("token_embd.weight", {hidden, vocab}, Q4_0);
    for (int l = 0; l < layers; ++l) {
        std::string p = "blk." + std::to_string(l) + ".";
        g.tensor(p + "attn_norm.weight", {hidden}, F32);
        g.tensor(p + "attn_q.weight", {hidden, hidden}, Q4_0);
        g.tensor(p + "attn_k.weight", {hidden, kv}, Q4_0);
        g.tensor(p + "attn_v.weight", {hidden, kv}, k_quant);
        g.tensor(p + "attn_output.weight", {hidden, hidden}, Q4_0);
        g.tensor(p + "ffn_norm.weight", {hidden}, F32);
        g.tensor(p + "ffn_gate.weight", {hidden, ffn}, Q4_0);
        g.tensor(p + "ffn_up.weight", {hidden, ffn}, Q4_0);
        g.tensor(p + "ffn_down.weight", {ffn, hidden}, k_quant);
    }
    g.tensor("output_norm.weight", {hidden}, F32);
    g.tensor("output.weight", {hidden, vocab}, k_quant);
    return g;
}

class Gguf_ : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("infersim_t31_" + std::to_string(::getpid()) + "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }

    std::string write(const std::string& bytes, const std::string& name = "model.gguf") {
        std::string path = (dir_ / name).string();
        std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
        return path;
    }
    // The InputError that loading `bytes` throws (fails the test if none).
    InputError error_for(const std::string& bytes) {
        std::string path = write(bytes);
        try {
            load_gguf(path);
        } catch (const InputError& e) {
            EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
            return e;
        }
        ADD_FAILURE() << "no InputError";
        return InputError({}, "", "");
    }

    fs::path dir_;
};

Bytes header(std::uint32_t version, std::uint64_t tensors, std::uint64_t kvs) {
    Bytes b;
    b.data = "GGUF";
    b.u32(version);
    b.u64(tensors);
    b.u64(kvs);
    return b;
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_F(Gguf_, llama_like_header_maps_to_model_shape) {
    ModelSpec m = load_gguf(write(llama_like().build()));
    EXPECT_EQ(m.name, "Tiny llama");
    EXPECT_EQ(m.architecture, "llama");
    EXPECT_EQ(m.layers, 2);
    EXPECT_EQ(m.hidden, 256);
    EXPECT_EQ(m.heads, 4);
    EXPECT_EQ(m.kv_heads, 2);
    EXPECT_EQ(m.head_dim, 64);
    EXPECT_EQ(m.ffn, 512);
    EXPECT_EQ(m.vocab, 1000);  // from token_embd's shape, not the 4-entry token list
    EXPECT_EQ(m.max_context, 4096);
    EXPECT_FALSE(m.tied_embeddings);
    EXPECT_FALSE(m.qkv_bias);
    EXPECT_FALSE(m.is_moe());
    EXPECT_TRUE(has(m.source_text, "layers: 2"));
}

TEST_F(Gguf_, tensor_records_carry_type_elements_and_exact_bytes_of_a_q4_0_q6_k_f32_mix) {
    Gguf g = llama_like();
    ModelSpec m = load_gguf(write(g.build()));
    ASSERT_EQ(m.tensors.size(), g.tensors.size());
    for (std::size_t i = 0; i < g.tensors.size(); ++i) {
        const auto& want = g.tensors[i];
        std::uint64_t elements = 1;
        for (auto d : want.dims) elements *= d;
        EXPECT_EQ(m.tensors[i].name, want.name);
        EXPECT_EQ(m.tensors[i].elements, elements) << want.name;
        EXPECT_EQ(m.tensors[i].bytes, tensor_bytes(want.type, want.dims)) << want.name;
    }
    EXPECT_EQ(m.tensors[0].type, "q4_0");
    EXPECT_EQ(m.tensors[1].type, "f32");
    EXPECT_EQ(m.tensors[4].type, "q6_k");
    EXPECT_EQ(m.tensors[0].bytes, 1000u * 256 / 32 * 18);
}

TEST_F(Gguf_, weight_inventory_of_an_imported_file_totals_the_bytes_written) {
    Gguf g = llama_like();
    ModelSpec m = load_gguf(write(g.build()));
    auto inv = infersim::workload::weights_from_records(m);
    EXPECT_EQ(inv.total_bytes(), g.total_tensor_bytes());
    EXPECT_EQ(inv.scheme, "gguf");
}

TEST_F(Gguf_, missing_output_tensor_means_tied_embeddings) {
    Gguf g = llama_like();
    g.tensors.pop_back();
    EXPECT_TRUE(load_gguf(write(g.build())).tied_embeddings);
}

TEST_F(Gguf_, vocab_falls_back_to_token_list_length_without_embedding_tensor) {
    Gguf g = llama_like();
    g.tensors.erase(g.tensors.begin());
    EXPECT_EQ(load_gguf(write(g.build())).vocab, 4);
}

TEST_F(Gguf_, qkv_bias_tensors_set_qkv_bias) {
    Gguf g;
    add_llama_metadata(g, "qwen2", 1, 64, 2, 1, 128);
    g.tensor("token_embd.weight", {64, 10}, F16);
    g.tensor("blk.0.attn_q.weight", {64, 64}, Q8_0);
    g.tensor("blk.0.attn_q.bias", {64}, F32);
    ModelSpec m = load_gguf(write(g.build()));
    EXPECT_EQ(m.architecture, "qwen2");
    EXPECT_TRUE(m.qkv_bias);
    EXPECT_EQ(m.tensors[2].type, "f32");
}

TEST_F(Gguf_, gpt_oss_moe_uses_expert_ffn_and_alternating_sliding_window) {
    Gguf g;
    add_llama_metadata(g, "gpt-oss", 2, 64, 4, 2, 9999);
    g.u32("gpt-oss.expert_feed_forward_length", 96);
    g.u32("gpt-oss.expert_count", 4);
    g.u32("gpt-oss.expert_used_count", 2);
    g.u32("gpt-oss.attention.key_length", 32);
    g.u32("gpt-oss.attention.sliding_window", 128);
    g.tensor("token_embd.weight", {64, 50}, F16);
    g.tensor("blk.0.ffn_gate_exps.weight", {64, 96, 4}, MXFP4);
    g.tensor("blk.0.ffn_down_exps.weight", {96, 64, 4}, MXFP4);
    ModelSpec m = load_gguf(write(g.build()));
    EXPECT_EQ(m.architecture, "gpt-oss");
    EXPECT_EQ(m.ffn, 96);
    EXPECT_EQ(m.experts, 4);
    EXPECT_EQ(m.active_experts, 2);
    EXPECT_EQ(m.head_dim, 32);
    EXPECT_EQ(m.sliding_window, 128);
    EXPECT_EQ(m.layer_kind(0), 's');
    EXPECT_EQ(m.layer_kind(1), 'f');
    EXPECT_TRUE(m.tied_embeddings);
    EXPECT_EQ(m.tensors[1].type, "mxfp4");
    EXPECT_EQ(m.tensors[1].bytes, 96u * 4 * 64 / 32 * 17);
    EXPECT_EQ(infersim::workload::weights_from_records(m).total_bytes(), g.total_tensor_bytes());
}

TEST_F(Gguf_, llama_architecture_with_experts_is_mixtral) {
    Gguf g;
    add_llama_metadata(g, "llama", 1, 64, 2, 2, 128);
    g.u32("llama.expert_count", 8);
    g.u32("llama.expert_used_count", 2);
    g.tensor("token_embd.weight", {64, 10}, F32);
    ModelSpec m = load_gguf(write(g.build()));
    EXPECT_EQ(m.architecture, "mixtral");
    EXPECT_EQ(m.ffn, 128);
}

TEST_F(Gguf_, custom_alignment_is_honoured_and_bad_alignment_rejected) {
    Gguf g = llama_like(32, 64, 8, 1);
    g.alignment = 64;
    g.u32("general.alignment", 64);
    EXPECT_EQ(load_gguf(write(g.build())).layers, 1);
    Gguf bad = llama_like(32, 64, 8, 1);
    bad.u32("general.alignment", 48);
    InputError e = error_for(bad.build());
    EXPECT_EQ(e.field(), "general.alignment");
}

TEST_F(Gguf_, truncated_gguf_is_rejected_at_every_offset) {
    Gguf g = llama_like(32, 64, 8, 1);
    std::string full = g.build();
    ASSERT_NO_THROW(load_gguf(write(full)));
    std::string path = write(full);
    const std::size_t no_data = full.size() - g.total_tensor_bytes();  // at or past the data start
    int header_only = 0;
    for (std::size_t n = full.size(); n-- > 0;) {
        fs::resize_file(path, n);
        try {
            load_gguf(path);
            // Header-only (cut where the tensor infos or their padding end) is accepted; no other cut.
            ++header_only;
            if (n > no_data)
                ADD_FAILURE() << "file cut at " << n << " of " << full.size() << " bytes was accepted";
        } catch (const InputError& e) {
            ASSERT_TRUE(has(e.what(), path) && has(e.what(), "byte offset")) << e.what();
        }
    }
    EXPECT_GE(header_only, 1);
    EXPECT_LE(header_only, 2);
}

TEST_F(Gguf_, corrupting_any_header_byte_gives_a_model_or_an_input_error) {
    Gguf g = llama_like(32, 64, 8, 1);
    std::string full = g.build();
    std::size_t header_end = full.size() - g.total_tensor_bytes();  // the tail is tensor data, never read
    for (std::size_t i = 0; i < header_end; ++i)
        for (unsigned char v : {0x00, 0xff}) {
            std::string bytes = full;
            bytes[i] = static_cast<char>(v);
            try {
                load_gguf(write(bytes));
            } catch (const InputError&) {
            }
        }
}

TEST_F(Gguf_, empty_file_is_rejected) {
    InputError e = error_for("");
    EXPECT_EQ(e.field(), "magic");
    EXPECT_TRUE(has(e.what(), "byte offset 0"));
}

TEST_F(Gguf_, bad_magic_is_rejected) {
    std::string bytes = llama_like(32, 64, 8, 1).build();
    bytes[3] = 'X';
    InputError e = error_for(bytes);
    EXPECT_EQ(e.field(), "magic");
    EXPECT_TRUE(has(e.what(), "GGUX"));
}

TEST_F(Gguf_, unsupported_versions_are_rejected) {
    EXPECT_EQ(error_for(header(1, 0, 0).data).field(), "version");
    EXPECT_EQ(error_for(header(4, 0, 0).data).field(), "version");
    EXPECT_TRUE(has(error_for(header(0x03000000, 0, 0).data).what(), "big-endian"));
}

TEST_F(Gguf_, lying_tensor_count_is_rejected_before_allocating) {
    InputError e = error_for(header(3, std::uint64_t{1} << 60, 0).data + std::string(100, '\0'));
    EXPECT_EQ(e.field(), "tensor_count");
    EXPECT_TRUE(has(e.what(), "byte offset 8"));
}

TEST_F(Gguf_, lying_metadata_count_is_rejected_before_allocating) {
    InputError e = error_for(header(3, 0, ~std::uint64_t{0}).data + std::string(100, '\0'));
    EXPECT_EQ(e.field(), "metadata_kv_count");
    EXPECT_TRUE(has(e.what(), "byte offset 16"));
}

TEST_F(Gguf_, lying_key_length_is_rejected) {
    Bytes b = header(3, 0, 1);
    b.u64(std::uint64_t{1} << 40);
    b.data += "general.architecture";
    InputError e = error_for(b.data);
    EXPECT_EQ(e.field(), "metadata[0].key");
    EXPECT_TRUE(has(e.what(), "byte offset 24"));
}

TEST_F(Gguf_, lying_string_value_length_is_rejected) {
    Bytes b = header(3, 0, 1);
    b.str("general.name");
    b.u32(8);
    b.u64(std::uint64_t{1} << 40);
    b.data += "tiny";
    InputError e = error_for(b.data);
    EXPECT_EQ(e.field(), "general.name");
    EXPECT_TRUE(has(e.what(), "byte offset 48"));  // where the string's bytes would start
}

TEST_F(Gguf_, lying_array_length_is_rejected) {
    for (std::uint32_t elem : {8u, 4u, 12u}) {  // strings, uint32, float64
        Bytes b = header(3, 0, 1);
        b.str("tokenizer.ggml.tokens");
        b.u32(9);
        b.u32(elem);
        b.u64(std::uint64_t{1} << 61);
        b.data += std::string(64, 'x');
        InputError e = error_for(b.data);
        EXPECT_EQ(e.field(), "tokenizer.ggml.tokens");
        EXPECT_TRUE(has(e.what(), "array claims")) << e.what();
    }
}

TEST_F(Gguf_, nested_arrays_and_unknown_value_types_are_rejected) {
    Gguf g = llama_like(32, 64, 8, 1);
    Bytes nested;
    nested.u32(9);
    nested.u64(1);
    g.kv("x.nested", 9, nested.data);
    EXPECT_TRUE(has(error_for(g.build()).what(), "nested"));
    Gguf h = llama_like(32, 64, 8, 1);
    h.kv("x.weird", 13, "abcd");
    EXPECT_TRUE(has(error_for(h.build()).what(), "unknown value type 13"));
}

TEST_F(Gguf_, more_than_four_dimensions_are_rejected) {
    Gguf g = llama_like(32, 64, 8, 1);
    g.tensor("blk.0.odd.weight", {32, 1, 1, 1, 1}, F32);
    InputError e = error_for(g.build());
    EXPECT_EQ(e.field(), "tensor 'blk.0.odd.weight'.n_dims");
}

TEST_F(Gguf_, dimensions_whose_product_overflows_are_rejected) {
    Gguf g = llama_like(32, 64, 8, 1);
    g.tensor("blk.0.huge.weight", {std::uint64_t{1} << 32, std::uint64_t{1} << 32}, F32);
    InputError e = error_for(g.build());
    EXPECT_EQ(e.field(), "tensor 'blk.0.huge.weight'.dims");
    EXPECT_TRUE(has(e.what(), "multiply"));
    Gguf z = llama_like(32, 64, 8, 1);
    z.tensor("blk.0.empty.weight", {32, 0}, F32);
    EXPECT_EQ(error_for(z.build()).field(), "tensor 'blk.0.empty.weight'.dims");
}

TEST_F(Gguf_, unknown_ggml_type_is_rejected) {
    Gguf g = llama_like(32, 64, 8, 1);
    g.tensor("blk.0.odd.weight", {32}, 99);
    InputError e = error_for(g.build());
    EXPECT_EQ(e.field(), "tensor 'blk.0.odd.weight'.type");
    EXPECT_TRUE(has(e.what(), "99"));
}

TEST_F(Gguf_, row_length_not_a_multiple_of_the_block_is_rejected) {
    Gguf g = llama_like(32, 64, 8, 1);
    g.tensor("blk.0.odd.weight", {33, 2}, Q4_0);
    EXPECT_TRUE(has(error_for(g.build()).what(), "not a multiple of the q4_0 block"));
}

TEST_F(Gguf_, tensor_data_past_the_end_or_misaligned_is_rejected) {
    std::string bytes = llama_like(32, 64, 8, 1).build();
    bytes.resize(bytes.size() - 1);
    EXPECT_TRUE(has(error_for(bytes).what(), "past the end of the file"));
    // Give the only tensor an offset of 3: the header is followed by its one tensor info.
    Gguf g;
    add_llama_metadata(g, "llama", 1, 32, 2, 2, 64);
    g.tensor("token_embd.weight", {32, 8}, F32);
    std::string misaligned = g.build();
    std::size_t header_size = 4 + 4 + 8 + 8;
    for (const auto& kv : g.kvs) header_size += kv.size();
    header_size += 8 + std::string("token_embd.weight").size() + 4 + 16 + 4;
    misaligned[header_size] = 3;
    EXPECT_TRUE(has(error_for(misaligned).what(), "not a multiple of the alignment"));
}

TEST_F(Gguf_, duplicate_keys_and_tensor_names_are_rejected) {
    Gguf g = llama_like(32, 64, 8, 1);
    g.u32("llama.block_count", 1);
    EXPECT_EQ(error_for(g.build()).field(), "llama.block_count");
    Gguf t = llama_like(32, 64, 8, 1);
    t.tensor("output_norm.weight", {32}, F32);
    EXPECT_TRUE(has(error_for(t.build()).what(), "duplicate tensor name"));
}

TEST_F(Gguf_, missing_or_mistyped_metadata_names_the_key) {
    Gguf g = llama_like(32, 64, 8, 1);
    g.kvs.erase(g.kvs.begin() + 2);  // llama.block_count
    InputError missing = error_for(g.build());
    EXPECT_EQ(missing.field(), "llama.block_count");
    EXPECT_TRUE(has(missing.what(), "missing"));

    Gguf t = llama_like(32, 64, 8, 1);
    t.kvs.erase(t.kvs.begin() + 4);  // llama.embedding_length
    t.str("llama.embedding_length", "4096");
    InputError mistyped = error_for(t.build());
    EXPECT_EQ(mistyped.field(), "llama.embedding_length");
    EXPECT_TRUE(has(mistyped.what(), "got a value of type string"));

    Gguf big = llama_like(32, 64, 8, 1);
    big.kvs.erase(big.kvs.begin() + 2);
    big.u64("llama.block_count", std::uint64_t{1} << 40);
    EXPECT_EQ(error_for(big.build()).field(), "llama.block_count");
}

TEST_F(Gguf_, unsupported_architecture_lists_the_supported_ones) {
    Gguf g;
    add_llama_metadata(g, "mamba", 1, 32, 2, 2, 64);
    InputError e = error_for(g.build());
    EXPECT_EQ(e.field(), "general.architecture");
    EXPECT_TRUE(has(e.what(), "qwen3moe"));
}

TEST_F(Gguf_, inconsistent_head_counts_are_rejected_with_the_metadata_offset) {
    Gguf g;
    add_llama_metadata(g, "llama", 1, 96, 3, 2, 64);
    g.tensor("token_embd.weight", {96, 8}, F32);
    InputError e = error_for(g.build());
    EXPECT_EQ(e.field(), "kv_heads");
    EXPECT_TRUE(has(e.what(), "byte offset 24"));
}

TEST_F(Gguf_, load_model_file_dispatches_gguf_by_extension) {
    std::string bytes = llama_like(32, 64, 8, 1).build();
    EXPECT_EQ(infersim::workload::load_model_file(write(bytes, "tiny.gguf")).layers, 1);
    EXPECT_EQ(infersim::workload::load_model_file(write(bytes, "TINY.GGUF")).layers, 1);
}

TEST_F(Gguf_, missing_file_is_an_input_error) {
    EXPECT_THROW(load_gguf((dir_ / "absent.gguf").string()), InputError);
    EXPECT_THROW(load_gguf(dir_.string()), InputError);
}
