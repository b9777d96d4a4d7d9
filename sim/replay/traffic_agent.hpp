// Another agent on the memory system: a display controller scanning out frames, the OS, a CPU
// or NPU job. It issues fixed-size requests at its average rate into a pool, competing with
// the model for the same channels (first come, first served at each channel).
#pragma once
#include <cstdint>

#include "config/scenario_spec.hpp"
#include "engine/simulator.hpp"
#include "hardware/machine.hpp"
#include "replay/observer.hpp"

namespace infersim::replay {

class Replayer;

class TrafficAgent final : public engine::EventHandler {
public:
    /// `id` is the agent's index in the recorder (0 is the model).
    TrafficAgent(engine::Simulator& sim, hw::Machine& machine, std::size_t pool, const config::AgentSpec& spec, std::uint32_t id,
                 const Replayer& model, ReplayObserver& observer);

    /// The agent is a job on compute unit `unit` (an NPU job): the unit shows busy while the
    /// agent streams, drawing `running_w`.
    void run_on(std::uint32_t unit, double running_w) {
        unit_ = static_cast<int>(unit);
        unit_w_ = running_w;
    }
    void start();
    void handle(engine::Simulator& sim, std::uint64_t tag) override;

private:
    engine::Simulator& sim_;
    hw::MemoryPool& pool_;
    const config::AgentSpec& spec_;
    std::uint32_t id_;
    const Replayer& model_;
    ReplayObserver& obs_;
    engine::Tick interval_;
    engine::Tick stop_;
    std::uint64_t chunk_;
    std::uint64_t address_;
    std::uint64_t region_;
    int unit_ = -1;
    double unit_w_ = 0;
};

}  // namespace infersim::replay
