// The format table. Layouts: ggml's ggml-common.h block structs (see ../shared/reference/models.md);
// MXFP4: OCP Microscaling spec v1.0 (32 x e2m1 + e8m0 scale); NVFP4: NVIDIA (16 x e2m1 + e4m3
// scale; the per-tensor fp32 scale is ignored). Dequantization op counts are first-principles
// estimates of the unpack work (shift/mask/convert/scale per weight), not measurements.
#include "workload/quant_format.hpp"

#include <array>
#include <cctype>
#include <string>

namespace infersim::workload {
namespace {

using config::DType;

constexpr std::array kFormats{
    QuantFormat{"f32", 0, 1, 4, false, 0.0, DType::fp32},
    QuantFormat{"f16", 1, 1, 2, false, 0.0, DType::fp16},
    QuantFormat{"q4_0", 2, 32, 18, false, 3.0, DType::fp16},
    QuantFormat{"q4_1", 3, 32, 20, false, 3.5, DType::fp16},
    QuantFormat{"q5_0", 6, 32, 22, false, 4.0, DType::fp16},
    QuantFormat{"q5_1", 7, 32, 24, false, 4.5, DType::fp16},
    QuantFormat{"q8_0", 8, 32, 34, false, 2.0, DType::fp16},
    QuantFormat{"q8_1", 9, 32, 36, false, 2.0, DType::fp16},
    QuantFormat{"q2_k", 10, 256, 84, true, 4.0, DType::fp16},
    QuantFormat{"q3_k", 11, 256, 110, true, 5.0, DType::fp16},
    QuantFormat{"q4_k", 12, 256, 144, true, 4.0, DType::fp16},
    QuantFormat{"q5_k", 13, 256, 176, true, 5.0, DType::fp16},
    QuantFormat{"q6_k", 14, 256, 210, true, 5.0, DType::fp16},
    QuantFormat{"q8_k", 15, 256, 292, true, 2.0, DType::fp16},
    QuantFormat{"bf16", 30, 1, 2, false, 0.0, DType::bf16},
    QuantFormat{"mxfp4", 39, 32, 17, false, 3.0, DType::fp4},
    QuantFormat{"fp8", -1, 1, 1, false, 1.0, DType::fp8},
    QuantFormat{"nvfp4", -1, 16, 9, false, 3.0, DType::fp4},
};

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

}  // namespace

const QuantFormat* find_format(std::string_view name) {
    std::string n = lower(name);
    for (const QuantFormat& f : kFormats)
        if (f.name == n) return &f;
    return nullptr;
}

const QuantFormat* find_format_by_ggml_type(std::uint32_t type) {
    for (const QuantFormat& f : kFormats)
        if (f.ggml_type >= 0 && static_cast<std::uint32_t>(f.ggml_type) == type) return &f;
    return nullptr;
}

std::vector<std::string_view> format_names() {
    std::vector<std::string_view> out;
    for (const QuantFormat& f : kFormats) out.push_back(f.name);
    return out;
}

}  // namespace infersim::workload
