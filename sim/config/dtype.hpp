// Arithmetic datatypes of compute units.
#pragma once
#include <array>
#include <optional>
#include <string_view>

#include "core/enum_names.hpp"

namespace infersim::config {

#define INFERSIM_DTYPES(X) X(fp32) X(fp16) X(bf16) X(fp8) X(int8) X(fp4)
enum class DType { INFERSIM_DTYPES(INFERSIM_ENUMERATOR) };
inline constexpr std::array kDTypeNames{INFERSIM_DTYPES(INFERSIM_ENUM_NAME)};
inline constexpr std::size_t kDTypeCount = kDTypeNames.size();

inline std::string_view name(DType t) { return kDTypeNames[static_cast<std::size_t>(t)]; }
inline std::optional<DType> parse_dtype(std::string_view s) { return core::parse_enum<DType>(kDTypeNames, s); }

/// A value per datatype; 0 means "not supported".
using PerDType = std::array<double, kDTypeCount>;

}  // namespace infersim::config
