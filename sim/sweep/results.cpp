// JSONL tables.
#include "sweep/results.hpp"

#include <fstream>

#include "config/errors.hpp"
#include "output/atomic_file.hpp"

namespace infersim::sweep {

void read_rows(const std::string& path, Table& table) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return;
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
        ++n;
        if (in.eof()) break;  // no newline: a torn last line
        if (line.empty()) continue;
        nlohmann::json row = nlohmann::json::parse(line, nullptr, false);
        if (row.is_discarded() || !row.is_object() || !row.contains("index") || !row["index"].is_number_unsigned())
            throw config::InputError(config::SourceLocation{path, n, 1}, "", "not a sweep result row");
        const auto index = row["index"].get<std::uint64_t>();
        auto [it, inserted] = table.emplace(index, row);
        if (!inserted && it->second != row)
            throw config::InputError(config::SourceLocation{path, n, 1}, "index",
                                     "point " + std::to_string(index) + " appears twice with different results");
    }
}

void write_rows(const std::string& path, const Table& table) {
    output::write_atomically(path, [&](std::ostream& out) {
        for (const auto& [index, row] : table) out << row.dump() << '\n';
    });
}

}  // namespace infersim::sweep
