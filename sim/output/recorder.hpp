// Collects what the hardware and the replayer report: binned timelines (bytes per channel,
// busy time per unit, energy per power domain), the op table and token times. Plain counters
// and vectors; one writer serializes them. Energy is priced by the machine's power model
// (hardware/power); the recorder only spreads the joules it returns over the bins.
#pragma once
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "config/machine_spec.hpp"
#include "hardware/power/power_model.hpp"
#include "replay/observer.hpp"

namespace infersim::output {

using engine::Tick;

struct TokenRecord {
    Tick time = 0;
    std::uint32_t step = 0;
    std::uint32_t count = 0;
    workload::Phase phase = workload::Phase::decode;
};

/// One binned series: a value per time bin.
using Series = std::vector<double>;

/// A finished recorder's binned series, detached from its machine and power model: what a
/// replayed step adds to a serve's timelines wherever (whenever) the step runs.
struct BinnedActivity {
    Tick bin = 1, end = 0;
    std::size_t bins = 0;
    std::vector<double> values;  // series after series (the recorder's fixed order), `bins` each
};

class Recorder final : public replay::ReplayObserver {
public:
    /// `expected_bins` sizes the series up front (growth stays possible but is not expected).
    /// More than `max_bins` bins throws config::BudgetError (a run far longer than its estimate).
    /// `power` prices the activity; it (and `machine`) must outlive the recorder.
    Recorder(const config::MachineSpec& machine, const hw::PowerModel& power, Tick bin, std::size_t expected_bins, std::size_t expected_ops,
             std::size_t max_bins = SIZE_MAX);

    void channel_busy(const hw::ChannelActivity& a) override;
    void link_busy(std::uint32_t link, Tick start, Tick end, std::uint64_t bytes) override;
    void cache_busy(std::uint32_t cache, Tick start, Tick end, std::uint64_t bytes) override;
    void unit_busy(std::uint32_t unit, Tick start, Tick end, double energy_j) override;
    void op_done(const replay::OpRecord& r) override;
    void tokens_emitted(Tick when, std::uint32_t step, std::uint32_t count, workload::Phase phase) override;
    void agent_traffic(std::uint32_t agent, Tick start, Tick end, std::uint64_t bytes) override;
    void cache_lookup(std::uint32_t cache, std::uint64_t hit_bytes, std::uint64_t miss_bytes) override;
    std::uint64_t cache_hit_bytes(std::size_t cache) const { return cache_hits_[cache][0]; }
    std::uint64_t cache_miss_bytes(std::size_t cache) const { return cache_hits_[cache][1]; }

    /// Names the agents whose traffic is recorded: [0] is the model.
    void set_agents(std::vector<std::string> names);
    const std::vector<std::string>& agent_names() const { return agent_names_; }
    /// Bytes per bin moved by each agent.
    const std::vector<Series>& agent_bytes() const { return agent_bytes_; }
    std::uint64_t agent_total_bytes(std::size_t agent) const { return agent_totals_[agent]; }

    /// Closes the timelines at `end`: adds the power model's constant power and trims the bins.
    void finish(Tick end);

    // --- a timeline summed from other recordings (serving: each step's replay, placed at the
    // step's start); recorder_sum.cpp ---
    /// This recorder's series (after finish()), detached.
    BinnedActivity activity() const;
    /// Adds `a` (from a recorder of the same machine and agents) shifted to start at `at`: each
    /// of its bins spread uniformly over its span moved by `at`. ASSUMPTION: uniform within a
    /// bin (the sums are exact; how a bin's amount was spread inside it is not kept). Throws
    /// std::logic_error if `a` has another set of series.
    void add(const BinnedActivity& a, Tick at);
    /// Adds the power model's constant power over [start, end) (an idle server; no supply loss,
    /// as serving's idle energy has none).
    void add_constant_power(Tick start, Tick end);
    /// The latest end of what add() placed.
    Tick extent() const { return extent_; }
    /// Closes a summed timeline at `end` (>= extent()): like finish() without adding anything.
    void close(Tick end);

    Tick bin() const { return bin_; }
    std::size_t bins() const { return bins_; }
    Tick end() const { return end_; }
    const std::vector<std::vector<Series>>& channel_bytes() const { return channel_bytes_; }  // [pool][channel]
    const std::vector<std::vector<Series>>& channel_refresh_ps() const { return channel_refresh_; }
    const std::vector<std::vector<Series>>& channel_row_hits() const { return channel_hits_; }
    const std::vector<std::vector<Series>>& channel_row_misses() const { return channel_misses_; }
    const std::vector<Series>& unit_busy_ps() const { return unit_busy_; }
    const std::vector<Series>& link_bytes() const { return link_bytes_; }
    const std::vector<Series>& cache_bytes() const { return cache_bytes_; }
    /// Energy per bin of each power domain (names from domain_names()).
    const std::vector<Series>& domain_energy() const { return domain_energy_; }
    const std::vector<std::string>& domain_names() const { return power_.domain_names(); }
    const std::vector<replay::OpRecord>& ops() const { return ops_; }
    const std::vector<TokenRecord>& tokens() const { return tokens_; }
    std::uint64_t pool_bytes(std::size_t pool, bool write) const { return pool_bytes_[pool][write ? 1 : 0]; }
    double total_energy_j() const;
    double domain_total_j(std::size_t domain) const;

    // Energy by phase (issue 10): every joule the power model prices for activity is attributed
    // to the phase of the op it belongs to (the reports between two op_done calls belong to the
    // op that finishes second); constant power is not included (it is uniform in time: the
    // summary adds constant_power_w() x the phase's duration).
    const hw::PowerModel& power() const { return power_; }
    double phase_activity_j(workload::Phase phase) const { return phase_j_[phase == workload::Phase::prefill ? 0 : 1]; }
    /// Activity energy after the last op (posted writes): in no phase.
    double unphased_activity_j() const { return pending_j_; }
    /// The power model's constant power, all domains (the supply loss excluded).
    double constant_power_w() const;

private:
    /// Adds `amount` spread uniformly over [start, end) to `s`.
    void spread(Series& s, Tick start, Tick end, double amount);
    void grow(std::size_t bins);

    const config::MachineSpec& m_;
    const hw::PowerModel& power_;
    Tick bin_;
    std::size_t max_bins_;
    std::size_t bins_ = 0;
    Tick end_ = 0;
    std::vector<std::vector<Series>> channel_bytes_, channel_refresh_, channel_hits_, channel_misses_;
    std::vector<std::array<std::uint64_t, 2>> pool_bytes_;
    std::vector<Series> unit_busy_, link_bytes_, cache_bytes_, domain_energy_, agent_bytes_;
    std::vector<std::string> agent_names_{"model"};
    std::vector<std::uint64_t> agent_totals_{0};
    std::vector<std::array<std::uint64_t, 2>> cache_hits_;  // [cache] = {hit, miss} bytes
    std::vector<replay::OpRecord> ops_;
    std::vector<TokenRecord> tokens_;
    // Issue 10: per-pool DRAM prices cached from the power model (no virtual call per request),
    // and the energy of the op in flight, credited to its phase at op_done.
    std::vector<std::span<const hw::DramPrice>> dram_prices_;
    double pending_j_ = 0;
    double phase_j_[2] = {0, 0};
    /// Adds `amount` to domain `d` over [start, end) and to the op in flight.
    void charge(std::size_t d, Tick start, Tick end, double amount);
    /// spread(s, start, end, amount) and charge(d, start, end, joules) in one.
    void spread_charged(Series& s, double amount, std::size_t d, Tick start, Tick end, double joules);
    void add_supply_loss(std::size_t bins);
    /// Trims every series to `bins` and ends the timeline at `end`.
    void trim(std::size_t bins, Tick end);
    Tick extent_ = 0;
    /// Calls f(series) for every binned series, in the order BinnedActivity stores them.
    template <class Self, class F>
    static void each_series(Self& self, F&& f) {
        for (auto* per_channel : {&self.channel_bytes_, &self.channel_refresh_, &self.channel_hits_, &self.channel_misses_})
            for (auto& pool : *per_channel)
                for (auto& s : pool) f(s);
        for (auto* group : {&self.unit_busy_, &self.link_bytes_, &self.cache_bytes_, &self.domain_energy_, &self.agent_bytes_})
            for (auto& s : *group) f(s);
    }
};

}  // namespace infersim::output
