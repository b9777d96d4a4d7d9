// Per-point timeline files and their copy into an HDF5 sweep table.
#include "sweep/point_timelines.hpp"

#include <unistd.h>

#include <charconv>
#include <filesystem>
#include <vector>

#include "config/errors.hpp"
#include "output/atomic_file.hpp"
#include "output/hdf5_io.hpp"
#include "output/hdf5_scales.hpp"
#include "output/hdf5_timeline.hpp"

namespace infersim::sweep {
namespace h5 = output::h5;
namespace {

// Dimension-scale attributes hold object references, which a copy to another file cannot keep
// (H5Ocopy even leaves them pointing at the source's addresses): they are left out and the
// scales attached again in the copy.
bool is_scale_attribute(const std::string& name) {
    return name == "CLASS" || name == "NAME" || name == "DIMENSION_LIST" || name == "REFERENCE_LIST";
}

herr_t collect_name(hid_t, const char* name, const void*, void* out) {
    static_cast<std::vector<std::string>*>(out)->emplace_back(name);
    return 0;
}
herr_t collect_link(hid_t g, const char* name, const H5L_info_t*, void* out) { return collect_name(g, name, nullptr, out); }
herr_t collect_attribute(hid_t o, const char* name, const H5A_info_t*, void* out) { return collect_name(o, name, nullptr, out); }

// A buffer for `space` elements of `type`; refuses variable-size and reference types (infersim
// writes no other, and a byte copy of them would not stand on its own).
std::vector<unsigned char> fixed_size_buffer(hid_t type, hid_t space, const std::string& what) {
    if (H5Tdetect_class(type, H5T_VLEN) > 0 || H5Tis_variable_str(type) > 0 || H5Tdetect_class(type, H5T_REFERENCE) > 0)
        h5::fail(what + " is not of a fixed-size type");
    const hssize_t count = H5Sget_simple_extent_npoints(space);
    return std::vector<unsigned char>(static_cast<std::size_t>(std::max<hssize_t>(count, 1)) * H5Tget_size(type));
}

// Copies `from`'s attributes but the scales' (fixed-size types only: infersim writes no other).
void copy_attributes(hid_t from, hid_t to) {
    std::vector<std::string> names;
    h5::check(H5Aiterate2(from, H5_INDEX_NAME, H5_ITER_INC, nullptr, collect_attribute, &names), "listing attributes");
    for (const std::string& n : names) {
        if (is_scale_attribute(n)) continue;
        h5::Handle a(H5Aopen(from, n.c_str(), H5P_DEFAULT), H5Aclose, "opening attribute " + n);
        h5::Handle type(H5Aget_type(a), H5Tclose, "reading the type of attribute " + n);
        h5::Handle space(H5Aget_space(a), H5Sclose, "reading the shape of attribute " + n);
        std::vector<unsigned char> buffer = fixed_size_buffer(type, space, "attribute " + n);
        h5::check(H5Aread(a, type, buffer.data()), "reading attribute " + n);
        h5::Handle b(H5Acreate2(to, n.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose, "creating attribute " + n);
        h5::check(H5Awrite(b, type, buffer.data()), "writing attribute " + n);
    }
}

// A new dataset with `from`'s type, shape, creation properties (chunks, filters) and data. Not
// H5Ocopy: it keeps the source's object-header layout, which differs between a point file and
// a table written from one, so merged tables would not be byte-identical to the sweep's.
void copy_dataset(hid_t parent_from, hid_t parent_to, const std::string& n) {
    h5::Handle src(H5Dopen2(parent_from, n.c_str(), H5P_DEFAULT), H5Dclose, "opening dataset " + n);
    h5::Handle type(H5Dget_type(src), H5Tclose, "reading the type of " + n);
    h5::Handle space(H5Dget_space(src), H5Sclose, "reading the shape of " + n);
    h5::Handle dcpl(H5Dget_create_plist(src), H5Pclose, "reading the creation properties of " + n);
    h5::check(H5Pset_obj_track_times(dcpl, 0), "disabling timestamps of " + n);
    std::vector<unsigned char> data = fixed_size_buffer(type, space, "dataset " + n);
    const hssize_t count = H5Sget_simple_extent_npoints(space);
    if (count > 0) h5::check(H5Dread(src, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data()), "reading dataset " + n);
    h5::Handle dst(H5Dcreate2(parent_to, n.c_str(), type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT), H5Dclose, "creating dataset " + n);
    if (count > 0) h5::check(H5Dwrite(dst, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data()), "writing dataset " + n);
    copy_attributes(src, dst);
}

// Copies the tree under `from` into `to`, members and attributes by name, so the copy depends
// only on the content, not on how the source was written.
void copy_tree(hid_t from, hid_t to) {
    copy_attributes(from, to);
    std::vector<std::string> names;
    h5::check(H5Literate(from, H5_INDEX_NAME, H5_ITER_INC, nullptr, collect_link, &names), "listing a group");
    for (const std::string& n : names) {
        H5O_info_t info;
        h5::check(H5Oget_info_by_name(from, n.c_str(), &info, H5P_DEFAULT), "reading " + n);
        if (info.type == H5O_TYPE_GROUP) {
            h5::Handle src(H5Gopen2(from, n.c_str(), H5P_DEFAULT), H5Gclose, "opening group " + n);
            h5::Handle dst = h5::group(to, n);
            copy_tree(src, dst);
        } else if (info.type == H5O_TYPE_DATASET) {
            copy_dataset(from, to, n);
        }
    }
}

hsize_t bins_of(hid_t timeline) {
    if (H5Lexists(timeline, "time_s", H5P_DEFAULT) <= 0) return 0;
    h5::Handle d(H5Dopen2(timeline, "time_s", H5P_DEFAULT), H5Dclose, "opening time_s");
    h5::Handle space(H5Dget_space(d), H5Sclose, "reading the shape of time_s");
    hsize_t n = 0;
    if (H5Sget_simple_extent_ndims(space) != 1 || H5Sget_simple_extent_dims(space, &n, nullptr) != 1) h5::fail("time_s is not 1-D");
    return n;
}

h5::Handle open_read(const std::string& path) {
    return h5::Handle(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, "cannot open '" + config::printable(path, 200) + "'");
}

std::string text_attribute(hid_t obj, const char* name) {
    if (H5Aexists(obj, name) <= 0) return "";
    h5::Handle a(H5Aopen(obj, name, H5P_DEFAULT), H5Aclose, std::string("opening attribute ") + name);
    h5::Handle type(H5Aget_type(a), H5Tclose, "reading an attribute type");
    if (H5Tget_class(type) != H5T_STRING || H5Tis_variable_str(type) > 0) return "";
    std::string s(H5Tget_size(type), '\0');
    h5::check(H5Aread(a, type, s.data()), std::string("reading attribute ") + name);
    return s.substr(0, s.find('\0'));
}

// `<index>.h5`, or a temporary of one (`<index>.h5.tmp.<pid>`).
bool is_point_file(const std::string& name) {
    const std::size_t digits = name.find_first_not_of("0123456789");
    if (digits == 0 || digits == std::string::npos || name.compare(digits, 3, ".h5") != 0) return false;
    const std::string rest = name.substr(digits + 3);
    return rest.empty() || (rest.rfind(".tmp.", 0) == 0 && rest.size() > 5 && rest.find_first_not_of("0123456789", 5) == std::string::npos);
}

void remove_point_files(const std::string& dir) {
    std::error_code ec;
    for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
        if (is_point_file(it->path().filename().string()) && it->is_regular_file(ec)) std::filesystem::remove(it->path(), ec);
}

}  // namespace

void prepare_timeline_dir(const std::string& output, bool fresh) {
    const std::string dir = timeline_dir(output);
    std::error_code ec;
    if (std::filesystem::is_symlink(dir, ec) || (std::filesystem::exists(dir, ec) && !std::filesystem::is_directory(dir, ec)))
        throw output::OutputError("refusing to use '" + config::printable(dir, 200) + "' for timelines: it is not a directory");
    if (fresh) remove_point_files(dir);
    std::filesystem::create_directories(dir, ec);
    if (ec || !std::filesystem::is_directory(dir, ec))
        throw output::OutputError("cannot create the timeline directory '" + config::printable(dir, 200) + "'");
}

void remove_timeline_dir(const std::string& output) {
    const std::string dir = timeline_dir(output);
    remove_point_files(dir);
    std::error_code ec;
    std::filesystem::remove(dir, ec);  // only when empty
}

std::string timeline_dir(const std::string& output) { return output + ".timelines"; }

std::string timeline_file(const std::string& output, std::uint64_t index) {
    return (std::filesystem::path(timeline_dir(output)) / (std::to_string(index) + ".h5")).string();
}

void write_point_timeline(const std::string& file, const output::Recorder& rec, const config::MachineSpec& machine,
                          const replay::ThermalTimeline* thermal, const std::string& sweep_id, const std::string& key) {
    H5dont_atexit();
    // Not output::write_via_temporary: its scan for stale temporaries would read the whole
    // directory per point. This process's temporary is removed here; others' with the directory.
    const std::string tmp = file + ".tmp." + std::to_string(::getpid());
    std::error_code ec;
    std::filesystem::remove(tmp, ec);
    h5::QuietErrors quiet;
    try {
        h5::Handle f = h5::create_file(tmp);
        h5::attribute(f, "sweep", sweep_id);
        h5::attribute(f, "key", key);
        output::write_timeline(f, rec, machine, thermal);
        f.close("closing (flushing) the file");
        std::filesystem::rename(tmp, file);
    } catch (const std::bad_alloc&) {
        std::filesystem::remove(tmp, ec);
        throw;
    } catch (const std::exception& e) {
        std::filesystem::remove(tmp, ec);
        throw output::OutputError("cannot write the point timeline '" + config::printable(file, 200) + "': " + e.what());
    }
}

bool point_timeline_valid(const std::string& file, const std::string& sweep_id) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) return false;
    h5::QuietErrors quiet;
    try {
        h5::Handle f = open_read(file);
        return text_attribute(f, "sweep") == sweep_id && H5Lexists(f, "timeline", H5P_DEFAULT) > 0;
    } catch (const std::runtime_error&) {
        return false;
    }
}

bool table_has_timelines(const std::string& path) {
    h5::QuietErrors quiet;
    const hid_t fid = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    if (fid < 0) throw config::InputError(config::SourceLocation{path, 0, 0}, "", "not an HDF5 file");
    h5::Handle f(fid, H5Fclose, "opening " + path);
    return H5Lexists(f, "points", H5P_DEFAULT) > 0;
}

TimelineSources table_timelines(const std::string& path) {
    TimelineSources out;
    if (!table_has_timelines(path)) return out;
    h5::QuietErrors quiet;
    h5::Handle f = open_read(path);
    h5::Handle points(H5Gopen2(f, "points", H5P_DEFAULT), H5Gclose, "opening /points");
    std::vector<std::string> names;
    h5::check(H5Literate(points, H5_INDEX_NAME, H5_ITER_INC, nullptr, collect_link, &names), "listing /points");
    for (const std::string& n : names) {
        std::uint64_t index = 0;
        auto [p, ec] = std::from_chars(n.data(), n.data() + n.size(), index);
        if (ec != std::errc() || p != n.data() + n.size() || H5Lexists(points, (n + "/timeline").c_str(), H5P_DEFAULT) <= 0)
            throw config::InputError(config::SourceLocation{path + " /points", 0, 0}, config::printable(n, 40),
                                     "not a point timeline (expected /points/<index>/timeline)");
        out[index] = TimelineSource{path, "points/" + n + "/timeline"};
    }
    return out;
}

void copy_timelines(hid_t file, const Table& table, const TimelineSources& sources) {
    h5::Handle points = h5::group(file, "points");
    for (const auto& [index, row] : table) {
        if (row.value("status", "") != "ok") continue;
        auto it = sources.find(index);
        if (it == sources.end()) throw output::OutputError("point " + std::to_string(index) + " has no timeline to copy");
        h5::Handle src_file = open_read(it->second.file);
        h5::Handle src(H5Gopen2(src_file, it->second.group.c_str(), H5P_DEFAULT), H5Gclose,
                       "opening " + it->second.group + " in '" + config::printable(it->second.file, 200) + "'");
        h5::Handle point = h5::group(points, std::to_string(index));
        h5::attribute(point, "key", row.value("key", ""));
        h5::Handle timeline = h5::group(point, "timeline");
        copy_tree(src, timeline);
        h5::attach_timeline_scales(timeline, bins_of(timeline));
    }
}

}  // namespace infersim::sweep
