// A bandwidth-limited FIFO resource with a latency: a link between a unit and a remote pool,
// or a cache's data path. Serves in arrival order.
#pragma once
#include <algorithm>
#include <cstdint>

#include "engine/time.hpp"

namespace infersim::hw {

using engine::Tick;

class Pipe {
public:
    Pipe(double bytes_per_s, double latency_s)
        : ps_per_byte_(1e12 / bytes_per_s), latency_(engine::from_seconds(latency_s)) {}

    /// Carries `bytes` arriving at `arrival`; returns when they have arrived at the far end.
    Tick carry(Tick arrival, std::uint64_t bytes, Tick* start_out = nullptr, Tick* end_out = nullptr) {
        Tick start = std::max(arrival, busy_until_);
        Tick end = start + engine::round_ps(static_cast<double>(bytes) * ps_per_byte_);
        busy_until_ = end;
        bytes_ += bytes;
        if (start_out) *start_out = start;
        if (end_out) *end_out = end;
        return end + latency_;
    }
    std::uint64_t bytes() const { return bytes_; }

private:
    double ps_per_byte_;
    Tick latency_;
    Tick busy_until_ = 0;
    std::uint64_t bytes_ = 0;
};

}  // namespace infersim::hw
