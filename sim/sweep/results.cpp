// JSONL tables.
#include "sweep/results.hpp"

#include "config/bounded_read.hpp"
#include "config/errors.hpp"
#include "output/atomic_file.hpp"
#include "output/summary.hpp"

namespace infersim::sweep {
namespace {

bool is_row(const nlohmann::json& row) {
    return row.is_object() && row.contains("index") && row["index"].is_number_unsigned() && row.contains("key") &&
           row["key"].is_string() && row.contains("status") && row["status"].is_string();
}

std::string identity_of(const nlohmann::json& row) {
    auto it = row.find("sweep");
    return it != row.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

std::string dump_row(const nlohmann::json& row) { return output::json_text(row); }

std::uint64_t read_rows(const std::string& path, Table& table, Torn torn, const std::string& sweep_id) {
    if (!config::path_exists(path)) return 0;
    config::LineFile in(path, config::ReadLimits{kMaxTableBytes, kMaxRowBytes});
    std::string expected = !sweep_id.empty() ? sweep_id : table.empty() ? std::string() : identity_of(table.begin()->second);
    std::string line;
    std::uint64_t dropped = 0;
    while (in.next(line)) {
        if (line.empty() && in.terminated()) continue;
        const config::SourceLocation at{path, in.line_number(), 1};
        nlohmann::json row = nlohmann::json::parse(line, nullptr, false);
        const bool whole = in.terminated() && !row.is_discarded() && is_row(row);
        if (!whole) {
            if (torn == Torn::recompute) {
                ++dropped;
                continue;
            }
            throw config::InputError(at, "", in.terminated() ? "not a sweep result row"
                                                             : "torn row (the table was cut short here); rerun its shard, or --resume it");
        }
        const std::string id = identity_of(row);
        if (id.empty()) throw config::InputError(at, "sweep", "the row has no sweep identity (written by an older infersim?)");
        if (expected.empty()) expected = id;
        if (id != expected)
            throw config::InputError(at, "sweep", "the row belongs to another sweep (identity " + config::printable(id, 32) +
                                                      ", expected " + config::printable(expected, 32) + ")");
        const auto index = row["index"].get<std::uint64_t>();
        auto [it, inserted] = table.emplace(index, row);
        if (!inserted && it->second != row)
            throw config::InputError(at, "index", "point " + std::to_string(index) + " appears twice with different results");
    }
    return dropped;
}

void write_rows(const std::string& path, const Table& table) {
    output::write_atomically(path, [&](std::ostream& out) {
        for (const auto& [index, row] : table) out << dump_row(row) << '\n';
    });
}

}  // namespace infersim::sweep
