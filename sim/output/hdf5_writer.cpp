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

#include "config/errors.hpp"
#include "output/atomic_file.hpp"
#include "output/hdf5_io.hpp"
#include "output/hdf5_timeline.hpp"

namespace infersim::output {
namespace {

static_assert(std::endian::native == std::endian::little, "rows are packed for little-endian file types");

using namespace h5;  // the writer is made of the handle layer

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
                            {"launch_s", H5T_IEEE_F64LE}, {"bound", s8}, {"dram_bytes", H5T_STD_U64LE},
                            {"cache_bytes", H5T_STD_U64LE}});
    Rows rows;
    for (const replay::OpRecord& op : rec.ops()) {
        const std::string_view unit = op.unit < m.units.size() ? std::string_view(m.units[op.unit].name) : "?";
        rows.num(op.step).num(op.layer).str(config::name(op.kind), 16).str(phase_name(op.phase), 8).str(unit, 16);
        rows.num(engine::to_seconds(op.start)).num(engine::to_seconds(op.end)).num(op.bytes).num(op.flops);
        rows.num(op.compute_s).num(op.launch_s).str(replay::name(op.bound), 8);
        rows.num(op.bytes - std::min(op.cache_bytes, op.bytes)).num(op.cache_bytes);
    }
    table(file, "ops", type, rec.ops().size(), rows);
}

// ---- /machine: the roofs a roofline draws (issue 14) ----------------------------------------

/// /machine/compute: one row per unit and datatype it computes (peak ops/s at its datasheet
/// clock, vector and matrix); /machine/bandwidth: one row per DRAM pool (data-byte peak), cache
/// and link (per direction), in bytes/s.
void write_machine(hid_t file, const config::MachineSpec& m) {
    Handle g = group(file, "machine");
    Handle s16 = string_type(16), s8 = string_type(8);
    Handle ct = compound({{"unit", s16}, {"dtype", s8}, {"vector_ops_per_s", H5T_IEEE_F64LE},
                          {"matrix_ops_per_s", H5T_IEEE_F64LE}});
    Rows compute;
    std::size_t n = 0;
    for (const config::ComputeUnitSpec& u : m.units)
        for (std::size_t t = 0; t < config::kDTypeCount; ++t) {
            const auto d = static_cast<config::DType>(t);
            const double v = u.peak_ops_per_s(d, false), x = u.peak_ops_per_s(d, true);
            if (v <= 0 && x <= 0) continue;
            compute.str(u.name, 16).str(config::name(d), 8).num(v).num(x);
            ++n;
        }
    table(g, "compute", ct, n, compute);
    Handle bt = compound({{"name", s16}, {"kind", s8}, {"bytes_per_s", H5T_IEEE_F64LE}});
    Rows bw;
    for (const config::PoolSpec& p : m.pools) bw.str(p.name, 16).str("dram", 8).num(p.peak_bytes_per_s());
    for (const config::CacheSpec& c : m.caches) bw.str(c.name, 16).str("cache", 8).num(c.bandwidth);
    for (const config::LinkSpec& l : m.links) bw.str(l.name, 16).str("link", 8).num(l.bandwidth);
    table(g, "bandwidth", bt, m.pools.size() + m.caches.size() + m.links.size(), bw);
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
                const config::MachineSpec& machine, const replay::ThermalTimeline* thermal) {
    Handle file = create_file(tmp);

    const nlohmann::json json = to_json(summary);
    attribute(file, "infersim_version", prov.version);
    attribute(file, "machine_yaml", prov.machine_yaml);
    attribute(file, "model_yaml", prov.model_yaml);
    attribute(file, "scenario_yaml", prov.scenario_yaml);
    attribute(file, "runtime_yaml", prov.runtime_yaml);
    attribute(file, "summary_json", json_text(json));
    {
        Handle g = group(file, "summary");
        summary_tree(g, json, "");
    }
    write_timeline(file, rec, machine, thermal);
    write_ops(file, rec, machine);
    write_tokens(file, rec);
    write_machine(file, machine);
    file.close("closing (flushing) the file");
}

}  // namespace

void write_hdf5(const std::string& path, const Recorder& rec, const Summary& summary, const Provenance& prov,
                const config::MachineSpec& machine, const replay::ThermalTimeline* thermal) {
    // A failed close (a full disk) leaves libhdf5 holding the file; its exit-time cleanup would
    // then flush it again and crash. The process is ending anyway: let it not try.
    H5dont_atexit();
    write_via_temporary(path, [&](const std::string& tmp) {
        QuietErrors quiet;
        try {
            write_file(tmp, rec, summary, prov, machine, thermal);
        } catch (const std::bad_alloc&) {
            throw;  // out of memory is a budget matter (exit 3), not a failed write
        } catch (const std::exception& e) {
            throw OutputError("cannot write HDF5 file '" + config::printable(path, 200) + "': " + e.what());
        }
    });
}

}  // namespace infersim::output
