// The replay state machine: step -> op -> tiles.
#include "replay/replayer.hpp"

#include <algorithm>
#include <cmath>

#include "hardware/compute/dispatch_cost.hpp"
#include "replay/op_work.hpp"

namespace infersim::replay {

using workload::Phase;

Replayer::Replayer(engine::Simulator& sim, hw::Machine& machine, const Placement& placement, std::size_t unit,
                   const config::RuntimeSpec& runtime, const config::SimOptions& options,
                   const workload::WeightInventory& weights, workload::StepSource& steps, ReplayObserver& observer,
                   bool exclusive)
    : sim_(sim), hw_(machine), placement_(placement), unit_(unit), exec_unit_(unit),
      runtime_(runtime), options_(options), weights_(weights), steps_(steps), obs_(observer), exclusive_(exclusive),
      ready_(static_cast<std::size_t>(std::max(1, options.prefetch_depth)), 0), ready_at_(ready_.size(), 0) {
    // The cache in front of the unit's pool, and what its policy keeps.
    cache_ = hw_.cache_for(placement_.global_pool);
    if (cache_ >= 0) {
        const config::CacheSpec& c = hw_.spec().caches[static_cast<std::size_t>(cache_)];
        keep_ = {c.keep_weights, c.keep_kv, c.keep_activations};
        cache_capacity_ = c.capacity_bytes;
        weights_fit_ = static_cast<double>(weights.total_bytes()) <= c.capacity_bytes;
    }
    totals_.steps.reserve(steps.step_count());
    for (const config::ComputeUnitSpec& u : hw_.spec().units) models_.push_back(hw::make_compute_model(u, runtime));
    // Layers in more than one pool: llama.cpp's split buffers (no graph replay).
    for (std::size_t p : placement_.layer_pool) split_buffers_ = split_buffers_ || p != placement_.global_pool;
    clocks_.assign(models_.size(), ClockScale{});
}

void Replayer::start() {
    if (steps_.step_count() == 0) {
        finished_ = true;
        return;
    }
    step_index_ = 0;
    begin_step();
}

void Replayer::begin_step() {
    step_start_ = sim_.now();
    if (governor_) governor_->at_step(step_start_, step_index_, clocks_);
    if (tape_ && play_step()) return;
    step_ = &steps_.step(tape_ ? sample_block() : step_index_);
    report_step_ = tape_ && tape_->recording() ? static_cast<std::uint32_t>(step_index_) : step_->index;
    order_ = step_->order();
    op_pos_ = 0;
    kv_resident_ = kv_fits_cache(*step_);
    host_s_ = step_host_s();
    if (order_.empty()) {
        sim_.schedule_in(engine::from_seconds(host_s_), *this, tag(step_done, 0));
        return;
    }
    begin_op();
}

bool Replayer::kv_fits_cache(const workload::Step& step) const {
    // The KV cache stays in the cache while all layers' KV fits (judged once per step, from the
    // widest attention read, so its writes and reads agree).
    std::uint64_t kv_layer = 0;
    for (const workload::Op& op : step.ops) kv_layer = std::max(kv_layer, op.kv_read_bytes);
    return keep_[1] && static_cast<double>(kv_layer) * static_cast<double>(placement_.layer_pool.size()) <= cache_capacity_;
}

std::size_t Replayer::sample_block() {
    block_end_ = 0;
    const std::size_t n = steps_.step_count(), first = step_index_;
    if (stride_ < 2 || first < steps_.alike_decode_begin() || first + 1 >= n) return first;
    const std::size_t last = std::min(n, first + stride_) - 1;
    // KV residency grows monotonically out of the cache with the context: where it changes
    // inside the block, this step is simulated alone and the next one tries again.
    const bool resident = kv_fits_cache(steps_.step(first));
    if (kv_fits_cache(steps_.step(last)) != resident) return first;
    block_end_ = last + 1;
    tape_clocks_ = clocks_;
    tape_->record(step_start_);
    // The middle step: the block's sum of a cost linear in position is exactly its count times it.
    return first + (last - first) / 2;
}

bool Replayer::play_step() {
    if (step_index_ >= block_end_) return false;
    if (clocks_ != tape_clocks_) {  // the governor moved a clock: the block ends, a new one is sampled
        block_end_ = 0;
        return false;
    }
    report_step_ = static_cast<std::uint32_t>(step_index_);
    tape_->play(step_start_, report_step_);
    totals_.ops += tape_->op_count();
    const Tick end = step_start_ + tape_->duration();
    if (end > sim_.time_limit()) throw engine::BudgetExceeded("simulated time would pass the budget (sim.budget.max_simulated_time)");
    sim_.schedule_at(end, *this, tag(step_done, 0));
    return true;
}

double Replayer::step_host_s() const {
    // The host builds and checks a graph node per kernel, and copies each sequence's logits
    // (fp32, one row of the LM head's outputs) back.
    double nodes = 0, logits = 0;
    for (const workload::Op& op : step_->ops) {
        nodes += runtime_.kernels[static_cast<std::size_t>(op.kind)];
        if (op.kind == config::OpKind::lm_head) logits = 4.0 * op.cols * step_->sequences;
    }
    return hw::host_step_s(runtime_, hw_.spec().host_cpu, nodes, logits);
}

const workload::QuantFormat* Replayer::legacy_format(const workload::Op& op) const {
    using workload::TensorRole;
    if (op.kind == config::OpKind::lm_head)
        return weights_.format(-1, weights_.bytes(-1, TensorRole::output) ? TensorRole::output : TensorRole::token_embd);
    return op.layer >= 0 ? weights_.format(op.layer, TensorRole::attn_q) : nullptr;
}

void Replayer::begin_op() {
    op_ = &step_->ops[order_[op_pos_]];
    op_start_ = sim_.now();
    op_cache_bytes_ = 0;
    const int layer = op_->layer;
    const std::size_t lp = layer < 0 ? placement_.global_pool : placement_.layer_pool[static_cast<std::size_t>(layer)];
    weight_pool_ = lp;
    kv_pool_ = lp;
    weight_addr_ = layer < 0 ? placement_.global_address : placement_.layer_address[static_cast<std::size_t>(layer)];
    kv_addr_ = layer < 0 ? 0 : placement_.kv_address[static_cast<std::size_t>(layer)];

    // The trace builder set the format of the weights each op reads (an expert's, not attn_q's);
    // a trace file written before ops carried it falls back to the layer's attention weights.
    const hw::WeightFormat wf = weight_format(op_->weight_format ? op_->weight_format : legacy_format(*op_));
    // Offloaded layers run on the unit attached to the pool that holds them (llama.cpp's CPU
    // layers); otherwise the model's unit streams them over the link.
    exec_unit_ = unit_;
    if (offload_compute_ && lp != placement_.order.front()) {
        const int u = hw_.attached_unit(lp);
        if (u >= 0) exec_unit_ = static_cast<std::size_t>(u);
    }
    const hw::ComputeModel& unit = *models_[exec_unit_];
    // What this op finds in the cache: activations always (when kept), the KV cache while it
    // fits, the weights from the second step on when they all fit.
    in_cache_ = {keep_[0] && weights_fit_ && step_index_ > 0, kv_resident_, keep_[2]};
    hw::OpWork work = op_work(*op_, step_->phase, wf);
    work.split_buffers = split_buffers_;
    cost_ = unit.cost(work);
    cost_.seconds *= clocks_[exec_unit_].time;     // DVFS: the governor's clock for this unit
    cost_.energy_j *= clocks_[exec_unit_].energy;
    launch_s_ = unit.launch_s(work, op_pos_ == 0);
    // Work and time budgets: an op longer than the run may last, or more tiles than the run
    // may take events (a coalesced op still costs one step of work per tile).
    const double limit_s = engine::to_seconds(sim_.time_limit());
    if (cost_.seconds + launch_s_ > limit_s)
        throw engine::BudgetExceeded("an op of step " + std::to_string(step_->index) + " would compute for " +
                                     std::to_string(cost_.seconds) + " s, past the simulated-time budget");
    const Tick launch = engine::from_seconds(launch_s_);
    if (launch > 0) sim_.schedule_in(launch, *this, tag(launched, 0));
    else start_tiles();
}

void Replayer::start_tiles() {
    weight_bytes_ = op_->weight_bytes;
    kv_read_ = op_->kv_read_bytes;
    kv_write_ = op_->kv_write_bytes;
    act_ = op_->act_bytes;
    tiling_ = Tiling(weight_bytes_ + kv_read_, static_cast<std::uint64_t>(options_.chunk_bytes),
                     static_cast<std::uint64_t>(options_.first_tile_bytes));
    tiles_ = tiling_.count();
    tiles_done_ += tiles_;
    if (tiles_done_ > options_.budget.max_events)
        throw engine::BudgetExceeded("the run needs more than " + std::to_string(options_.budget.max_events) +
                                     " tiles of work (sim.budget.max_events); raise it, or raise sim.chunk");
    next_read_ = next_compute_ = 0;
    computing_ = false;
    std::fill(ready_.begin(), ready_.end(), 0);
    compute_ps_ = cost_.seconds * 1e12;
    // A unit pulls at most its measured stream bandwidth (lowered by a die-crossing fabric) from
    // memory; the DRAM model charges refresh and row timing, so the slower of the two sets the
    // rate. A legacy profile's gemv_bandwidth (< 1) still derates decode GEMVs as before.
    ps_per_byte_cap_ = 0;
    if (op_->matrix && step_->phase == Phase::decode && runtime_.gemv_bandwidth_fraction < 1.0)
        ps_per_byte_cap_ = 1e12 / (runtime_.gemv_bandwidth_fraction * hw_.pool(weight_pool_).deliverable_bytes_per_s());
    if (const double port = models_[exec_unit_]->port_bytes_per_s(); port > 0)
        ps_per_byte_cap_ = std::max(ps_per_byte_cap_, 1e12 / (port * hw_.spec().fabric.stream_factor()));
    stream_cap_ = sim_.now();
    if (exclusive_) {
        sim_.schedule_at(run_tiles_inline(), *this, tag(op_done, 0));
        return;
    }
    const std::uint64_t depth = std::min<std::uint64_t>(tiles_, ready_.size());
    for (std::uint64_t t = 0; t < depth; ++t) issue_read(t);
}

Tick Replayer::run_tiles_inline() {
    // The event path's schedule, in its order: reads of the first `depth` tiles at the start;
    // tile i computes once its data is in and tile i-1 is done; at its end it posts its writes
    // and issues the read of tile i + depth.
    const std::uint64_t depth = ready_at_.size();
    const Tick begin = sim_.now();
    for (std::uint64_t t = 0; t < std::min(tiles_, depth); ++t) ready_at_[t] = read_tile(t, begin);
    Tick unit_free = begin;
    for (std::uint64_t i = 0; i < tiles_; ++i) {
        const Tick start = std::max(ready_at_[i % depth], unit_free);
        if (start > sim_.time_limit()) throw engine::BudgetExceeded("simulated time would pass the budget (sim.budget.max_simulated_time)");
        const Tick end = start + tile_compute(i);
        if (end > start) obs_.unit_busy(static_cast<std::uint32_t>(exec_unit_), start, end, tile_energy(i));
        unit_free = end;
        write_tile(i, end);
        if (i + depth < tiles_) ready_at_[(i + depth) % depth] = read_tile(i + depth, end);
    }
    next_read_ = next_compute_ = tiles_;
    return unit_free;
}

Tick Replayer::access(std::size_t pool, std::uint64_t address, std::uint64_t bytes, bool write, Tick at) {
    if (bytes == 0) return at;
    Tick done = hw_.pool(pool).access(at, address, bytes, write);
    obs_.agent_traffic(0, at, done, bytes);
    int link = hw_.link_index(exec_unit_, pool);
    if (link >= 0) {
        Tick s = 0, e = 0;
        done = std::max(done, hw_.link(static_cast<std::size_t>(link)).carry(at, bytes, &s, &e));
        obs_.link_busy(static_cast<std::uint32_t>(link), s, e, bytes);
    }
    return done;
}

void Replayer::issue_read(std::uint64_t t) {
    next_read_ = t + 1;
    sim_.schedule_at(read_tile(t, sim_.now()), *this, tag(read_done, t));
}

Tick Replayer::tile_compute(std::uint64_t t) const {
    const double before = t == 0 ? 0.0 : tiling_.done_after(t - 1);
    return engine::round_ps(compute_ps_ * tiling_.done_after(t)) - engine::round_ps(compute_ps_ * before);
}

double Replayer::tile_energy(std::uint64_t t) const {
    const double before = t == 0 ? 0.0 : tiling_.done_after(t - 1);
    return cost_.energy_j * (tiling_.done_after(t) - before);
}

Tick Replayer::read_tile(std::uint64_t t, Tick now) {
    const std::uint64_t wb = tiling_.slice(weight_bytes_, t), kb = tiling_.slice(kv_read_, t), ab = tiling_.slice(act_ / 2, t);
    Tick done = now;
    done = std::max(done, move(weights_kind, weight_pool_, weight_addr_ + tiling_.part(weight_bytes_, t), wb, false, now));
    done = std::max(done, move(kv_kind, kv_pool_, kv_addr_ + tiling_.part(kv_read_, t), kb, false, now));
    done = std::max(done, move(activation_kind, placement_.global_pool, tiling_.part(act_ / 2, t), ab, false, now));
    if (ps_per_byte_cap_ > 0) {
        // Only what comes from memory is paced; cache hits do not pass the unit's memory stream.
        const std::uint64_t paced = (from_cache(weights_kind, weight_pool_) ? 0 : wb) + (from_cache(kv_kind, kv_pool_) ? 0 : kb);
        stream_cap_ = std::max(stream_cap_, now) + engine::round_ps(static_cast<double>(paced) * ps_per_byte_cap_);
        done = std::max(done, stream_cap_);
    }
    return done;
}

void Replayer::try_compute() {
    if (computing_ || next_compute_ >= tiles_) return;
    std::uint8_t& flag = ready_[next_compute_ % ready_.size()];
    if (!flag) return;
    flag = 0;
    computing_ = true;
    const Tick now = sim_.now();
    const Tick dt = tile_compute(next_compute_);
    if (dt > 0) obs_.unit_busy(static_cast<std::uint32_t>(exec_unit_), now, now + dt, tile_energy(next_compute_));
    sim_.schedule_in(dt, *this, tag(computed, next_compute_));
}

void Replayer::finish_tile() {
    computing_ = false;
    write_tile(next_compute_, sim_.now());
    ++next_compute_;
    if (next_read_ < tiles_) issue_read(next_read_);
    if (next_compute_ == tiles_) finish_op();
    else try_compute();
}

void Replayer::write_tile(std::uint64_t t, Tick now) {
    const std::uint64_t kw = tiling_.slice(kv_write_, t);
    move(kv_kind, kv_pool_, kv_addr_ + tiling_.part(kv_write_, t), kw, true, now);
    const std::uint64_t act_out = act_ - act_ / 2;
    move(activation_kind, placement_.global_pool, tiling_.part(act_out, t), tiling_.slice(act_out, t), true, now);
}

Tick Replayer::move(Kind kind, std::size_t pool, std::uint64_t address, std::uint64_t bytes, bool write, Tick now) {
    if (bytes == 0) return now;
    const auto k = static_cast<std::size_t>(kind);
    const bool cacheable = cache_ >= 0 && keep_[k] && pool == placement_.global_pool;
    if (from_cache(kind, pool)) {
        Tick s = 0, e = 0;
        const Tick done = hw_.cache(static_cast<std::size_t>(cache_)).carry(now, bytes, &s, &e);
        obs_.cache_busy(static_cast<std::uint32_t>(cache_), s, e, bytes);
        obs_.cache_lookup(static_cast<std::uint32_t>(cache_), bytes, 0);
        op_cache_bytes_ += bytes;
        return done;
    }
    if (cacheable) obs_.cache_lookup(static_cast<std::uint32_t>(cache_), 0, bytes);
    return access(pool, address, bytes, write, now);
}

void Replayer::finish_op() {
    OpRecord r;
    r.step = report_step_;
    r.layer = op_->layer;
    r.kind = op_->kind;
    r.phase = step_->phase;
    r.unit = static_cast<std::uint32_t>(exec_unit_);
    r.start = op_start_;
    r.end = sim_.now();
    r.bytes = op_->weight_bytes + op_->kv_read_bytes + op_->kv_write_bytes + op_->act_bytes;
    r.cache_bytes = op_cache_bytes_;
    r.flops = op_->flops;
    r.compute_s = cost_.seconds;
    r.launch_s = launch_s_;
    // A unit that draws power only while it runs (a power-gated NPU) pays it over the op's
    // whole span, stalls included; the energy is posted at the op's start (inside the run, so
    // the last bin's trim never drops it), adding no busy time.
    if (const double w = models_[exec_unit_]->running_w(); w > 0)
        obs_.unit_busy(static_cast<std::uint32_t>(exec_unit_), r.start, r.start, w * engine::to_seconds(r.end - r.start));
    const double total = engine::to_seconds(r.end - r.start);
    const double work = total - launch_s_;
    if (launch_s_ >= work) r.bound = Bound::launch;
    else if (cost_.seconds >= 0.9 * work) r.bound = Bound::compute;
    else r.bound = Bound::memory;
    obs_.op_done(r);
    ++totals_.ops;
    if (++op_pos_ < order_.size()) {
        begin_op();
        return;
    }
    sim_.schedule_in(engine::from_seconds(host_s_), *this, tag(step_done, 0));
}

void Replayer::handle(engine::Simulator&, std::uint64_t event_tag) {
    const auto event = static_cast<Event>(event_tag >> 56);
    const std::uint64_t t = event_tag & ((1ULL << 56) - 1);
    switch (event) {
        case launched:
            start_tiles();
            break;
        case read_done:
            ready_[t % ready_.size()] = 1;
            try_compute();
            break;
        case computed:
            finish_tile();
            break;
        case op_done:
            finish_op();
            break;
        case step_done: {
            const Tick now = sim_.now();
            if (tape_ && tape_->recording()) {  // a block's sample: it goes out as the block's first step
                tape_->stop(now);
                tape_->play(step_start_, report_step_);
            }
            totals_.steps.push_back(StepTiming{step_->phase, step_start_, now, step_->new_tokens, step_->sequences, step_->emits});
            if (step_->emits > 0) obs_.tokens_emitted(now, report_step_, step_->emits, step_->phase);
            totals_.end = now;
            if (++step_index_ < steps_.step_count()) begin_step();
            else finished_ = true;
            break;
        }
    }
}

}  // namespace infersim::replay
