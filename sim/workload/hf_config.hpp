// Hugging Face import: a model's shape from its config.json (transformers' PretrainedConfig).
#pragma once
#include <string>

#include "config/model_spec.hpp"

namespace infersim::workload {

/// Reads a config.json of model_type llama, mistral, qwen2, qwen3, qwen3_moe, mixtral or gpt_oss
/// into a validated ModelSpec. Throws config::InputError with file:line:column and the JSON key
/// on a syntax error, an unknown model_type, or a missing, mistyped or out-of-range value.
config::ModelSpec load_hf_config(const std::string& path);

}  // namespace infersim::workload
