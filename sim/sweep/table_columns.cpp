// Sweep rows to columns, and the CSV export.
#include "sweep/table_columns.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>
#include <set>
#include <sstream>

#include "output/atomic_file.hpp"

namespace infersim::sweep {
namespace {

bool whole_number(const std::string& s) {
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    return !s.empty() && ec == std::errc() && p == s.data() + s.size();
}

bool number(const std::string& s, double* out = nullptr) {
    if (s.empty() || std::isspace(static_cast<unsigned char>(s.front()))) return false;
    char* end = nullptr;
    const double v = std::strtod(s.c_str(), &end);
    if (end != s.c_str() + s.size() || !std::isfinite(v)) return false;
    if (out) *out = v;
    return true;
}

void flatten(const nlohmann::json& j, const std::string& prefix, std::map<std::string, double>& out) {
    for (auto it = j.begin(); it != j.end(); ++it) {
        const std::string name = prefix.empty() ? it.key() : prefix + "." + it.key();
        if (it->is_object()) flatten(*it, name, out);
        else if (it->is_number()) out[name] = it->get<double>();
    }
}

std::map<std::string, double> metrics_of(const nlohmann::json& row) {
    std::map<std::string, double> m;
    if (row.value("status", "") == "ok" && row.contains("summary") && row["summary"].is_object()) flatten(row["summary"], "", m);
    return m;
}

std::string axis_value(const nlohmann::json& row, const std::string& axis) {
    if (!row.contains("values") || !row["values"].is_object()) return {};
    auto it = row["values"].find(axis);
    return it != row["values"].end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The axes, ordered by where "name=" first appears in the keys.
std::vector<std::string> axes_of(const Table& table) {
    std::vector<std::pair<std::size_t, std::string>> found;
    std::set<std::string> seen;
    for (const auto& [index, row] : table) {
        if (!row.contains("values") || !row["values"].is_object()) continue;
        const std::string key = row.value("key", "");
        for (auto it = row["values"].begin(); it != row["values"].end(); ++it) {
            if (!seen.insert(it.key()).second) continue;
            const std::size_t at = key.find(it.key() + "=");
            found.emplace_back(at == std::string::npos ? key.size() : at, it.key());
        }
    }
    std::sort(found.begin(), found.end());
    std::vector<std::string> out;
    for (auto& [pos, name] : found) out.push_back(name);
    return out;
}

std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

}  // namespace

Columns columns_of(const Table& table) {
    Columns c;
    c.columns = {{"index", ColumnKind::int64}, {"key", ColumnKind::string}, {"status", ColumnKind::string}, {"error", ColumnKind::string}};
    std::set<std::string> taken{"index", "key", "status", "error"};
    for (const std::string& axis : axes_of(table)) {
        bool ints = true, floats = true;
        for (const auto& [index, row] : table) {
            const std::string v = axis_value(row, axis);
            ints = ints && whole_number(v);
            floats = floats && number(v);
        }
        c.columns.push_back({axis, ints ? ColumnKind::int64 : floats ? ColumnKind::float64 : ColumnKind::string});
        c.axes.push_back(axis);
        taken.insert(axis);
    }
    std::set<std::string> metrics;
    for (const auto& [index, row] : table)
        for (const auto& [name, v] : metrics_of(row)) metrics.insert(name);
    for (const std::string& m : metrics)
        if (!taken.count(m)) c.columns.push_back({m, ColumnKind::float64});
    return c;
}

std::vector<Cell> cells_of(const nlohmann::json& row, const Columns& c) {
    const std::map<std::string, double> m = metrics_of(row);
    std::vector<Cell> out;
    out.reserve(c.columns.size());
    out.emplace_back(static_cast<std::int64_t>(row.value("index", std::uint64_t{0})));
    out.emplace_back(row.value("key", ""));
    out.emplace_back(row.value("status", ""));
    out.emplace_back(row.contains("error") && row["error"].is_string() ? row["error"].get<std::string>() : std::string());
    for (std::size_t i = 4; i < c.columns.size(); ++i) {
        const Column& col = c.columns[i];
        if (i < 4 + c.axes.size()) {
            const std::string v = axis_value(row, col.name);
            double d = 0;
            if (col.kind == ColumnKind::int64) out.emplace_back(static_cast<std::int64_t>(std::strtoll(v.c_str(), nullptr, 10)));
            else if (col.kind == ColumnKind::float64) out.emplace_back(number(v, &d) ? d : std::numeric_limits<double>::quiet_NaN());
            else out.emplace_back(v);
            continue;
        }
        auto it = m.find(col.name);
        out.emplace_back(it == m.end() ? std::numeric_limits<double>::quiet_NaN() : it->second);
    }
    return out;
}

void write_csv(const std::string& path, const Table& table) {
    const Columns c = columns_of(table);
    output::write_atomically(path, [&](std::ostream& out) {
        for (std::size_t i = 0; i < c.columns.size(); ++i) out << (i ? "," : "") << csv_field(c.columns[i].name);
        out << "\n";
        for (const auto& [index, row] : table) {
            const std::vector<Cell> cells = cells_of(row, c);
            for (std::size_t i = 0; i < cells.size(); ++i) {
                if (i) out << ",";
                if (const auto* s = std::get_if<std::string>(&cells[i])) out << csv_field(*s);
                else if (const auto* n = std::get_if<std::int64_t>(&cells[i])) out << *n;
                else if (const double d = std::get<double>(cells[i]); std::isfinite(d)) {
                    std::ostringstream s;
                    s.precision(17);
                    s << d;
                    out << s.str();
                }
            }
            out << "\n";
        }
    });
}

}  // namespace infersim::sweep
