// Override layers on YAML documents.
#include "config/overrides.hpp"

#include <algorithm>

namespace infersim::config {
namespace {

std::vector<std::string> split_path(const std::string& path) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (std::size_t dot; (dot = path.find('.', start)) != std::string::npos; start = dot + 1) parts.push_back(path.substr(start, dot - start));
    parts.push_back(path.substr(start));
    return parts;
}

std::string listing(const Node& map) {
    std::string out;
    for (const std::string& k : map.keys()) out += (out.empty() ? "" : ", ") + printable(k, 80);
    return out.empty() ? "nothing" : out;
}

// A mapping of named entries: non-empty, and every entry a mapping (pools, units, agents).
bool named_entries(const Node& map) {
    const std::vector<std::string> keys = map.keys();
    return !keys.empty() && std::all_of(keys.begin(), keys.end(), [&](const std::string& k) { return map.child(k).is_map(); });
}

std::string full_name(const Override& o) { return o.document.empty() ? o.path : o.document + "." + o.path; }

// Refuses a path that does not fit the document (see apply_overrides).
void check_path(const Node& root, const Override& o, const std::vector<std::string>& parts) {
    Node at = root;
    std::string walked = o.document.empty() ? "the scenario" : o.document;
    auto fail = [&](const std::string& message) { throw InputError(o.where, full_name(o), message); };
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const bool last = i + 1 == parts.size();
        if (at.defined() && !at.is_map()) fail("'" + walked + "' is " + (at.is_sequence() ? "a list" : "a value") + ", not a mapping with a key '" + parts[i] + "'");
        if (at.defined() && !at.has(parts[i]) && named_entries(at))
            fail("'" + walked + "' has no entry '" + printable(parts[i], 80) + "'; it has: " + listing(at));
        at = at.defined() ? at.child(parts[i]) : Node();
        walked = (i == 0 && o.document.empty()) ? parts[i] : walked + "." + parts[i];
        if (last && at.is_map() && !(o.value.size() > 0 && o.value.front() == '{'))
            fail("'" + walked + "' is a mapping; name one of its fields: " + listing(at));
    }
}

YAML::Node value_node(const Override& o) {
    if (!o.value.empty() && (o.value.front() == '[' || o.value.front() == '{')) return load_yaml_text(o.value, o.origin);
    return YAML::Node(o.value);
}

}  // namespace

Override make_override(const std::string& full_path, std::string value, const SourceLocation& where, std::string origin) {
    Override o{"", full_path, std::move(value), where, std::move(origin)};
    const std::size_t dot = full_path.find('.');
    if (dot != std::string::npos &&
        std::find(std::begin(kOverrideDocuments), std::end(kOverrideDocuments), full_path.substr(0, dot)) != std::end(kOverrideDocuments)) {
        o.document = full_path.substr(0, dot);
        o.path = full_path.substr(dot + 1);
    }
    for (const std::string& part : split_path(o.path))
        if (part.empty()) throw InputError(where, printable(full_path, 200), "expected a dotted path of keys (e.g. machine.memory.unified.channels)");
    return o;
}

Override parse_set(const std::string& argument) {
    const std::string origin = "--set " + printable(argument, 200);
    const std::size_t eq = argument.find('=');
    if (eq == std::string::npos || eq == 0)
        throw InputError(SourceLocation{origin, 0, 0}, "", "expected PATH=VALUE, e.g. machine.memory.unified.channels=8");
    return make_override(argument.substr(0, eq), argument.substr(eq + 1), SourceLocation{origin, 0, 0}, origin);
}

bool overrides_document(const std::vector<Override>& overrides, std::string_view document) {
    return std::any_of(overrides.begin(), overrides.end(), [&](const Override& o) { return o.document == document; });
}

Node apply_overrides(const Node& root, const std::vector<Override>& overrides, std::string_view document) {
    Node out = root;
    for (const Override& o : overrides) {
        if (o.document != document) continue;
        const std::vector<std::string> parts = split_path(o.path);
        check_path(out, o, parts);
        YAML::Node layer(YAML::NodeType::Map);
        YAML::Node at = layer;
        for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
            at[parts[i]] = YAML::Node(YAML::NodeType::Map);
            at.reset(at[parts[i]]);
        }
        at[parts.back()] = value_node(o);
        Node top(layer, o.origin);
        out = out.defined() ? top.with_base(out) : top;
    }
    return out;
}

}  // namespace infersim::config
