// Real Hugging Face config.json contents of public repositories (shape keys verbatim, written
// inline from the repositories' files; tokenizer ids, rope scaling tables and the like left out)
// load through the importer, and their total parameter counts land within 1% of the published
// figures. Each figure's source is stated next to it.
#include <gtest/gtest.h>

#include <string>

#include "support/temp_dir.hpp"
#include "workload/arch/architecture.hpp"
#include "workload/hf_config.hpp"

using infersim::config::ModelSpec;
namespace wl = infersim::workload;

namespace {

ModelSpec load(const std::string& json) {
    infersim::test::TempDir dir;
    return wl::load_hf_config(dir.write("config.json", json));
}

void expect_near_published(const ModelSpec& m, double counted, double published) {
    EXPECT_NEAR(counted / published, 1.0, 0.01) << m.name << ": counted " << counted << ", published " << published;
}

}  // namespace

TEST(PublishedConfigs, gemma_2_9b) {
    // google/gemma-2-9b config.json. Published: 9.24B (the repository's safetensors parameter count).
    const ModelSpec m = load(R"({"architectures":["Gemma2ForCausalLM"],"attention_bias":false,"attn_logit_softcapping":50.0,
"final_logit_softcapping":30.0,"head_dim":256,"hidden_act":"gelu_pytorch_tanh","hidden_size":3584,"intermediate_size":14336,
"max_position_embeddings":8192,"model_type":"gemma2","num_attention_heads":16,"num_hidden_layers":42,"num_key_value_heads":8,
"query_pre_attn_scalar":256,"rms_norm_eps":1e-06,"rope_theta":10000.0,"sliding_window":4096,"vocab_size":256000})");
    EXPECT_EQ(m.architecture, "gemma2");
    EXPECT_TRUE(m.tied_embeddings);
    EXPECT_EQ(m.layer_kind(0), 's');
    EXPECT_EQ(m.layer_kind(1), 'f');
    EXPECT_DOUBLE_EQ(m.attn_softcap, 50.0);
    expect_near_published(m, wl::parameter_count(m), 9.24e9);
}

TEST(PublishedConfigs, gemma_3_12b_it_with_nested_text_config_and_vision_tower) {
    // google/gemma-3-12b-it config.json (Gemma3ForConditionalGeneration: the language model under
    // text_config, which leaves head_dim, vocab_size and sliding_window_pattern at their defaults
    // 256, 262208 and 6). Published: 12.2B (the repository's safetensors count, vision tower included).
    const ModelSpec m = load(R"({"architectures":["Gemma3ForConditionalGeneration"],"boi_token_index":255999,
"eoi_token_index":256000,"image_token_index":262144,"mm_tokens_per_image":256,"model_type":"gemma3",
"text_config":{"hidden_size":3840,"intermediate_size":15360,"model_type":"gemma3_text","num_attention_heads":16,
"num_hidden_layers":48,"num_key_value_heads":8,"rope_scaling":{"factor":8.0,"rope_type":"linear"},"sliding_window":1024},
"torch_dtype":"bfloat16","vision_config":{"hidden_size":1152,"image_size":896,"intermediate_size":4304,
"model_type":"siglip_vision_model","num_attention_heads":16,"num_hidden_layers":27,"patch_size":14,"vision_use_head":false}})");
    EXPECT_EQ(m.architecture, "gemma3");
    EXPECT_EQ(m.hidden, 3840);
    EXPECT_EQ(m.head_dim, 256);
    EXPECT_EQ(m.vocab, 262208);
    EXPECT_EQ(m.sliding_window, 1024);
    EXPECT_EQ(m.layer_pattern, "sssssf");
    EXPECT_TRUE(m.tied_embeddings);
    // SigLIP-400M + projector: 27 x 15,239,504 + 5,399,424 embeddings and norms + 4,424,832.
    EXPECT_DOUBLE_EQ(m.vision_params, 27.0 * 15239504 + 678528 + 4718592 + 2304 + 4424832);
    expect_near_published(m, wl::parameter_count(m) + m.vision_params, 12.2e9);
}

TEST(PublishedConfigs, phi_3_mini_4k_instruct) {
    // microsoft/Phi-3-mini-4k-instruct config.json. Published: 3.8B (model card), 3.82B (safetensors).
    const ModelSpec m = load(R"({"architectures":["Phi3ForCausalLM"],"attention_bias":false,"hidden_act":"silu",
"hidden_size":3072,"intermediate_size":8192,"max_position_embeddings":4096,"model_type":"phi3","num_attention_heads":32,
"num_hidden_layers":32,"num_key_value_heads":32,"original_max_position_embeddings":4096,"rms_norm_eps":1e-05,
"rope_scaling":null,"rope_theta":10000.0,"sliding_window":2047,"tie_word_embeddings":false,"vocab_size":32064})");
    EXPECT_EQ(m.architecture, "phi3");
    EXPECT_EQ(m.sliding_window, 2047);
    expect_near_published(m, wl::parameter_count(m), 3.82e9);
}

TEST(PublishedConfigs, phi_4_mini_instruct) {
    // microsoft/Phi-4-mini-instruct config.json (partial_rotary_factor 0.75; no shape change).
    // Published: 3.8B (model card), 3.84B (safetensors).
    const ModelSpec m = load(R"({"architectures":["Phi3ForCausalLM"],"attention_bias":false,"hidden_act":"silu",
"hidden_size":3072,"intermediate_size":8192,"max_position_embeddings":131072,"model_type":"phi3","num_attention_heads":24,
"num_hidden_layers":32,"num_key_value_heads":8,"original_max_position_embeddings":4096,"partial_rotary_factor":0.75,
"rms_norm_eps":1e-05,"rope_theta":10000.0,"sliding_window":262144,"tie_word_embeddings":true,"vocab_size":200064})");
    EXPECT_EQ(m.head_dim, 128);
    EXPECT_TRUE(m.tied_embeddings);
    expect_near_published(m, wl::parameter_count(m), 3.84e9);
}

TEST(PublishedConfigs, deepseek_moe_16b_base) {
    // deepseek-ai/deepseek-moe-16b-base config.json. Published: 16.4B total, 2.8B activated (model
    // card; arXiv:2401.06066 table: 16.4B total, 2.8B activated).
    const ModelSpec m = load(R"({"architectures":["DeepseekForCausalLM"],"attention_bias":false,"first_k_dense_replace":1,
"hidden_act":"silu","hidden_size":2048,"intermediate_size":10944,"max_position_embeddings":4096,"model_type":"deepseek",
"moe_intermediate_size":1408,"moe_layer_freq":1,"n_routed_experts":64,"n_shared_experts":2,"norm_topk_prob":false,
"num_attention_heads":16,"num_experts_per_tok":6,"num_hidden_layers":28,"num_key_value_heads":16,"rms_norm_eps":1e-06,
"rope_theta":10000,"scoring_func":"softmax","tie_word_embeddings":false,"vocab_size":102400})");
    EXPECT_EQ(m.architecture, "deepseek");
    EXPECT_EQ(m.first_dense_layers, 1);
    EXPECT_EQ(m.shared_experts, 2);
    const wl::ParameterCount p = wl::parameter_counts(m);
    expect_near_published(m, p.total, 16.4e9);
    EXPECT_NEAR(p.active / 2.8e9, 1.0, 0.02);
}

TEST(PublishedConfigs, deepseek_v2_lite_without_query_compression) {
    // deepseek-ai/DeepSeek-V2-Lite config.json (q_lora_rank null). Published: 15.7B total (model card).
    const ModelSpec m = load(R"({"architectures":["DeepseekV2ForCausalLM"],"first_k_dense_replace":1,"hidden_size":2048,
"intermediate_size":10944,"kv_lora_rank":512,"max_position_embeddings":163840,"model_type":"deepseek_v2",
"moe_intermediate_size":1408,"moe_layer_freq":1,"n_routed_experts":64,"n_shared_experts":2,"num_attention_heads":16,
"num_experts_per_tok":6,"num_hidden_layers":27,"num_key_value_heads":16,"q_lora_rank":null,"qk_nope_head_dim":128,
"qk_rope_head_dim":64,"tie_word_embeddings":false,"v_head_dim":128,"vocab_size":102400})");
    EXPECT_EQ(m.mla.q_lora_rank, 0);
    expect_near_published(m, wl::parameter_count(m), 15.7e9);
}

TEST(PublishedConfigs, deepseek_v3_counts_no_multi_token_prediction_layer) {
    // deepseek-ai/DeepSeek-V3 config.json. Published: 671B total, 37B activated (model card; the
    // repository's 685B adds the 14B multi-token-prediction module, which is reported, not counted).
    const ModelSpec m = load(R"({"architectures":["DeepseekV3ForCausalLM"],"first_k_dense_replace":3,"hidden_size":7168,
"intermediate_size":18432,"kv_lora_rank":512,"max_position_embeddings":163840,"model_type":"deepseek_v3",
"moe_intermediate_size":2048,"moe_layer_freq":1,"n_group":8,"n_routed_experts":256,"n_shared_experts":1,
"num_attention_heads":128,"num_experts_per_tok":8,"num_hidden_layers":61,"num_key_value_heads":128,
"num_nextn_predict_layers":1,"q_lora_rank":1536,"qk_nope_head_dim":128,"qk_rope_head_dim":64,"tie_word_embeddings":false,
"topk_group":4,"v_head_dim":128,"vocab_size":129280})");
    EXPECT_EQ(m.mtp_layers, 1);
    const wl::ParameterCount p = wl::parameter_counts(m);
    expect_near_published(m, p.total, 671e9);
    EXPECT_NEAR(p.active / 37e9, 1.0, 0.02);
}

TEST(PublishedConfigs, kimi_k2_instruct) {
    // moonshotai/Kimi-K2-Instruct config.json (model_type kimi_k2, the DeepSeek-V3 block). Published:
    // 1.03T (the repository's safetensors count; the model card rounds to "1 trillion total, 32
    // billion activated").
    const ModelSpec m = load(R"({"architectures":["DeepseekV3ForCausalLM"],"first_k_dense_replace":1,"hidden_size":7168,
"intermediate_size":18432,"kv_lora_rank":512,"max_position_embeddings":131072,"model_type":"kimi_k2",
"moe_intermediate_size":2048,"moe_layer_freq":1,"n_group":1,"n_routed_experts":384,"n_shared_experts":1,
"num_attention_heads":64,"num_experts_per_tok":8,"num_hidden_layers":61,"num_key_value_heads":64,
"num_nextn_predict_layers":0,"q_lora_rank":1536,"qk_nope_head_dim":128,"qk_rope_head_dim":64,"tie_word_embeddings":false,
"topk_group":1,"v_head_dim":128,"vocab_size":163840})");
    EXPECT_EQ(m.architecture, "deepseek2");
    const wl::ParameterCount p = wl::parameter_counts(m);
    expect_near_published(m, p.total, 1.03e12);
    EXPECT_NEAR(p.active / 32e9, 1.0, 0.05);
}

TEST(PublishedConfigs, qwen3_next_80b_a3b_instruct) {
    // Qwen/Qwen3-Next-80B-A3B-Instruct config.json. Published: 80B total, 3B activated (model card;
    // the repository's 81.3B adds the multi-token-prediction layer, reported, not counted).
    const ModelSpec m = load(R"({"architectures":["Qwen3NextForCausalLM"],"decoder_sparse_step":1,"full_attention_interval":4,
"head_dim":256,"hidden_act":"silu","hidden_size":2048,"intermediate_size":5120,"linear_conv_kernel_dim":4,
"linear_key_head_dim":128,"linear_num_key_heads":16,"linear_num_value_heads":32,"linear_value_head_dim":128,
"max_position_embeddings":262144,"mlp_only_layers":[],"model_type":"qwen3_next","moe_intermediate_size":512,
"norm_topk_prob":true,"num_attention_heads":16,"num_experts":512,"num_experts_per_tok":10,"num_hidden_layers":48,
"num_key_value_heads":2,"partial_rotary_factor":0.25,"rope_theta":10000000,"shared_expert_intermediate_size":512,
"tie_word_embeddings":false,"vocab_size":151936})");
    EXPECT_EQ(m.architecture, "qwen3next");
    EXPECT_EQ(m.layer_pattern, "lllf");
    EXPECT_EQ(m.shared_experts, 1);
    const wl::ParameterCount p = wl::parameter_counts(m);
    expect_near_published(m, p.total, 80e9);
    EXPECT_LT(p.active, 4e9);
}
