// libFuzzer target: machine YAML files (with extends: chains). A crash, a sanitizer report, a huge allocation
// or any exception other than config::InputError is a finding.
#include "hardware/catalogs.hpp"
#include "config/machine_loader.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return infersim::fuzz::run("machine.yaml", data, size, [](const std::string& path) { infersim::hw::load_machine(path); });
}
