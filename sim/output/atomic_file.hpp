// Writing a file so that it appears complete or not at all: write a temporary file beside the
// target, flush it, rename it over the target. A failure removes the temporary file.
#pragma once
#include <functional>
#include <ostream>
#include <stdexcept>
#include <string>

namespace infersim::output {

/// A file could not be written; the message names the path and the step that failed.
class OutputError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// The temporary name used for `path` by this process.
std::string temporary_name(const std::string& path);

/// Calls `body` on a stream to a temporary file, then renames it to `path`. Throws OutputError.
void write_atomically(const std::string& path, const std::function<void(std::ostream&)>& body);

}  // namespace infersim::output
