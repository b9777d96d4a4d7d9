// Sweep result tables: JSON Lines, one row per point, sorted by point index. Each row carries
// its point's key, so tables from shards, MPI ranks or resumed runs can be merged.
#pragma once
#include <cstdint>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

namespace infersim::sweep {

/// Rows by point index.
using Table = std::map<std::uint64_t, nlohmann::json>;

/// Reads complete rows of a JSONL file into `table` (a torn last line, as a killed run leaves
/// it, is skipped). A missing file reads as empty. Rows whose index is already present are
/// kept only if identical; a conflicting duplicate throws config::InputError.
void read_rows(const std::string& path, Table& table);

/// Writes `table` atomically to `path`, one compact JSON row per line in index order.
void write_rows(const std::string& path, const Table& table);

}  // namespace infersim::sweep
