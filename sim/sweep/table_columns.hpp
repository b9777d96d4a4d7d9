// A sweep table as columns: index, key, status, error, one typed column per axis (named by its
// path), one float64 column per numeric summary metric (nested keys flattened with dots:
// decode.tokens_per_s). The HDF5 /results dataset and the CSV export are both made from this.
#pragma once
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "sweep/results.hpp"

namespace infersim::sweep {

enum class ColumnKind { int64, float64, string };

struct Column {
    std::string name;
    ColumnKind kind;
};

using Cell = std::variant<std::int64_t, double, std::string>;

struct Columns {
    std::vector<Column> columns;    // index, key, status, error, axes..., metrics...
    std::vector<std::string> axes;  // the axis column names, in the sweep's order
};

/// The columns of `table`. Axes come from the rows' values, ordered as in their keys; an axis is
/// int64 when every value is a whole number, float64 when every value is a number, else
/// string. Metrics are the union over "ok" rows of the numeric leaves of the summary, sorted;
/// a metric whose name is taken by a fixed or axis column is left out (the axis holds it).
Columns columns_of(const Table& table);

/// The cells of one row, in the order of `c.columns` (a missing metric is NaN).
std::vector<Cell> cells_of(const nlohmann::json& row, const Columns& c);

/// Writes `table` as CSV (RFC 4180 quoting), atomically.
void write_csv(const std::string& path, const Table& table);

}  // namespace infersim::sweep
