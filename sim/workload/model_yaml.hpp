// Model YAML -> ModelSpec, and the checks every importer shares. The three model sources sit
// side by side in workload/: this file (YAML), hf_config (HF config.json) and gguf_reader (GGUF
// header); model_source picks one by file type. All produce the same validated ModelSpec, whose
// `architecture` names a registered architecture (workload/arch/) or one of its family names.
#pragma once
#include <ostream>
#include <string>
#include <string_view>
#include <utility>

#include "config/model_spec.hpp"
#include "config/yaml_node.hpp"
#include "workload/arch/architecture.hpp"

namespace infersim::workload {

config::ModelSpec load_model_yaml(const std::string& path);
/// Reads the common fields and the fields of the model's architecture.
config::ModelSpec read_model(const config::Node& root);
/// Checks the architecture name, the relations between fields (heads divisible by kv_heads,
/// ...), the architecture's own fields and the model's size; `where(field)` says where a field
/// was written.
void validate_model(const config::ModelSpec& m, const FieldLocator& where);
/// Same, for inputs that know only the file.
void validate_model(const config::ModelSpec& m, const config::SourceLocation& where);
/// The spec as model YAML (what an import resolved to, for provenance); loads back to `m`.
std::string to_yaml(const config::ModelSpec& m);

/// An importer's name for an architecture (HF model_type, GGUF general.architecture) -> the
/// infersim architecture name it maps to.
using ArchitectureName = std::pair<std::string_view, std::string_view>;

/// Models above this many parameters are refused (the largest published are ~2e12).
inline constexpr double kMaxParameters = 1e14;
/// The common fields; `describe architectures` lists each architecture's own.
void describe_model_schema(std::ostream& out);

}  // namespace infersim::workload
