// Hugging Face config.json import: published configs map to the right shape, and bad files are
// rejected with file:line:column and the key.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "config/errors.hpp"
#include "workload/hf_config.hpp"
#include "workload/model_source.hpp"

using infersim::config::InputError;
using infersim::config::ModelSpec;
using infersim::workload::load_hf_config;

namespace {

namespace fs = std::filesystem;

// Abridged from the models' published config.json files (shape keys verbatim).
const char* kLlama31_8B = R"({
  "architectures": ["LlamaForCausalLM"],
  "attention_bias": false,
  "bos_token_id": 128000,
  "hidden_act": "silu",
  "hidden_size": 4096,
  "intermediate_size": 14336,
  "max_position_embeddings": 131072,
  "model_type": "llama",
  "num_attention_heads": 32,
  "num_hidden_layers": 32,
  "num_key_value_heads": 8,
  "rms_norm_eps": 1e-05,
  "rope_scaling": {"factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                   "original_max_position_embeddings": 8192, "rope_type": "llama3"},
  "rope_theta": 500000.0,
  "tie_word_embeddings": false,
  "torch_dtype": "bfloat16",
  "vocab_size": 128256
}
)";

const char* kMixtral = R"({"architectures":["MixtralForCausalLM"],"hidden_size":4096,"intermediate_size":14336,
"max_position_embeddings":32768,"model_type":"mixtral","num_attention_heads":32,"num_experts_per_tok":2,
"num_hidden_layers":32,"num_key_value_heads":8,"num_local_experts":8,"rope_theta":1000000.0,"sliding_window":null,
"tie_word_embeddings":false,"vocab_size":32000})";

const char* kQwen3Moe = R"({"architectures":["Qwen3MoeForCausalLM"],"attention_bias":false,"decoder_sparse_step":1,
"head_dim":128,"hidden_size":2048,"intermediate_size":6144,"max_position_embeddings":40960,"max_window_layers":48,
"mlp_only_layers":[],"model_type":"qwen3_moe","moe_intermediate_size":768,"norm_topk_prob":true,
"num_attention_heads":32,"num_experts":128,"num_experts_per_tok":8,"num_hidden_layers":48,"num_key_value_heads":4,
"rope_scaling":null,"sliding_window":null,"tie_word_embeddings":false,"use_sliding_window":false,"vocab_size":151936})";

const char* kGptOss20B = R"({"architectures":["GptOssForCausalLM"],"attention_bias":true,"experts_per_token":4,
"head_dim":64,"hidden_size":2880,"initial_context_length":4096,"intermediate_size":2880,
"layer_types":["sliding_attention","full_attention","sliding_attention","full_attention","sliding_attention","full_attention",
"sliding_attention","full_attention","sliding_attention","full_attention","sliding_attention","full_attention",
"sliding_attention","full_attention","sliding_attention","full_attention","sliding_attention","full_attention",
"sliding_attention","full_attention","sliding_attention","full_attention","sliding_attention","full_attention"],
"max_position_embeddings":131072,"model_type":"gpt_oss","num_attention_heads":64,"num_experts_per_tok":4,
"num_hidden_layers":24,"num_key_value_heads":8,"num_local_experts":32,
"quantization_config":{"modules_to_not_convert":["model.layers.*.self_attn","lm_head"],"quant_method":"mxfp4"},
"rope_theta":150000,"sliding_window":128,"tie_word_embeddings":false,"vocab_size":201088})";

const char* kQwen25_7B = R"({"architectures":["Qwen2ForCausalLM"],"hidden_size":3584,"intermediate_size":18944,
"max_position_embeddings":131072,"max_window_layers":28,"model_type":"qwen2","num_attention_heads":28,
"num_hidden_layers":28,"num_key_value_heads":4,"sliding_window":131072,"tie_word_embeddings":false,
"use_sliding_window":false,"vocab_size":152064})";

class HfConfig : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("infersim_t30_" + std::to_string(::getpid()) + "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::create_directories(dir_ / "Some-Model-7B");
    }
    void TearDown() override { fs::remove_all(dir_); }

    std::string write(const std::string& text, const std::string& name = "Some-Model-7B/config.json") {
        std::string path = (dir_ / name).string();
        std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
        return path;
    }
    // The InputError that loading `text` throws; checks it names the file.
    InputError error_for(const std::string& text) {
        std::string path = write(text);
        try {
            load_hf_config(path);
        } catch (const InputError& e) {
            EXPECT_EQ(e.where().file, path);
            return e;
        }
        ADD_FAILURE() << "no InputError";
        return InputError({}, "", "");
    }
    // kLlama31_8B with one "key": value line replaced.
    static std::string llama_with(const std::string& key, const std::string& value) {
        std::string text = kLlama31_8B;
        std::size_t at = text.find("\"" + key + "\"");
        std::size_t end = text.find('\n', at);
        bool comma = text[end - 1] == ',';
        return text.substr(0, at) + "\"" + key + "\": " + value + (comma ? "," : "") + text.substr(end);
    }

    fs::path dir_;
};

}  // namespace

TEST_F(HfConfig, llama_3_1_8b_config_maps_to_its_shape) {
    ModelSpec m = load_hf_config(write(kLlama31_8B));
    EXPECT_EQ(m.architecture, "llama");
    EXPECT_EQ(m.name, "Some-Model-7B");  // the checkpoint folder
    EXPECT_EQ(m.layers, 32);
    EXPECT_EQ(m.hidden, 4096);
    EXPECT_EQ(m.heads, 32);
    EXPECT_EQ(m.kv_heads, 8);
    EXPECT_EQ(m.head_dim, 128);  // hidden / heads
    EXPECT_EQ(m.ffn, 14336);
    EXPECT_EQ(m.vocab, 128256);
    EXPECT_EQ(m.max_context, 131072);
    EXPECT_FALSE(m.tied_embeddings);
    EXPECT_FALSE(m.qkv_bias);
    EXPECT_FALSE(m.is_moe());
    EXPECT_EQ(m.sliding_window, 0);
    EXPECT_EQ(m.source_text, kLlama31_8B);
}

TEST_F(HfConfig, mixtral_config_maps_experts_and_per_expert_ffn) {
    ModelSpec m = load_hf_config(write(kMixtral));
    EXPECT_EQ(m.architecture, "mixtral");
    EXPECT_EQ(m.experts, 8);
    EXPECT_EQ(m.active_experts, 2);
    EXPECT_EQ(m.ffn, 14336);
    EXPECT_EQ(m.vocab, 32000);
    EXPECT_EQ(m.sliding_window, 0);  // null means none
}

TEST_F(HfConfig, qwen3_moe_uses_moe_intermediate_size_and_explicit_head_dim) {
    ModelSpec m = load_hf_config(write(kQwen3Moe));
    EXPECT_EQ(m.architecture, "qwen3moe");
    EXPECT_EQ(m.layers, 48);
    EXPECT_EQ(m.hidden, 2048);
    EXPECT_EQ(m.heads, 32);
    EXPECT_EQ(m.kv_heads, 4);
    EXPECT_EQ(m.head_dim, 128);  // not 2048 / 32
    EXPECT_EQ(m.ffn, 768);
    EXPECT_EQ(m.experts, 128);
    EXPECT_EQ(m.active_experts, 8);
    EXPECT_EQ(m.vocab, 151936);
    EXPECT_FALSE(m.qkv_bias);
}

TEST_F(HfConfig, gpt_oss_has_alternating_sliding_window_and_per_expert_ffn) {
    ModelSpec m = load_hf_config(write(kGptOss20B));
    EXPECT_EQ(m.architecture, "gpt-oss");
    EXPECT_EQ(m.layers, 24);
    EXPECT_EQ(m.hidden, 2880);
    EXPECT_EQ(m.heads, 64);
    EXPECT_EQ(m.kv_heads, 8);
    EXPECT_EQ(m.head_dim, 64);
    EXPECT_EQ(m.ffn, 2880);
    EXPECT_EQ(m.experts, 32);
    EXPECT_EQ(m.active_experts, 4);
    EXPECT_EQ(m.vocab, 201088);
    EXPECT_EQ(m.sliding_window, 128);
    EXPECT_EQ(m.layer_kind(0), 's');
    EXPECT_EQ(m.layer_kind(1), 'f');
    EXPECT_TRUE(m.qkv_bias);
}

TEST_F(HfConfig, qwen2_has_qkv_bias_and_ignores_an_unused_sliding_window) {
    ModelSpec m = load_hf_config(write(kQwen25_7B));
    EXPECT_EQ(m.architecture, "qwen2");
    EXPECT_TRUE(m.qkv_bias);
    EXPECT_EQ(m.sliding_window, 0);  // use_sliding_window is false
    EXPECT_EQ(m.kv_heads, 4);
    EXPECT_EQ(m.head_dim, 128);
}

TEST_F(HfConfig, mistral_sliding_window_and_tied_embeddings_are_read) {
    std::string text = llama_with("tie_word_embeddings", "true");
    text.replace(text.find("\"llama\""), 7, "\"mistral\"");
    text.insert(1, "\"sliding_window\": 4096,");
    ModelSpec m = load_hf_config(write(text));
    EXPECT_EQ(m.architecture, "mistral");
    EXPECT_EQ(m.sliding_window, 4096);
    EXPECT_EQ(m.sliding_window_every, 0);
    EXPECT_TRUE(m.tied_embeddings);
}

TEST_F(HfConfig, name_or_path_names_the_model) {
    std::string text = kMixtral;
    text.insert(1, "\"_name_or_path\": \"mistralai/Mixtral-8x7B-v0.1\",");
    EXPECT_EQ(load_hf_config(write(text)).name, "mistralai/Mixtral-8x7B-v0.1");
}

TEST_F(HfConfig, syntax_error_reports_line_and_column) {
    std::string text = kLlama31_8B;
    text.replace(text.find("4096"), 4, "40 96");  // line 6: `  "hidden_size": 40 96,`
    InputError e = error_for(text);
    EXPECT_EQ(e.where().line, 6);
    EXPECT_EQ(e.where().column, 21);
    EXPECT_NE(std::string(e.what()).find(":6:21:"), std::string::npos) << e.what();
}

TEST_F(HfConfig, number_overflow_is_a_syntax_error_at_the_number) {
    InputError e = error_for(llama_with("hidden_size", "1e309"));  // line 6: `  "hidden_size": 1e309,`
    EXPECT_EQ(e.where().line, 6);
    EXPECT_EQ(e.where().column, 18);
    EXPECT_NE(std::string(e.what()).find("overflow"), std::string::npos) << e.what();
}

TEST_F(HfConfig, truncated_json_reports_the_end_of_the_file) {
    InputError e = error_for("{\n  \"model_type\": \"llama\",\n");
    EXPECT_EQ(e.where().line, 3);
    EXPECT_EQ(e.where().column, 1);
}

TEST_F(HfConfig, wrong_type_names_the_key_and_its_position) {
    InputError e = error_for(llama_with("num_hidden_layers", "\"32\""));
    EXPECT_EQ(e.field(), "num_hidden_layers");
    EXPECT_EQ(e.where().line, 11);
    EXPECT_EQ(e.where().column, 24);
    EXPECT_NE(std::string(e.what()).find("got a string"), std::string::npos) << e.what();
    EXPECT_EQ(error_for(llama_with("tie_word_embeddings", "1")).field(), "tie_word_embeddings");
    EXPECT_EQ(error_for(llama_with("model_type", "7")).field(), "model_type");
}

TEST_F(HfConfig, missing_negative_or_absurd_values_name_the_key) {
    std::string text = kLlama31_8B;
    text.erase(text.find("  \"vocab_size\""));
    text.back() = '\n';
    text.erase(text.rfind(','), 1);
    text += "}\n";
    InputError missing = error_for(text);
    EXPECT_EQ(missing.field(), "vocab_size");
    EXPECT_NE(std::string(missing.what()).find("missing"), std::string::npos);

    InputError negative = error_for(llama_with("num_attention_heads", "-32"));
    EXPECT_EQ(negative.field(), "num_attention_heads");
    EXPECT_EQ(negative.where().line, 10);

    EXPECT_EQ(error_for(llama_with("hidden_size", "1e300")).field(), "hidden_size");
    EXPECT_EQ(error_for(llama_with("intermediate_size", "18446744073709551615")).field(), "intermediate_size");
    EXPECT_EQ(error_for(llama_with("num_hidden_layers", "32.5")).field(), "num_hidden_layers");
}

TEST_F(HfConfig, integral_floats_and_null_optional_keys_are_accepted) {
    ModelSpec m = load_hf_config(write(llama_with("num_key_value_heads", "null")));
    EXPECT_EQ(m.kv_heads, 32);
    EXPECT_EQ(load_hf_config(write(llama_with("num_hidden_layers", "32.0"))).layers, 32);
}

TEST_F(HfConfig, unknown_model_type_lists_the_supported_ones) {
    InputError e = error_for(llama_with("model_type", "\"falcon_mamba\""));
    EXPECT_EQ(e.field(), "model_type");
    for (const char* t : {"llama", "mistral", "qwen2", "qwen3", "qwen3_moe", "mixtral", "gpt_oss"})
        EXPECT_NE(std::string(e.what()).find(t), std::string::npos) << t;
}

TEST_F(HfConfig, inconsistent_shapes_are_rejected_by_validation) {
    EXPECT_EQ(error_for(llama_with("num_key_value_heads", "5")).field(), "kv_heads");
    EXPECT_EQ(error_for(llama_with("num_attention_heads", "3")).field(), "num_attention_heads");  // 4096 % 3
    std::string moe = kMixtral;
    moe.replace(moe.find("\"num_local_experts\":8"), 21, "\"num_local_experts\":1");
    EXPECT_EQ(error_for(moe).field(), "active_experts");
    std::string no_experts = kQwen3Moe;
    no_experts.replace(no_experts.find("\"num_experts\":128"), 17, "\"n_experts\":128");
    EXPECT_EQ(error_for(no_experts).field(), "num_experts");
    std::string no_routing = kMixtral;
    no_routing.replace(no_routing.find("\"num_experts_per_tok\":2"), 23, "\"top_k\":2");
    EXPECT_EQ(error_for(no_routing).field(), "num_experts_per_tok");
}

TEST_F(HfConfig, dense_architectures_ignore_expert_keys) {
    std::string text = kLlama31_8B;
    text.insert(1, "\"num_local_experts\": 8, \"num_experts_per_tok\": 2,");
    EXPECT_FALSE(load_hf_config(write(text)).is_moe());
}

TEST_F(HfConfig, non_object_duplicate_keys_and_deep_nesting_are_rejected) {
    EXPECT_EQ(error_for("[1, 2]").where().line, 1);
    InputError dup = error_for(llama_with("vocab_size", "32000, \"vocab_size\": 64000"));
    EXPECT_EQ(dup.field(), "vocab_size");
    EXPECT_TRUE(std::string(dup.what()).find("duplicate") != std::string::npos);
    std::string deep = "{\"a\": " + std::string(100, '[') + std::string(100, ']') + "}";
    EXPECT_NE(std::string(error_for(deep).what()).find("nesting"), std::string::npos);
    EXPECT_EQ(error_for("").where().line, 1);
    EXPECT_NE(std::string(error_for("{\"model_type\": \"\xff\"}").what()).find("UTF-8"), std::string::npos);
}

TEST_F(HfConfig, oversized_or_missing_file_is_rejected) {
    std::string big = "{\"model_type\": \"llama\", \"pad\": \"" + std::string(17u << 20, 'x') + "\"}";
    EXPECT_NE(std::string(error_for(big).what()).find("too large"), std::string::npos);
    EXPECT_THROW(load_hf_config((dir_ / "absent.json").string()), InputError);
}

TEST_F(HfConfig, load_model_file_dispatches_json_and_yaml_by_extension) {
    EXPECT_EQ(infersim::workload::load_model_file(write(kMixtral, "mixtral.json")).experts, 8);
    std::string yaml = write("name: tiny\nlayers: 2\nhidden: 64\nheads: 4\nffn: 128\nvocab: 100\n", "tiny.yaml");
    ModelSpec m = infersim::workload::load_model_file(yaml);
    EXPECT_EQ(m.name, "tiny");
    EXPECT_EQ(m.head_dim, 16);
}
