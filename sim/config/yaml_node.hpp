// A read-only view of YAML input that knows where every value came from. With `extends:`, a
// view stacks several files (most-derived first) and a lookup takes the first that has the key,
// so every error still names the file and line the value was written on.
#pragma once
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "config/errors.hpp"
#include "config/units.hpp"

namespace infersim::config {

/// Limits that keep hostile files cheap to reject.
inline constexpr std::uintmax_t kMaxInputFileBytes = 1u << 20;  // 1 MiB: shipped machines are ~5 KB
inline constexpr int kMaxNestingDepth = 64;
// Lines may be as long as the file (a flow mapping on one line): the size cap bounds memory.
inline constexpr std::size_t kMaxYamlLineBytes = kMaxInputFileBytes;

/// Parses a YAML file (or text) into a node, checking size, encoding, nesting depth and
/// duplicate keys. Throws InputError with file:line:column on any problem.
YAML::Node load_yaml_file(const std::string& path);
YAML::Node load_yaml_text(const std::string& text, const std::string& name);

class Node {
public:
    struct Layer {
        YAML::Node node;
        std::string file;
    };

    Node() = default;
    Node(YAML::Node node, std::string file, std::string path = "");
    /// Puts `base` under this node: keys missing here are looked up in `base`.
    Node with_base(const Node& base) const;

    bool defined() const { return !layers_.empty(); }
    bool is_map() const;
    bool is_scalar() const;
    bool is_sequence() const;
    bool has(const std::string& key) const;
    /// The child at `key`, or an undefined Node.
    Node child(const std::string& key) const;
    /// Keys of a mapping, derived files first, each once.
    std::vector<std::string> keys() const;
    /// Items of a sequence (from the most-derived file that has it).
    std::vector<Node> items() const;

    const std::string& path() const { return path_; }
    SourceLocation location() const;
    const std::string& file() const;

    /// Throws InputError at this node: "file:line:col: field 'path': message".
    [[noreturn]] void fail(const std::string& message) const;
    /// Where `key` itself is written in this mapping (useful when its value is empty).
    SourceLocation key_location(const std::string& key) const;

    std::string as_string() const;
    bool as_bool() const;
    /// A quantity in SI units, checked to lie in [min, max].
    double as_quantity(Dimension d, double min, double max) const;
    /// A whole number in [min, max].
    std::int64_t as_integer(std::int64_t min, std::int64_t max) const;

    /// All layers merged into one YAML tree (derived values win), for provenance output.
    YAML::Node merged() const;

private:
    const YAML::Node& front() const { return layers_.front().node; }
    std::vector<Layer> layers_;
    std::string path_;
    SourceLocation parent_where_;  // where an undefined (missing or null) child is reported
};

/// A quantity that must be above zero (a capacity, a clock, a bandwidth), at most `max`.
inline double positive(const Node& n, Dimension d, double max = 1e18) {
    return n.as_quantity(d, std::numeric_limits<double>::min(), max);
}

}  // namespace infersim::config
