// One entry point for every model file format: model YAML, Hugging Face config.json or snapshot
// folder, GGUF.
#pragma once
#include <string>

#include "config/model_spec.hpp"

namespace infersim::workload {

/// Loads a model by file extension: .gguf (header only), .json (Hugging Face config), a folder
/// (an HF snapshot: config.json + safetensors headers), anything else as model YAML. Throws config::InputError on bad input.
config::ModelSpec load_model_file(const std::string& path);

}  // namespace infersim::workload
