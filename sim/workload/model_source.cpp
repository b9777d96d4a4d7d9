// Dispatch on the file extension (case-insensitive: "MODEL.GGUF" is a GGUF file).
#include "workload/model_source.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "workload/gguf_reader.hpp"
#include "workload/hf_config.hpp"
#include "workload/model_yaml.hpp"

namespace infersim::workload {

config::ModelSpec load_model_file(const std::string& path) {
    std::string ext = std::filesystem::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (ext == ".gguf") return load_gguf(path);
    if (ext == ".json") return load_hf_config(path);
    return load_model_yaml(path);
}

}  // namespace infersim::workload
