// The vocabulary of transformer operations shared by the trace, runtime profiles and outputs.
#pragma once
#include <array>
#include <optional>
#include <string_view>

namespace infersim::config {

enum class OpKind { embedding, norm, qkv, attention, out_proj, router, ffn_up, ffn_down, lm_head, sample };
inline constexpr std::size_t kOpKindCount = 10;
inline constexpr std::array<std::string_view, kOpKindCount> kOpKindNames{
    "embedding", "norm", "qkv", "attention", "out_proj", "router", "ffn_up", "ffn_down", "lm_head", "sample"};

inline std::string_view name(OpKind k) { return kOpKindNames[static_cast<std::size_t>(k)]; }
inline std::optional<OpKind> parse_op_kind(std::string_view s) {
    for (std::size_t i = 0; i < kOpKindCount; ++i)
        if (kOpKindNames[i] == s) return static_cast<OpKind>(i);
    return std::nullopt;
}

}  // namespace infersim::config
