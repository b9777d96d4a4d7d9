// Arithmetic datatypes of compute units.
#pragma once
#include <array>
#include <optional>
#include <string_view>

namespace infersim::config {

enum class DType { fp32, fp16, bf16, fp8, int8, fp4 };
inline constexpr std::size_t kDTypeCount = 6;
inline constexpr std::array<std::string_view, kDTypeCount> kDTypeNames{"fp32", "fp16", "bf16", "fp8", "int8", "fp4"};

inline std::string_view name(DType t) { return kDTypeNames[static_cast<std::size_t>(t)]; }
inline std::optional<DType> parse_dtype(std::string_view s) {
    for (std::size_t i = 0; i < kDTypeCount; ++i)
        if (kDTypeNames[i] == s) return static_cast<DType>(i);
    return std::nullopt;
}

/// A value per datatype; 0 means "not supported".
using PerDType = std::array<double, kDTypeCount>;

}  // namespace infersim::config
