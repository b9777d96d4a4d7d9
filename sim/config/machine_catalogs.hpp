// The registered implementations a machine file may name, as the machine loader sees them:
// compute units (`impl:`), channel models (`channel_model:`) and power models (`power.impl`).
// The hardware layer owns the registries and hands the loader this view (hw::machine_catalogs),
// so config/ validates names and reads each implementation's own fields without depending on
// hardware/.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "config/impl_info.hpp"
#include "config/machine_spec.hpp"

namespace infersim::config {

/// The implementations of one axis, by name.
template <class Spec>
class ImplCatalog {
public:
    ImplCatalog() = default;
    /// A view of a registry whose entries derive from ImplInfo<Spec>; the registry must outlive it.
    template <class Entry>
    explicit ImplCatalog(const core::Registry<Entry>& r) {
        for (const Entry& e : r.entries()) impls_.push_back(&e);
        names_ = r.name_list();
    }
    const ImplInfo<Spec>* find(std::string_view name) const {
        for (const ImplInfo<Spec>* i : impls_) if (i->name == name) return i;
        return nullptr;
    }
    std::vector<std::string_view> names() const {
        std::vector<std::string_view> out;
        for (const ImplInfo<Spec>* i : impls_) out.push_back(i->name);
        return out;
    }
    /// "a, b or c", for error messages.
    const std::string& name_list() const { return names_; }
    bool empty() const { return impls_.empty(); }

private:
    std::vector<const ImplInfo<Spec>*> impls_;
    std::string names_;
};

struct MachineCatalogs {
    ImplCatalog<ComputeUnitSpec> units;
    ImplCatalog<PoolSpec> channel_models;
    ImplCatalog<PowerSpec> power_models;
    ImplCatalog<ThermalSpec> thermal_models;   // `thermal.impl`
};

}  // namespace infersim::config
