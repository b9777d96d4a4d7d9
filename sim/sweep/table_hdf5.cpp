// The HDF5 sweep table.
#include "sweep/table_hdf5.hpp"

#include <algorithm>
#include <cstring>

#include "config/errors.hpp"
#include "output/atomic_file.hpp"
#include "output/hdf5_io.hpp"
#include "sweep/point_timelines.hpp"
#include "sweep/sweep_spec.hpp"
#include "sweep/table_columns.hpp"

namespace infersim::sweep {
namespace h5 = output::h5;
namespace {

bool ends_with(const std::string& s, const std::string& tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// The compound type of `c` and each member's offset; string members are as wide as their
// longest cell.
struct Layout {
    std::vector<std::size_t> offset, width;
    std::size_t size = 0;
};

Layout layout_of(const Columns& c, const std::vector<std::vector<Cell>>& rows) {
    Layout l;
    for (std::size_t i = 0; i < c.columns.size(); ++i) {
        std::size_t w = 8;
        if (c.columns[i].kind == ColumnKind::string) {
            w = 1;
            for (const auto& r : rows) w = std::max(w, std::get<std::string>(r[i]).size());
        }
        l.offset.push_back(l.size);
        l.width.push_back(w);
        l.size += w;
    }
    return l;
}

void write_results(hid_t file, const Table& table) {
    const Columns c = columns_of(table);
    std::vector<std::vector<Cell>> rows;
    for (const auto& [index, row] : table) rows.push_back(cells_of(row, c));
    const Layout l = layout_of(c, rows);
    h5::Handle type(H5Tcreate(H5T_COMPOUND, l.size), H5Tclose, "creating the results type");
    std::vector<h5::Handle> strings;
    for (std::size_t i = 0; i < c.columns.size(); ++i) {
        hid_t member = c.columns[i].kind == ColumnKind::int64 ? H5T_NATIVE_INT64 : H5T_NATIVE_DOUBLE;
        if (c.columns[i].kind == ColumnKind::string) member = strings.emplace_back(h5::string_type(l.width[i]));
        h5::check(H5Tinsert(type, c.columns[i].name.c_str(), l.offset[i], member), "adding column " + c.columns[i].name);
    }
    std::vector<unsigned char> buffer(std::max<std::size_t>(1, rows.size() * l.size), 0);
    for (std::size_t r = 0; r < rows.size(); ++r)
        for (std::size_t i = 0; i < c.columns.size(); ++i) {
            unsigned char* at = buffer.data() + r * l.size + l.offset[i];
            if (const auto* s = std::get_if<std::string>(&rows[r][i])) std::memcpy(at, s->data(), s->size());
            else if (const auto* n = std::get_if<std::int64_t>(&rows[r][i])) std::memcpy(at, n, 8);
            else std::memcpy(at, &std::get<double>(rows[r][i]), 8);
        }
    h5::dataset(file, "results", type, {rows.size()}, buffer.data());
    h5::Handle d(H5Dopen2(file, "results", H5P_DEFAULT), H5Dclose, "opening /results");
    h5::attribute(d, "axes", nlohmann::json(c.axes).dump());
    h5::attribute(d, "sweep", table.empty() ? std::string() : table.begin()->second.value("sweep", ""));
}

void write_rows_dataset(hid_t file, const Table& table) {
    std::vector<std::string> text;
    for (const auto& [index, row] : table) text.push_back(dump_row(row));
    std::vector<const char*> pointers;
    for (const std::string& t : text) pointers.push_back(t.c_str());
    h5::Handle type(H5Tcopy(H5T_C_S1), H5Tclose, "creating a string type");
    h5::check(H5Tset_size(type, H5T_VARIABLE), "sizing the row type");
    h5::check(H5Tset_cset(type, H5T_CSET_UTF8), "setting the row character set");
    h5::dataset(file, "rows", type, {pointers.size()}, pointers.data());
}

void write_file(const std::string& tmp, const Table& table, const TimelineSources* timelines) {
    h5::Handle file = h5::create_file(tmp);
    write_results(file, table);
    write_rows_dataset(file, table);
    if (timelines) copy_timelines(file, table, *timelines);
    file.close("closing (flushing) the file");
}

}  // namespace

bool is_hdf5_table(const std::string& path) { return ends_with(path, ".h5") || ends_with(path, ".hdf5"); }

void write_hdf5_table(const std::string& path, const Table& table, const TimelineSources* timelines) {
    H5dont_atexit();
    output::write_via_temporary(path, [&](const std::string& tmp) {
        h5::QuietErrors quiet;
        try {
            write_file(tmp, table, timelines);
        } catch (const std::bad_alloc&) {
            throw;
        } catch (const std::exception& e) {
            throw output::OutputError("cannot write HDF5 table '" + config::printable(path, 200) + "': " + e.what());
        }
    });
}

std::string read_hdf5_rows(const std::string& path) {
    h5::QuietErrors quiet;
    const config::SourceLocation where{path, 0, 0};
    const hid_t fid = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    if (fid < 0) throw config::InputError(where, "", "not an HDF5 file");
    h5::Handle file(fid, H5Fclose, "opening " + path);
    if (H5Lexists(file, "rows", H5P_DEFAULT) <= 0) throw config::InputError(where, "rows", "not an infersim sweep table (no /rows dataset)");
    h5::Handle d(H5Dopen2(file, "rows", H5P_DEFAULT), H5Dclose, "opening /rows");
    h5::Handle space(H5Dget_space(d), H5Sclose, "reading the shape of /rows");
    hsize_t n = 0;
    if (H5Sget_simple_extent_ndims(space) != 1 || H5Sget_simple_extent_dims(space, &n, nullptr) != 1)
        throw config::InputError(where, "rows", "expected a 1-D dataset of row texts");
    if (n > kMaxSweepPoints) throw config::InputError(where, "rows", "more rows than a sweep can have");
    h5::Handle type(H5Tcopy(H5T_C_S1), H5Tclose, "creating a string type");
    h5::check(H5Tset_size(type, H5T_VARIABLE), "sizing the row type");
    h5::check(H5Tset_cset(type, H5T_CSET_UTF8), "setting the row character set");
    std::vector<char*> rows(static_cast<std::size_t>(n), nullptr);
    if (n > 0 && H5Dread(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows.data()) < 0)
        throw config::InputError(where, "rows", "cannot read the row texts (not variable-length strings?)");
    std::string text;
    for (char* r : rows) {
        if (r && text.size() < kMaxTableBytes) text += std::string(r) + "\n";
    }
    if (n > 0) H5Dvlen_reclaim(type, space, H5P_DEFAULT, rows.data());
    return text;
}

}  // namespace infersim::sweep
