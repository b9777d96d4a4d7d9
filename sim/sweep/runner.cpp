// The local parallel sweep runner.
#include "sweep/runner.hpp"

#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>
#include <vector>

#include "config/errors.hpp"
#include "output/atomic_file.hpp"
#include "scenario/scenario_run.hpp"

namespace infersim::sweep {

nlohmann::json run_point(const SweepSpec& sweep, const Point& p, const config::SearchPaths& paths) {
    nlohmann::json row{{"index", p.index}, {"key", p.key}, {"sweep", sweep.identity()}};
    nlohmann::json values = nlohmann::json::object();
    for (const auto& [k, v] : p.values) values[k] = v;
    row["values"] = values;
    auto failed = [&](const std::string& message) {
        row["status"] = "error";
        row["error"] = message;
    };
    try {
        scenario::Inputs in = scenario::resolve_inputs(sweep.scenario(p), paths);
        scenario::RunOutput out = scenario::run(in);
        nlohmann::json summary = output::to_json(out.summary);
        summary["sim"].erase("wall_s");  // the host's time would make tables differ run to run
        row["status"] = "ok";
        row["summary"] = summary;
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

}  // namespace

RunStats run_sweep(const SweepSpec& sweep, const RunOptions& opt, const std::function<void(const nlohmann::json&)>& progress) {
    const std::string journal = opt.output + ".journal";
    output::check_output_target(opt.output);
    output::check_output_target(journal);
    RunStats stats;
    Table done;
    if (opt.resume) done = finished_rows(sweep, opt, journal, stats);
    std::vector<std::uint64_t> todo;
    const std::uint64_t n = sweep.size();
    for (std::uint64_t i = 0; i < n; ++i) {
        if (!selected(opt, n, i)) continue;
        ++stats.selected;
        if (done.count(i)) ++stats.skipped;
        else todo.push_back(i);
    }
    // Keep only the selected rows of earlier runs (a resumed shard keeps its own slice).
    for (auto it = done.begin(); it != done.end();) it = selected(opt, n, it->first) ? std::next(it) : done.erase(it);
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
        for (std::optional<std::uint64_t> i; (i = take());) {
            nlohmann::json row;
            try {
                row = run_point(sweep, sweep.point(*i), opt.paths);
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
    write_rows(opt.output, done);
    std::error_code ec;
    std::filesystem::remove(journal, ec);
    return stats;
}

}  // namespace infersim::sweep
