// Machine YAML -> MachineSpec.
#pragma once
#include <ostream>
#include <string>

#include "config/machine_catalogs.hpp"
#include "config/machine_spec.hpp"
#include "config/overrides.hpp"
#include "config/resolve.hpp"
#include "config/yaml_node.hpp"

namespace infersim::config {

/// Loads and validates a machine file (with its `extends` chain). Throws InputError.
/// `impls` are the registered implementations its units, pools and power may name
/// (hw::machine_catalogs(); hw::load_machine(path) passes them). Pools' DRAM standards are
/// looked up under `paths` (configs/dram), or as paths relative to the file naming them.
/// `overrides` naming the machine (--set machine.X=V, sweep axes) sit on top of the layered file.
MachineSpec load_machine(const std::string& path, const MachineCatalogs& impls, const SearchPaths& paths = default_search_paths(),
                         const std::vector<Override>& overrides = {});
/// Validates an already-loaded node (used by tests and by scenario files with inline machines).
MachineSpec read_machine(const Node& root, const MachineCatalogs& impls, const SearchPaths& paths = default_search_paths());
/// Prints the machine schema from the same field tables the loader uses.
void describe_machine_schema(std::ostream& out, const MachineCatalogs& impls, const SearchPaths& paths = default_search_paths());

}  // namespace infersim::config
