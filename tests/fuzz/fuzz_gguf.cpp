// libFuzzer target: GGUF headers. A crash, a sanitizer report, a huge allocation
// or any exception other than config::InputError is a finding.
#include "workload/gguf_reader.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return infersim::fuzz::run("model.gguf", data, size, [](const std::string& path) { infersim::workload::load_gguf(path); });
}
