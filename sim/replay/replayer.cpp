// The replay state machine: step -> op -> tiles.
#include "replay/replayer.hpp"

#include <algorithm>
#include <cmath>

namespace infersim::replay {

using workload::Phase;

Replayer::Replayer(engine::Simulator& sim, hw::Machine& machine, const Placement& placement, std::size_t unit,
                   const config::RuntimeSpec& runtime, const config::SimOptions& options,
                   const workload::WeightInventory& weights, workload::StepSource& steps, ReplayObserver& observer)
    : sim_(sim), hw_(machine), placement_(placement), unit_(unit), unit_spec_(machine.spec().units[unit]),
      runtime_(runtime), options_(options), weights_(weights), steps_(steps), obs_(observer),
      ready_(static_cast<std::size_t>(std::max(1, options.prefetch_depth)), 0) {
    totals_.steps.reserve(steps.step_count());
}

void Replayer::start() {
    if (steps_.step_count() == 0) return;
    step_index_ = 0;
    begin_step();
}

void Replayer::begin_step() {
    step_ = &steps_.step(step_index_);
    order_ = step_->order();
    op_pos_ = 0;
    step_start_ = sim_.now();
    if (order_.empty()) {
        sim_.schedule_in(engine::from_seconds(runtime_.host_overhead_s), *this, tag(step_done, 0));
        return;
    }
    begin_op();
}

void Replayer::begin_op() {
    op_ = &step_->ops[order_[op_pos_]];
    op_start_ = sim_.now();
    const int layer = op_->layer;
    const std::size_t lp = layer < 0 ? placement_.global_pool : placement_.layer_pool[static_cast<std::size_t>(layer)];
    weight_pool_ = lp;
    kv_pool_ = lp;
    weight_addr_ = layer < 0 ? placement_.global_address : placement_.layer_address[static_cast<std::size_t>(layer)];
    kv_addr_ = layer < 0 ? 0 : placement_.kv_address[static_cast<std::size_t>(layer)];

    const workload::QuantFormat* fmt = nullptr;
    if (op_->kind == config::OpKind::lm_head)
        fmt = weights_.format(-1, weights_.bytes(-1, workload::TensorRole::output) ? workload::TensorRole::output
                                                                                    : workload::TensorRole::token_embd);
    else if (layer >= 0)
        fmt = weights_.format(layer, workload::TensorRole::attn_q);
    const config::DType wd = fmt ? fmt->compute : config::DType::fp16;
    cost_ = compute_cost(*op_, step_->phase, wd, unit_spec_, runtime_);
    launch_s_ = runtime_.launch_overhead_s * runtime_.kernels[static_cast<std::size_t>(op_->kind)];
    const Tick launch = engine::from_seconds(launch_s_);
    if (launch > 0) sim_.schedule_in(launch, *this, tag(launched, 0));
    else start_tiles();
}

void Replayer::start_tiles() {
    weight_bytes_ = op_->weight_bytes;
    kv_read_ = op_->kv_read_bytes;
    kv_write_ = op_->kv_write_bytes;
    act_ = op_->act_bytes;
    const double traffic = static_cast<double>(weight_bytes_ + kv_read_);
    tiles_ = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::ceil(traffic / options_.chunk_bytes)));
    next_read_ = next_compute_ = 0;
    computing_ = false;
    std::fill(ready_.begin(), ready_.end(), 0);
    tile_compute_ = engine::from_seconds(cost_.seconds / static_cast<double>(tiles_));
    tile_energy_ = cost_.energy_j / static_cast<double>(tiles_);
    // A quantized GEMV kernel streams at most a fraction of the memory system's peak.
    ps_per_byte_cap_ = 0;
    if (op_->matrix && step_->phase == Phase::decode && runtime_.gemv_bandwidth_fraction < 1.0)
        ps_per_byte_cap_ = 1e12 / (runtime_.gemv_bandwidth_fraction * hw_.pool(weight_pool_).peak_bytes_per_s());
    stream_cap_ = sim_.now();
    const std::uint64_t depth = std::min<std::uint64_t>(tiles_, ready_.size());
    for (std::uint64_t t = 0; t < depth; ++t) issue_read(t);
}

Tick Replayer::read_from(std::size_t pool, std::uint64_t address, std::uint64_t bytes, bool write, Tick at) {
    if (bytes == 0) return at;
    Tick done = hw_.pool(pool).access(at, address, bytes, write);
    int link = hw_.link_index(unit_, pool);
    if (link >= 0) {
        Tick s = 0, e = 0;
        done = std::max(done, hw_.link(static_cast<std::size_t>(link)).carry(at, bytes, &s, &e));
        obs_.link_busy(static_cast<std::uint32_t>(link), s, e, bytes);
    }
    return done;
}

void Replayer::issue_read(std::uint64_t t) {
    next_read_ = t + 1;
    const Tick now = sim_.now();
    auto slice = [&](std::uint64_t total) { return total / tiles_ + (t < total % tiles_ ? 1 : 0); };
    auto offset = [&](std::uint64_t total) { return t * (total / tiles_) + std::min(t, total % tiles_); };
    const std::uint64_t wb = slice(weight_bytes_), kb = slice(kv_read_), ab = slice(act_ / 2);
    Tick done = now;
    done = std::max(done, read_from(weight_pool_, weight_addr_ + offset(weight_bytes_), wb, false, now));
    done = std::max(done, read_from(kv_pool_, kv_addr_ + offset(kv_read_), kb, false, now));
    // Activations: from the cache in front of the unit's pool when its policy keeps them.
    const std::size_t home = placement_.global_pool;
    const int cache = hw_.cache_for(home);
    if (ab > 0) {
        if (cache >= 0 && hw_.spec().caches[static_cast<std::size_t>(cache)].keep_activations) {
            Tick s = 0, e = 0;
            done = std::max(done, hw_.cache(static_cast<std::size_t>(cache)).carry(now, ab, &s, &e));
            obs_.cache_busy(static_cast<std::uint32_t>(cache), s, e, ab);
        } else {
            done = std::max(done, read_from(home, offset(act_ / 2), ab, false, now));
        }
    }
    if (ps_per_byte_cap_ > 0) {
        stream_cap_ = std::max(stream_cap_, now) + engine::round_ps(static_cast<double>(wb + kb) * ps_per_byte_cap_);
        done = std::max(done, stream_cap_);
    }
    sim_.schedule_at(done, *this, tag(read_done, t));
}

void Replayer::try_compute() {
    if (computing_ || next_compute_ >= tiles_) return;
    std::uint8_t& flag = ready_[next_compute_ % ready_.size()];
    if (!flag) return;
    flag = 0;
    computing_ = true;
    const Tick now = sim_.now();
    if (tile_compute_ > 0) obs_.unit_busy(static_cast<std::uint32_t>(unit_), now, now + tile_compute_, tile_energy_);
    sim_.schedule_in(tile_compute_, *this, tag(computed, next_compute_));
}

void Replayer::finish_tile() {
    const std::uint64_t t = next_compute_;
    computing_ = false;
    const Tick now = sim_.now();
    // Posted writes: the new KV entries and the op's output activations.
    const std::uint64_t kw = kv_write_ / tiles_ + (t < kv_write_ % tiles_ ? 1 : 0);
    if (kw > 0) read_from(kv_pool_, kv_addr_ + t * (kv_write_ / tiles_), kw, true, now);
    const std::uint64_t aw = (act_ - act_ / 2) / tiles_;
    const std::size_t home = placement_.global_pool;
    const int cache = hw_.cache_for(home);
    if (aw > 0) {
        if (cache >= 0 && hw_.spec().caches[static_cast<std::size_t>(cache)].keep_activations) {
            Tick s = 0, e = 0;
            hw_.cache(static_cast<std::size_t>(cache)).carry(now, aw, &s, &e);
            obs_.cache_busy(static_cast<std::uint32_t>(cache), s, e, aw);
        } else {
            read_from(home, t * aw, aw, true, now);
        }
    }
    ++next_compute_;
    if (next_read_ < tiles_) issue_read(next_read_);
    if (next_compute_ == tiles_) finish_op();
    else try_compute();
}

void Replayer::finish_op() {
    OpRecord r;
    r.step = step_->index;
    r.layer = op_->layer;
    r.kind = op_->kind;
    r.phase = step_->phase;
    r.unit = static_cast<std::uint32_t>(unit_);
    r.start = op_start_;
    r.end = sim_.now();
    r.bytes = op_->weight_bytes + op_->kv_read_bytes + op_->kv_write_bytes + op_->act_bytes;
    r.flops = op_->flops;
    r.compute_s = cost_.seconds;
    r.launch_s = launch_s_;
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
    sim_.schedule_in(engine::from_seconds(runtime_.host_overhead_s), *this, tag(step_done, 0));
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
        case step_done: {
            const Tick now = sim_.now();
            totals_.steps.push_back(StepTiming{step_->phase, step_start_, now, step_->new_tokens, step_->sequences, step_->emits});
            if (step_->emits > 0) obs_.tokens_emitted(now, step_->index, step_->emits, step_->phase);
            totals_.end = now;
            if (++step_index_ < steps_.step_count()) begin_step();
            break;
        }
    }
}

}  // namespace infersim::replay
