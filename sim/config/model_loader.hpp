// Model YAML -> ModelSpec.
#pragma once
#include <functional>
#include <ostream>
#include <string>

#include "config/model_spec.hpp"
#include "config/yaml_node.hpp"

namespace infersim::config {

ModelSpec load_model_yaml(const std::string& path);
ModelSpec read_model(const Node& root);
/// Checks the relations between fields (heads divisible by kv_heads, ...) and the model's size;
/// `where(field)` says where a field was written.
void validate_model(const ModelSpec& m, const std::function<SourceLocation(const std::string&)>& where);
/// Same, for inputs that know only the file.
void validate_model(const ModelSpec& m, const SourceLocation& where);

/// Models above this many parameters are refused (the largest published are ~2e12).
inline constexpr double kMaxParameters = 1e14;
void describe_model_schema(std::ostream& out);

}  // namespace infersim::config
