// Dimension scales on /timeline (hdf5_scales.hpp).
#include "output/hdf5_scales.hpp"

#include <hdf5_hl.h>

#include <cstdint>
#include <numeric>
#include <string>
#include <vector>

#include "output/hdf5_io.hpp"

namespace infersim::output::h5 {
namespace {

constexpr const char* kTime = "time_s";
constexpr const char* kChannel = "channel";

struct Found {
    std::string path;   // relative to /timeline
    int rank = 0;
    hsize_t rows = 0;   // first dimension of a 2-D dataset
};

// Collects the per-bin datasets first: creating scales while visiting the links would change
// what is being visited.
herr_t collect(hid_t g, const char* name, const H5L_info_t*, void* data) {
    auto& out = *static_cast<std::pair<hsize_t, std::vector<Found>>*>(data);
    const std::string path(name);
    const std::string leaf = path.substr(path.rfind('/') == std::string::npos ? 0 : path.rfind('/') + 1);
    if (leaf == kTime || leaf == kChannel) return 0;
    H5O_info_t info;
    if (H5Oget_info_by_name(g, name, &info, H5P_DEFAULT) < 0 || info.type != H5O_TYPE_DATASET) return 0;
    Handle d(H5Dopen2(g, name, H5P_DEFAULT), H5Dclose, "opening " + path);
    Handle space(H5Dget_space(d), H5Sclose, "reading the shape of " + path);
    hsize_t dims[2] = {0, 0};
    const int rank = H5Sget_simple_extent_ndims(space);
    if (rank < 1 || rank > 2) return 0;
    H5Sget_simple_extent_dims(space, dims, nullptr);
    if (dims[rank - 1] != out.first) return 0;
    out.second.push_back({path, rank, dims[0]});
    return 0;
}

// The group's `channel` scale, created on first use (0 .. rows - 1).
Handle channel_scale(hid_t timeline, const std::string& group_path, hsize_t rows) {
    Handle g(H5Gopen2(timeline, group_path.empty() ? "." : group_path.c_str(), H5P_DEFAULT), H5Gclose, "opening " + group_path);
    if (H5Lexists(g, kChannel, H5P_DEFAULT) <= 0) {
        std::vector<std::int64_t> index(rows);
        std::iota(index.begin(), index.end(), std::int64_t{0});
        dataset(g, kChannel, H5T_STD_I64LE, {rows}, index.data());
        Handle c(H5Dopen2(g, kChannel, H5P_DEFAULT), H5Dclose, "opening channel");
        check(H5DSset_scale(c, kChannel), "making channel a dimension scale");
    }
    return Handle(H5Dopen2(g, kChannel, H5P_DEFAULT), H5Dclose, "opening channel");
}

}  // namespace

void attach_timeline_scales(hid_t timeline, hsize_t bins) {
    if (bins == 0) return;
    Handle time(H5Dopen2(timeline, kTime, H5P_DEFAULT), H5Dclose, "opening time_s");
    check(H5DSset_scale(time, kTime), "making time_s a dimension scale");
    std::pair<hsize_t, std::vector<Found>> found{bins, {}};
    check(H5Lvisit(timeline, H5_INDEX_NAME, H5_ITER_INC, collect, &found), "visiting /timeline");
    for (const Found& f : found.second) {
        Handle d(H5Dopen2(timeline, f.path.c_str(), H5P_DEFAULT), H5Dclose, "opening " + f.path);
        check(H5DSattach_scale(d, time, static_cast<unsigned>(f.rank - 1)), "attaching time_s to " + f.path);
        if (f.rank == 2) {
            const std::size_t slash = f.path.rfind('/');
            Handle c = channel_scale(timeline, slash == std::string::npos ? "" : f.path.substr(0, slash), f.rows);
            check(H5DSattach_scale(d, c, 0), "attaching channel to " + f.path);
        }
    }
}

}  // namespace infersim::output::h5
