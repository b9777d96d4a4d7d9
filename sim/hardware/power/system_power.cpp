// Power model `system`: whole-system power, structured as AccelWattch (MICRO'21) is for a GPU.
// Per unit: constant + static by power state (off, idle, active) + dynamic (the ops' energy,
// scaled by (V/V_nom)^2 at the unit's DVFS point). A unit is active for the whole span of each
// op it runs, stalls on memory and launch gaps included: an issuing GPU pays its static power
// whether its ALUs are busy or not. The host CPU: one core while an accelerator works when the
// runtime spins (CUDA's default sync), nothing extra when it blocks. Memory: device energy per
// bit and per activation (the pool's DRAM standard), PHY/controller and fabric energy per bit,
// background power (self-refresh for idle spans). Links per bit. Platform parts (display at a
// brightness, SSD, network, fans) and the PSU/adapter loss from its efficiency curve.
// Figures live in the machine's `power:` section (system_params.hpp); a missing required one is
// an error, a defaulted optional one is named in defaults() (the summary's power_defaults).
#include "hardware/power/power_models.hpp"
#include "hardware/power/system_params.hpp"

#include <stdexcept>

namespace infersim::hw {
namespace {


template <class T>
const T* find_named(const std::vector<T>& v, const std::string& name) {
    for (const T& x : v)
        if (x.name == name) return &x;
    return nullptr;
}

class SystemPower final : public PowerModel {
public:
    SystemPower(const config::MachineSpec& m, const PowerContext& ctx)
        : PowerModel(m), p_(impl_params_or_default<SystemPowerParams>(m.power)) {
        constant_w_.assign(domain_count(), 0.0);
        bind_units(m, ctx);
        bind_memory(m);
        bind_rest(m);
        check_dynamic_figures(m);
        for (std::size_t u = 0; u < m.units.size(); ++u) price_unit(u);
    }

    double dram_energy_j(const ChannelActivity& a) const override {
        double j = 0;
        for (const DramPrice& p : dram_[a.pool]) j += static_cast<double>(a.bytes) * (a.write ? p.write_j_per_byte : p.read_j_per_byte);
        return j;
    }
    std::span<const DramPrice> dram_prices(std::uint32_t pool) const override { return dram_[pool]; }
    double link_energy_j(std::uint32_t link, std::uint64_t bytes) const override { return 8.0 * static_cast<double>(bytes) * link_j_per_bit_[link]; }
    double cache_energy_j(std::uint32_t cache, std::uint64_t bytes) const override {
        return static_cast<double>(bytes) * machine().caches[cache].energy_j_per_byte;
    }
    double compute_energy_j(std::uint32_t, Tick, double dynamic_j) const override { return dynamic_j; }
    std::span<const SpanPrice> op_span_prices(std::uint32_t unit) const override { return span_[unit]; }
    double constant_power_w(std::size_t domain) const override { return constant_w_[domain]; }
    double supply_loss_j(double dc_j, double seconds) const override {
        return seconds > 0 ? hw::supply_loss_w(p_.supply, dc_j / seconds) * seconds : 0;
    }

    double idle_power_w(bool self_refresh) const override {
        double w = 0;
        for (std::size_t d = 0; d < domain_count(); ++d) w += constant_w_[d];
        if (self_refresh)
            for (std::size_t p = 0; p < pools_.size(); ++p) w += pools_[p].self_refresh - pools_[p].background;
        for (const PartPower& part : p_.parts) w += part.idle_w - part.active_w;
        return w;
    }
    double unit_state_power_w(std::size_t unit, UnitState state) const override {
        const UnitPower& u = *units_[unit];
        const double s = state == UnitState::off ? u.off_w : state == UnitState::idle ? u.idle_w : u.active_w;
        return u.constant_w + s;
    }

private:
    struct PoolFigures {
        double background = 0, self_refresh = 0;
    };

    void bind_units(const config::MachineSpec& m, const PowerContext& ctx) {
        units_.resize(m.units.size());
        const HostPower& h = p_.host;
        spins_ = h.set && (h.sync == HostPower::Sync::spin || (h.sync == HostPower::Sync::runtime && ctx.host_spins));
        if (!h.set) add_default("power.host: 0 W (no host CPU figures; a spinning runtime costs nothing)");
        host_ = add_domain("host", DomainKind::host, h.on_soc);
        constant_w_.push_back(h.idle_w);
        for (std::size_t u = 0; u < m.units.size(); ++u) {
            units_[u] = find_named(p_.units, m.units[u].name);
            if (!units_[u])
                throw config::InputError(p_.units_where, "power.units",
                                         "no power figures for compute unit '" + m.units[u].name + "' (power model system needs idle and active for every unit)");
            const UnitPower& up = *units_[u];
            constant_w_[unit_domain(u)] = up.constant_w + (up.gated ? up.off_w : up.idle_w);
        }
        for (const UnitPower& up : p_.units)
            if (!m.unit(up.name)) throw config::InputError(p_.units_where, "power.units." + up.name, "the machine has no compute unit '" + up.name + "'");
        span_.resize(m.units.size());
    }

    void bind_memory(const config::MachineSpec& m) {
        dram_.resize(m.pools.size());
        pools_.resize(m.pools.size());
        std::vector<std::size_t> phy(m.pools.size()), fabric(m.pools.size());
        for (std::size_t p = 0; p < m.pools.size(); ++p) phy[p] = add_domain("dram_phy:" + m.pools[p].name, DomainKind::memory_phy);
        for (std::size_t p = 0; p < m.pools.size(); ++p) fabric[p] = add_domain("fabric:" + m.pools[p].name, DomainKind::memory_fabric);
        constant_w_.resize(domain_count(), 0.0);
        for (std::size_t p = 0; p < m.pools.size(); ++p) {
            const config::PoolSpec& ps = m.pools[p];
            const PoolPower* pp = find_named(p_.memory, ps.name);
            if (!pp)
                throw config::InputError(p_.memory_where, "power.memory",
                                         "no power figures for memory pool '" + ps.name + "' (power model system needs phy and background for every pool)");
            if (ps.energy.read_j_per_bit == 0 || ps.energy.write_j_per_bit == 0) add_default("memory." + ps.name + ".energy: 0 pJ/bit (device read or write)");
            if (!pp->fabric_j_per_bit) add_default("power.memory." + ps.name + ".fabric: 0 pJ/bit");
            if (!pp->self_refresh_w) add_default("power.memory." + ps.name + ".self_refresh: = background");
            const double act = ps.timing.page_bytes > 0 ? ps.energy.activate_j / ps.timing.page_bytes : 0;
            dram_[p].push_back({dram_domain(p), 8.0 * ps.energy.read_j_per_bit + act, 8.0 * ps.energy.write_j_per_bit + act});
            dram_[p].push_back({phy[p], 8.0 * *pp->phy_j_per_bit, 8.0 * *pp->phy_j_per_bit});
            const double fab = 8.0 * pp->fabric_j_per_bit.value_or(0);
            if (fab > 0) dram_[p].push_back({fabric[p], fab, fab});
            pools_[p] = {*pp->background_w, pp->self_refresh_w.value_or(*pp->background_w)};
            constant_w_[dram_domain(p)] = pools_[p].background;
        }
        for (const PoolPower& pp : p_.memory)
            if (!m.pool(pp.name)) throw config::InputError(p_.memory_where, "power.memory." + pp.name, "the machine has no memory pool '" + pp.name + "'");
    }

    void bind_rest(const config::MachineSpec& m) {
        const std::size_t uncore = add_domain("uncore", DomainKind::uncore);
        constant_w_.resize(domain_count(), 0.0);
        constant_w_[uncore] = p_.uncore_w.value_or(0);
        if (!p_.uncore_w) add_default("power.uncore: 0 W");
        constant_w_[platform_domain()] = m.power.platform_w;
        if (!p_.parts_set) add_default("power.parts: none (no display, SSD, network or fan power)");
        for (const PartPower& part : p_.parts) {
            constant_w_.resize(add_domain("platform:" + part.name, DomainKind::platform) + 1, 0.0);
            constant_w_.back() = part.active_w;
        }
        for (const LinkPower& lp : p_.links)
            if (!find_named(m.links, lp.name)) throw config::InputError(p_.links_where, "power.links." + lp.name, "the machine has no link '" + lp.name + "'");
        for (const config::LinkSpec& l : m.links) {
            const LinkPower* lp = find_named(p_.links, l.name);
            link_j_per_bit_.push_back(lp ? lp->j_per_bit : l.energy_j_per_bit);
            if (link_j_per_bit_.back() == 0) add_default("links." + l.name + ".energy: 0 pJ/bit");
        }
        set_supply_domain(add_domain("supply_loss", DomainKind::supply_loss));
        constant_w_.resize(domain_count(), 0.0);
        if (!p_.supply.set) add_default("power.supply: none (wall power = DC power)");
    }

    // The defect: a unit or cache without energy figures silently cost nothing.
    void check_dynamic_figures(const config::MachineSpec& m) {
        for (const config::ComputeUnitSpec& u : m.units)
            for (std::size_t t = 0; t < config::kDTypeCount; ++t)
                if ((u.vector_ops_per_cycle[t] > 0 || u.matrix_ops_per_cycle[t] > 0) && u.energy_j_per_op[t] == 0)
                    add_default("compute." + u.name + ".energy." + std::string(config::kDTypeNames[t]) + ": 0 pJ/op");
        for (const config::CacheSpec& c : m.caches)
            if (c.energy_j_per_byte == 0) add_default("caches." + c.name + ".energy: 0 pJ/B");
    }

    void price_unit(std::size_t u) {
        const UnitPower& up = *units_[u];
        span_[u].clear();
        span_[u].push_back({unit_domain(u), up.active_w - (up.gated ? up.off_w : up.idle_w)});
        if (spins_ && machine().units[u].kind != config::UnitKind::cpu) span_[u].push_back({host_, p_.host.core_w});
    }

    SystemPowerParams p_;
    std::vector<const UnitPower*> units_;     // into p_, by machine unit
    std::vector<std::vector<DramPrice>> dram_;
    std::vector<PoolFigures> pools_;
    std::vector<std::vector<SpanPrice>> span_;
    std::vector<double> link_j_per_bit_;
    std::vector<double> constant_w_;          // by domain
    std::size_t host_ = 0;
    bool spins_ = false;
};

}  // namespace

PowerModelEntry make_system_power_entry() {
    return PowerModelEntry{{"system",
                            "whole-system power: per unit constant + static by state (off/idle/active, active while stalled) + "
                            "dynamic at the DVFS point; host core per runtime; DRAM device/PHY/fabric per bit + background; "
                            "links; platform parts; PSU/adapter curve",
                            system_power_fields()},
                           [](const config::MachineSpec& m, const PowerContext& ctx) -> std::unique_ptr<PowerModel> {
                               return std::make_unique<SystemPower>(m, ctx);
                           }};
}

}  // namespace infersim::hw
