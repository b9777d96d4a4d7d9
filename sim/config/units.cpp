// The unit table and the quantity parser.
#include "config/units.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <cmath>

namespace infersim::config {
namespace {

struct Unit {
    std::string_view symbol;
    Dimension dim;
    double factor;  // to SI base
};

constexpr double kWh = 3600.0;

constexpr std::array kUnits{
    Unit{"B", Dimension::bytes, 1}, Unit{"KB", Dimension::bytes, 1e3}, Unit{"kB", Dimension::bytes, 1e3},
    Unit{"MB", Dimension::bytes, 1e6}, Unit{"GB", Dimension::bytes, 1e9}, Unit{"TB", Dimension::bytes, 1e12},
    Unit{"KiB", Dimension::bytes, 1024.0}, Unit{"MiB", Dimension::bytes, 1048576.0},
    Unit{"GiB", Dimension::bytes, 1073741824.0}, Unit{"TiB", Dimension::bytes, 1099511627776.0},
    Unit{"B/s", Dimension::bandwidth, 1}, Unit{"KB/s", Dimension::bandwidth, 1e3},
    Unit{"MB/s", Dimension::bandwidth, 1e6}, Unit{"GB/s", Dimension::bandwidth, 1e9},
    Unit{"TB/s", Dimension::bandwidth, 1e12}, Unit{"GiB/s", Dimension::bandwidth, 1073741824.0},
    Unit{"ps", Dimension::time, 1e-12}, Unit{"ns", Dimension::time, 1e-9}, Unit{"us", Dimension::time, 1e-6},
    Unit{"\xC2\xB5s", Dimension::time, 1e-6}, Unit{"ms", Dimension::time, 1e-3}, Unit{"s", Dimension::time, 1},
    Unit{"min", Dimension::time, 60}, Unit{"h", Dimension::time, 3600},
    Unit{"Hz", Dimension::frequency, 1}, Unit{"kHz", Dimension::frequency, 1e3},
    Unit{"MHz", Dimension::frequency, 1e6}, Unit{"GHz", Dimension::frequency, 1e9},
    Unit{"MT/s", Dimension::transfer_rate, 1e6}, Unit{"GT/s", Dimension::transfer_rate, 1e9},
    Unit{"Mb/s", Dimension::transfer_rate, 1e6}, Unit{"Gb/s", Dimension::transfer_rate, 1e9},
    Unit{"Gbps", Dimension::transfer_rate, 1e9},
    Unit{"fJ", Dimension::energy, 1e-15}, Unit{"pJ", Dimension::energy, 1e-12}, Unit{"nJ", Dimension::energy, 1e-9},
    Unit{"uJ", Dimension::energy, 1e-6}, Unit{"mJ", Dimension::energy, 1e-3}, Unit{"J", Dimension::energy, 1},
    Unit{"kJ", Dimension::energy, 1e3}, Unit{"Wh", Dimension::energy, kWh}, Unit{"kWh", Dimension::energy, 1e3 * kWh},
    Unit{"fJ/bit", Dimension::energy_per_bit, 1e-15}, Unit{"pJ/bit", Dimension::energy_per_bit, 1e-12},
    Unit{"pJ/b", Dimension::energy_per_bit, 1e-12}, Unit{"nJ/bit", Dimension::energy_per_bit, 1e-9},
    Unit{"pJ/B", Dimension::energy_per_byte, 1e-12}, Unit{"nJ/B", Dimension::energy_per_byte, 1e-9},
    Unit{"fJ/FLOP", Dimension::energy_per_op, 1e-15}, Unit{"pJ/FLOP", Dimension::energy_per_op, 1e-12},
    Unit{"pJ/op", Dimension::energy_per_op, 1e-12}, Unit{"pJ/OP", Dimension::energy_per_op, 1e-12},
    Unit{"mW", Dimension::power, 1e-3}, Unit{"W", Dimension::power, 1}, Unit{"kW", Dimension::power, 1e3},
};

std::string_view example(Dimension d) {
    switch (d) {
        case Dimension::count: return "a number like '16'";
        case Dimension::bytes: return "a size like '128 GiB' or '24 MB'";
        case Dimension::bandwidth: return "a bandwidth like '273 GB/s'";
        case Dimension::time: return "a time like '18 ns'";
        case Dimension::frequency: return "a frequency like '1.4 GHz'";
        case Dimension::transfer_rate: return "a data rate like '8533 MT/s' or '9.6 Gb/s'";
        case Dimension::energy: return "an energy like '99.6 Wh' or '5 pJ'";
        case Dimension::energy_per_bit: return "an energy per bit like '4.5 pJ/bit'";
        case Dimension::energy_per_byte: return "an energy per byte like '1.2 pJ/B'";
        case Dimension::energy_per_op: return "an energy per operation like '0.7 pJ/FLOP'";
        case Dimension::power: return "a power like '45 W'";
    }
    return "a quantity";
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

}  // namespace

std::string describe(Dimension d) { return std::string(example(d)); }

std::optional<double> parse_quantity(std::string_view text, Dimension d, std::string* why) {
    auto fail = [&](std::string reason) -> std::optional<double> {
        if (why) *why = std::move(reason);
        return std::nullopt;
    };
    std::string_view s = trim(text);
    double value = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc() || end == s.data())
        return fail("expected " + describe(d) + ", got '" + std::string(text) + "'");
    if (!std::isfinite(value)) return fail("expected a finite number, got '" + std::string(text) + "'");
    std::string_view unit = trim(std::string_view(end, static_cast<std::size_t>(s.data() + s.size() - end)));
    if (unit.empty()) {
        if (d == Dimension::count) return value;
        return fail("expected " + describe(d) + " (with its unit), got '" + std::string(text) + "'");
    }
    for (const Unit& u : kUnits) {
        if (u.symbol != unit) continue;
        if (u.dim != d)
            return fail("expected " + describe(d) + ", got '" + std::string(text) + "' (a different kind of unit)");
        double si = value * u.factor;
        if (!std::isfinite(si)) return fail("value out of range: '" + std::string(text) + "'");
        return si;
    }
    return fail("unknown unit '" + std::string(unit) + "'; expected " + describe(d));
}

}  // namespace infersim::config
