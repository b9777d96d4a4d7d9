// Typed, located access to a Hugging Face config.json's keys (internal to the HF importer:
// hf_config.cpp parses, hf_families.cpp reads the families' own keys).
#pragma once
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/errors.hpp"
#include "config/model_spec.hpp"
#include "config/yaml_node.hpp"

namespace infersim::workload::hf {

using config::InputError;
using config::SourceLocation;
using nlohmann::json;

// JSON values and messages are echoed whole (no length cap), with non-ASCII bytes escaped.
inline std::string printable(std::string_view s) { return config::printable(s, std::string_view::npos); }

inline SourceLocation locate(const std::string& path, const std::string& text, std::size_t offset) {
    offset = std::min(offset, text.size());
    int line = 1;
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < offset; ++i)
        if (text[i] == '\n') {
            ++line;
            line_start = i + 1;
        }
    return SourceLocation{path, line, static_cast<int>(offset - line_start) + 1};
}

// Typed access to the top-level keys, with every failure located at the value in the file.
class Config {
public:
    Config(std::string path, const std::string& text, const json& root, std::size_t object_start,
           const std::vector<std::pair<std::string, std::size_t>>& keys)
        : path_(std::move(path)), text_(text), root_(root), object_start_(object_start) {
        for (const auto& [key, offset] : keys) offsets_.emplace(key, offset);
    }
    /// The object under `key` (Gemma 3's text_config): its keys are located at the object itself.
    Config nested(const std::string& key) const {
        const json* v = get(key);
        if (!v || !v->is_object()) fail(key, "expected an object");
        auto it = offsets_.find(key);
        return Config(path_, text_, *v, it == offsets_.end() ? object_start_ : it->second, {});
    }

    SourceLocation where(const std::string& key) const {
        auto it = offsets_.find(key);
        return locate(path_, text_, it == offsets_.end() ? object_start_ : it->second);
    }
    SourceLocation object() const { return locate(path_, text_, object_start_); }
    [[noreturn]] void fail(const std::string& key, const std::string& message) const { throw InputError(where(key), key, message); }

    /// The value, or nullptr when the key is absent or null (transformers writes null for "unset").
    const json* get(const std::string& key) const {
        auto it = root_.find(key);
        return it == root_.end() || it->is_null() ? nullptr : &*it;
    }
    bool has(const std::string& key) const { return get(key) != nullptr; }

    std::int64_t integer(const std::string& key, std::int64_t min, std::int64_t max) const {
        const json* v = get(key);
        if (!v) throw InputError(object(), key, "missing required key");
        std::string range = "expected an integer from " + std::to_string(min) + " to " + std::to_string(max);
        if (v->is_number_unsigned()) {
            auto u = v->get<std::uint64_t>();
            if (u > static_cast<std::uint64_t>(max) || static_cast<std::int64_t>(u) < min) fail(key, range + ", got " + std::to_string(u));
            return static_cast<std::int64_t>(u);
        }
        if (v->is_number_integer()) {
            auto s = v->get<std::int64_t>();
            if (s < min || s > max) fail(key, range + ", got " + std::to_string(s));
            return s;
        }
        if (v->is_number_float()) {
            double d = v->get<double>();
            if (!std::isfinite(d) || d != std::floor(d) || d < static_cast<double>(min) || d > static_cast<double>(max))
                fail(key, range + ", got " + v->dump());
            return static_cast<std::int64_t>(d);
        }
        fail(key, range + ", got a " + std::string(v->type_name()) + " (" + printable(v->dump().substr(0, 40)) + ")");
    }
    std::int64_t integer_or(const std::string& key, std::int64_t min, std::int64_t max, std::int64_t fallback) const {
        return has(key) ? integer(key, min, max) : fallback;
    }
    /// The first of `keys` that is present, or `fallback`.
    std::int64_t first_of(std::initializer_list<const char*> keys, std::int64_t min, std::int64_t max, std::int64_t fallback) const {
        for (const char* k : keys)
            if (has(k)) return integer(k, min, max);
        return fallback;
    }
    bool boolean_or(const std::string& key, bool fallback) const {
        const json* v = get(key);
        if (!v) return fallback;
        if (!v->is_boolean()) fail(key, "expected true or false, got a " + std::string(v->type_name()));
        return v->get<bool>();
    }
    std::string string(const std::string& key) const {
        const json* v = get(key);
        if (!v) throw InputError(object(), key, "missing required key");
        if (!v->is_string()) fail(key, "expected a string, got a " + std::string(v->type_name()));
        return v->get<std::string>();
    }

private:
    std::string path_;
    const std::string& text_;
    const json& root_;
    std::size_t object_start_;
    std::map<std::string, std::size_t> offsets_;
};

/// The family readers (hf_families.cpp), each filling what its model_type adds to the common keys.
/// layer_types (or the family's default pattern) -> m.layer_pattern; `fallback` when absent.
void read_layer_types(const Config& c, config::ModelSpec& m, const std::string& fallback);
void read_deepseek_moe(const Config& c, config::ModelSpec& m);
void read_mla(const Config& c, config::ModelSpec& m);
void read_gemma(const Config& c, const std::string& type, config::ModelSpec& m);
void read_qwen3_next(const Config& c, config::ModelSpec& m);
/// SigLIP vision tower + Gemma 3 projector weights from vision_config (0 when absent).
double gemma3_vision_params(const Config& root, int text_hidden);

}  // namespace infersim::workload::hf
