// libFuzzer target: Hugging Face config.json files. A crash, a sanitizer report, a huge allocation
// or any exception other than config::InputError is a finding.
#include "workload/hf_config.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return infersim::fuzz::run("config.json", data, size, [](const std::string& path) { infersim::workload::load_hf_config(path); });
}
