// Sweep files: axes, ranges, expansion and per-point scenarios.
#include "sweep/sweep_spec.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "config/fields.hpp"
#include "config/layered_file.hpp"
#include "scenario/scenario_run.hpp"

namespace infersim::sweep {
namespace {

constexpr std::size_t kMaxAxisValues = 100'000;

std::string format_number(double v) {
    std::ostringstream s;
    s.precision(15);
    s << v;
    return s.str();
}

// A list, or a range {from, to, step} / {from, to, factor} (inclusive).
std::vector<std::string> axis_values(const config::Node& n) {
    std::vector<std::string> out;
    if (n.is_sequence()) {
        for (const config::Node& item : n.items()) out.push_back(item.as_string());
        if (out.empty()) n.fail("an axis needs at least one value");
        if (out.size() > kMaxAxisValues) n.fail("more than " + std::to_string(kMaxAxisValues) + " values on one axis");
        return out;
    }
    if (!n.is_map()) n.fail("expected a list of values or a range {from, to, step} / {from, to, factor}");
    for (const std::string& k : n.keys())
        if (k != "from" && k != "to" && k != "step" && k != "factor") {
            constexpr std::string_view known[] = {"from", "to", "step", "factor"};
            config::fail_unknown_key(n, k, known);
        }
    if (!n.has("from") || !n.has("to")) n.fail("a range needs 'from' and 'to'");
    if (n.has("step") == n.has("factor")) n.fail("a range needs exactly one of 'step' or 'factor'");
    const double from = n.child("from").as_quantity(config::Dimension::count, -1e15, 1e15);
    const double to = n.child("to").as_quantity(config::Dimension::count, -1e15, 1e15);
    if (n.has("step")) {
        const double step = n.child("step").as_quantity(config::Dimension::count, 1e-12, 1e15);
        const double count = std::floor((to - from) / step + 1e-9) + 1;
        if (count < 1) n.fail("empty range: 'to' is below 'from'");
        if (count > kMaxAxisValues) n.child("step").fail("range has more than " + std::to_string(kMaxAxisValues) + " values");
        for (double i = 0; i < count; ++i) out.push_back(format_number(from + i * step));
    } else {
        const double factor = n.child("factor").as_quantity(config::Dimension::count, 1.0000001, 1e6);
        if (from <= 0) n.child("from").fail("a geometric range needs a positive 'from'");
        for (double v = from; v <= to * (1 + 1e-12); v *= factor) {
            out.push_back(format_number(v));
            if (out.size() > kMaxAxisValues) n.fail("range has more than " + std::to_string(kMaxAxisValues) + " values");
        }
        if (out.empty()) n.fail("empty range: 'to' is below 'from'");
    }
    return out;
}

}  // namespace

SweepSpec SweepSpec::load(const std::string& path, const std::vector<config::Override>& sets, const config::SearchPaths& paths) {
    SweepSpec s;
    s.file_ = path;
    config::Node root = config::load_layered(path);
    for (const std::string& k : root.keys())
        if (k != "base" && k != "axes" && k != "mode" && k != "extends") {
            constexpr std::string_view known[] = {"base", "axes", "mode"};
            config::fail_unknown_key(root, k, known);
        }
    s.base_dir_ = std::filesystem::path(path).parent_path().string();
    config::Node base = root.child("base");
    if (!base.defined()) root.fail("missing required key 'base' (a scenario file or mapping)");
    if (base.is_scalar()) {
        std::filesystem::path p = std::filesystem::path(s.base_dir_) / base.as_string();
        std::error_code ec;
        if (!std::filesystem::is_regular_file(p, ec)) base.fail("base scenario '" + p.string() + "' not found");
        s.base_ = config::load_layered(p.string());
        s.base_file_ = p.string();
        s.base_dir_ = p.parent_path().string();
    } else if (base.is_map()) {
        s.base_ = base;
    } else {
        base.fail("expected a scenario file name or a scenario mapping");
    }
    s.base_ = config::apply_overrides(s.base_, sets, "");
    for (const config::Override& o : sets)
        if (!o.document.empty()) s.document_sets_.push_back(o);
    if (root.has("mode")) {
        std::string mode = root.child("mode").as_string();
        if (mode == "zip") s.zip_ = true;
        else if (mode != "cross") root.child("mode").fail("expected cross or zip, got '" + mode + "'");
    }
    config::Node axes = root.child("axes");
    if (!axes.is_map()) (axes.defined() ? axes : root).fail("expected 'axes': a mapping of scenario keys to values");
    double total = s.zip_ ? 0 : 1;
    for (const std::string& k : axes.keys()) {
        // A point's values sit on top of the base; 'extends' there would load another file per
        // point and is not a scenario value.
        if (k == "extends" || k.rfind("extends.", 0) == 0 || k.find(".extends") != std::string::npos)
            axes.child(k).fail("'" + k + "' cannot be a sweep axis: 'extends' names a file, not a scenario value; sweep the values it sets");
        Axis a{k, axis_values(axes.child(k))};
        if (s.zip_) {
            if (!s.axes_.empty() && a.values.size() != s.axes_.front().values.size())
                axes.child(k).fail("zip mode: every axis needs " + std::to_string(s.axes_.front().values.size()) + " values");
            total = static_cast<double>(a.values.size());
        } else {
            total *= static_cast<double>(a.values.size());
        }
        s.axes_.push_back(std::move(a));
    }
    if (total > static_cast<double>(kMaxSweepPoints))
        axes.fail("sweep expands to " + format_number(total) + " points; the limit is " + std::to_string(kMaxSweepPoints));
    // Validate every axis value against the schema once, on the first point that uses it; an
    // error names the value's line in the sweep file and that point. The resolved scenarios
    // also make the sweep's identity.
    std::uint64_t hash = 1469598103934665603ULL;  // FNV-1a
    auto mix = [&](const std::string& text) {
        for (unsigned char c : text) hash = (hash ^ c) * 1099511628211ULL;
        hash = (hash ^ 0xff) * 1099511628211ULL;
    };
    mix(s.zip_ ? "zip" : "cross");
    for (const config::Override& o : sets) mix(o.origin);
    for (std::size_t a = 0; a < s.axes_.size(); ++a) {
        const config::Node axis = axes.child(s.axes_[a].key);
        const bool of_document = !config::make_override(s.axes_[a].key, "", axis.location(), "").document.empty();
        mix(s.axes_[a].key);
        for (std::size_t v = 0; v < s.axes_[a].values.size(); ++v) {
            const Point p = s.point(s.index_with(a, v));
            try {
                mix(s.axes_[a].values[v]);
                const config::ScenarioSpec sc = s.scenario(p);
                mix(sc.resolved_yaml);
                // A machine/model/runtime value is read by that document's loader: run it now.
                if (of_document) scenario::resolve_inputs(sc, paths);
            } catch (const config::InputError& e) {
                if (!of_document && e.where().file.find(" (point ") == std::string::npos) throw;  // the base's own fault
                if (of_document && e.where().file.find(" (point ") == std::string::npos) {
                    const config::Node at = axis.is_sequence() ? axis.items()[v] : axis;
                    at.fail("point " + std::to_string(p.index) + " (" + p.key + "): " + e.what());
                }
                const config::Node at = axis.is_sequence() ? axis.items()[v] : axis;
                at.fail("point " + std::to_string(p.index) + " (" + p.key + "): " + (e.field().empty() ? "" : "field '" + e.field() + "': ") +
                        e.detail());
            }
        }
    }
    if (s.axes_.empty()) mix(s.scenario(s.point(0)).resolved_yaml);
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
    s.identity_ = hex;
    return s;
}

std::uint64_t SweepSpec::index_with(std::size_t a, std::size_t v) const {
    if (zip_) return v;
    std::uint64_t stride = 1;
    for (std::size_t b = a + 1; b < axes_.size(); ++b) stride *= axes_[b].values.size();
    return v * stride;
}

std::vector<std::string> SweepSpec::inputs() const {
    std::vector<std::string> files{file_};
    if (!base_file_.empty()) files.push_back(base_file_);
    return files;
}

std::uint64_t SweepSpec::size() const {
    if (axes_.empty()) return 1;
    if (zip_) return axes_.front().values.size();
    std::uint64_t n = 1;
    for (const Axis& a : axes_) n *= a.values.size();
    return n;
}

Point SweepSpec::point(std::uint64_t index) const {
    Point p;
    p.index = index;
    // Cross mode: the last axis varies fastest, like nested loops in the order written.
    std::uint64_t rest = index;
    std::vector<std::size_t> pick(axes_.size());
    for (std::size_t a = axes_.size(); a-- > 0;) {
        if (zip_) {
            pick[a] = static_cast<std::size_t>(index);
            continue;
        }
        pick[a] = static_cast<std::size_t>(rest % axes_[a].values.size());
        rest /= axes_[a].values.size();
    }
    for (std::size_t a = 0; a < axes_.size(); ++a) {
        p.values.emplace_back(axes_[a].key, axes_[a].values[pick[a]]);
        if (!p.key.empty()) p.key += ",";
        p.key += axes_[a].key + "=" + axes_[a].values[pick[a]];
    }
    return p;
}

config::ScenarioSpec SweepSpec::scenario(const Point& p) const {
    // Each value is an override (config/overrides.hpp): dotted keys address nested fields of the
    // scenario (sim.chunk) or of the machine, model or runtime it names.
    const std::string origin = file_ + " (point " + std::to_string(p.index) + ": " + p.key + ")";
    std::vector<config::Override> values;
    for (const auto& [key, value] : p.values) values.push_back(config::make_override(key, value, config::SourceLocation{origin, 0, 0}, origin));
    config::ScenarioSpec s = config::read_scenario(config::apply_overrides(base_, values, ""));
    s.base_dir = base_dir_;
    s.overrides = document_sets_;
    for (config::Override& o : values)
        if (!o.document.empty()) s.overrides.push_back(std::move(o));
    return s;
}

}  // namespace infersim::sweep
