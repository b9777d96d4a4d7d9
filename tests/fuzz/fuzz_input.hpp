// Shared harness of the libFuzzer targets: the loaders take paths, so each input is written to a
// file in a private per-process directory (an `extends:` in fuzzed YAML resolves there, not in
// the working tree) and the loader is called on it. config::InputError is the expected outcome
// for bad input; any other exception escapes and libFuzzer reports it, as it does a crash.
#pragma once
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>

#include <unistd.h>

#include "config/errors.hpp"

namespace infersim::fuzz {

class InputFile {
public:
    explicit InputFile(const std::string& file_name)
        : dir_(std::filesystem::temp_directory_path() / ("infersim_fuzz_" + std::to_string(::getpid()))),
          path_((dir_ / file_name).string()) {
        std::filesystem::create_directories(dir_);
    }
    ~InputFile() {
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }
    const std::string& write(const std::uint8_t* data, std::size_t size) {
        std::ofstream out(path_, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
        return path_;
    }

private:
    std::filesystem::path dir_;
    std::string path_;
};

template <class Load>
int run(const std::string& file_name, const std::uint8_t* data, std::size_t size, Load load) {
    static InputFile file(file_name);
    try {
        load(file.write(data, size));
    } catch (const config::InputError&) {
    }
    return 0;
}

}  // namespace infersim::fuzz
