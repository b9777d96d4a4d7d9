// Quantities with units ("8533 MT/s", "128 GiB", "4.5 pJ/bit"), parsed once at load time into
// SI base units. Nothing past the loaders carries unit strings.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace infersim::config {

enum class Dimension {
    count,          // a plain number
    bytes,          // B
    bandwidth,      // B/s
    time,           // s
    frequency,      // Hz
    transfer_rate,  // transfers/s per pin (MT/s, Gb/s per pin)
    energy,         // J (Wh accepted)
    energy_per_bit, // J/bit
    energy_per_byte,// J/B
    energy_per_op,  // J per FLOP or OP
    power,          // W
};

/// Human name of a dimension with an example, for error messages: "a size like '128 GiB'".
std::string describe(Dimension d);

/// Parses `text` as a quantity of dimension `d`; returns the value in SI base units, or
/// nullopt with `why` set when the text is not such a quantity. Rejects NaN and infinities.
std::optional<double> parse_quantity(std::string_view text, Dimension d, std::string* why = nullptr);

}  // namespace infersim::config
