// Enumerations whose names are tied to their enumerators at compile time: an enum and its name
// table are both expanded from one X-macro list, so adding an enumerator without its name (or
// reordering one list and not the other) cannot compile into a table that is out of step.
//
//   #define MY_COLOURS(X) X(red) X(green)
//   enum class Colour { MY_COLOURS(INFERSIM_ENUMERATOR) };
//   inline constexpr std::array kColourNames{MY_COLOURS(INFERSIM_ENUM_NAME)};
#pragma once
#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

#define INFERSIM_ENUMERATOR(id) id,
#define INFERSIM_ENUM_NAME(id) std::string_view{#id},

namespace infersim::core {

/// The enumerator whose name (in `names`, indexed by value) is `s`, or nullopt.
template <class E, std::size_t N>
constexpr std::optional<E> parse_enum(const std::array<std::string_view, N>& names, std::string_view s) {
    for (std::size_t i = 0; i < N; ++i)
        if (names[i] == s) return static_cast<E>(i);
    return std::nullopt;
}

}  // namespace infersim::core
