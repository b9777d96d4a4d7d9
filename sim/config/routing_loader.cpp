// The scenario's `routing:` value: a mode name, a histogram written inline, or a histogram file.
#include <filesystem>

#include "config/routing_spec.hpp"

namespace infersim::config {
namespace {

constexpr std::string_view kExpected =
    "expected independent, identical, a histogram file, {histogram: [counts per expert]} or {file: PATH}";

std::vector<double> histogram_row(const Node& n) {
    if (!n.is_sequence()) n.fail("expected a list of counts (or shares), one per expert");
    std::vector<double> row;
    double sum = 0;
    for (const Node& item : n.items()) {
        row.push_back(item.as_quantity(Dimension::count, 0, 1e18));
        sum += row.back();
    }
    if (row.size() < 2) n.fail("expected one count per expert (at least two experts)");
    if (!(sum > 0)) n.fail("expected some expert with a positive count");
    return row;
}

/// [c0, c1, ...] (every MoE layer) or [[...], [...], ...] (one row per MoE layer).
std::vector<std::vector<double>> histogram(const Node& n) {
    if (!n.is_sequence()) n.fail("expected a list of counts per expert, or a list of such lists (one per MoE layer)");
    const std::vector<Node> items = n.items();
    if (items.empty()) n.fail("expected at least one expert count");
    if (!items.front().is_sequence()) return {histogram_row(n)};
    std::vector<std::vector<double>> rows;
    for (const Node& item : items) rows.push_back(histogram_row(item));
    return rows;
}

std::vector<std::vector<double>> histogram_file(const Node& n, const std::string& path) {
    namespace fs = std::filesystem;
    fs::path p(path);
    std::error_code ec;
    // Relative to the file that names it; from the command line, relative to the working directory.
    if (p.is_relative() && fs::is_regular_file(n.file(), ec)) p = fs::path(n.file()).parent_path() / p;
    if (!fs::is_regular_file(p, ec)) n.fail("no histogram file '" + p.string() + "'; " + std::string(kExpected));
    const Node root(load_yaml_file(p.string()), p.string());
    if (root.is_sequence()) return histogram(root);
    if (!root.is_map() || !root.has("histogram")) root.fail("expected `histogram: [...]` (or a bare list) in the routing file");
    for (const std::string& k : root.keys())
        if (k != "histogram") root.fail("unknown key '" + k + "' in the routing file; expected only `histogram`");
    return histogram(root.child("histogram"));
}

}  // namespace

RoutingSpec read_routing(const Node& n) {
    RoutingSpec r;
    r.where = n.location();
    if (n.is_scalar()) {
        const std::string v = n.as_string();
        if (v == "independent") return r;
        if (v == "identical") {
            r.mode = Routing::identical;
            return r;
        }
        r.mode = Routing::histogram;
        r.histogram = histogram_file(n, v);
        return r;
    }
    if (!n.is_map()) n.fail(std::string(kExpected));
    const std::vector<std::string> keys = n.keys();
    if (keys.size() != 1 || (keys[0] != "histogram" && keys[0] != "file"))
        n.fail("expected exactly one of `histogram:` or `file:` in the mapping; " + std::string(kExpected));
    r.mode = Routing::histogram;
    r.histogram = keys[0] == "histogram" ? histogram(n.child("histogram")) : histogram_file(n.child("file"), n.child("file").as_string());
    return r;
}

}  // namespace infersim::config
