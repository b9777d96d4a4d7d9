// Self-describing parameters (SST-style): each spec's loader is a table of fields with a name,
// type, default and description. The same table reads the YAML, rejects unknown keys with a
// "did you mean" hint, reports missing required keys, and prints the schema for `describe`.
#pragma once
#include <initializer_list>
#include <ostream>
#include <utility>
#include <span>
#include <string>
#include <string_view>

#include "config/yaml_node.hpp"

namespace infersim::config {

template <class Spec>
struct Field {
    std::string_view name;
    std::string_view type;         // shown by `describe`, e.g. "bytes", "time", "map of pools"
    bool required;
    std::string_view default_text; // shown by `describe`; the real default is the spec's initializer
    std::string_view description;
    void (*read)(Spec&, const Node&);
};

/// The closest of `candidates` to `word`, or "" when none is close (edit distance <= 3).
std::string closest_match(std::string_view word, std::span<const std::string_view> candidates);

/// Throws "unknown key" with a suggestion.
[[noreturn]] void fail_unknown_key(const Node& parent, const std::string& key,
                                   std::span<const std::string_view> known);

/// Reads `node` (a mapping) into `spec` by `fields`. Keys in `ignored` are skipped silently
/// (e.g. `extends`, handled by the caller).
template <class Spec>
void read_fields(Spec& spec, const Node& node, std::span<const Field<Spec>> fields,
                 std::span<const std::string_view> ignored = {}) {
    if (!node.is_map()) node.fail("expected a mapping of keys to values");
    std::vector<std::string_view> names;
    for (const auto& f : fields) names.push_back(f.name);
    for (const std::string& key : node.keys()) {
        bool skip = false;
        for (auto ig : ignored) skip = skip || ig == key;
        if (skip) continue;
        bool known = false;
        for (auto n : names) known = known || n == key;
        if (!known) fail_unknown_key(node, key, names);
    }
    for (const auto& f : fields) {
        Node child = node.child(std::string(f.name));
        if (child.defined())
            f.read(spec, child);
        else if (f.required)
            node.fail("missing required key '" + std::string(f.name) + "' (" + std::string(f.description) + ")");
    }
}

/// The entry `key` of a mapping of named entries (pools, units, links), which must itself be
/// a mapping of the entry's fields.
inline Node named_entry(const Node& map, const std::string& key) {
    Node entry = map.child(key);
    if (!entry.is_map())
        throw InputError(entry.defined() ? entry.location() : map.key_location(key), entry.path(),
                         "expected a mapping of the entry's fields, got " + std::string(entry.defined() ? "a value" : "nothing"));
    return entry;
}

/// Reads a scalar that must be one of `choices` (name -> value); the error lists them.
template <class E>
E as_enum(const Node& n, std::initializer_list<std::pair<std::string_view, E>> choices) {
    const std::string v = n.as_string();
    std::string names;
    for (const auto& [name, value] : choices) {
        if (name == v) return value;
        names += names.empty() ? std::string(name) : ", " + std::string(name);
    }
    n.fail("expected one of " + names + ", got '" + v + "'");
}

/// Prints a field table as aligned text.
template <class Spec>
void print_fields(std::ostream& out, std::string_view title, std::span<const Field<Spec>> fields) {
    out << title << "\n";
    for (const auto& f : fields) {
        out << "  " << f.name << std::string(f.name.size() < 22 ? 22 - f.name.size() : 1, ' ') << f.type
            << (f.required ? ", required" : ", default " + std::string(f.default_text)) << "\n      "
            << f.description << "\n";
    }
}

}  // namespace infersim::config
