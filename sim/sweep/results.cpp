// JSONL tables.
#include "sweep/results.hpp"

#include "config/bounded_read.hpp"
#include "config/errors.hpp"
#include "output/atomic_file.hpp"
#include "output/summary.hpp"
#include "sweep/table_columns.hpp"
#include "sweep/table_hdf5.hpp"

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

namespace {

// Takes the rows of one table, line by line, under the rules of read_rows.
class RowReader {
public:
    RowReader(Table& table, Torn torn, const std::string& sweep_id)
        : table_(table), torn_(torn),
          expected_(!sweep_id.empty() ? sweep_id : table.empty() ? std::string() : identity_of(table.begin()->second)) {}

    void take(const std::string& line, bool terminated, const config::SourceLocation& at) {
        if (line.empty() && terminated) return;
        nlohmann::json row = nlohmann::json::parse(line, nullptr, false);
        const bool whole = terminated && !row.is_discarded() && is_row(row);
        if (!whole) {
            if (torn_ == Torn::recompute) {
                ++dropped_;
                return;
            }
            throw config::InputError(at, "", terminated ? "not a sweep result row"
                                                        : "torn row (the table was cut short here); rerun its shard, or --resume it");
        }
        const std::string id = identity_of(row);
        if (id.empty()) throw config::InputError(at, "sweep", "the row has no sweep identity (written by an older infersim?)");
        if (expected_.empty()) expected_ = id;
        if (id != expected_)
            throw config::InputError(at, "sweep", "the row belongs to another sweep (identity " + config::printable(id, 32) +
                                                      ", expected " + config::printable(expected_, 32) + ")");
        const auto index = row["index"].get<std::uint64_t>();
        auto [it, inserted] = table_.emplace(index, row);
        if (!inserted && it->second != row)
            throw config::InputError(at, "index", "point " + std::to_string(index) + " appears twice with different results");
    }
    std::uint64_t dropped() const { return dropped_; }

private:
    Table& table_;
    Torn torn_;
    std::string expected_;
    std::uint64_t dropped_ = 0;
};

}  // namespace

namespace {
bool is_csv(const std::string& path) { return path.size() > 4 && path.compare(path.size() - 4, 4, ".csv") == 0; }
}  // namespace

std::uint64_t read_rows(const std::string& path, Table& table, Torn torn, const std::string& sweep_id) {
    if (!config::path_exists(path)) return 0;
    if (is_csv(path)) {
        // A CSV table is an export: a resume takes its points from the journal (or an .h5/.jsonl).
        if (torn == Torn::recompute) return 0;
        throw config::InputError(config::SourceLocation{path, 0, 0}, "", "a CSV table is an export; merge the .jsonl or .h5 tables");
    }
    if (is_hdf5_table(path)) {
        const std::string text = read_hdf5_rows(path);
        RowReader reader(table, torn, sweep_id);
        int line_number = 0;
        for (std::size_t pos = 0, nl; (nl = text.find('\n', pos)) != std::string::npos; pos = nl + 1)
            reader.take(text.substr(pos, nl - pos), true, config::SourceLocation{path + " /rows", ++line_number, 1});
        return reader.dropped();
    }
    config::LineFile in(path, config::ReadLimits{kMaxTableBytes, kMaxRowBytes});
    RowReader reader(table, torn, sweep_id);
    std::string line;
    while (in.next(line)) reader.take(line, in.terminated(), config::SourceLocation{path, in.line_number(), 1});
    return reader.dropped();
}

void read_rows_text(const std::string& text, const std::string& name, Table& table) {
    if (text.size() > kMaxTableBytes) throw config::InputError(config::SourceLocation{name, 0, 0}, "", "table larger than 1 GiB");
    RowReader reader(table, Torn::refuse, "");
    int line_number = 0;
    for (std::size_t pos = 0; pos < text.size();) {
        const std::size_t nl = text.find('\n', pos);
        const std::size_t end = nl == std::string::npos ? text.size() : nl;
        const config::SourceLocation at{name, ++line_number, 1};
        if (end - pos > kMaxRowBytes) throw config::InputError(at, "", "row longer than " + std::to_string(kMaxRowBytes) + " bytes");
        reader.take(text.substr(pos, end - pos), nl != std::string::npos, at);
        pos = end + 1;
    }
}

void write_rows(const std::string& path, const Table& table, const TimelineSources* timelines) {
    if (is_hdf5_table(path)) return write_hdf5_table(path, table, timelines);
    if (timelines) throw output::OutputError("'" + config::printable(path, 200) + "': per-point timelines need an .h5 table");
    if (is_csv(path)) return write_csv(path, table);
    output::write_atomically(path, [&](std::ostream& out) {
        for (const auto& [index, row] : table) out << dump_row(row) << '\n';
    });
}

}  // namespace infersim::sweep
