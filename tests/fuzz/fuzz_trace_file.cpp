// libFuzzer target: trace files (`infersim run --trace`). A crash, a sanitizer report, a huge
// allocation or any exception other than config::InputError is a finding. A trace that loads
// is also written back and read again: the writer's output must always load.
#include <sstream>

#include "fuzz_input.hpp"
#include "workload/trace_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return infersim::fuzz::run("input.trace", data, size, [](const std::string& path) {
        infersim::workload::TraceFile t = infersim::workload::TraceFile::load(path, 100000);
        t.check_layers(32, "fuzz");
        std::ostringstream again;
        infersim::workload::write_trace(again, t.header(), t);
        (void)infersim::workload::header_node(t, path);
    });
}
