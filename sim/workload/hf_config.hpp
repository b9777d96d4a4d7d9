// Hugging Face import: a model's shape from its config.json (transformers' PretrainedConfig).
#pragma once
#include <string>

#include "config/model_spec.hpp"
#include "workload/model_yaml.hpp"

namespace infersim::workload {

/// Reads a config.json of model_type llama, mistral, mixtral, qwen2, qwen2_moe, qwen3, qwen3_moe,
/// gpt_oss, deepseek, deepseek_v2, deepseek_v3, kimi_k2, gemma2, gemma3 (its text_config when
/// nested), gemma3_text, phi3 or qwen3_next into a validated ModelSpec. Throws config::InputError with file:line:column and the JSON key
/// on a syntax error, an unknown model_type, or a missing, mistyped or out-of-range value.
config::ModelSpec load_hf_config(const std::string& path);
/// transformers model_type values the importer accepts, with the architecture each maps to.
std::span<const ArchitectureName> hf_model_types();

}  // namespace infersim::workload
