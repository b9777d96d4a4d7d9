// The `memory:` section of a machine: pools, each a DRAM standard (configs/dram) with
// overrides, a channel count and layout, and a channel model chosen from the registry.
#pragma once
#include <ostream>
#include <vector>

#include "config/machine_catalogs.hpp"
#include "config/machine_spec.hpp"
#include "config/resolve.hpp"
#include "config/yaml_node.hpp"

namespace infersim::config {

/// Reads every pool of `memory` (a mapping of names to pools). Each pool's standard is
/// loaded first (from `paths`, or a path relative to the file that names it) and supplies the
/// defaults its own keys override; `channel_model` must name one of `models` (default fast),
/// whose own fields the pool may then set. Throws InputError at file:line:col.
std::vector<PoolSpec> read_pools(const Node& memory, const ImplCatalog<PoolSpec>& models, const SearchPaths& paths);

/// Prints memory.<pool> and its timing and energy tables, the channel models and the standards.
void describe_pool_schema(std::ostream& out, const ImplCatalog<PoolSpec>& models, const SearchPaths& paths);

}  // namespace infersim::config
