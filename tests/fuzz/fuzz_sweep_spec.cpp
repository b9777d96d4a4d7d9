// libFuzzer target: sweep files (axes, ranges, zip/cross, base mappings). Loading validates
// every axis value; a loaded sweep's points are expanded (the first and the last).
#include "fuzz_input.hpp"
#include "sweep/sweep_spec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return infersim::fuzz::run("sweep.yaml", data, size, [](const std::string& path) {
        const infersim::sweep::SweepSpec s = infersim::sweep::SweepSpec::load(path);
        if (s.size() == 0) return;
        s.scenario(s.point(0));
        s.scenario(s.point(s.size() - 1));
    });
}
