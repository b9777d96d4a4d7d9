// Reading a safetensors header (https://github.com/huggingface/safetensors: "8 bytes: N, an
// unsigned little-endian 64-bit integer ... N bytes: a JSON UTF-8 string representing the
// header ... {"TENSOR_NAME": {"dtype": "F16", "shape": [1, 16, 256], "data_offsets": [BEGIN, END]}}").
#include "workload/safetensors_header.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <limits>
#include <string_view>

#include <nlohmann/json.hpp>

#include "config/bounded_read.hpp"
#include "config/errors.hpp"

namespace infersim::workload {
namespace {

using nlohmann::json;

// A header is an object of objects holding short arrays: nothing deeper than 3. Deeper input is
// refused before the parser builds it.
constexpr int kMaxDepth = 4;

[[noreturn]] void refuse(const std::string& path, const std::string& field, const std::string& what) {
    throw config::InputError(config::SourceLocation{path, 0, 0}, field, what);
}

int nesting(std::string_view text) {
    int depth = 0, deepest = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (c == '\\') ++i;
            else if (c == '"') in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            deepest = std::max(deepest, ++depth);
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return deepest;
}

std::uint64_t unsigned_at(const json& a, std::size_t i) {
    return a.size() > i && a[i].is_number_unsigned() ? a[i].get<std::uint64_t>() : std::numeric_limits<std::uint64_t>::max();
}

SafetensorsTensor read_entry(const std::string& path, const std::string& name, const json& e) {
    const std::string field = "tensor '" + config::printable(name, 120) + "'";
    if (!e.is_object() || !e.contains("dtype") || !e["dtype"].is_string() || !e.contains("shape") || !e["shape"].is_array() ||
        !e.contains("data_offsets") || !e["data_offsets"].is_array() || e["data_offsets"].size() != 2)
        refuse(path, field, "expected {\"dtype\": ..., \"shape\": [...], \"data_offsets\": [begin, end]}");
    SafetensorsTensor t;
    t.name = name;
    t.dtype = e["dtype"].get<std::string>();
    for (std::size_t i = 0; i < e["shape"].size(); ++i) {
        const std::uint64_t d = unsigned_at(e["shape"], i);
        if (d == std::numeric_limits<std::uint64_t>::max() || (d > 0 && t.elements() > (1ULL << 50) / d))
            refuse(path, field, "shape must be non-negative integers with fewer than 2^50 elements");
        t.shape.push_back(d);
    }
    t.begin = unsigned_at(e["data_offsets"], 0);
    t.end = unsigned_at(e["data_offsets"], 1);
    if (t.end < t.begin || t.end == std::numeric_limits<std::uint64_t>::max())
        refuse(path, field, "data_offsets must be two integers, begin <= end");
    const int size = safetensors_dtype_bytes(t.dtype);
    if (size == 0) refuse(path, field, "unknown dtype '" + config::printable(t.dtype, 20) + "'");
    if (t.bytes() != t.elements() * static_cast<std::uint64_t>(size))
        refuse(path, field, "data_offsets span " + std::to_string(t.bytes()) + " bytes, but " + t.dtype + " x shape needs " +
                                std::to_string(t.elements() * static_cast<std::uint64_t>(size)));
    return t;
}

std::string read_header_text(const std::string& path) {
    const std::uint64_t file_bytes = config::regular_file_size(path, std::numeric_limits<std::uint64_t>::max());
    std::ifstream in(path, std::ios::binary);
    std::array<unsigned char, 8> prefix{};
    if (file_bytes < 8 || !in.read(reinterpret_cast<char*>(prefix.data()), 8)) refuse(path, "", "shorter than a safetensors header");
    std::uint64_t n = 0;
    for (int i = 7; i >= 0; --i) n = (n << 8) | prefix[static_cast<std::size_t>(i)];
    if (n > kMaxSafetensorsHeaderBytes) refuse(path, "", "header length " + std::to_string(n) + " exceeds the 100 MB cap");
    if (n > file_bytes - 8) refuse(path, "", "header length " + std::to_string(n) + " runs past the end of the file");
    std::string text(n, '\0');
    if (!in.read(text.data(), static_cast<std::streamsize>(n))) refuse(path, "", "cannot read the header");
    return text;
}

}  // namespace

std::uint64_t SafetensorsTensor::elements() const {
    std::uint64_t n = 1;
    for (std::uint64_t d : shape) n *= d;
    return n;
}

int safetensors_dtype_bytes(const std::string& dtype) {
    static constexpr std::array<std::pair<std::string_view, int>, 14> kSizes{{
        {"F64", 8}, {"F32", 4}, {"F16", 2}, {"BF16", 2}, {"F8_E4M3", 1}, {"F8_E5M2", 1}, {"I64", 8},
        {"I32", 4}, {"I16", 2}, {"I8", 1}, {"U8", 1}, {"U16", 2}, {"U32", 4}, {"BOOL", 1},
    }};
    for (const auto& [name, bytes] : kSizes)
        if (dtype == name) return bytes;
    return 0;
}

std::vector<SafetensorsTensor> read_safetensors_header(const std::string& path) {
    const std::string text = read_header_text(path);
    if (nesting(text) > kMaxDepth) refuse(path, "", "header JSON nested deeper than a tensor table");
    const json header = json::parse(text, nullptr, false);
    if (header.is_discarded() || !header.is_object()) refuse(path, "", "header is not a JSON object");
    std::vector<SafetensorsTensor> tensors;
    for (const auto& [name, entry] : header.items())
        if (name != "__metadata__") tensors.push_back(read_entry(path, name, entry));
    std::sort(tensors.begin(), tensors.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    return tensors;
}

}  // namespace infersim::workload
