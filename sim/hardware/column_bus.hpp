// The data bus of one channel as a schedule of column commands (RD/WR bursts). Between any two
// commands the later one keeps: the earlier burst's data time, tCCD_S (other bank group) or
// tCCD_L (same group), and after a direction switch the earlier data's end plus tWTR or tRTW.
// A command may be placed in a gap between commands already scheduled: a first-ready
// controller lets a burst whose bank is ready pass older bursts still waiting for theirs.
// Fixed capacity, no allocation.
#pragma once
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>

#include "hardware/detailed_timing.hpp"

namespace infersim::hw {

class ColumnBus {
public:
    explicit ColumnBus(const DetailedTiming& t);

    /// Earliest time >= t0 at which a column command of bank group `group`, reading or writing,
    /// keeps every spacing with the commands placed so far.
    Ps earliest(Ps t0, int group, bool write) const {
        if (gaps_n_ == 0 || gaps_[gaps_n_ - 1].to <= t0) return std::max(t0, tail_bound(group, write));  // no gap to use
        return earliest_in_gaps(t0, group, write);
    }
    /// Places one (at a time `earliest` allowed). Returns the change in the number of
    /// read/write direction switches along the bus.
    int add(Ps t, int group, bool write);

private:
    struct Cmd {
        Ps t;
        std::int32_t group;
        bool write;
    };
    struct Gap {
        Ps from, to;  // times of the commands around it
    };
    /// Least distance from command a to a later command (group, write).
    Ps after(const Cmd& a, int group, bool write) const {
        Ps s = a.group == group ? long_ : short_;
        if (a.write != write) s = std::max(s, write ? to_write_ : to_read_);
        return s;
    }
    /// Least distance from a command (group, write) to a later command b.
    Ps before(int group, bool write, const Cmd& b) const {
        Ps s = b.group == group ? long_ : short_;
        if (b.write != write) s = std::max(s, b.write ? to_write_ : to_read_);
        return s;
    }
    /// The earliest time >= t0 for (group, write) just after the commands before index p,
    /// if it also keeps clear of the commands from p on; else kPsNever.
    Ps place(Ps t0, int group, bool write, std::size_t p) const;
    std::size_t index_after(Ps t) const;  // first command later than t
    void add_gap(const Cmd& x, const Cmd& z);
    void remove_gap(Ps from);

    Ps earliest_in_gaps(Ps t0, int group, bool write) const;
    /// Earliest time for (group, write) after every command placed (cached until the next add).
    Ps tail_bound(int group, bool write) const {
        const std::size_t i = static_cast<std::size_t>(group) * 2 + write;
        if (tail_stamp_[i] != stamp_) {
            tail_[i] = compute_tail_bound(group, write);
            tail_stamp_[i] = stamp_;
        }
        return tail_[i];
    }
    Ps compute_tail_bound(int group, bool write) const;

    static constexpr std::size_t kCapacity = 1024;  // older commands are long past any use
    static constexpr std::size_t kMaxGroups = 64;
    const DetailedTiming* t_;
    std::array<Cmd, kCapacity> cmds_{};  // sorted by time
    std::size_t n_ = 0;
    std::array<Gap, kCapacity> gaps_{};  // spaces between neighbours wide enough for a command, by time
    std::size_t gaps_n_ = 0;
    mutable std::array<Ps, 2 * kMaxGroups> tail_{};
    mutable std::array<std::uint64_t, 2 * kMaxGroups> tail_stamp_{};
    std::uint64_t stamp_ = 1;  // bumped by every add
    Ps reach_ = 0;    // the largest spacing any rule asks for
    Ps min_gap_ = 0;  // two commands closer than this leave no room between them
    Ps short_ = 0, long_ = 0;        // max(burst, tCCD_S), max(burst, tCCD_L)
    Ps to_write_ = 0, to_read_ = 0;  // burst + tRTW, burst + tWTR
};

}  // namespace infersim::hw
