// Small machines, models and scenarios built in code, for tests that need exact numbers.
#pragma once
#include <string>

#include "hardware/catalogs.hpp"
#include "config/machine_loader.hpp"
#include "config/yaml_node.hpp"
#include "workload/model_yaml.hpp"

namespace infersim::test {

/// A machine from YAML text (name "test.yaml" in errors).
inline config::MachineSpec machine_from(const std::string& yaml) {
    return hw::read_machine(config::Node(config::load_yaml_text(yaml, "test.yaml"), "test.yaml"));
}

inline config::ModelSpec model_from(const std::string& yaml) {
    return workload::read_model(config::Node(config::load_yaml_text(yaml, "model.yaml"), "model.yaml"));
}

/// One LPDDR5X-8533 pool of `channels` x16 channels and a GPU-like unit with `tflops` fp16 matrix.
inline std::string lpddr_machine_yaml(int channels, double tflops = 100, const std::string& extra = "") {
    // 32 units x 1 GHz: matrix ops/cycle/unit = tflops*1e12 / 32e9
    const double per_unit = tflops * 1e12 / 32e9;
    return "name: test-soc\n"
           "memory:\n"
           "  lpddr:\n"
           "    standard: lpddr5x-8533\n"
           "    capacity: 128 GiB\n"
           "    channels: " + std::to_string(channels) + "\n"
           "compute:\n"
           "  gpu:\n"
           "    count: 32\n"
           "    clock: 1 GHz\n"
           "    memory: lpddr\n"
           "    vector: {fp32: 256, fp16: 512}\n"
           "    matrix: {fp16: " + std::to_string(per_unit) + ", int8: " + std::to_string(2 * per_unit) + "}\n" + extra;
}

inline std::string tiny_model_yaml() {
    return "name: tiny\nlayers: 4\nhidden: 1024\nheads: 8\nkv_heads: 2\nffn: 4096\nvocab: 32000\n";
}

}  // namespace infersim::test
