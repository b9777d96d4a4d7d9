// Recording one step's activity in windows per series, and playing it back shifted.
#include "replay/step_tape.hpp"

#include <algorithm>

namespace infersim::replay {

StepTape::StepTape(const config::MachineSpec& machine, std::size_t agent_count, ReplayObserver& out, Tick window)
    : out_(out), window_(std::max<Tick>(1, window)) {
    std::size_t keys = 0;
    for (const config::PoolSpec& p : machine.pools) {
        channel_base_.push_back(keys);
        keys += 2 * static_cast<std::size_t>(p.channels);  // reads and writes apart
    }
    open_channel_.assign(keys, -1);
    open_span_[links].assign(machine.links.size(), -1);
    open_span_[caches].assign(machine.caches.size(), -1);
    open_span_[units].assign(machine.units.size(), -1);
    open_span_[agents].assign(std::max<std::size_t>(1, agent_count), -1);
    lookups_.assign(2 * machine.caches.size(), 0);
}

void StepTape::record(Tick origin) {
    recording_ = true;
    origin_ = origin;
    duration_ = 0;
    channels_.clear();
    std::fill(open_channel_.begin(), open_channel_.end(), -1);
    for (std::size_t k = 0; k < series_kinds; ++k) {
        spans_[k].clear();
        std::fill(open_span_[k].begin(), open_span_[k].end(), -1);
    }
    std::fill(lookups_.begin(), lookups_.end(), 0);
    ops_.clear();
}

void StepTape::stop(Tick end) {
    recording_ = false;
    duration_ = end - origin_;
}

void StepTape::channel_busy(const hw::ChannelActivity& a) {
    if (!recording_) return out_.channel_busy(a);
    const std::size_t key = channel_base_[a.pool] + 2 * a.channel + (a.write ? 1 : 0);
    const Tick start = a.start - origin_, end = a.end - origin_;
    const std::int64_t open = open_channel_[key];
    if (open >= 0 && start < channels_[static_cast<std::size_t>(open)].start + window_) {
        hw::ChannelActivity& w = channels_[static_cast<std::size_t>(open)];
        w.end = std::max(w.end, end);
        w.bytes += a.bytes;
        w.refresh_ps += a.refresh_ps;
        w.row_hits += a.row_hits;
        w.row_misses += a.row_misses;
        return;
    }
    open_channel_[key] = static_cast<std::int64_t>(channels_.size());
    hw::ChannelActivity w = a;
    w.start = start;
    w.end = end;
    channels_.push_back(w);
}

void StepTape::add_span(Series kind, std::uint32_t id, Tick start, Tick end, std::uint64_t amount, double energy_j) {
    std::vector<Span>& spans = spans_[kind];
    std::int64_t& open = open_span_[kind][id];
    start -= origin_;
    end -= origin_;
    if (open >= 0 && start < spans[static_cast<std::size_t>(open)].start + window_) {
        Span& w = spans[static_cast<std::size_t>(open)];
        w.end = std::max(w.end, end);
        w.amount += amount;
        w.energy_j += energy_j;
        return;
    }
    open = static_cast<std::int64_t>(spans.size());
    spans.push_back(Span{id, start, end, amount, energy_j});
}

void StepTape::link_busy(std::uint32_t link, Tick start, Tick end, std::uint64_t bytes) {
    if (!recording_) return out_.link_busy(link, start, end, bytes);
    add_span(links, link, start, end, bytes, 0);
}

void StepTape::cache_busy(std::uint32_t cache, Tick start, Tick end, std::uint64_t bytes) {
    if (!recording_) return out_.cache_busy(cache, start, end, bytes);
    add_span(caches, cache, start, end, bytes, 0);
}

void StepTape::unit_busy(std::uint32_t unit, Tick start, Tick end, double energy_j) {
    if (!recording_) return out_.unit_busy(unit, start, end, energy_j);
    // The busy time is what the unit is priced for; it is laid from the window's first start.
    add_span(units, unit, start, end, end - start, energy_j);
}

void StepTape::agent_traffic(std::uint32_t agent, Tick start, Tick end, std::uint64_t bytes) {
    if (!recording_) return out_.agent_traffic(agent, start, end, bytes);
    add_span(agents, agent, start, end, bytes, 0);
}

void StepTape::cache_lookup(std::uint32_t cache, std::uint64_t hit_bytes, std::uint64_t miss_bytes) {
    if (!recording_) return out_.cache_lookup(cache, hit_bytes, miss_bytes);
    lookups_[2 * cache] += hit_bytes;
    lookups_[2 * cache + 1] += miss_bytes;
}

void StepTape::op_done(const OpRecord& r) {
    if (!recording_) return out_.op_done(r);
    OpRecord rel = r;
    rel.start -= origin_;
    rel.end -= origin_;
    ops_.push_back(rel);
}

void StepTape::tokens_emitted(Tick when, std::uint32_t step, std::uint32_t count, workload::Phase phase) {
    out_.tokens_emitted(when, step, count, phase);
}

void StepTape::play(Tick at, std::uint32_t step) {
    // Activity first, then the ops: every joule of the step is credited to its ops' phase (a
    // recorded step is one decode step, so all its ops share one phase).
    for (hw::ChannelActivity a : channels_) {
        a.start += at;
        a.end += at;
        played_end_ = std::max(played_end_, a.end);
        out_.channel_busy(a);
    }
    for (const Span& s : spans_[links]) out_.link_busy(s.id, s.start + at, s.end + at, s.amount);
    for (const Span& s : spans_[caches]) out_.cache_busy(s.id, s.start + at, s.end + at, s.amount);
    for (const Span& s : spans_[units]) out_.unit_busy(s.id, s.start + at, s.start + at + s.amount, s.energy_j);
    for (const Span& s : spans_[agents]) out_.agent_traffic(s.id, s.start + at, s.end + at, s.amount);
    for (std::size_t c = 0; 2 * c < lookups_.size(); ++c)
        if (lookups_[2 * c] + lookups_[2 * c + 1] > 0) out_.cache_lookup(static_cast<std::uint32_t>(c), lookups_[2 * c], lookups_[2 * c + 1]);
    for (OpRecord r : ops_) {
        r.step = step;
        r.start += at;
        r.end += at;
        out_.op_done(r);
    }
    played_end_ = std::max(played_end_, at + duration_);
}

}  // namespace infersim::replay
