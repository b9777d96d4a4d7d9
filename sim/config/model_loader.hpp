// Model YAML -> ModelSpec.
#pragma once
#include <ostream>
#include <string>

#include "config/model_spec.hpp"
#include "config/yaml_node.hpp"

namespace infersim::config {

ModelSpec load_model_yaml(const std::string& path);
ModelSpec read_model(const Node& root);
/// Checks the relations between fields (heads divisible by kv_heads, ...); `where` names the input.
void validate_model(const ModelSpec& m, const SourceLocation& where);
void describe_model_schema(std::ostream& out);

}  // namespace infersim::config
