// The memo: a key of the document, its file and the overrides aimed at it.
#include "scenario/spec_cache.hpp"

#include <algorithm>

namespace infersim::scenario {

template <class Spec>
Spec SpecCache::get(Memo<Spec>& memo, const std::string& document, const std::string& path,
                    const std::vector<config::Override>& overrides, const std::function<Spec()>& load) {
    std::string key = path;
    for (const config::Override& o : overrides)
        if (o.document == document) key += '\n' + o.path + '=' + o.value;
    if (auto it = memo.specs.find(key); it != memo.specs.end()) return it->second;
    Spec spec = load();
    ++loads_;
    if (memo.order.size() >= kMaxEntries) {
        memo.specs.erase(memo.order.front());
        memo.order.erase(memo.order.begin());
    }
    memo.order.push_back(key);
    memo.specs.emplace(std::move(key), spec);
    return spec;
}

config::MachineSpec SpecCache::machine(const std::string& path, const std::vector<config::Override>& overrides,
                                       const std::function<config::MachineSpec()>& load) {
    return get(machines_, "machine", path, overrides, load);
}

config::ModelSpec SpecCache::model(const std::string& path, const std::vector<config::Override>& overrides,
                                   const std::function<config::ModelSpec()>& load) {
    return get(models_, "model", path, overrides, load);
}

config::RuntimeSpec SpecCache::runtime(const std::string& path, const std::vector<config::Override>& overrides,
                                       const std::function<config::RuntimeSpec()>& load) {
    return get(runtimes_, "runtime", path, overrides, load);
}

}  // namespace infersim::scenario
