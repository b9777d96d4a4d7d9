// Reads the `prefill_kernel:` block of a runtime profile: per weight class, `impl:` names a
// registered kernel model (validated against the catalog the caller hands in) and the rest of
// the entry is that model's own field table.
#include <vector>

#include "config/fields.hpp"
#include "config/gemm_kernel_spec.hpp"

namespace infersim::config {
namespace {

// `impl` is read first (it selects the table); listed so read_fields accepts the key.
const Field<GemmKernelSpec> kImplField{"impl", "kernel model", true, "", "registered GEMM kernel model (infersim describe kernels)",
                                       [](GemmKernelSpec&, const Node&) {}};

void read_kernel(GemmKernelSpec& k, const Node& entry, const GemmKernelCatalog& kernels) {
    if (!entry.is_map()) entry.fail("expected a mapping such as {impl: mmq, ...}");
    const Node impl = entry.child("impl");
    if (!impl.defined()) entry.fail("missing required key 'impl' (registered GEMM kernel model: " + kernels.name_list() + ")");
    k.impl = impl.as_string();
    const ImplInfo<GemmKernelSpec>* info = kernels.find(k.impl);
    if (!info) {
        const std::vector<std::string_view> names = kernels.names();
        const std::string hint = closest_match(k.impl, names);
        impl.fail("unknown GEMM kernel model '" + k.impl + "'" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
                  (kernels.empty() ? "; none is registered" : "; expected " + kernels.name_list()));
    }
    k.params.reset();
    std::vector<Field<GemmKernelSpec>> fields{kImplField};
    fields.insert(fields.end(), info->fields.begin(), info->fields.end());
    read_fields<GemmKernelSpec>(k, entry, fields);
}

}  // namespace

void read_prefill_kernels(PrefillKernels& out, const Node& n, const GemmKernelCatalog& kernels) {
    if (!n.is_map()) n.fail("expected a mapping of weight class (quantized, fp4, float) to a kernel {impl: NAME, ...}");
    for (const std::string& key : n.keys()) {
        std::size_t c = 0;
        while (c < kWeightClassCount && kWeightClassNames[c] != key) ++c;
        if (c == kWeightClassCount) fail_unknown_key(n, key, kWeightClassNames);
        read_kernel(out.by_class[c], n.child(key), kernels);
    }
}

void describe_prefill_kernels(std::ostream& out) {
    out << "\nprefill_kernel (runtime): the GEMM kernel of prompt processing per weight class; a class left out uses\n"
           "  gemm_efficiency of the datasheet peak. Each entry is {impl: NAME, NAME's fields} (infersim describe kernels).\n"
           "  quantized             ggml integer blocks (q4_0, q4_k, q5_k, q6_k, q8_0, ...)\n"
           "  fp4                   mxfp4, nvfp4\n"
           "  float                 f32, f16, bf16, fp8 weights\n";
}

}  // namespace infersim::config
