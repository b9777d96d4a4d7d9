// GGUF import: a model's shape and its exact per-tensor types and sizes, from the file header
// alone (no tensor data is read). The file is treated as hostile: every count and length is
// checked against the bytes that are actually there before anything is allocated.
#pragma once
#include <span>
#include <string>

#include "config/model_spec.hpp"
#include "workload/model_yaml.hpp"

namespace infersim::workload {

/// Reads the header of a GGUF file (versions 2 and 3, little-endian) into a ModelSpec whose
/// `tensors` list every tensor with its ggml type, element count and stored bytes.
/// Throws config::InputError naming the file, the byte offset and the field on any malformed,
/// truncated or unsupported input.
config::ModelSpec load_gguf(const std::string& path);

/// GGUF general.architecture values the importer accepts, with what each maps to.
std::span<const ArchitectureName> gguf_architectures();

}  // namespace infersim::workload
