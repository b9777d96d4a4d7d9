// The data bus of one channel as a schedule of column commands (RD/WR bursts). Between any two
// commands the later one keeps: the earlier burst's data time, tCCD_S (other bank group) or
// tCCD_L (same group), and after a direction switch the earlier data's end plus tWTR or tRTW.
// A command may be placed in a gap between commands already scheduled: a first-ready
// controller lets a burst whose bank is ready pass older bursts still waiting for theirs.
// Fixed capacity, no allocation.
#pragma once
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
    Ps earliest(Ps t0, int group, bool write) const;
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
    Ps after(const Cmd& a, int group, bool write) const;
    /// Least distance from a command (group, write) to a later command b.
    Ps before(int group, bool write, const Cmd& b) const;
    /// The earliest time >= t0 for (group, write) just after the commands before index p,
    /// if it also keeps clear of the commands from p on; else kPsNever.
    Ps place(Ps t0, int group, bool write, std::size_t p) const;
    std::size_t index_after(Ps t) const;  // first command later than t
    void add_gap(Ps from, Ps to);
    void remove_gap(Ps from);

    static constexpr std::size_t kCapacity = 1024;  // older commands are long past any use
    const DetailedTiming* t_;
    std::array<Cmd, kCapacity> cmds_{};  // sorted by time
    std::size_t n_ = 0;
    std::array<Gap, kCapacity> gaps_{};  // spaces between neighbours wide enough for a command, by time
    std::size_t gaps_n_ = 0;
    Ps reach_ = 0;    // the largest spacing any rule asks for
    Ps min_gap_ = 0;  // two commands closer than this leave no room between them
};

}  // namespace infersim::hw
