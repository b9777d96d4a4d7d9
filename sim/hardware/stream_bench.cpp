// Stream patterns on a pool.
#include "hardware/stream_bench.hpp"

#include "hardware/channel_models.hpp"

#include <algorithm>
#include <chrono>

#include "hardware/memory_pool.hpp"

namespace infersim::hw {

bool parse_stream_pattern(const std::string& s, StreamPattern& out) {
    if (s == "read") out = StreamPattern::read;
    else if (s == "write") out = StreamPattern::write;
    else if (s == "copy") out = StreamPattern::copy;
    else if (s == "triad") out = StreamPattern::triad;
    else if (s == "random") out = StreamPattern::random;
    else return false;
    return true;
}

StreamResult run_stream(const config::PoolSpec& spec, StreamPattern pattern, std::uint64_t bytes,
                        std::uint64_t request_bytes, std::uint64_t seed, std::optional<config::Fidelity> fidelity) {
    const auto host_start = std::chrono::steady_clock::now();
    NullSink sink;
    MemoryPool pool(spec, 0, sink, channel_model(spec, fidelity));
    StreamResult r;
    Tick end = 0;
    auto go = [&](std::uint64_t address, std::uint64_t n, bool write) {
        end = std::max(end, pool.access(0, address, n, write));
        r.bytes += n;
        ++r.requests;
    };
    // Arrays a, b, c sit side by side, aligned to the interleave stripe.
    const std::uint64_t a = 0, b = bytes, c = 2 * bytes;
    if (pattern == StreamPattern::random) {
        const ChannelTiming t = ChannelTiming::from(spec);
        const auto burst = static_cast<std::uint64_t>(t.burst_bytes);
        std::uint64_t x = seed * 0x9E3779B97F4A7C15ULL + 1;
        const std::uint64_t slots = std::max<std::uint64_t>(1, bytes / burst);
        for (std::uint64_t moved = 0; moved < bytes; moved += burst) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            go((x % slots) * burst, burst, false);
        }
    } else {
        for (std::uint64_t off = 0; off < bytes; off += request_bytes) {
            const std::uint64_t n = std::min(request_bytes, bytes - off);
            switch (pattern) {
                case StreamPattern::read: go(a + off, n, false); break;
                case StreamPattern::write: go(a + off, n, true); break;
                case StreamPattern::copy: go(a + off, n, false); go(c + off, n, true); break;
                case StreamPattern::triad: go(a + off, n, false); go(b + off, n, false); go(c + off, n, true); break;
                case StreamPattern::random: break;
            }
        }
    }
    r.host_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - host_start).count();
    for (std::size_t ch = 0; ch < pool.channel_count(); ++ch) {
        r.commands += pool.channel(ch).counters().bursts;
        r.activations += pool.channel(ch).counters().activations;
    }
    r.seconds = engine::to_seconds(end);
    r.bytes_per_s = r.seconds > 0 ? static_cast<double>(r.bytes) / r.seconds : 0;
    r.efficiency = r.bytes_per_s / spec.peak_bytes_per_s();
    return r;
}

StreamResult limit_to_unit(StreamResult r, const config::PoolSpec& pool, const config::ComputeUnitSpec& unit,
                           const config::FabricSpec& fabric) {
    const double limit = unit.stream_bytes_per_s * fabric.stream_factor();
    if (limit <= 0 || r.bytes == 0) return r;
    r.seconds = std::max(r.seconds, static_cast<double>(r.bytes) / limit);
    r.bytes_per_s = static_cast<double>(r.bytes) / r.seconds;
    r.efficiency = r.bytes_per_s / pool.peak_bytes_per_s();
    return r;
}

}  // namespace infersim::hw
