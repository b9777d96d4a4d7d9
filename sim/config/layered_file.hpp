// Loading a YAML file together with the chain of files it `extends:`.
#pragma once
#include <string>

#include "config/yaml_node.hpp"

namespace infersim::config {

/// Loads `path` and, recursively, the file named by its `extends:` key (a path relative to the
/// extending file). Returns one Node whose lookups fall through to the bases. Throws InputError
/// on a missing base, a cycle, or a chain deeper than 16.
Node load_layered(const std::string& path);

}  // namespace infersim::config
