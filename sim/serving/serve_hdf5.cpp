// The serving HDF5 file (layout in serve_hdf5.hpp).
#include "serving/serve_hdf5.hpp"

#include <functional>
#include <stdexcept>

#include "config/errors.hpp"
#include "output/atomic_file.hpp"
#include "output/hdf5_io.hpp"
#include "output/hdf5_timeline.hpp"

namespace infersim::serving {
namespace {

using namespace output::h5;

template <class T, class F>
std::vector<double> column(const std::vector<T>& rows, F f) {
    std::vector<double> v;
    v.reserve(rows.size());
    for (const T& r : rows) v.push_back(static_cast<double>(f(r)));
    return v;
}

void write_file(const std::string& tmp, const ServeTotals& t, const nlohmann::ordered_json& summary, const std::string& yaml,
                const output::Recorder* timeline, const config::MachineSpec* machine) {
    Handle file = create_file(tmp);
    attribute(file, "infersim_version", std::string(INFERSIM_VERSION));
    attribute(file, "scenario_yaml", yaml);
    attribute(file, "serve_json", summary.dump());
    {
        Handle g = group(file, "requests");
        const auto& s = t.sequences;
        using engine::to_seconds;
        series(g, "id", column(s, [](const Sequence& q) { return q.req.id; }), "");
        series(g, "arrival_s", column(s, [](const Sequence& q) { return to_seconds(q.req.arrival); }), "s");
        series(g, "first_token_s", column(s, [](const Sequence& q) { return to_seconds(q.first_token); }), "s");
        series(g, "finish_s", column(s, [](const Sequence& q) { return to_seconds(q.finish); }), "s");
        series(g, "prompt", column(s, [](const Sequence& q) { return q.req.prompt; }), "tokens");
        series(g, "gen", column(s, [](const Sequence& q) { return q.generated; }), "tokens");
        series(g, "preemptions", column(s, [](const Sequence& q) { return q.preemptions; }), "");
        series(g, "cached_tokens", column(s, [](const Sequence& q) { return q.cached_tokens; }), "tokens");
    }
    {
        Handle g = group(file, "serving");
        const auto& s = t.steps;
        series(g, "time_s", column(s, [](const StepRecord& r) { return engine::to_seconds(r.start); }), "s");
        series(g, "end_s", column(s, [](const StepRecord& r) { return engine::to_seconds(r.end); }), "s");
        series(g, "queue_depth", column(s, [](const StepRecord& r) { return r.waiting; }), "requests");
        series(g, "batch_size", column(s, [](const StepRecord& r) { return r.batch; }), "sequences");
        series(g, "batch_tokens", column(s, [](const StepRecord& r) { return r.tokens; }), "tokens");
        series(g, "kv_occupancy", column(s, [](const StepRecord& r) { return r.kv_occupancy; }), "fraction");
        series(g, "preemptions", column(s, [](const StepRecord& r) { return r.preemptions; }), "");
    }
    if (timeline) output::write_timeline(file, *timeline, *machine);
    file.close("closing (flushing) the file");
}

}  // namespace

void write_serve_hdf5(const std::string& path, const ServeTotals& t, const nlohmann::ordered_json& summary, const std::string& yaml,
                      const output::Recorder* timeline, const config::MachineSpec* machine) {
    if ((timeline == nullptr) != (machine == nullptr)) throw std::logic_error("write_serve_hdf5: a timeline needs its machine");
    H5dont_atexit();
    output::write_via_temporary(path, [&](const std::string& tmp) {
        QuietErrors quiet;
        try {
            write_file(tmp, t, summary, yaml, timeline, machine);
        } catch (const std::bad_alloc&) {
            throw;
        } catch (const std::exception& e) {
            throw output::OutputError("cannot write HDF5 file '" + config::printable(path, 200) + "': " + e.what());
        }
    });
}

}  // namespace infersim::serving
