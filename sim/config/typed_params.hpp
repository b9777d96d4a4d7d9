// An implementation's own parameter struct kept in a spec's std::any slot (PoolSpec's
// channel_params, PowerSpec's impl_params): the implementation's field readers fill it,
// creating `Params{}` on first use; its factory reads it back, `Params{}` when the machine file
// set none or chose another implementation.
#pragma once
#include <any>

namespace infersim::config {

template <class Params>
Params& typed_params(std::any& slot) {
    if (!slot.has_value()) slot = Params{};
    return std::any_cast<Params&>(slot);
}

template <class Params>
Params typed_params_or_default(const std::any& slot) {
    const Params* set = std::any_cast<Params>(&slot);
    return set ? *set : Params{};
}

}  // namespace infersim::config
