// Loading YAML safely and reading typed values from it.
#include "config/yaml_node.hpp"

#include "config/bounded_read.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unordered_set>

namespace infersim::config {
namespace {

SourceLocation at(const YAML::Mark& mark, const std::string& file) {
    if (mark.is_null()) return SourceLocation{file, 0, 0};
    return SourceLocation{file, mark.line + 1, mark.column + 1};
}

// Rejects nesting deeper than kMaxNestingDepth, duplicate mapping keys, and documents whose
// aliases expand to more than kMaxExpandedNodes nodes (alias bombs, "billion laughs").
constexpr std::size_t kMaxExpandedNodes = 1'000'000;

void check_tree(const YAML::Node& node, const std::string& file, int depth, std::size_t& visited) {
    if (depth > kMaxNestingDepth)
        throw InputError(at(node.Mark(), file), "", "nesting deeper than " + std::to_string(kMaxNestingDepth) + " levels");
    if (++visited > kMaxExpandedNodes)
        throw InputError(at(node.Mark(), file), "",
                         "document expands to more than " + std::to_string(kMaxExpandedNodes) +
                             " nodes (alias bomb?)");
    if (node.IsMap()) {
        std::unordered_set<std::string> keys;
        for (auto it = node.begin(); it != node.end(); ++it) {
            if (!it->first.IsScalar())
                throw InputError(at(it->first.Mark(), file), "", "mapping keys must be plain names");
            const std::string key = it->first.Scalar();
            if (!keys.insert(key).second)
                throw InputError(at(it->first.Mark(), file), key, "duplicate key");
            check_tree(it->second, file, depth + 1, visited);
        }
    } else if (node.IsSequence()) {
        for (const auto& item : node) check_tree(item, file, depth + 1, visited);
    }
}

// The line of a "---" document marker that follows content, or of content after a "..."
// document end (which yaml-cpp would silently ignore) (1-based), or 0.
int second_document_line(const std::string& text) {
    bool content = false, ended = false;
    int line = 0;
    for (std::size_t pos = 0; pos < text.size();) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string::npos) end = text.size();
        ++line;
        const std::string_view l(text.data() + pos, end - pos);
        const auto is_marker = [&](std::string_view m) {
            return l.substr(0, 3) == m && (l.size() == 3 || l[3] == ' ' || l[3] == '\t' || l[3] == '\r');
        };
        const bool marker = is_marker("---"), closes = is_marker("...");
        if (marker && content) return line;
        const std::size_t first = l.find_first_not_of(" \t\r");
        const bool text_here = !marker && !closes && first != std::string_view::npos && l[first] != '#' && l[first] != '%';
        if ((text_here || marker) && ended) return line;
        if (text_here) content = true;
        ended = ended || closes;
        pos = end + 1;
    }
    return 0;
}

YAML::Node parse(const std::string& text, const std::string& name) {
    if (text.find('\0') != std::string::npos)
        throw InputError(SourceLocation{name, 1, 1}, "", "binary data (NUL byte); expected a YAML text file");
    try {
        // yaml-cpp's LoadAll loops forever on some inputs (a lone ","), so a second document is
        // found by its marker instead: a "---" line after the first document's content.
        if (int line = second_document_line(text); line > 0)
            throw InputError(SourceLocation{name, line, 1}, "", "more than one YAML document ('---', or text after '...'); expected exactly one");
        YAML::Node root = YAML::Load(text);
        std::size_t visited = 0;
        check_tree(root, name, 0, visited);
        return root;
    } catch (const YAML::Exception& e) {
        throw InputError(at(e.mark, name), "", "YAML syntax error: " + e.msg);
    }
}

std::string join(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
}

}  // namespace

YAML::Node load_yaml_text(const std::string& text, const std::string& name) { return parse(text, name); }

YAML::Node load_yaml_file(const std::string& path) {
    return parse(read_bounded(path, ReadLimits{kMaxInputFileBytes, kMaxYamlLineBytes}), path);
}

Node::Node(YAML::Node node, std::string file, std::string path) : path_(std::move(path)) {
    if (node.IsDefined() && !node.IsNull()) layers_.push_back(Layer{node, std::move(file)});
}

Node Node::with_base(const Node& base) const {
    Node out = *this;
    out.layers_.insert(out.layers_.end(), base.layers_.begin(), base.layers_.end());
    return out;
}

bool Node::is_map() const { return defined() && front().IsMap(); }
bool Node::is_scalar() const { return defined() && front().IsScalar(); }
bool Node::is_sequence() const { return defined() && front().IsSequence(); }

bool Node::has(const std::string& key) const { return child(key).defined(); }

Node Node::child(const std::string& key) const {
    Node out;
    out.path_ = join(path_, key);
    out.parent_where_ = location();
    for (const Layer& l : layers_) {
        if (!l.node.IsMap()) break;  // a scalar or list in a derived file replaces the base wholesale
        YAML::Node c = l.node[key];
        if (c.IsDefined() && !c.IsNull()) out.layers_.push_back(Layer{c, l.file});
        if (c.IsDefined() && !c.IsMap()) break;
    }
    return out;
}

std::vector<std::string> Node::keys() const {
    std::vector<std::string> out;
    std::unordered_set<std::string> seen;
    for (const Layer& l : layers_) {
        if (!l.node.IsMap()) break;
        for (auto it = l.node.begin(); it != l.node.end(); ++it)
            if (seen.insert(it->first.Scalar()).second) out.push_back(it->first.Scalar());
    }
    return out;
}

std::vector<Node> Node::items() const {
    std::vector<Node> out;
    if (!is_sequence()) return out;
    std::size_t i = 0;
    for (const auto& item : front()) out.emplace_back(item, file(), path_ + "[" + std::to_string(i++) + "]");
    return out;
}

const std::string& Node::file() const {
    static const std::string kNone;
    return layers_.empty() ? kNone : layers_.front().file;
}

SourceLocation Node::location() const {
    if (layers_.empty()) return parent_where_;  // a null value: at least its file
    return at(front().Mark(), file());
}

void Node::fail(const std::string& message) const { throw InputError(location(), path_, message); }

SourceLocation Node::key_location(const std::string& key) const {
    for (const Layer& l : layers_) {
        if (!l.node.IsMap()) break;
        for (auto it = l.node.begin(); it != l.node.end(); ++it)
            if (it->first.Scalar() == key) return at(it->first.Mark(), l.file);
    }
    return location();
}

std::string Node::as_string() const {
    if (!is_scalar()) fail("expected a text value");
    return front().Scalar();
}

bool Node::as_bool() const {
    const std::string s = as_string();
    if (s == "true" || s == "yes" || s == "on") return true;
    if (s == "false" || s == "no" || s == "off") return false;
    fail("expected true or false, got '" + s + "'");
}

double Node::as_quantity(Dimension d, double min, double max) const {
    if (!is_scalar()) fail("expected " + describe(d));
    std::string why;
    auto v = parse_quantity(front().Scalar(), d, &why);
    if (!v) fail(why);
    if (*v < min || *v > max) {
        std::ostringstream msg;
        msg << "value " << front().Scalar() << " out of range: expected between " << min << " and " << max
            << " (SI units)";
        fail(msg.str());
    }
    return *v;
}

std::int64_t Node::as_integer(std::int64_t min, std::int64_t max) const {
    double v = as_quantity(Dimension::count, static_cast<double>(min), static_cast<double>(max));
    if (v != std::floor(v)) fail("expected a whole number, got '" + front().Scalar() + "'");
    return static_cast<std::int64_t>(v);
}

YAML::Node Node::merged() const {
    if (layers_.empty()) return YAML::Node();
    if (!front().IsMap()) return YAML::Clone(front());
    YAML::Node out(YAML::NodeType::Map);
    for (const std::string& k : keys()) out[k] = child(k).merged();
    return out;
}

}  // namespace infersim::config
