// The built-in architectures, listed explicitly (no static registration), and the lookups the
// loaders, the weight inventory and the trace builder share.
#include <stdexcept>

#include "workload/arch/architecture.hpp"

namespace infersim::workload {

ArchitectureEntry make_llama_entry();
ArchitectureEntry make_mla_entry();
ArchitectureEntry make_gemma_entry();
ArchitectureEntry make_phi3_entry();
ArchitectureEntry make_qwen3next_entry();

const core::Registry<ArchitectureEntry>& architectures() {
    static const core::Registry<ArchitectureEntry> registry = [] {
        core::Registry<ArchitectureEntry> r("architecture", "the transformer block a model is made of (model `architecture:`)");
        r.add(make_llama_entry());
        r.add(make_mla_entry());
        r.add(make_gemma_entry());
        r.add(make_phi3_entry());
        r.add(make_qwen3next_entry());
        return r;
    }();
    return registry;
}

const ArchitectureEntry* find_architecture(std::string_view name) {
    if (const ArchitectureEntry* e = architectures().find(name)) return e;
    for (const ArchitectureEntry& e : architectures().entries())
        for (std::string_view alias : e.aliases)
            if (alias == name) return &e;
    return nullptr;
}

std::string architecture_names() {
    std::string out;
    const auto entries = architectures().entries();
    for (std::size_t i = 0; i < entries.size(); ++i) {
        out += (i == 0 ? "" : i + 1 == entries.size() ? " or " : ", ") + std::string(entries[i].name);
        std::string also;
        for (std::string_view a : entries[i].aliases) also += (also.empty() ? "" : ", ") + std::string(a);
        if (!also.empty()) out += " (also " + also + ")";
    }
    return out;
}

std::unique_ptr<Architecture> make_architecture(const config::ModelSpec& model) {
    const ArchitectureEntry* e = find_architecture(model.architecture);
    if (!e) throw std::invalid_argument("unknown architecture '" + model.architecture + "'; expected " + architecture_names());
    return e->make(model);
}

ParameterCount parameter_counts(const config::ModelSpec& model) {
    const auto arch = make_architecture(model);
    // Embeddings, the final norm and the LM head (the embedding matrix again unless tied).
    const double embd = static_cast<double>(model.hidden) * model.vocab;
    ParameterCount p;
    p.total = (model.tied_embeddings ? 1.0 : 2.0) * embd + model.hidden;
    p.active = p.total;
    for (int l = 0; l < model.layers; ++l)
        for (const LayerTensor& t : arch->layer_tensors(l)) {
            const double n = static_cast<double>(t.elements);
            p.total += n;
            p.active += t.experts > 1 && model.experts > 0 ? n * model.active_experts / model.experts : n;
        }
    return p;
}

double parameter_count(const config::ModelSpec& model) { return parameter_counts(model).total; }

void print_architectures(std::ostream& out) {
    config::print_registry(out, architectures());
    out << "\nfamily names accepted by `architecture:` (what HF model_type and GGUF general.architecture map to):\n";
    for (const ArchitectureEntry& e : architectures().entries()) {
        out << "  " << e.name << ":";
        for (std::string_view a : e.aliases) out << ' ' << a;
        out << "\n";
    }
    out << "\nwhat each reads from a Hugging Face config.json (--model config.json or a snapshot folder):\n";
    for (const ArchitectureEntry& e : architectures().entries())
        out << "  " << e.name << " (model_type " << e.hf.model_types << "):\n    " << e.hf.reads << "\n";
}

}  // namespace infersim::workload
