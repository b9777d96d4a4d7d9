// Writing a file so that it appears complete or not at all: write a temporary file beside the
// target, flush it, rename it over the target. A failure removes the temporary file. Every
// writer (HDF5, traces, sweep tables and journals) goes through the one target check here, so
// no output can replace a device, a FIFO, a symlink or one of the run's own inputs.
#pragma once
#include <functional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

namespace infersim::output {

/// A file could not be written; the message names the path and the step that failed.
class OutputError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// The temporary name used for `path` by this process.
std::string temporary_name(const std::string& path);

/// Refuses `path` as an output: an existing entry that is not a regular file (writing would
/// replace a device, FIFO, symlink or directory with a regular file), or the same file (inode)
/// as one of `inputs` (writing would destroy an input). Throws OutputError. Commands call it
/// with their inputs before any work; the writers call it again just before writing.
void check_output_target(const std::string& path, const std::vector<std::string>& inputs = {});

/// Removes `<path>.tmp.<pid>` files of processes that no longer exist (a kill -9 leaves them).
/// Only regular files whose PID has no /proc entry are removed; a live writer's file is kept.
void remove_stale_temporaries(const std::string& path);

/// The steps every writer shares: checks the target, removes stale temporaries, calls `write`
/// with the temporary name (a writer that needs the path itself: libhdf5), then publishes it.
/// On any exception the temporary file is removed and the exception passes on unchanged.
void write_via_temporary(const std::string& path, const std::function<void(const std::string& tmp)>& write);

/// Calls `body` on a stream to a temporary file, then renames it to `path`. Throws OutputError.
void write_atomically(const std::string& path, const std::function<void(std::ostream&)>& body);

/// Renames the finished temporary `tmp` onto `path` (removing `tmp` on failure).
void publish(const std::string& tmp, const std::string& path);

}  // namespace infersim::output
