// Runs the infersim command as a child process for the integration tests: captures stdout,
// stderr, the exit status and the wall time, kills the child past a deadline, and caps its
// address space so a runaway input cannot take the test machine down with it.
#pragma once
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace infersim::test {

struct CliResult {
    int exit_code = -1;     // the child's exit status, or -1 if it died of a signal or was killed
    int signal = 0;         // the signal that ended the child (0 if it exited)
    bool timed_out = false;  // killed by us at the deadline
    double wall_s = 0;
    std::string out, err;

    bool exited() const { return signal == 0 && !timed_out; }
    /// One line for assertion messages.
    std::string describe() const {
        std::ostringstream s;
        if (timed_out) s << "timed out after " << wall_s << " s";
        else if (signal) s << "killed by signal " << signal << " (" << strsignal(signal) << ")";
        else s << "exit " << exit_code;
        s << "; stderr: [" << err.substr(0, 600) << "]; stdout: [" << out.substr(0, 300) << "]";
        return s.str();
    }
};

struct CliOptions {
    std::filesystem::path cwd;                       // empty: the test's own working directory
    double timeout_s = 30;
    std::uint64_t address_space_bytes = 6ull << 30;  // RLIMIT_AS of the child (0: unlimited)
};

// AddressSanitizer reserves terabytes of address space, so RLIMIT_AS would break its builds.
#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kAddressSanitizer = true;
#else
inline constexpr bool kAddressSanitizer = false;
#endif
#else
inline constexpr bool kAddressSanitizer = false;
#endif

inline std::filesystem::path infersim_binary() { return INFERSIM_BINARY; }
inline std::filesystem::path source_dir() { return INFERSIM_SOURCE_DIR; }

/// Runs `infersim args...`. Never throws on the child's behaviour; a failure to fork does.
inline CliResult run_cli(const std::vector<std::string>& args, const CliOptions& opt = {}) {
    int out_pipe[2], err_pipe[2];
    if (pipe(out_pipe) != 0 || pipe(err_pipe) != 0) throw std::runtime_error("pipe failed");
    const std::string exe = infersim_binary().string();
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(exe.c_str()));
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    const std::string cwd = opt.cwd.string();

    const auto t0 = std::chrono::steady_clock::now();
    const pid_t pid = fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        // Child: only async-signal-safe calls from here on.
        dup2(out_pipe[1], 1);
        dup2(err_pipe[1], 2);
        close(out_pipe[0]);
        close(out_pipe[1]);
        close(err_pipe[0]);
        close(err_pipe[1]);
        int devnull = open("/dev/null", O_RDONLY);
        if (devnull >= 0) dup2(devnull, 0);
        if (opt.address_space_bytes > 0 && !kAddressSanitizer) {
            rlimit lim{opt.address_space_bytes, opt.address_space_bytes};
            setrlimit(RLIMIT_AS, &lim);
        }
        rlimit no_core{0, 0};
        setrlimit(RLIMIT_CORE, &no_core);
        if (!cwd.empty() && chdir(cwd.c_str()) != 0) _exit(126);
        execv(exe.c_str(), argv.data());
        _exit(127);
    }
    close(out_pipe[1]);
    close(err_pipe[1]);

    CliResult r;
    const auto deadline = t0 + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                   std::chrono::duration<double>(opt.timeout_s));
    pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
    std::string* sinks[2] = {&r.out, &r.err};
    int open_fds = 2;
    char buf[65536];
    while (open_fds > 0) {
        const auto now = std::chrono::steady_clock::now();
        if (now >= deadline) {
            r.timed_out = true;
            kill(pid, SIGKILL);
            break;
        }
        const int ms = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count()) + 1;
        const int n = poll(fds, 2, ms);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) break;
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            const ssize_t got = read(fds[i].fd, buf, sizeof buf);
            if (got > 0) {
                // Keep at most 4 MiB per stream; a flood of output is itself a finding.
                if (sinks[i]->size() < (4u << 20)) sinks[i]->append(buf, static_cast<std::size_t>(got));
            } else if (got == 0 || (got < 0 && errno != EINTR && errno != EAGAIN)) {
                close(fds[i].fd);
                fds[i].fd = -1;
                --open_fds;
            }
        }
    }
    for (pollfd& f : fds)
        if (f.fd >= 0) close(f.fd);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    r.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (WIFEXITED(status) && !r.timed_out) r.exit_code = WEXITSTATUS(status);
    else if (WIFSIGNALED(status) && !r.timed_out) r.signal = WTERMSIG(status);
    return r;
}

/// A fresh, empty directory for one test, removed when the object goes.
class ScratchDir {
public:
    explicit ScratchDir(const std::string& tag) {
        std::string clean = tag;
        std::replace_if(clean.begin(), clean.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); }, '_');
        path_ = std::filesystem::temp_directory_path() /
                ("infersim_it_" + std::to_string(getpid()) + "_" + std::to_string(counter()++) + "_" + clean);
        std::filesystem::remove_all(path_);
        std::filesystem::create_directories(path_);
    }
    ~ScratchDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;

    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

    /// Writes `text` to `name` inside the directory and returns its path.
    std::filesystem::path write(const std::string& name, const std::string& text) const {
        const std::filesystem::path p = path_ / name;
        std::filesystem::create_directories(p.parent_path());
        std::ofstream(p, std::ios::binary) << text;
        return p;
    }
    /// Names of the entries in the directory (not recursive).
    std::vector<std::string> entries(const std::string& sub = "") const {
        std::vector<std::string> out;
        for (const auto& e : std::filesystem::directory_iterator(path_ / sub)) out.push_back(e.path().filename().string());
        std::sort(out.begin(), out.end());
        return out;
    }

private:
    static int& counter() {
        static int n = 0;
        return n;
    }
    std::filesystem::path path_;
};

inline std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

/// Why stderr is not a single "error: ..." line (empty when it is).
inline std::string one_line_error_problem(const std::string& err) {
    if (err.empty()) return "stderr is empty";
    if (err.rfind("error:", 0) != 0) return "stderr does not start with 'error:'";
    if (err.back() != '\n') return "stderr does not end with a newline";
    if (std::count(err.begin(), err.end(), '\n') != 1) return "stderr has more than one line";
    if (err.size() <= std::string("error: \n").size()) return "the error message is empty";
    return "";
}

}  // namespace infersim::test
