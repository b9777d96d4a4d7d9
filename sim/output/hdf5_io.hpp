// The small RAII layer over HDF5's C API that the writers share: every handle closes itself, so
// a throw anywhere closes what was opened; every object is created without timestamps, so
// identical inputs give identical bytes.
#pragma once
#include <hdf5.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace infersim::output::h5 {

constexpr hsize_t kSeriesChunk = 1 << 16;  // bins per chunk
constexpr hsize_t kRowChunk = 4096;        // table rows per chunk

/// Throws `what`, with HDF5's own innermost reason when it has one.
[[noreturn]] void fail(const std::string& what);
void check(herr_t r, const std::string& what);

/// Owns one hid_t and closes it with the function that matches its kind.
class Handle {
public:
    using Closer = herr_t (*)(hid_t);
    Handle(hid_t id, Closer close, const std::string& what) : id_(id), close_(close) {
        if (id_ < 0) fail(what);
    }
    Handle(Handle&& o) noexcept : id_(std::exchange(o.id_, -1)), close_(o.close_) {}
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
    ~Handle() {
        if (id_ >= 0) close_(id_);
    }
    operator hid_t() const { return id_; }
    /// Closes now, reporting failure (a file's close is where its data is flushed).
    void close(const std::string& what) { check(close_(std::exchange(id_, -1)), what); }

private:
    hid_t id_;
    Closer close_;
};

/// Silences HDF5's automatic error printing on this thread while alive.
class QuietErrors {
public:
    QuietErrors() {
        H5Eget_auto2(H5E_DEFAULT, &func_, &data_);
        H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    }
    QuietErrors(const QuietErrors&) = delete;
    QuietErrors& operator=(const QuietErrors&) = delete;
    ~QuietErrors() { H5Eset_auto2(H5E_DEFAULT, func_, data_); }

private:
    H5E_auto2_t func_ = nullptr;
    void* data_ = nullptr;
};

/// HDF5 link names cannot hold '/'; ':' is replaced too so domain names read as plain words.
std::string clean(std::string_view name);
Handle group(hid_t parent, const std::string& name);
/// Creates (truncates) the HDF5 file at `path` with no timestamps, fixed format bounds and a
/// strong close, so identical content gives identical bytes.
Handle create_file(const std::string& path);
Handle string_type(std::size_t size);
/// h5py's boolean: an int8 enum {FALSE, TRUE}.
Handle bool_type();
void attribute(hid_t obj, const std::string& name, hid_t type, const void* value);
void attribute(hid_t obj, const std::string& name, const std::string& text);
void attribute(hid_t obj, const std::string& name, double value);
/// A dataset of `dims` elements of `type` (file and memory alike). Given `chunk` dims, it is
/// chunked and deflated (when not empty).
void dataset(hid_t parent, const std::string& name, hid_t type, const std::vector<hsize_t>& dims, const void* data,
             const std::string& unit = "", const std::vector<hsize_t>& chunk = {});
/// A 1-D float64 series, chunked by kSeriesChunk.
void series(hid_t parent, const std::string& name, const std::vector<double>& v, const std::string& unit);

}  // namespace infersim::output::h5
