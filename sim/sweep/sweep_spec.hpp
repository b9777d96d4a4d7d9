// A sweep: a base scenario and axes of values, crossed or zipped, expanded into points. Each
// point carries a key built from its values, so results can be matched, resumed and merged
// whatever process produced them.
//
//   base: default.yaml            # a scenario file (relative to the sweep file) or a mapping
//   mode: cross                   # or zip (all axes the same length)
//   axes:
//     machine: [rtx-spark, apple-m4-max]
//     prompt: {from: 512, to: 4096, factor: 2}    # 512, 1024, 2048, 4096
//     gen: {from: 64, to: 256, step: 64}
//     sim.chunk: ["4 MiB", "8 MiB"]               # dotted keys reach nested scenario fields
//     machine.memory.unified.channels: [4, 8]     # machine.*, model.*, runtime.*: fields of those
//     runtime.launch_overhead: ["2 us", "5 us"]   # documents (config/overrides.hpp), checked at load
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "config/overrides.hpp"
#include "config/resolve.hpp"
#include "config/scenario_spec.hpp"
#include "config/yaml_node.hpp"

namespace infersim::sweep {

struct Axis {
    std::string key;                      // scenario key, dotted for nested ("sim.chunk")
    std::vector<std::string> values;      // as written (quantities keep their units)
};

struct Point {
    std::uint64_t index = 0;
    std::string key;                      // "machine=rtx-spark,prompt=512"
    std::vector<std::pair<std::string, std::string>> values;
};

class SweepSpec {
public:
    /// Loads and validates a sweep file. Throws config::InputError.
    /// `sets` (--set PATH=VALUE) change the base under the axes, for every point; every point
    /// with a machine/model/runtime axis value is resolved against `paths` once, at load.
    static SweepSpec load(const std::string& path, const std::vector<config::Override>& sets = {},
                          const config::SearchPaths& paths = config::default_search_paths());

    std::uint64_t size() const;
    Point point(std::uint64_t index) const;
    /// The scenario of a point: the base with the point's values on top, validated.
    config::ScenarioSpec scenario(const Point& p) const;
    const std::string& file() const { return file_; }
    /// The sweep's identity: a hash of every resolved point scenario the load validated (the
    /// base with each axis value), the mode and the axes. Rows and journals carry it.
    const std::string& identity() const { return identity_; }
    /// The files the sweep was read from (the sweep file, a base scenario file).
    std::vector<std::string> inputs() const;

private:
    // The index of the point that has value `v` on axis `a` and the first value elsewhere.
    std::uint64_t index_with(std::size_t a, std::size_t v) const;
    std::string base_file_;
    std::string identity_;
    std::string file_;
    config::Node base_;
    std::string base_dir_;
    bool zip_ = false;
    std::vector<Axis> axes_;
    std::vector<config::Override> document_sets_;  // --set of the machine, model, runtime
};

/// Limits on sweep size, so a typo in a range cannot ask for 10^12 points.
inline constexpr std::uint64_t kMaxSweepPoints = 10'000'000;

}  // namespace infersim::sweep
