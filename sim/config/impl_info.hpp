// What a config loader needs to know of a registered implementation: its name, its doc and its
// field table. Implementations live in lower-level folders (hardware/, workload/); their
// registries hand the loaders this view, so config/ reads `impl:` and the impl's own fields
// without knowing the implementation (dependency inversion: the loader is given the registry).
#pragma once
#include <ostream>
#include <span>
#include <string_view>

#include "config/fields.hpp"
#include "core/registry.hpp"

namespace infersim::config {

template <class Spec>
struct ImplInfo {
    std::string_view name;
    std::string_view doc;
    std::span<const Field<Spec>> fields;   // read after the axis's common fields
};

/// Prints every implementation of a registry with its fields, for `infersim describe`.
template <class Entry>
void print_registry(std::ostream& out, const core::Registry<Entry>& r) {
    out << r.axis() << ": " << r.axis_doc() << "\n";
    for (const Entry& e : r.entries()) {
        out << "\n  impl: " << e.name << "\n    " << e.doc << "\n";
        for (const auto& f : e.fields)
            out << "    " << f.name << std::string(f.name.size() < 20 ? 20 - f.name.size() : 1, ' ') << f.type
                << (f.required ? ", required" : ", default " + std::string(f.default_text)) << "\n        " << f.description << "\n";
    }
}

}  // namespace infersim::config
