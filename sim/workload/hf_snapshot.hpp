// A Hugging Face snapshot folder (config.json plus *.safetensors, as `huggingface-cli download`
// leaves it): the shape from config.json, the model's name from the folder, and the checkpoint's
// exact per-tensor dtypes and bytes from the safetensors headers (`quant: checkpoint` runs them).
#pragma once
#include <string>
#include <vector>

#include "config/model_spec.hpp"
#include "workload/safetensors_header.hpp"

namespace infersim::workload {

/// Loads the snapshot in `dir`. Throws config::InputError for a folder without config.json or
/// with a bad header.
config::ModelSpec load_hf_snapshot(const std::string& dir);

/// The checkpoint's tensors as records in GGUF naming ("blk.3.attn_q.weight"), so the one
/// tensor classifier serves both: experts stored one tensor each are merged per layer and role;
/// an FP8 weight's block scales (`*.weight_scale_inv`) and an MXFP4 tensor's scales
/// (`*_scales`) are counted with the weights they scale. Names it does not know keep their HF
/// name (counted as `other`).
std::vector<config::TensorRecord> checkpoint_records(const std::vector<SafetensorsTensor>& tensors, int layers);

}  // namespace infersim::workload
