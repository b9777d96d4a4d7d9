// The thermal governor in a run: an observer between the hardware and the recorder that totals
// the energy each power domain draws (priced by the same power model), and a StepGovernor that
// hands the totals since the last step boundary to hw::thermal::Governor and applies its clocks.
#pragma once
#include <memory>
#include <vector>

#include "hardware/power/power_model.hpp"
#include "hardware/thermal/governor.hpp"
#include "replay/observer.hpp"
#include "replay/step_governor.hpp"
#include "replay/thermal_timeline.hpp"

namespace infersim::replay {

class ThermalGovernor final : public ReplayObserver, public StepGovernor {
public:
    /// Forwards everything to `inner`; `m`, `power` and `inner` must outlive it.
    ThermalGovernor(const config::MachineSpec& m, const hw::PowerModel& power, ReplayObserver& inner);
    bool active() const { return gov_.active(); }

    void at_step(engine::Tick now, std::size_t step, std::span<ClockScale> clocks) override;
    const ThermalTimeline& timeline() const { return log_; }
    const hw::thermal::Governor& governor() const { return gov_; }

    void channel_busy(const hw::ChannelActivity& a) override;
    void link_busy(std::uint32_t link, Tick start, Tick end, std::uint64_t bytes) override;
    void cache_busy(std::uint32_t cache, Tick start, Tick end, std::uint64_t bytes) override;
    void unit_busy(std::uint32_t unit, Tick start, Tick end, double energy_j) override;
    void op_done(const OpRecord& r) override { inner_.op_done(r); }
    void tokens_emitted(Tick when, std::uint32_t step, std::uint32_t count, workload::Phase phase) override {
        inner_.tokens_emitted(when, step, count, phase);
    }
    void cache_lookup(std::uint32_t cache, std::uint64_t hit, std::uint64_t miss) override { inner_.cache_lookup(cache, hit, miss); }
    void agent_traffic(std::uint32_t agent, Tick start, Tick end, std::uint64_t bytes) override {
        inner_.agent_traffic(agent, start, end, bytes);
    }

private:
    void record(double t);

    const config::MachineSpec& m_;
    const hw::PowerModel& power_;
    ReplayObserver& inner_;
    hw::thermal::Governor gov_;
    std::vector<double> energy_;   // per power domain, since the last decision
    Tick last_ = 0;
    ThermalTimeline log_;
};

}  // namespace infersim::replay
