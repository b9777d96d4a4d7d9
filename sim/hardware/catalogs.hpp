// The hardware layer's registries, as the machine loader sees them, and the loader entry point
// that passes them.
#pragma once
#include <string>

#include "config/machine_catalogs.hpp"
#include "config/machine_loader.hpp"
#include "config/runtime_spec.hpp"

namespace infersim::hw {

/// Built once from the hardware registries (compute units, channel models, power models);
/// immutable.
const config::MachineCatalogs& machine_catalogs();

/// config::load_machine with the hardware layer's implementations. DRAM standards are looked up
/// under `paths` (default: $INFERSIM_CONFIGS, the configs/ beside the executable, ./configs).
inline config::MachineSpec load_machine(const std::string& path, const config::SearchPaths& paths = config::default_search_paths()) {
    return config::load_machine(path, machine_catalogs(), paths);
}
inline config::MachineSpec read_machine(const config::Node& root, const config::SearchPaths& paths = config::default_search_paths()) {
    return config::read_machine(root, machine_catalogs(), paths);
}

/// config::load_runtime with the hardware layer's prefill GEMM kernel models (issue 9).
config::RuntimeSpec load_runtime(const std::string& path);

}  // namespace infersim::hw
