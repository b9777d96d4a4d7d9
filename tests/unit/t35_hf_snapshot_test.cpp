// Hugging Face snapshot folders and safetensors headers: exact per-tensor dtypes and bytes, HF
// tensor names mapped onto the GGUF roles (experts merged, FP8 and MXFP4 scales counted with
// their weights), the model named by its folder, and hostile headers refused with the file.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "config/errors.hpp"
#include "support/inputs.hpp"
#include "support/temp_dir.hpp"
#include "workload/hf_snapshot.hpp"
#include "workload/model_source.hpp"
#include "workload/safetensors_header.hpp"

using infersim::config::InputError;
using infersim::test::TempDir;
using namespace infersim::workload;

namespace {

namespace fs = std::filesystem;
using Shapes = std::map<std::string, std::pair<std::string, std::vector<std::uint64_t>>>;

// A header-only safetensors file: length, JSON, no data (the reader never needs the data).
std::string write_safetensors(const TempDir& dir, const std::string& name, const Shapes& tensors) {
    nlohmann::json header = nlohmann::json::object();
    header["__metadata__"] = {{"format", "pt"}};
    std::uint64_t offset = 0;
    for (const auto& [tensor, spec] : tensors) {
        std::uint64_t bytes = static_cast<std::uint64_t>(safetensors_dtype_bytes(spec.first));
        for (auto d : spec.second) bytes *= d;
        header[tensor] = {{"dtype", spec.first}, {"shape", spec.second}, {"data_offsets", {offset, offset + bytes}}};
        offset += bytes;
    }
    const std::string text = header.dump();
    std::string file(8, '\0');
    for (int i = 0; i < 8; ++i) file[static_cast<std::size_t>(i)] = static_cast<char>((text.size() >> (8 * i)) & 0xff);
    return dir.write(name, file + text);
}

std::string raw_header(const TempDir& dir, const std::string& json_text, std::uint64_t declared) {
    std::string file(8, '\0');
    for (int i = 0; i < 8; ++i) file[static_cast<std::size_t>(i)] = static_cast<char>((declared >> (8 * i)) & 0xff);
    return dir.write("bad.safetensors", file + json_text);
}

const char* kTinyLlama = R"({"model_type": "llama", "_name_or_path": "/scratch/run-17/checkpoint-9000",
  "hidden_size": 64, "intermediate_size": 128, "num_attention_heads": 4, "num_key_value_heads": 2,
  "num_hidden_layers": 2, "vocab_size": 256, "tie_word_embeddings": false})";

Shapes tiny_layer(int l) {
    const std::string p = "model.layers." + std::to_string(l) + ".";
    return {{p + "input_layernorm.weight", {"BF16", {64}}},        {p + "post_attention_layernorm.weight", {"BF16", {64}}},
            {p + "self_attn.q_proj.weight", {"BF16", {64, 64}}},   {p + "self_attn.k_proj.weight", {"BF16", {32, 64}}},
            {p + "self_attn.v_proj.weight", {"BF16", {32, 64}}},   {p + "self_attn.o_proj.weight", {"BF16", {64, 64}}},
            {p + "mlp.gate_proj.weight", {"F8_E4M3", {128, 64}}},  {p + "mlp.gate_proj.weight_scale_inv", {"F32", {1, 1}}},
            {p + "mlp.up_proj.weight", {"BF16", {128, 64}}},       {p + "mlp.down_proj.weight", {"BF16", {64, 128}}}};
}

const infersim::config::TensorRecord* record(const std::vector<infersim::config::TensorRecord>& rs, const std::string& name) {
    for (const auto& r : rs)
        if (r.name == name) return &r;
    return nullptr;
}

// A snapshot folder of the tiny model in two shards with an index, as huggingface-cli leaves it.
fs::path tiny_snapshot(const TempDir& dir) {
    fs::create_directories(dir.dir / "Tiny-Llama-2L");
    const std::string folder = "Tiny-Llama-2L/";
    dir.write(folder + "config.json", kTinyLlama);
    Shapes a = tiny_layer(0), b = tiny_layer(1);
    a["model.embed_tokens.weight"] = {"BF16", {256, 64}};
    b["model.norm.weight"] = {"BF16", {64}};
    b["lm_head.weight"] = {"BF16", {256, 64}};
    write_safetensors(dir, folder + "model-00001-of-00002.safetensors", a);
    write_safetensors(dir, folder + "model-00002-of-00002.safetensors", b);
    nlohmann::json index{{"metadata", {{"total_size", 0}}}, {"weight_map", nlohmann::json::object()}};
    for (const auto& [t, s] : a) index["weight_map"][t] = "model-00001-of-00002.safetensors";
    for (const auto& [t, s] : b) index["weight_map"][t] = "model-00002-of-00002.safetensors";
    dir.write(folder + "model.safetensors.index.json", index.dump());
    return dir.dir / "Tiny-Llama-2L";
}

}  // namespace

TEST(Safetensors, header_gives_each_tensor_its_dtype_shape_and_bytes) {
    TempDir dir;
    const std::string f = write_safetensors(dir, "m.safetensors", {{"b.weight", {"F8_E4M3", {16, 4}}}, {"a.weight", {"BF16", {3, 5}}}});
    const auto ts = read_safetensors_header(f);
    ASSERT_EQ(ts.size(), 2u);  // __metadata__ is not a tensor
    EXPECT_EQ(ts[0].name, "a.weight");
    EXPECT_EQ(ts[0].dtype, "BF16");
    EXPECT_EQ(ts[0].elements(), 15u);
    EXPECT_EQ(ts[0].bytes(), 30u);
    EXPECT_EQ(ts[1].bytes(), 64u);
}

TEST(Safetensors, hostile_headers_are_refused_with_the_file_and_the_tensor) {
    TempDir dir;
    auto refused = [&](const std::string& path, const std::string& part) {
        try {
            read_safetensors_header(path);
            ADD_FAILURE() << "accepted " << part;
        } catch (const InputError& e) {
            EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
            EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
        }
    };
    refused(dir.write("short.safetensors", "abc"), "shorter than");
    refused(raw_header(dir, "{}", 1000), "past the end of the file");
    refused(raw_header(dir, "{}", 1ULL << 40), "100 MB cap");
    refused(raw_header(dir, "[1, 2]", 6), "not a JSON object");
    refused(raw_header(dir, "{\"a\": [[[[[[1]]]]]]}", 20), "nested deeper");
    const std::string lying = R"({"w": {"dtype": "BF16", "shape": [4, 4], "data_offsets": [0, 30]}})";
    refused(raw_header(dir, lying, lying.size()), "tensor 'w'");
    const std::string odd = R"({"w": {"dtype": "Q9", "shape": [4], "data_offsets": [0, 4]}})";
    refused(raw_header(dir, odd, odd.size()), "unknown dtype 'Q9'");
    const std::string backwards = R"({"w": {"dtype": "U8", "shape": [4], "data_offsets": [8, 4]}})";
    refused(raw_header(dir, backwards, backwards.size()), "begin <= end");
}

TEST(Safetensors, hf_names_map_onto_gguf_roles_with_experts_merged_and_scales_counted) {
    std::vector<SafetensorsTensor> ts;
    auto add = [&](const std::string& name, const std::string& dtype, std::vector<std::uint64_t> shape) {
        SafetensorsTensor t{name, dtype, shape, 0, 0};
        t.end = t.elements() * static_cast<std::uint64_t>(safetensors_dtype_bytes(dtype));
        ts.push_back(t);
    };
    for (int e = 0; e < 8; ++e) add("model.layers.0.block_sparse_moe.experts." + std::to_string(e) + ".w3.weight", "BF16", {32, 16});
    add("model.layers.0.self_attn.q_proj.weight", "F8_E4M3", {256, 128});
    add("model.layers.0.self_attn.q_proj.weight_scale_inv", "F32", {2, 1});
    add("model.layers.0.self_attn.q_proj.bias", "BF16", {256});
    add("model.layers.1.mlp.experts.down_proj_blocks", "U8", {4, 16, 2, 16});  // gpt-oss MXFP4: 4 experts
    add("model.layers.1.mlp.experts.down_proj_scales", "U8", {4, 16, 2});
    add("model.layers.2.self_attn.q_proj.weight", "BF16", {8, 8});               // past num_hidden_layers: the MTP layer
    add("language_model.model.embed_tokens.weight", "BF16", {10, 4});
    const auto rs = checkpoint_records(ts, 2);
    const auto* up = record(rs, "blk.0.ffn_up_exps.weight");
    ASSERT_NE(up, nullptr);
    EXPECT_EQ(up->elements, 8u * 32 * 16);
    EXPECT_EQ(up->bytes, 8u * 32 * 16 * 2);
    EXPECT_EQ(up->type, "bf16");
    const auto* q = record(rs, "blk.0.attn_q.weight");
    ASSERT_NE(q, nullptr);
    EXPECT_EQ(q->elements, 256u * 128);
    EXPECT_EQ(q->bytes, 256u * 128 + 2 * 4);  // fp8 weights plus their fp32 block scales
    EXPECT_EQ(q->type, "fp8");
    ASSERT_NE(record(rs, "blk.0.attn_q.bias"), nullptr);
    const auto* down = record(rs, "blk.1.ffn_down_exps.weight");
    ASSERT_NE(down, nullptr);
    EXPECT_EQ(down->type, "mxfp4");
    EXPECT_EQ(down->elements, 4u * 16 * 2 * 32);       // 32 weights per 16-byte block
    EXPECT_EQ(down->bytes, 4u * 16 * 2 * 17);          // 16 bytes of nibbles + 1 scale byte per block
    ASSERT_NE(record(rs, "model.layers.2.self_attn.q_proj.weight"), nullptr);  // kept apart, counted as other
    ASSERT_NE(record(rs, "token_embd.weight"), nullptr);
}

TEST(Safetensors, a_snapshot_folder_loads_with_its_folder_name_and_exact_checkpoint_bytes) {
    TempDir dir;
    const fs::path snap = tiny_snapshot(dir);
    const infersim::config::ModelSpec m = load_model_file(snap.string() + "/");
    EXPECT_EQ(m.name, "Tiny-Llama-2L");  // _name_or_path is a training path, not a name
    EXPECT_EQ(m.layers, 2);
    std::uint64_t bytes = 0;
    for (const auto& r : m.checkpoint_tensors) bytes += r.bytes;
    // Per layer: norms 2 x 64 x 2, attention (64+32+32+64) x 64 x 2, gate 128 x 64 (fp8) + 4,
    // up and down 2 x 128 x 64 x 2; plus embeddings, norm and head.
    const std::uint64_t layer = 2 * 64 * 2 + 192 * 64 * 2 + 128 * 64 + 4 + 2 * 128 * 64 * 2;
    EXPECT_EQ(bytes, 2 * layer + 256 * 64 * 2 + 64 * 2 + 256 * 64 * 2);
    const auto* gate = record(m.checkpoint_tensors, "blk.1.ffn_gate.weight");
    ASSERT_NE(gate, nullptr);
    EXPECT_EQ(gate->type, "fp8");
}

TEST(Safetensors, quant_checkpoint_runs_the_snapshot_dtypes_and_refuses_other_models) {
    TempDir dir;
    const fs::path snap = tiny_snapshot(dir);
    auto s = infersim::test::shipped_scenario("apple-m4-max", snap.string(), "checkpoint", 16, 4);
    const auto in = infersim::scenario::resolve_inputs(s, infersim::test::config_paths());
    EXPECT_EQ(in.quant_label, "checkpoint");
    std::uint64_t bytes = 0;
    for (const auto& r : in.model.checkpoint_tensors) bytes += r.bytes;
    EXPECT_EQ(in.weights.total_bytes(), bytes);
    const auto* fmt = in.weights.format(1, TensorRole::ffn_gate);
    ASSERT_NE(fmt, nullptr);
    EXPECT_EQ(fmt->name, "fp8");
    s.model = "llama-3.2-3b";
    EXPECT_THROW(infersim::scenario::resolve_inputs(s, infersim::test::config_paths()), InputError);
    // The same folder with a quantization scheme takes only the shape from config.json.
    auto q = infersim::test::shipped_scenario("apple-m4-max", snap.string(), "q8_0", 16, 4);
    EXPECT_EQ(infersim::scenario::resolve_inputs(q, infersim::test::config_paths()).quant_label, "q8_0");
}

TEST(Safetensors, org_slash_name_resolves_from_the_offline_hub_cache) {
    TempDir dir;
    const fs::path snap = tiny_snapshot(dir);
    const fs::path entry = dir.dir / "hub" / "models--tiny-org--Tiny-Llama-2L";
    fs::create_directories(entry / "snapshots");
    fs::create_directories(entry / "refs");
    fs::rename(snap, entry / "snapshots" / "0123abcd");
    dir.write("hub/models--tiny-org--Tiny-Llama-2L/refs/main", "0123abcd");
    const char* old = std::getenv("HF_HUB_CACHE");
    const std::string saved = old ? old : "";
    ::setenv("HF_HUB_CACHE", (dir.dir / "hub").c_str(), 1);
    auto s = infersim::test::shipped_scenario("apple-m4-max", "tiny-org/Tiny-Llama-2L", "checkpoint", 16, 4);
    const auto in = infersim::scenario::resolve_inputs(s, infersim::test::config_paths());
    if (old) ::setenv("HF_HUB_CACHE", saved.c_str(), 1);
    else ::unsetenv("HF_HUB_CACHE");
    EXPECT_EQ(in.model.name, "tiny-org/Tiny-Llama-2L");
    EXPECT_EQ(in.model.layers, 2);
    EXPECT_FALSE(in.model.checkpoint_tensors.empty());
}
