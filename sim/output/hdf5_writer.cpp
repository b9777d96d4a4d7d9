// HDF5 serialization of a run, on the C API. Every handle is owned by a small RAII class so a
// throw anywhere closes what was opened; the caller's path only ever sees a complete file.
// Determinism: no object timestamps, fixed format version bounds, fixed-length strings and
// row buffers packed by hand (no struct padding, no uninitialized bytes).
#include "output/hdf5_writer.hpp"

#include <hdf5.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string_view>
#include <utility>
#include <vector>

namespace infersim::output {
namespace {

static_assert(std::endian::native == std::endian::little, "rows are packed for little-endian file types");

herr_t innermost_message(unsigned n, const H5E_error2_t* e, void* out) {
    if (n == 0 && e->desc != nullptr) *static_cast<std::string*>(out) = e->desc;
    return 0;
}

/// Throws `what`, with HDF5's own innermost reason when it has one.
[[noreturn]] void fail(const std::string& what) {
    std::string detail;
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, innermost_message, &detail);
    H5Eclear2(H5E_DEFAULT);
    throw std::runtime_error(detail.empty() ? what : what + " (" + detail + ")");
}

void check(herr_t r, const std::string& what) {
    if (r < 0) fail(what);
}

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
std::string clean(std::string_view name) {
    std::string s(name.empty() ? "_" : name);
    std::replace(s.begin(), s.end(), '/', '_');
    std::replace(s.begin(), s.end(), ':', '_');
    return s == "." ? "_" : s;
}

Handle group(hid_t parent, const std::string& name) {
    Handle gcpl(H5Pcreate(H5P_GROUP_CREATE), H5Pclose, "creating a group property list");
    check(H5Pset_obj_track_times(gcpl, 0), "disabling timestamps of group " + name);
    return Handle(H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, gcpl, H5P_DEFAULT), H5Gclose, "creating group " + name);
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
             const std::string& unit = "", const std::vector<hsize_t>& chunk = {}) {
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

constexpr hsize_t kSeriesChunk = 1 << 16;  // bins per chunk
constexpr hsize_t kRowChunk = 4096;        // table rows per chunk

void series(hid_t parent, const std::string& name, const std::vector<double>& v, const std::string& unit) {
    dataset(parent, name, H5T_IEEE_F64LE, {v.size()}, v.data(), unit, {std::min<hsize_t>(v.size(), kSeriesChunk)});
}

// ---- /summary ------------------------------------------------------------------------------

/// The unit a summary key's name states, or "" when the name does not say.
std::string unit_of(std::string_view key) {
    static constexpr std::pair<std::string_view, std::string_view> kSuffixes[] = {
        {"tokens_per_s", "tokens/s"}, {"bytes_per_s", "bytes/s"}, {"joules_per_token", "J/token"}, {"_s", "s"},
        {"_j", "J"},  {"_w", "W"},  {"bytes", "bytes"},  {"util", "fraction"}, {"hours_generating", "h"}};
    for (const auto& [suffix, unit] : kSuffixes)
        if (key.ends_with(suffix)) return std::string(unit);
    return "";
}

void summary_leaf(hid_t g, const std::string& key, const nlohmann::json& v, const std::string& unit) {
    const std::string name = clean(key);
    switch (v.type()) {
        case nlohmann::json::value_t::boolean: {
            const std::int8_t b = v.get<bool>() ? 1 : 0;
            Handle t = bool_type();
            dataset(g, name, t, {}, &b);
            return;
        }
        case nlohmann::json::value_t::number_unsigned: {
            const std::uint64_t x = v.get<std::uint64_t>();
            return dataset(g, name, H5T_STD_U64LE, {}, &x, unit);
        }
        case nlohmann::json::value_t::number_integer: {
            const std::int64_t x = v.get<std::int64_t>();
            return dataset(g, name, H5T_STD_I64LE, {}, &x, unit);
        }
        case nlohmann::json::value_t::number_float: {
            const double x = v.get<double>();
            return dataset(g, name, H5T_IEEE_F64LE, {}, &x, unit);
        }
        case nlohmann::json::value_t::string: {
            std::string s = v.get<std::string>();
            Handle t = string_type(s.size());
            s.resize(std::max<std::size_t>(1, s.size()), '\0');
            return dataset(g, name, t, {}, s.data());
        }
        default: return;  // null: nothing to store
    }
}

/// Objects become groups; array elements become groups named by their "name" (or index).
void summary_tree(hid_t g, const nlohmann::json& j, const std::string& parent_unit) {
    for (const auto& [key, v] : j.items()) {
        const std::string unit = unit_of(key).empty() ? parent_unit : unit_of(key);
        if (v.is_object()) {
            Handle sub = group(g, clean(key));
            summary_tree(sub, v, unit);
        } else if (v.is_array()) {
            Handle sub = group(g, clean(key));
            for (std::size_t i = 0; i < v.size(); ++i) {
                const nlohmann::json& e = v[i];
                const bool named = e.is_object() && e.contains("name") && e["name"].is_string();
                const std::string element = named ? e["name"].get<std::string>() : std::to_string(i);
                if (!e.is_object()) {
                    summary_leaf(sub, element, e, unit);
                    continue;
                }
                Handle eg = group(sub, clean(element));
                summary_tree(eg, e, unit);
            }
        } else {
            summary_leaf(g, key, v, unit);
        }
    }
}

// ---- /timeline -----------------------------------------------------------------------------

void write_timeline(hid_t file, const Recorder& rec, const config::MachineSpec& m) {
    const std::size_t n = rec.bins();
    const Tick bin = rec.bin();
    if (n > 0 && (rec.end() <= (n - 1) * bin || rec.end() > n * bin))
        fail("the recorder's end does not match its bins (finish() not called?)");
    std::vector<double> time_s(n), span_s(n);
    for (std::size_t b = 0; b < n; ++b) {
        time_s[b] = engine::to_seconds(b * bin);
        span_s[b] = engine::to_seconds(std::min<Tick>(rec.end(), (b + 1) * bin) - b * bin);
    }
    // value / (rate x span), or 0 where the rate is unknown.
    auto per_span = [&](const Series& s, double rate) {
        std::vector<double> out(n, 0.0);
        if (rate > 0)
            for (std::size_t b = 0; b < n; ++b) out[b] = s[b] / (rate * span_s[b]);
        return out;
    };

    Handle tl = group(file, "timeline");
    series(tl, "time_s", time_s, "s");
    {
        Handle t(H5Dopen2(tl, "time_s", H5P_DEFAULT), H5Dclose, "opening time_s");
        attribute(t, "bin_s", engine::to_seconds(bin));
        attribute(t, "end_s", engine::to_seconds(rec.end()));
    }

    Handle dram = group(tl, "dram");
    for (std::size_t p = 0; p < m.pools.size(); ++p) {
        const auto& pool = m.pools[p];
        const auto& channels = rec.channel_bytes()[p];
        Series total(n, 0.0);
        std::vector<double> per_channel;  // channels x bins, row-major
        per_channel.reserve(channels.size() * n);
        for (const Series& c : channels) {
            for (std::size_t b = 0; b < n; ++b) total[b] += c[b];
            const std::vector<double> u = per_span(c, pool.channel_peak_bytes_per_s());
            per_channel.insert(per_channel.end(), u.begin(), u.end());
        }
        Handle g = group(dram, clean(pool.name));
        series(g, "bw_util", per_span(total, pool.peak_bytes_per_s()), "fraction");
        dataset(g, "channel_bw_util", H5T_IEEE_F64LE, {channels.size(), n}, per_channel.data(), "fraction",
                {1, std::min<hsize_t>(n, kSeriesChunk)});
        series(g, "bytes", total, "bytes");
        // Row-buffer hit rate and the share of time refresh held each channel, per bin.
        std::vector<double> hit_rate, refresh, pool_hits(n, 0.0), pool_bursts(n, 0.0), pool_refresh(n, 0.0);
        hit_rate.reserve(channels.size() * n);
        refresh.reserve(channels.size() * n);
        for (std::size_t c = 0; c < channels.size(); ++c) {
            const Series& hits = rec.channel_row_hits()[p][c];
            const Series& misses = rec.channel_row_misses()[p][c];
            const Series& ref = rec.channel_refresh_ps()[p][c];
            for (std::size_t b = 0; b < n; ++b) {
                const double bursts = hits[b] + misses[b];
                hit_rate.push_back(bursts > 0 ? hits[b] / bursts : 0.0);
                refresh.push_back(ref[b] / (span_s[b] * engine::kPsPerS));
                pool_hits[b] += hits[b];
                pool_bursts[b] += bursts;
                pool_refresh[b] += ref[b] / (span_s[b] * engine::kPsPerS) / static_cast<double>(channels.size());
            }
        }
        for (std::size_t b = 0; b < n; ++b) pool_hits[b] = pool_bursts[b] > 0 ? pool_hits[b] / pool_bursts[b] : 0.0;
        series(g, "row_hit_rate", pool_hits, "fraction");
        series(g, "refresh_busy", pool_refresh, "fraction");
        dataset(g, "channel_row_hit_rate", H5T_IEEE_F64LE, {channels.size(), n}, hit_rate.data(), "fraction",
                {1, std::min<hsize_t>(n, kSeriesChunk)});
        dataset(g, "channel_refresh_busy", H5T_IEEE_F64LE, {channels.size(), n}, refresh.data(), "fraction",
                {1, std::min<hsize_t>(n, kSeriesChunk)});
    }
    Handle compute = group(tl, "compute");
    for (std::size_t u = 0; u < m.units.size(); ++u) {
        Handle g = group(compute, clean(m.units[u].name));
        series(g, "util", per_span(rec.unit_busy_ps()[u], engine::kPsPerS), "fraction");
    }
    Handle link = group(tl, "link");
    for (std::size_t l = 0; l < m.links.size(); ++l) {
        Handle g = group(link, clean(m.links[l].name));
        series(g, "bw_util", per_span(rec.link_bytes()[l], m.links[l].bandwidth), "fraction");
    }
    Handle cache = group(tl, "cache");
    for (std::size_t c = 0; c < m.caches.size(); ++c) {
        Handle g = group(cache, clean(m.caches[c].name));
        series(g, "bytes", rec.cache_bytes()[c], "bytes");
    }
    Handle agents = group(tl, "agents");
    for (std::size_t a = 0; a < rec.agent_names().size(); ++a) {
        Handle g = group(agents, clean(rec.agent_names()[a]));
        series(g, "bandwidth", per_span(rec.agent_bytes()[a], 1.0), "B/s");
    }
    Handle power = group(tl, "power");
    for (std::size_t d = 0; d < rec.domain_names().size(); ++d) {
        const std::string name = clean(rec.domain_names()[d]);
        series(power, name, per_span(rec.domain_energy()[d], 1.0), "W");
        Handle ds(H5Dopen2(power, name.c_str(), H5P_DEFAULT), H5Dclose, "opening power/" + name);
        attribute(ds, "domain", rec.domain_names()[d]);
    }
}

// ---- /ops and /tokens ----------------------------------------------------------------------

/// A compound type laid out field after field, no padding.
Handle compound(const std::vector<std::pair<const char*, hid_t>>& fields) {
    std::size_t size = 0;
    for (const auto& f : fields) size += H5Tget_size(f.second);
    Handle t(H5Tcreate(H5T_COMPOUND, size), H5Tclose, "creating a compound type");
    std::size_t offset = 0;
    for (const auto& [name, type] : fields) {
        check(H5Tinsert(t, name, offset, type), std::string("adding field ") + name);
        offset += H5Tget_size(type);
    }
    return t;
}

/// Appends fields to a packed row buffer in the compound's order.
class Rows {
public:
    template <class T>
    Rows& num(T v) {
        const auto* p = reinterpret_cast<const unsigned char*>(&v);
        buf_.insert(buf_.end(), p, p + sizeof v);
        return *this;
    }
    Rows& str(std::string_view s, std::size_t size) {
        const std::size_t n = std::min(s.size(), size);
        buf_.insert(buf_.end(), s.begin(), s.begin() + static_cast<std::ptrdiff_t>(n));
        buf_.insert(buf_.end(), size - n, '\0');
        return *this;
    }
    const std::vector<unsigned char>& bytes() const { return buf_; }

private:
    std::vector<unsigned char> buf_;
};

void table(hid_t file, const std::string& name, hid_t type, std::size_t rows, const Rows& data) {
    if (data.bytes().size() != rows * H5Tget_size(type)) fail("packing the rows of " + name);
    dataset(file, name, type, {rows}, data.bytes().data(), "", {std::min<hsize_t>(rows, kRowChunk)});
}

const char* phase_name(workload::Phase p) { return workload::name(p).data(); }  // names are literals

void write_ops(hid_t file, const Recorder& rec, const config::MachineSpec& m) {
    Handle s16 = string_type(16), s8 = string_type(8);
    Handle type = compound({{"step", H5T_STD_U32LE}, {"layer", H5T_STD_I32LE}, {"kind", s16}, {"phase", s8},
                            {"unit", s16}, {"start_s", H5T_IEEE_F64LE}, {"end_s", H5T_IEEE_F64LE},
                            {"bytes", H5T_STD_U64LE}, {"flops", H5T_IEEE_F64LE}, {"compute_s", H5T_IEEE_F64LE},
                            {"launch_s", H5T_IEEE_F64LE}, {"bound", s8}});
    Rows rows;
    for (const replay::OpRecord& op : rec.ops()) {
        const std::string_view unit = op.unit < m.units.size() ? std::string_view(m.units[op.unit].name) : "?";
        rows.num(op.step).num(op.layer).str(config::name(op.kind), 16).str(phase_name(op.phase), 8).str(unit, 16);
        rows.num(engine::to_seconds(op.start)).num(engine::to_seconds(op.end)).num(op.bytes).num(op.flops);
        rows.num(op.compute_s).num(op.launch_s).str(replay::name(op.bound), 8);
    }
    table(file, "ops", type, rec.ops().size(), rows);
}

void write_tokens(hid_t file, const Recorder& rec) {
    Handle s8 = string_type(8);
    Handle type = compound({{"index", H5T_STD_U64LE}, {"time_s", H5T_IEEE_F64LE}, {"step", H5T_STD_U32LE},
                            {"count", H5T_STD_U32LE}, {"phase", s8}});
    Rows rows;
    std::uint64_t index = 0;
    for (const TokenRecord& t : rec.tokens()) {
        index += t.count;
        rows.num(index).num(engine::to_seconds(t.time)).num(t.step).num(t.count).str(phase_name(t.phase), 8);
    }
    table(file, "tokens", type, rec.tokens().size(), rows);
}

void write_file(const std::string& tmp, const Recorder& rec, const Summary& summary, const Provenance& prov,
                const config::MachineSpec& machine) {
    Handle fcpl(H5Pcreate(H5P_FILE_CREATE), H5Pclose, "creating the file creation property list");
    check(H5Pset_obj_track_times(fcpl, 0), "disabling timestamps of the root group");
    Handle fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, "creating the file access property list");
    check(H5Pset_libver_bounds(fapl, H5F_LIBVER_V18, H5F_LIBVER_V110), "setting the format version bounds");
    check(H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG), "setting the close degree");
    Handle file(H5Fcreate(tmp.c_str(), H5F_ACC_TRUNC, fcpl, fapl), H5Fclose, "cannot create the file");

    const nlohmann::json json = to_json(summary);
    attribute(file, "infersim_version", prov.version);
    attribute(file, "machine_yaml", prov.machine_yaml);
    attribute(file, "model_yaml", prov.model_yaml);
    attribute(file, "scenario_yaml", prov.scenario_yaml);
    attribute(file, "runtime_yaml", prov.runtime_yaml);
    attribute(file, "summary_json", json.dump());
    {
        Handle g = group(file, "summary");
        summary_tree(g, json, "");
    }
    write_timeline(file, rec, machine);
    write_ops(file, rec, machine);
    write_tokens(file, rec);
    file.close("closing (flushing) the file");
}

}  // namespace

void write_hdf5(const std::string& path, const Recorder& rec, const Summary& summary, const Provenance& prov,
                const config::MachineSpec& machine) {
    const std::string tmp = temporary_name(path);
    {
        QuietErrors quiet;
        try {
            write_file(tmp, rec, summary, prov, machine);
        } catch (const std::exception& e) {
            std::remove(tmp.c_str());
            throw OutputError("cannot write HDF5 file '" + path + "': " + e.what());
        }
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        const int err = errno;
        std::remove(tmp.c_str());
        throw OutputError("cannot rename '" + tmp + "' to '" + path + "': " + std::strerror(err));
    }
}

}  // namespace infersim::output
