// The replayer's governor hook: at every step boundary a governor may set each unit's clock
// scale (DVFS), which the replayer applies to the unit's compute cost: arithmetic time x
// time_scale (f_nominal / f), dynamic energy x energy_scale ((V / V_nominal)^2). Memory time
// is untouched, so a memory-bound decode slows only once compute becomes the longer part.
#pragma once
#include <span>

#include "engine/time.hpp"

namespace infersim::replay {

struct ClockScale {
    double time = 1.0;
    double energy = 1.0;
    friend bool operator==(const ClockScale&, const ClockScale&) = default;
};

class StepGovernor {
public:
    virtual ~StepGovernor() = default;
    /// Called at `now`, before step `step` begins; may change `clocks` (one per unit).
    virtual void at_step(engine::Tick now, std::size_t step, std::span<ClockScale> clocks) = 0;
};

}  // namespace infersim::replay
