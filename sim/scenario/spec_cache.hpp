// Specs loaded for earlier points. A sweep's worker keeps one: the machine, model and runtime
// files a point names are read, layered with the point's overrides and checked once, and the
// points that name them again (other quants, prompts, scenario keys) copy the result. Loading
// is a pure function of the file and the overrides, so a cached spec is the spec a fresh load
// gives; the files are taken not to change while the cache lives. Not thread-safe: one per
// thread. A failed load is not kept (the next point reports the same error).
#pragma once
#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "config/machine_spec.hpp"
#include "config/model_spec.hpp"
#include "config/overrides.hpp"
#include "config/runtime_spec.hpp"
#include "scenario/scenario_run.hpp"

namespace infersim::scenario {

class SpecCache {
public:
    /// Entries kept per kind; past it the oldest are dropped (a sweep over many machines).
    static constexpr std::size_t kMaxEntries = 256;

    config::MachineSpec machine(const std::string& path, const std::vector<config::Override>& overrides,
                                const std::function<config::MachineSpec()>& load);
    config::ModelSpec model(const std::string& path, const std::vector<config::Override>& overrides,
                            const std::function<config::ModelSpec()>& load);
    config::RuntimeSpec runtime(const std::string& path, const std::vector<config::Override>& overrides,
                                const std::function<config::RuntimeSpec()>& load);
    std::size_t loads() const { return loads_; }

private:
    template <class Spec>
    struct Memo {
        std::map<std::string, Spec> specs;
        std::vector<std::string> order;  // keys, oldest first
    };
    template <class Spec>
    Spec get(Memo<Spec>& memo, const std::string& document, const std::string& path, const std::vector<config::Override>& overrides,
             const std::function<Spec()>& load);

    Memo<config::MachineSpec> machines_;
    Memo<config::ModelSpec> models_;
    Memo<config::RuntimeSpec> runtimes_;
    std::size_t loads_ = 0;
};

/// resolve_inputs(), with the machine, model and runtime taken from `cache` when it has them.
Inputs resolve_inputs(const config::ScenarioSpec& scenario, const config::SearchPaths& paths, SpecCache& cache);

}  // namespace infersim::scenario
