// /timeline: rates and utilizations per bin, from the recorder's binned counters.
#include "output/hdf5_timeline.hpp"

#include <algorithm>

#include "output/hdf5_io.hpp"
#include "output/hdf5_scales.hpp"

namespace infersim::output {
namespace {

using namespace h5;

/// The bins' starts and spans (the last bin may be cut short by the run's end).
struct Bins {
    std::size_t n = 0;
    std::vector<double> time_s, span_s;
    /// value / (rate x span), or 0 where the rate is unknown.
    std::vector<double> per_span(const Series& s, double rate) const {
        std::vector<double> out(n, 0.0);
        if (rate > 0)
            for (std::size_t b = 0; b < n; ++b) out[b] = s[b] / (rate * span_s[b]);
        return out;
    }
    /// A channels x bins dataset, row-major, chunked one channel at a time.
    void matrix(hid_t g, const std::string& name, const std::vector<double>& v, std::size_t rows) const {
        dataset(g, name, H5T_IEEE_F64LE, {rows, n}, v.data(), "fraction", {1, std::min<hsize_t>(n, kSeriesChunk)});
    }
};

// Row-buffer hit rate and the share of time refresh held each channel, per channel and per pool.
void write_row_and_refresh(hid_t g, const Recorder& rec, std::size_t p, const Bins& bins) {
    const std::size_t n = bins.n, channels = rec.channel_bytes()[p].size();
    std::vector<double> hit_rate, refresh, pool_hits(n, 0.0), pool_bursts(n, 0.0), pool_refresh(n, 0.0);
    hit_rate.reserve(channels * n);
    refresh.reserve(channels * n);
    for (std::size_t c = 0; c < channels; ++c) {
        const Series& hits = rec.channel_row_hits()[p][c];
        const Series& misses = rec.channel_row_misses()[p][c];
        const Series& ref = rec.channel_refresh_ps()[p][c];
        for (std::size_t b = 0; b < n; ++b) {
            const double bursts = hits[b] + misses[b];
            const double busy = ref[b] / (bins.span_s[b] * engine::kPsPerS);
            hit_rate.push_back(bursts > 0 ? hits[b] / bursts : 0.0);
            refresh.push_back(busy);
            pool_hits[b] += hits[b];
            pool_bursts[b] += bursts;
            pool_refresh[b] += busy / static_cast<double>(channels);
        }
    }
    for (std::size_t b = 0; b < n; ++b) pool_hits[b] = pool_bursts[b] > 0 ? pool_hits[b] / pool_bursts[b] : 0.0;
    series(g, "row_hit_rate", pool_hits, "fraction");
    series(g, "refresh_busy", pool_refresh, "fraction");
    bins.matrix(g, "channel_row_hit_rate", hit_rate, channels);
    bins.matrix(g, "channel_refresh_busy", refresh, channels);
}

void write_dram(hid_t tl, const Recorder& rec, const config::MachineSpec& m, const Bins& bins) {
    Handle dram = group(tl, "dram");
    for (std::size_t p = 0; p < m.pools.size(); ++p) {
        const auto& pool = m.pools[p];
        const auto& channels = rec.channel_bytes()[p];
        Series total(bins.n, 0.0);
        std::vector<double> per_channel;
        per_channel.reserve(channels.size() * bins.n);
        for (const Series& c : channels) {
            for (std::size_t b = 0; b < bins.n; ++b) total[b] += c[b];
            const std::vector<double> u = bins.per_span(c, pool.channel_peak_bytes_per_s());
            per_channel.insert(per_channel.end(), u.begin(), u.end());
        }
        Handle g = group(dram, clean(pool.name));
        series(g, "bw_util", bins.per_span(total, pool.peak_bytes_per_s()), "fraction");
        bins.matrix(g, "channel_bw_util", per_channel, channels.size());
        series(g, "bytes", total, "bytes");
        write_row_and_refresh(g, rec, p, bins);
    }
}

void write_components(hid_t tl, const Recorder& rec, const config::MachineSpec& m, const Bins& bins) {
    Handle compute = group(tl, "compute");
    for (std::size_t u = 0; u < m.units.size(); ++u) {
        Handle g = group(compute, clean(m.units[u].name));
        series(g, "util", bins.per_span(rec.unit_busy_ps()[u], engine::kPsPerS), "fraction");
    }
    Handle link = group(tl, "link");
    for (std::size_t l = 0; l < m.links.size(); ++l) {
        Handle g = group(link, clean(m.links[l].name));
        series(g, "bw_util", bins.per_span(rec.link_bytes()[l], m.links[l].bandwidth), "fraction");
    }
    Handle cache = group(tl, "cache");
    for (std::size_t c = 0; c < m.caches.size(); ++c) {
        Handle g = group(cache, clean(m.caches[c].name));
        series(g, "bytes", rec.cache_bytes()[c], "bytes");
    }
    Handle agents = group(tl, "agents");
    for (std::size_t a = 0; a < rec.agent_names().size(); ++a) {
        Handle g = group(agents, clean(rec.agent_names()[a]));
        series(g, "bandwidth", bins.per_span(rec.agent_bytes()[a], 1.0), "B/s");
    }
}

void write_power(hid_t tl, const Recorder& rec, const Bins& bins) {
    Handle power = group(tl, "power");
    for (std::size_t d = 0; d < rec.domain_names().size(); ++d) {
        const std::string name = clean(rec.domain_names()[d]);
        series(power, name, bins.per_span(rec.domain_energy()[d], 1.0), "W");
        Handle ds(H5Dopen2(power, name.c_str(), H5P_DEFAULT), H5Dclose, "opening power/" + name);
        attribute(ds, "domain", rec.domain_names()[d]);
    }
}

// --- the governor's decisions, sample-and-hold onto the bins ---
std::vector<double> held(const Bins& bins, const std::vector<double>& times, const std::vector<double>& values) {
    std::vector<double> out(bins.n, values.empty() ? 0.0 : values.front());
    std::size_t k = 0;
    for (std::size_t b = 0; b < bins.n; ++b) {
        while (k + 1 < times.size() && times[k + 1] <= bins.time_s[b]) ++k;
        if (!values.empty()) out[b] = values[k];
    }
    return out;
}

void write_thermal(hid_t tl, const replay::ThermalTimeline& t, const config::MachineSpec& m, const Bins& bins) {
    for (std::size_t u = 0; u < t.units.size(); ++u) {
        Handle compute(H5Gopen2(tl, "compute", H5P_DEFAULT), H5Gclose, "opening compute");
        Handle g(H5Gopen2(compute, clean(t.units[u]).c_str(), H5P_DEFAULT), H5Gclose, "opening compute/" + t.units[u]);
        series(g, "clock_hz", held(bins, t.time_s, t.clock_hz[u]), "Hz");
    }
    (void)m;
    Handle thermal = group(tl, "thermal");
    for (std::size_t d = 0; d < t.domains.size(); ++d) {
        Handle g = group(thermal, clean(t.domains[d]));
        series(g, "temperature_c", held(bins, t.time_s, t.temperature_c[d]), "C");
        series(g, "power_w", held(bins, t.time_s, t.domain_power_w[d]), "W");
    }
    Handle limits = group(tl, "limits");
    for (std::size_t l = 0; l < t.limits.size(); ++l) {
        Handle g = group(limits, clean(t.limits[l]));
        series(g, "power_w", held(bins, t.time_s, t.limit_power_w[l]), "W");
    }
}

}  // namespace

void write_timeline(hid_t file, const Recorder& rec, const config::MachineSpec& m, const replay::ThermalTimeline* thermal) {
    Bins bins;
    bins.n = rec.bins();
    const Tick bin = rec.bin();
    if (bins.n > 0 && (rec.end() <= (bins.n - 1) * bin || rec.end() > bins.n * bin))
        fail("the recorder's end does not match its bins (finish() not called?)");
    bins.time_s.resize(bins.n);
    bins.span_s.resize(bins.n);
    for (std::size_t b = 0; b < bins.n; ++b) {
        bins.time_s[b] = engine::to_seconds(b * bin);
        bins.span_s[b] = engine::to_seconds(std::min<Tick>(rec.end(), (b + 1) * bin) - b * bin);
    }
    Handle tl = group(file, "timeline");
    series(tl, "time_s", bins.time_s, "s");
    {
        Handle t(H5Dopen2(tl, "time_s", H5P_DEFAULT), H5Dclose, "opening time_s");
        attribute(t, "bin_s", engine::to_seconds(bin));
        attribute(t, "end_s", engine::to_seconds(rec.end()));
    }
    write_dram(tl, rec, m, bins);
    write_components(tl, rec, m, bins);
    write_power(tl, rec, bins);
    if (thermal && !thermal->empty()) write_thermal(tl, *thermal, m, bins);
    attach_timeline_scales(tl, bins.n);
}

}  // namespace infersim::output
