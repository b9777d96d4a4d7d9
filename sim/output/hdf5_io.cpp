// The HDF5 handle layer (hdf5_io.hpp).
#include "output/hdf5_io.hpp"

#include <algorithm>
#include <stdexcept>

#include "config/errors.hpp"
#include "config/storage_names.hpp"

namespace infersim::output::h5 {

namespace {

herr_t innermost_message(unsigned n, const H5E_error2_t* e, void* out) {
    if (n == 0 && e->desc != nullptr) *static_cast<std::string*>(out) = e->desc;
    return 0;
}

}  // namespace

/// Throws `what`, with HDF5's own innermost reason when it has one.
[[noreturn]] void fail(const std::string& what) {
    std::string detail;
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, innermost_message, &detail);
    H5Eclear2(H5E_DEFAULT);
    // libhdf5's reasons can span lines (its write errors embed a timestamp and a newline); a
    // message is one line, so keep the first and escape what is left.
    detail = config::printable(detail.substr(0, detail.find('\n')), 200);
    throw std::runtime_error(detail.empty() ? what : what + " (" + detail + ")");
}

void check(herr_t r, const std::string& what) {
    if (r < 0) fail(what);
}



/// HDF5 link names cannot hold '/'; ':' is replaced too so domain names read as plain words.
std::string clean(std::string_view name) { return config::storage_name(name); }

Handle group(hid_t parent, const std::string& name) {
    Handle gcpl(H5Pcreate(H5P_GROUP_CREATE), H5Pclose, "creating a group property list");
    check(H5Pset_obj_track_times(gcpl, 0), "disabling timestamps of group " + name);
    return Handle(H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, gcpl, H5P_DEFAULT), H5Gclose, "creating group " + name);
}

Handle create_file(const std::string& path) {
    Handle fcpl(H5Pcreate(H5P_FILE_CREATE), H5Pclose, "creating the file creation property list");
    check(H5Pset_obj_track_times(fcpl, 0), "disabling timestamps of the root group");
    Handle fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, "creating the file access property list");
    check(H5Pset_libver_bounds(fapl, H5F_LIBVER_V18, H5F_LIBVER_V110), "setting the format version bounds");
    check(H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG), "setting the close degree");
    return Handle(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, fcpl, fapl), H5Fclose, "cannot create the file");
}

Handle string_type(std::size_t size) {
    Handle t(H5Tcopy(H5T_C_S1), H5Tclose, "creating a string type");
    check(H5Tset_size(t, std::max<std::size_t>(1, size)), "sizing a string type");
    check(H5Tset_strpad(t, H5T_STR_NULLPAD), "setting string padding");
    check(H5Tset_cset(t, H5T_CSET_UTF8), "setting string character set");
    return t;
}

/// h5py's boolean: an int8 enum {FALSE, TRUE}.
Handle bool_type() {
    Handle t(H5Tenum_create(H5T_STD_I8LE), H5Tclose, "creating the boolean type");
    const std::int8_t f = 0, tr = 1;
    check(H5Tenum_insert(t, "FALSE", &f), "creating the boolean type");
    check(H5Tenum_insert(t, "TRUE", &tr), "creating the boolean type");
    return t;
}

void attribute(hid_t obj, const std::string& name, hid_t type, const void* value) {
    Handle space(H5Screate(H5S_SCALAR), H5Sclose, "creating a scalar dataspace");
    Handle a(H5Acreate2(obj, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose, "creating attribute " + name);
    check(H5Awrite(a, type, value), "writing attribute " + name);
}

void attribute(hid_t obj, const std::string& name, const std::string& text) {
    Handle t = string_type(text.size());
    std::string padded = text;
    padded.resize(std::max<std::size_t>(1, text.size()), '\0');
    attribute(obj, name, t, padded.data());
}

void attribute(hid_t obj, const std::string& name, double value) { attribute(obj, name, H5T_IEEE_F64LE, &value); }

/// A dataset of `dims` elements of `type` (file and memory alike). Given `chunk` dims, it is
/// chunked and deflated (when not empty).
void dataset(hid_t parent, const std::string& name, hid_t type, const std::vector<hsize_t>& dims, const void* data,
             const std::string& unit, const std::vector<hsize_t>& chunk) {
    Handle dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "creating a dataset property list");
    check(H5Pset_obj_track_times(dcpl, 0), "disabling timestamps of dataset " + name);
    hsize_t elements = 1;
    for (hsize_t d : dims) elements *= d;
    if (!chunk.empty() && elements > 0) {
        check(H5Pset_chunk(dcpl, static_cast<int>(chunk.size()), chunk.data()), "chunking dataset " + name);
        check(H5Pset_shuffle(dcpl), "setting the shuffle filter on " + name);
        check(H5Pset_deflate(dcpl, 6), "setting deflate on " + name);
    }
    Handle space(dims.empty() ? H5Screate(H5S_SCALAR) : H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr),
                 H5Sclose, "creating the dataspace of " + name);
    Handle d(H5Dcreate2(parent, name.c_str(), type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT), H5Dclose, "creating dataset " + name);
    if (elements > 0) check(H5Dwrite(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), "writing dataset " + name);
    if (!unit.empty()) attribute(d, "unit", unit);
}


void series(hid_t parent, const std::string& name, const std::vector<double>& v, const std::string& unit) {
    dataset(parent, name, H5T_IEEE_F64LE, {v.size()}, v.data(), unit, {std::min<hsize_t>(v.size(), kSeriesChunk)});
}

}  // namespace infersim::output::h5
