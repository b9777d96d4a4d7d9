// Replays steps of ops on the hardware, event by event. Each op pays its launch cost, then runs
// as tiles: a tile's reads (weights, KV, activations) go to the pools where the data lives,
// running ahead of compute by at most `prefetch` tiles; a tile computes once its data is in
// and the unit is free; its writes (new KV, activations) are posted. So an op takes the
// overlap of its memory and compute time, and streams that share a channel contend.
#pragma once
#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include "config/runtime_spec.hpp"
#include "config/scenario_spec.hpp"
#include "engine/simulator.hpp"
#include "hardware/compute/compute_unit.hpp"
#include "hardware/machine.hpp"
#include "replay/observer.hpp"
#include "replay/placement.hpp"
#include "replay/step_governor.hpp"
#include "replay/step_tape.hpp"
#include "replay/tiling.hpp"
#include "workload/trace.hpp"
#include "workload/weights.hpp"

namespace infersim::replay {

struct StepTiming {
    workload::Phase phase;
    Tick start = 0, end = 0;
    std::uint32_t new_tokens = 0, sequences = 0, emits = 0;
};

struct ReplayTotals {
    Tick end = 0;
    std::vector<StepTiming> steps;
    std::uint64_t ops = 0;
};

/// With `exclusive` set (no other agent issues traffic), an op's tiles are advanced in one
/// event: the accesses and times are exactly those the per-tile events would produce, because
/// the only issuer issues them in the same order at the same times (event coalescing). Without
/// it, every tile read and compute is its own event, so other agents interleave.
class Replayer final : public engine::EventHandler {
public:
    Replayer(engine::Simulator& sim, hw::Machine& machine, const Placement& placement, std::size_t unit,
             const config::RuntimeSpec& runtime, const config::SimOptions& options, const workload::WeightInventory& weights,
             workload::StepSource& steps, ReplayObserver& observer, bool exclusive = true);

    /// Schedules the first step at the current time; then run the simulator.
    void start();
    void handle(engine::Simulator& sim, std::uint64_t tag) override;
    const ReplayTotals& totals() const { return totals_; }
    /// Layers placed in another pool run on that pool's unit (llama.cpp's CPU layers) instead of
    /// being streamed over the link.
    void set_offload_compute(bool on) { offload_compute_ = on; }
    /// The compute model of unit `u`.
    const hw::ComputeModel& model(std::size_t u) const { return *models_[u]; }
    /// True once the last step has finished.
    bool finished() const { return finished_; }
    /// A governor called at every step boundary to set the units' clock scales (DVFS); it must
    /// outlive the run. None: every unit at its spec clock.
    void set_governor(StepGovernor* g) { governor_ = g; }
    /// Unit `u`'s current clock scale.
    const ClockScale& clock_scale(std::size_t u) const { return clocks_[u]; }
    /// Decode-step sampling (step_tape.hpp): each block of `stride` alike decode steps
    /// (StepSource::alike_decode_begin) simulates its middle step once, recorded on `tape`, and
    /// plays the recording at every position of the block. The tape must be this replayer's
    /// observer and the machine's activity sink; the replay must be exclusive. A block ends
    /// early where the governor changes a clock or the KV cache stops fitting the cache.
    void set_sampling(StepTape* tape, std::size_t stride) {
        tape_ = tape;
        stride_ = stride;
    }

private:
    enum Event : std::uint64_t { launched = 1, read_done = 2, computed = 3, step_done = 4, op_done = 5 };
    static std::uint64_t tag(Event e, std::uint64_t tile) { return (static_cast<std::uint64_t>(e) << 56) | tile; }

    void begin_step();
    /// Plays the tape for the current position if it lies in the sampled block; false if not.
    bool play_step();
    /// Starts a sampled block at the current position if one fits there; returns the step to simulate.
    std::size_t sample_block();
    /// True when all layers' KV of `step` fits the cache (judged from its widest attention read).
    bool kv_fits_cache(const workload::Step& step) const;
    void begin_op();
    /// The host's work after the current step (dispatch_cost.hpp).
    double step_host_s() const;
    /// The weight format of an op from a trace file that predates per-op formats.
    const workload::QuantFormat* legacy_format(const workload::Op& op) const;
    void start_tiles();
    void issue_read(std::uint64_t tile);
    /// Issues tile `t`'s reads at `now`; returns when its data is in.
    Tick read_tile(std::uint64_t t, Tick now);
    /// Posts tile `t`'s writes (new KV entries, output activations) at `now`.
    void write_tile(std::uint64_t t, Tick now);
    /// Runs all tiles of the current op without per-tile events; returns the op's end.
    Tick run_tiles_inline();
    void try_compute();
    void finish_tile();
    void finish_op();
    /// Moves bytes to or from a pool (through the link when the pool is not the unit's own).
    Tick access(std::size_t pool, std::uint64_t address, std::uint64_t bytes, bool write, Tick at);
    enum Kind : std::size_t { weights_kind = 0, kv_kind = 1, activation_kind = 2 };
    /// Moves data of `kind` from the cache when the policy keeps it and it is there, otherwise
    /// from `pool`; reports the cache hit or miss.
    Tick move(Kind kind, std::size_t pool, std::uint64_t address, std::uint64_t bytes, bool write, Tick now);
    /// True when data of `kind` in `pool` is served by the cache (its policy keeps it, it is there).
    bool from_cache(Kind kind, std::size_t pool) const {
        const auto k = static_cast<std::size_t>(kind);
        return cache_ >= 0 && keep_[k] && in_cache_[k] && pool == placement_.global_pool;
    }

    engine::Simulator& sim_;
    hw::Machine& hw_;
    const Placement& placement_;
    std::size_t unit_;
    std::size_t exec_unit_;               // the unit running the current op
    bool offload_compute_ = false;
    std::vector<std::unique_ptr<hw::ComputeModel>> models_;  // one per unit, built once
    const config::RuntimeSpec& runtime_;
    const config::SimOptions& options_;
    const workload::WeightInventory& weights_;
    workload::StepSource& steps_;
    ReplayObserver& obs_;

    // Current position.
    std::size_t step_index_ = 0;
    const workload::Step* step_ = nullptr;
    std::vector<std::uint32_t> order_;
    std::size_t op_pos_ = 0;
    const workload::Op* op_ = nullptr;

    // Current op's tiling.
    std::uint64_t tiles_ = 0, next_read_ = 0, next_compute_ = 0;  // next_read_: first tile not yet issued
    bool computing_ = false;
    bool exclusive_;
    int cache_ = -1;                      // cache in front of the unit's pool
    std::array<bool, 3> keep_{};          // its policy, by Kind
    std::array<bool, 3> in_cache_{};      // what the current op finds there, by Kind
    std::uint64_t op_cache_bytes_ = 0;    // bytes of the current op the cache served
    double cache_capacity_ = 0;
    bool kv_resident_ = false;            // this step's KV cache fits in the cache
    bool weights_fit_ = false;
    std::vector<std::uint8_t> ready_;     // ring of `prefetch` flags
    std::vector<Tick> ready_at_;          // ring of `prefetch` data-ready times (inline path)
    Tiling tiling_;
    double compute_ps_ = 0;               // the op's arithmetic time
    Tick tile_compute(std::uint64_t t) const;
    double tile_energy(std::uint64_t t) const;
    Tick op_start_ = 0, step_start_ = 0, stream_cap_ = 0;
    double ps_per_byte_cap_ = 0;          // GEMV streaming cap (runtime profile)
    hw::ComputeCost cost_;
    double launch_s_ = 0;
    std::uint64_t weight_bytes_ = 0, kv_read_ = 0, kv_write_ = 0, act_ = 0;
    std::size_t weight_pool_ = 0, kv_pool_ = 0;
    std::uint64_t weight_addr_ = 0, kv_addr_ = 0;

    ReplayTotals totals_;
    bool finished_ = false;
    std::uint64_t tiles_done_ = 0;
    bool split_buffers_ = false;          // layers in more than one pool (no graph replay)
    double host_s_ = 0;                   // host work after the current step
    // DVFS: set by the governor at step boundaries.
    StepGovernor* governor_ = nullptr;
    std::vector<ClockScale> clocks_;
    // Decode-step sampling.
    StepTape* tape_ = nullptr;
    std::size_t stride_ = 1;
    std::size_t block_end_ = 0;           // positions before this one play the tape
    std::vector<ClockScale> tape_clocks_; // the clocks the tape was recorded at
    std::uint32_t report_step_ = 0;       // the step number the current position reports
};

}  // namespace infersim::replay
