// The names entries are stored under in the HDF5 file (/timeline/dram/<pool>, /agents/<agent>,
// ...): '/' and ':' cannot be part of a link name and become '_'. Two entries that map to one
// stored name would collide only after the whole run; the loaders refuse them up front with
// this same rule, so the check and the writer cannot disagree.
#pragma once
#include <span>
#include <string>
#include <string_view>

#include "config/yaml_node.hpp"

namespace infersim::config {

/// The stored name of `name`.
std::string storage_name(std::string_view name);

/// Refuses two keys of the mapping `n` with one stored name, or a key stored as one of
/// `reserved` (e.g. "model", the agent the model's own traffic is recorded under): InputError
/// at the later key's location.
void check_storage_names(const Node& n, std::span<const std::string_view> reserved = {});

}  // namespace infersim::config
