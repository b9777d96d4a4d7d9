// The vocabulary of transformer operations shared by the trace, runtime profiles and outputs.
#pragma once
#include <array>
#include <optional>
#include <string_view>

#include "core/enum_names.hpp"

namespace infersim::config {

#define INFERSIM_OP_KINDS(X) X(embedding) X(norm) X(qkv) X(attention) X(out_proj) X(router) X(ffn_up) X(ffn_down) X(lm_head) X(sample)
enum class OpKind { INFERSIM_OP_KINDS(INFERSIM_ENUMERATOR) };
inline constexpr std::array kOpKindNames{INFERSIM_OP_KINDS(INFERSIM_ENUM_NAME)};
inline constexpr std::size_t kOpKindCount = kOpKindNames.size();

inline std::string_view name(OpKind k) { return kOpKindNames[static_cast<std::size_t>(k)]; }
inline std::optional<OpKind> parse_op_kind(std::string_view s) { return core::parse_enum<OpKind>(kOpKindNames, s); }

}  // namespace infersim::config
