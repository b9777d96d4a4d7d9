// Background traffic.
#include "replay/traffic_agent.hpp"

#include <algorithm>

#include "replay/replayer.hpp"

namespace infersim::replay {

TrafficAgent::TrafficAgent(engine::Simulator& sim, hw::Machine& machine, std::size_t pool, const config::AgentSpec& spec,
                           std::uint32_t id, const Replayer& model, ReplayObserver& observer)
    : sim_(sim), pool_(machine.pool(pool)), spec_(spec), id_(id), model_(model), obs_(observer),
      interval_(std::max<engine::Tick>(1, engine::from_seconds(spec.chunk_bytes / spec.bytes_per_s))),
      stop_(spec.stop_s > 0 ? engine::from_seconds(spec.stop_s) : engine::kTickMax),
      chunk_(static_cast<std::uint64_t>(spec.chunk_bytes)),
      // The agent's buffer (a frame buffer, a working set) sits at the top of the pool: 1 GiB or less.
      region_(std::max<std::uint64_t>(chunk_, std::min<std::uint64_t>(1ull << 30, static_cast<std::uint64_t>(pool_.spec().capacity_bytes) / 4))) {
    address_ = static_cast<std::uint64_t>(pool_.spec().capacity_bytes) - region_;
}

void TrafficAgent::start() { sim_.schedule_at(engine::from_seconds(spec_.start_s), *this, 0, 1); }

void TrafficAgent::handle(engine::Simulator& sim, std::uint64_t) {
    // Background agents live as long as the model runs (or until their stop time).
    if (model_.finished() || sim.now() >= stop_) return;
    const engine::Tick now = sim.now();
    const std::uint64_t base = static_cast<std::uint64_t>(pool_.spec().capacity_bytes) - region_;
    const engine::Tick done = pool_.access(now, address_, chunk_, spec_.write);
    obs_.agent_traffic(id_, now, done, chunk_);
    if (unit_ >= 0) obs_.unit_busy(static_cast<std::uint32_t>(unit_), now, now + interval_, unit_w_ * engine::to_seconds(interval_));
    address_ += chunk_;
    if (address_ + chunk_ > base + region_) address_ = base;
    sim.schedule_in(interval_, *this, 0, 1);
}

}  // namespace infersim::replay
