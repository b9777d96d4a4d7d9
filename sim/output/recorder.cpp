// Binning: activity counters and the energy the power model prices, spread over time bins.
#include "output/recorder.hpp"

#include "config/errors.hpp"

#include <algorithm>
#include <array>

namespace infersim::output {

Recorder::Recorder(const config::MachineSpec& machine, const hw::PowerModel& power, Tick bin, std::size_t expected_bins,
                   std::size_t expected_ops, std::size_t max_bins)
    : m_(machine), power_(power), bin_(std::max<Tick>(1, bin)), max_bins_(max_bins) {
    pool_bytes_.assign(m_.pools.size(), {0, 0});
    for (std::size_t p = 0; p < m_.pools.size(); ++p) {
        for (auto* per_channel : {&channel_bytes_, &channel_refresh_, &channel_hits_, &channel_misses_}) {
            per_channel->resize(m_.pools.size());
            (*per_channel)[p].resize(static_cast<std::size_t>(m_.pools[p].channels));
        }
    }
    agent_bytes_.resize(1);
    unit_busy_.resize(m_.units.size());
    link_bytes_.resize(m_.links.size());
    cache_bytes_.resize(m_.caches.size());
    cache_hits_.assign(m_.caches.size(), {0, 0});
    domain_energy_.resize(power_.domain_count());
    for (std::size_t p = 0; p < m_.pools.size(); ++p) dram_prices_.push_back(power_.dram_prices(static_cast<std::uint32_t>(p)));
    grow(expected_bins);
    ops_.reserve(expected_ops);
}

void Recorder::grow(std::size_t bins) {
    if (bins <= bins_) return;
    if (bins > max_bins_)
        throw config::BudgetError("the timelines need more than " + std::to_string(max_bins_) + " bins of " +
                                  std::to_string(engine::to_seconds(bin_)) +
                                  " s (sim.budget.max_timeline_bins); use a wider sim.bin or a shorter request");
    each_series(*this, [&](Series& s) {
        if (s.capacity() < bins) s.reserve(std::max(bins, s.capacity() * 2));
        s.resize(bins, 0.0);
    });
    bins_ = bins;
}

void Recorder::set_agents(std::vector<std::string> names) {
    agent_names_ = std::move(names);
    agent_totals_.assign(agent_names_.size(), 0);
    agent_bytes_.assign(agent_names_.size(), Series(bins_, 0.0));
}

void Recorder::cache_lookup(std::uint32_t cache, std::uint64_t hit_bytes, std::uint64_t miss_bytes) {
    cache_hits_[cache][0] += hit_bytes;
    cache_hits_[cache][1] += miss_bytes;
}

void Recorder::agent_traffic(std::uint32_t agent, Tick start, Tick end, std::uint64_t bytes) {
    spread(agent_bytes_[agent], start, end, static_cast<double>(bytes));
    agent_totals_[agent] += bytes;
}

void Recorder::spread(Series& s, Tick start, Tick end, double amount) {
    const std::size_t first = static_cast<std::size_t>(start / bin_);
    if (end > start && first == static_cast<std::size_t>((end - 1) / bin_) && first < bins_) {
        s[first] += amount;  // the common case: the interval lies in one bin
        return;
    }
    if (end <= start) {
        std::size_t b = static_cast<std::size_t>(start / bin_);
        grow(b + 1);
        s[b] += amount;
        return;
    }
    const std::size_t last = static_cast<std::size_t>((end - 1) / bin_);
    grow(last + 1);
    const double per_ps = amount / static_cast<double>(end - start);
    for (std::size_t b = static_cast<std::size_t>(start / bin_); b <= last; ++b) {
        Tick lo = std::max<Tick>(start, b * bin_), hi = std::min<Tick>(end, (b + 1) * bin_);
        s[b] += per_ps * static_cast<double>(hi - lo);
    }
}

void Recorder::channel_busy(const hw::ChannelActivity& a) {
    pool_bytes_[a.pool][a.write ? 1 : 0] += a.bytes;
    const double bytes = static_cast<double>(a.bytes);
    Series* series[] = {&channel_bytes_[a.pool][a.channel], &channel_refresh_[a.pool][a.channel], &channel_hits_[a.pool][a.channel],
                        &channel_misses_[a.pool][a.channel]};
    const double amounts[] = {bytes, a.refresh_ps, static_cast<double>(a.row_hits), static_cast<double>(a.row_misses)};
    // The hot path: a request usually lies within one bin; find it once for every series. The
    // energy is the pool's cached linear prices (one per domain), no virtual call.
    const std::size_t first = static_cast<std::size_t>(a.start / bin_);
    const bool one_bin = a.end > a.start && first == static_cast<std::size_t>((a.end - 1) / bin_) && first < bins_;
    auto add = [&](Series& s, double v) {
        if (one_bin) s[first] += v;
        else if (v != 0) spread(s, a.start, a.end, v);
    };
    for (int i = 0; i < 4; ++i) add(*series[i], amounts[i]);
    const std::span<const hw::DramPrice> prices = dram_prices_[a.pool];
    if (prices.empty()) {
        const double e = power_.dram_energy_j(a);
        pending_j_ += e;
        add(domain_energy_[power_.dram_domain(a.pool)], e);
        return;
    }
    for (const hw::DramPrice& p : prices) {
        const double e = bytes * (a.write ? p.write_j_per_byte : p.read_j_per_byte);
        pending_j_ += e;
        add(domain_energy_[p.domain], e);
    }
}

void Recorder::charge(std::size_t d, Tick start, Tick end, double amount) {
    spread(domain_energy_[d], start, end, amount);
    pending_j_ += amount;
}

void Recorder::spread_charged(Series& s, double amount, std::size_t d, Tick start, Tick end, double joules) {
    // The same sums as spread() then charge(), with the bin found once in the common case of
    // an interval within one bin.
    const std::size_t first = static_cast<std::size_t>(start / bin_);
    if (end > start && first == static_cast<std::size_t>((end - 1) / bin_) && first < bins_) {
        s[first] += amount;
        domain_energy_[d][first] += joules;
        pending_j_ += joules;
        return;
    }
    spread(s, start, end, amount);
    charge(d, start, end, joules);
}

void Recorder::link_busy(std::uint32_t link, Tick start, Tick end, std::uint64_t bytes) {
    spread_charged(link_bytes_[link], static_cast<double>(bytes), power_.link_domain(link), start, end, power_.link_energy_j(link, bytes));
}

void Recorder::cache_busy(std::uint32_t cache, Tick start, Tick end, std::uint64_t bytes) {
    spread_charged(cache_bytes_[cache], static_cast<double>(bytes), power_.cache_domain(cache), start, end, power_.cache_energy_j(cache, bytes));
}

void Recorder::unit_busy(std::uint32_t unit, Tick start, Tick end, double energy_j) {
    spread_charged(unit_busy_[unit], static_cast<double>(end - start), power_.unit_domain(unit), start, end,
                   power_.compute_energy_j(unit, end - start, energy_j));
}

void Recorder::op_done(const replay::OpRecord& r) {
    ops_.push_back(r);
    // The unit is in its active state for the op's whole span (stalls and launch gaps included),
    // and a spinning host core with it: the power model's span prices.
    const double seconds = engine::to_seconds(r.end - r.start);
    for (const hw::SpanPrice& p : power_.op_span_prices(r.unit))
        if (p.watts != 0) charge(p.domain, r.start, r.end, p.watts * seconds);
    phase_j_[r.phase == workload::Phase::prefill ? 0 : 1] += pending_j_;
    pending_j_ = 0;
}

void Recorder::tokens_emitted(Tick when, std::uint32_t step, std::uint32_t count, workload::Phase phase) {
    tokens_.push_back(TokenRecord{when, step, count, phase});
}

void Recorder::finish(Tick end) {
    end_ = end;
    const std::size_t bins = end == 0 ? 0 : static_cast<std::size_t>((end - 1) / bin_ + 1);
    grow(bins);
    // The power model's constant power (e.g. DRAM background, unit static, platform) over each
    // bin's span.
    for (std::size_t d = 0; d < domain_energy_.size(); ++d) {
        const double w = power_.constant_power_w(d);
        if (w == 0) continue;
        for (std::size_t b = 0; b < bins; ++b)
            domain_energy_[d][b] += w * engine::to_seconds(std::min<Tick>(end, (b + 1) * bin_) - b * bin_);
    }
    add_supply_loss(bins);
    // Posted writes may end after the last step; they are counted, but the timeline stops at `end`.
    trim(bins, end);
}

void Recorder::trim(std::size_t bins, Tick end) {
    end_ = end;
    bins_ = bins;
    each_series(*this, [&](Series& s) { s.resize(bins); });
}

// The PSU/adapter loss of each bin, from the bin's DC load (the supply's efficiency depends on
// the load, so it is priced per bin, not from the run's average).
void Recorder::add_supply_loss(std::size_t bins) {
    const std::size_t sd = power_.supply_domain();
    if (sd == hw::PowerModel::npos) return;
    for (std::size_t b = 0; b < bins; ++b) {
        double dc = 0;
        for (std::size_t d = 0; d < domain_energy_.size(); ++d)
            if (d != sd) dc += domain_energy_[d][b];
        domain_energy_[sd][b] += power_.supply_loss_j(dc, engine::to_seconds(std::min<Tick>(end_, (b + 1) * bin_) - b * bin_));
    }
}

double Recorder::constant_power_w() const {
    double w = 0;
    for (std::size_t d = 0; d < domain_energy_.size(); ++d) w += power_.constant_power_w(d);
    return w;
}

double Recorder::domain_total_j(std::size_t d) const {
    double sum = 0;
    for (double e : domain_energy_[d]) sum += e;
    return sum;
}

double Recorder::total_energy_j() const {
    double sum = 0;
    for (std::size_t d = 0; d < domain_energy_.size(); ++d) sum += domain_total_j(d);
    return sum;
}

}  // namespace infersim::output
