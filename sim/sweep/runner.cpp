// The local parallel sweep runner.
#include "sweep/runner.hpp"

#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>
#include <vector>

#include "config/bounded_read.hpp"
#include "config/errors.hpp"
#include "output/atomic_file.hpp"
#include "scenario/scenario_run.hpp"
#include "scenario/spec_cache.hpp"
#include "sweep/point_timelines.hpp"
#include "sweep/table_hdf5.hpp"

namespace infersim::sweep {

nlohmann::json run_point(const SweepSpec& sweep, const Point& p, const config::SearchPaths& paths, const std::string& timeline,
                         scenario::SpecCache* cache) {
    nlohmann::json row{{"index", p.index}, {"key", p.key}, {"sweep", sweep.identity()}};
    nlohmann::json values = nlohmann::json::object();
    for (const auto& [k, v] : p.values) values[k] = v;
    row["values"] = values;
    auto failed = [&](const std::string& message) {
        row["status"] = "error";
        row["error"] = message;
    };
    try {
        scenario::Inputs in = cache ? scenario::resolve_inputs(sweep.scenario(p), paths, *cache) : scenario::resolve_inputs(sweep.scenario(p), paths);
        scenario::RunOutput out = scenario::run(in);
        nlohmann::json summary = output::to_json(out.summary);
        summary["sim"].erase("wall_s");  // the host's time would make tables differ run to run
        if (!timeline.empty()) write_point_timeline(timeline, *out.recorder, in.machine, &out.thermal, sweep.identity(), p.key);
        row["status"] = "ok";
        row["summary"] = summary;
    } catch (const output::OutputError&) {
        throw;  // a timeline that cannot be written is the run's failure, not the point's
    } catch (const config::InputError& e) {
        failed(e.what());
    } catch (const config::BudgetError& e) {
        failed(std::string("budget exceeded: ") + e.what());
    } catch (const std::bad_alloc&) {
        failed("out of memory");
    } catch (const std::exception& e) {
        // One point's failure is that point's row: the sweep and its journal carry on.
        failed(std::string("internal error: ") + e.what());
    }
    return row;
}

namespace {

// The finished rows of earlier runs: the output, its journal and further tables. A row cut
// short or garbled (a killed writer, a torn line a later run appended to) is dropped and its
// point runs again; a row of another sweep is refused.
Table finished_rows(const SweepSpec& sweep, const RunOptions& opt, const std::string& journal, RunStats& stats) {
    Table done;
    stats.torn += read_rows(opt.output, done, Torn::recompute, sweep.identity());
    stats.torn += read_rows(journal, done, Torn::recompute, sweep.identity());
    for (const std::string& f : opt.resume_from) stats.torn += read_rows(f, done, Torn::recompute, sweep.identity());
    return done;
}

bool selected(const RunOptions& opt, std::uint64_t n, std::uint64_t i) {
    return i < n && (!opt.index || *opt.index == i) && i % opt.shards == opt.shard;
}

// --timelines: where each finished ok row's timeline is (the output table's /points, else the
// point's file in the timeline directory); a row whose timeline is missing is dropped, so its
// point runs again. A fresh run starts with an empty directory: files of an earlier run are
// not its points'.
TimelineSources finished_timelines(const SweepSpec& sweep, const RunOptions& opt, Table& done) {
    TimelineSources sources;
    prepare_timeline_dir(opt.output, !opt.resume);
    if (opt.resume && config::path_exists(opt.output) && is_hdf5_table(opt.output)) sources = table_timelines(opt.output);
    for (auto it = done.begin(); it != done.end();) {
        const bool ok = it->second.value("status", "") == "ok";
        if (ok && !sources.count(it->first)) {
            const std::string file = timeline_file(opt.output, it->first);
            if (point_timeline_valid(file, sweep.identity())) sources[it->first] = TimelineSource{file, "timeline"};
        }
        it = !ok || sources.count(it->first) ? std::next(it) : done.erase(it);
    }
    return sources;
}

}  // namespace

RunStats run_sweep(const SweepSpec& sweep, const RunOptions& opt, const std::function<void(const nlohmann::json&)>& progress) {
    const std::string journal = opt.output + ".journal";
    output::check_output_target(opt.output);
    output::check_output_target(journal);
    RunStats stats;
    Table done;
    if (opt.resume) done = finished_rows(sweep, opt, journal, stats);
    const std::uint64_t n = sweep.size();
    // Keep only the selected rows of earlier runs (a resumed shard keeps its own slice).
    for (auto it = done.begin(); it != done.end();) it = selected(opt, n, it->first) ? std::next(it) : done.erase(it);
    TimelineSources timelines;
    if (opt.timelines) {
        if (!is_hdf5_table(opt.output))
            throw output::OutputError("per-point timelines need an .h5 table, not '" + config::printable(opt.output, 200) + "'");
        timelines = finished_timelines(sweep, opt, done);
    }
    std::vector<std::uint64_t> todo;
    for (std::uint64_t i = 0; i < n; ++i) {
        if (!selected(opt, n, i)) continue;
        ++stats.selected;
        if (done.count(i)) ++stats.skipped;
        else todo.push_back(i);
    }
    // The journal starts as exactly the rows kept: a torn last line is gone before anything is
    // appended to it, so it cannot swallow the next row and block later resumes.
    write_rows(journal, done);

    std::ofstream log(journal, std::ios::binary | std::ios::app);
    if (!log) throw output::OutputError("cannot write the journal '" + config::printable(journal, 200) + "'");
    if (opt.on_todo) opt.on_todo(todo);
    std::mutex mu;
    std::atomic<std::size_t> next{0};
    std::atomic<bool> stopped{false};
    auto take = [&]() -> std::optional<std::uint64_t> {
        if (stopped) return std::nullopt;
        if (opt.claim) return opt.claim();
        const std::size_t k = next.fetch_add(1);
        return k < todo.size() ? std::optional<std::uint64_t>(todo[k]) : std::nullopt;
    };
    std::exception_ptr failure;
    auto worker = [&]() {
        scenario::SpecCache cache;  // this thread's: points that repeat a machine, model or runtime copy it
        for (std::optional<std::uint64_t> i; (i = take());) {
            nlohmann::json row;
            try {
                row = run_point(sweep, sweep.point(*i), opt.paths, opt.timelines ? timeline_file(opt.output, *i) : "", &cache);
            } catch (...) {
                std::lock_guard<std::mutex> lock(mu);
                if (!failure) failure = std::current_exception();
                stopped = true;
                return;
            }
            std::lock_guard<std::mutex> lock(mu);
            log << dump_row(row) << '\n';
            log.flush();
            if (row["status"] != "ok") ++stats.failed;
            ++stats.ran;
            if (progress) progress(row);
            if (opt.timelines && row["status"] == "ok") timelines[*i] = TimelineSource{timeline_file(opt.output, *i), "timeline"};
            done.emplace(*i, std::move(row));
        }
    };
    const std::size_t work = opt.claim ? opt.jobs : std::max<std::size_t>(1, todo.size());  // a farm's share is unknown
    const unsigned threads = std::max(1u, std::min<unsigned>(opt.jobs, static_cast<unsigned>(work)));
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker);
    worker();
    for (auto& t : pool) t.join();
    if (failure) std::rethrow_exception(failure);
    if (!log) throw output::OutputError("writing the journal '" + config::printable(journal, 200) + "' failed");
    log.close();
    write_rows(opt.output, done, opt.timelines ? &timelines : nullptr);
    std::error_code ec;
    std::filesystem::remove(journal, ec);
    if (opt.timelines) remove_timeline_dir(opt.output);
    return stats;
}

}  // namespace infersim::sweep
