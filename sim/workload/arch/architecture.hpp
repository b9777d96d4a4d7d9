// Model architectures as implementations (the `architecture:` of a model): each says what one
// layer is - its weight tensors, its ops for a step, and the KV-cache bytes it keeps per token.
// The weight inventory, the trace builder and the KV sizing ask the architecture instead of
// assuming a llama block. Adding one is one file (its class, field table and make_xxx_entry())
// plus a line in architectures.cpp and a model YAML.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "config/errors.hpp"
#include "config/impl_info.hpp"
#include "config/model_spec.hpp"
#include "core/registry.hpp"
#include "workload/trace.hpp"
#include "workload/weights.hpp"

namespace infersim::workload {

/// One weight tensor of a layer: its role, its row length (the input dimension, along which
/// quantized blocks run) and its element count. The quantization scheme picks its format.
struct LayerTensor {
    TensorRole role = TensorRole::other;
    std::uint64_t row = 0;
    std::uint64_t elements = 0;
    int experts = 1;               // bytes are spread evenly over this many experts
};

/// What a layer's ops depend on in a step.
struct LayerStep {
    std::uint32_t new_tokens = 1;  // per sequence
    std::uint32_t sequences = 1;
    std::uint64_t context = 0;     // KV length per sequence before the step
    double kv_bytes_per_element = 2;
    bool flash_attention = true;
    double rows() const { return static_cast<double>(new_tokens) * sequences; }
    // MoE (issue 9): expert matrices each layer's expert tensors stream in this step, by layer
    // (workload/arch/moe_reads.*); empty: each used expert once under uniform routing.
    std::span<const double> expert_reads;
};

/// What one layer keeps between steps: elements per cached token (0 for none), the most tokens
/// it keeps (a sliding window; 0 = all), and a fixed state in bytes whatever the context (a
/// linear-attention layer's recurrent state).
struct LayerCache {
    std::uint64_t elements_per_token = 0;
    std::uint64_t window = 0;
    double state_bytes = 0;
    /// Bytes for `tokens` of context; a window caps them only where the runtime keeps an SWA cache.
    double bytes(std::uint64_t tokens, double bytes_per_element, bool swa_cache) const {
        const std::uint64_t kept = swa_cache && window > 0 && tokens > window ? window : tokens;
        return static_cast<double>(elements_per_token) * static_cast<double>(kept) * bytes_per_element + state_bytes;
    }
};

class Architecture {
public:
    virtual ~Architecture() = default;
    /// The weight tensors of layer `layer`, in inventory order.
    virtual std::vector<LayerTensor> layer_tensors(int layer) const = 0;
    /// Appends the ops of layer `layer` for one step to `out` (they run as a chain).
    virtual void layer_ops(int layer, const LayerStep& step, const WeightInventory& weights, std::vector<Op>& out) const = 0;
    /// KV-cache elements one token adds to layer `layer`.
    virtual std::uint64_t kv_elements_per_token(int layer) const = 0;

    /// What layer `layer` caches; by default kv_elements_per_token for every token of context.
    virtual LayerCache layer_cache(int layer) const { return {kv_elements_per_token(layer), 0, 0}; }

    double kv_bytes_per_token(int layer, double bytes_per_element) const {
        return static_cast<double>(kv_elements_per_token(layer)) * bytes_per_element;
    }
};

/// Where a model field was written, for messages.
using FieldLocator = std::function<config::SourceLocation(const std::string& field)>;

/// Where an architecture's fields come from in a Hugging Face config.json: the keys it reads,
/// for `infersim describe architectures`.
struct HfFieldsDoc {
    std::string_view model_types;  // transformers model_type values mapped onto it
    std::string_view reads;        // the config keys read, and what is noted but not modelled
};

struct ArchitectureEntry : config::ImplInfo<config::ModelSpec> {
    /// Model-family names that `architecture:` may also use for this implementation (the names
    /// HF model_type and GGUF general.architecture map onto).
    std::span<const std::string_view> aliases;
    /// Checks the architecture's own fields; throws config::InputError.
    void (*validate)(const config::ModelSpec&, const FieldLocator&);
    std::unique_ptr<Architecture> (*make)(const config::ModelSpec&);
    HfFieldsDoc hf;
};

/// The built-in architectures; built once, immutable.
const core::Registry<ArchitectureEntry>& architectures();
/// The entry registered as `name` or with `name` as an alias, or nullptr.
const ArchitectureEntry* find_architecture(std::string_view name);
/// Every accepted name, for messages: "llama (also mistral, ...) or mla (also deepseek2)".
std::string architecture_names();
/// The architecture of `model`; throws std::invalid_argument on an unknown name.
std::unique_ptr<Architecture> make_architecture(const config::ModelSpec& model);
/// Weights (elements) of the whole model by its architecture, in double so absurd shapes
/// cannot wrap.
double parameter_count(const config::ModelSpec& model);
/// Total weights and the weights one token touches (a MoE layer's routed experts count
/// active_experts / experts of their elements; everything else, embeddings included, in full).
struct ParameterCount {
    double total = 0;
    double active = 0;
};
ParameterCount parameter_counts(const config::ModelSpec& model);
/// `infersim describe architectures`.
void print_architectures(std::ostream& out);

}  // namespace infersim::workload
