// DRAM standards as data: configs/dram/<name>.yaml holds one standard's organisation, timing
// and energy (read by the same field tables as a pool's overrides, dram_fields.hpp), with its
// sources as comments. Speed grades `extends:` a family file; a family name (lpddr5x) is a
// small file that extends its most common grade. A pool's `standard:` names one.
#pragma once
#include <ostream>
#include <string>
#include <vector>

#include "config/machine_spec.hpp"
#include "config/resolve.hpp"
#include "config/yaml_node.hpp"

namespace infersim::config {

struct DramStandard {
    std::string name;          // the file's stem, e.g. "lpddr5x-8533"
    std::string description;   // one line, for `describe dram`
    std::string file;
    DramTiming timing;
    PoolEnergy energy;         // per-bit figures; background power is per machine
};

/// Loads a standard's file with its `extends` chain. Every organisation, timing and energy
/// field is required (metadata_bits defaults to 0). Throws InputError at file:line:col.
DramStandard load_dram_standard(const std::string& path);

/// The file a pool's `standard:` value (the node `at`) names: a path (relative to the file it
/// is written in, then to the working directory), or a name, looked up as dram/<name>.yaml
/// under each configuration root in order. An unknown name fails at `at` with a close name
/// and the available ones.
std::string resolve_dram_standard(const Node& at, const SearchPaths& paths);

/// The standards under the roots' dram/ directories, sorted (files ending in -base excluded).
std::vector<std::string> dram_standard_names(const SearchPaths& paths);

/// `infersim describe dram`: every standard with its one-line description.
void print_dram_standards(std::ostream& out, const SearchPaths& paths);
/// `infersim describe dram NAME`: every resolved value, in units.
void print_dram_standard(std::ostream& out, const DramStandard& s);

}  // namespace infersim::config
