// libFuzzer target: small random scenarios through the whole pipeline - resolve the inputs,
// place the weights, build the trace, replay it on the machine, summarize, and write the HDF5
// file - under ASan/UBSan. The input's bytes pick the machine, model, request shape, fidelity,
// chunk and bin from small ranges, so every run stays within a fraction of a second; budgets,
// input errors and refusals are expected outcomes, anything else is a finding.
#include <string>

#include "config/layered_file.hpp"
#include "config/scenario_spec.hpp"
#include "fuzz_input.hpp"
#include "output/atomic_file.hpp"
#include "output/hdf5_writer.hpp"
#include "scenario/scenario_run.hpp"

namespace {

struct Bytes {
    const std::uint8_t* p;
    std::size_t n;
    unsigned next(unsigned range) {
        if (n == 0) return 0;
        --n;
        return *p++ % range;
    }
};

std::string scenario_text(Bytes& b) {
    constexpr const char* kMachines[] = {"rtx-spark", "apple-m4-max", "nvidia-rtx-4090", "amd-strix-halo"};
    constexpr const char* kModels[] = {"llama-3.2-3b", "llama-3.1-8b", "qwen3-30b-a3b"};
    constexpr const char* kQuants[] = {"q4_k_m", "q8_0", "f16", "q4_0", "mxfp4"};
    std::string s = "machine: " + std::string(kMachines[b.next(4)]) + "\nmodel: " + kModels[b.next(3)] +
                    "\nquant: " + kQuants[b.next(5)] + "\nprompt: " + std::to_string(1 + b.next(64)) +
                    "\ngen: " + std::to_string(b.next(6)) + "\nbatch: " + std::to_string(1 + b.next(3)) +
                    "\nubatch: " + std::to_string(1 + b.next(64)) + "\nsim:\n  fidelity: " + (b.next(4) == 0 ? "detailed" : "fast") +
                    "\n  chunk: " + std::to_string(64 << b.next(8)) + " KiB\n  bin: " + std::to_string(1 + b.next(50)) + " ms\n" +
                    "  budget: {max_events: 2000000}\n";
    if (b.next(3) == 0) s += "agents:\n  display: {bandwidth: " + std::to_string(1 + b.next(20)) + " GB/s}\n";
    return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static infersim::fuzz::InputFile file("scenario.yaml");
    Bytes b{data, size};
    const std::string text = scenario_text(b);
    const std::string& path = file.write(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
    try {
        infersim::config::SearchPaths paths{{INFERSIM_SOURCE_DIR "/configs"}};
        infersim::scenario::Inputs in = infersim::scenario::resolve_inputs(infersim::config::load_scenario(path), paths);
        infersim::scenario::RunOutput out = infersim::scenario::run(in);
        infersim::output::Provenance prov{"fuzz", in.machine.resolved_yaml, in.model.source_text, text, in.runtime.resolved_yaml};
        infersim::output::write_hdf5(path + ".h5", *out.recorder, out.summary, prov, in.machine);
    } catch (const infersim::config::InputError&) {
    } catch (const infersim::config::BudgetError&) {
    }
    return 0;
}
