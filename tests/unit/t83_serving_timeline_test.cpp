// The serve's hardware timelines: every step's binned activity placed at the step's start
// (the same recording adds the same amounts wherever it lands), the constant power while idle;
// their energy is the serve's energy, and the HDF5 file holds them in a run's /timeline layout,
// the same bytes for the same inputs.
#include <gtest/gtest.h>

#include <hdf5.h>
#include <hdf5_hl.h>

#include <cmath>
#include <fstream>
#include <numeric>

#include "output/hdf5_io.hpp"
#include "scenario/serve_run.hpp"
#include "serving/serve_hdf5.hpp"
#include "support/inputs.hpp"
#include "support/temp_dir.hpp"

namespace infersim::scenario {
namespace {

// A trickle with gaps (idle power) and a few batched steps.
Inputs trickle(const std::string& draft = "") {
    config::ScenarioSpec s = test::shipped_scenario("nvidia-dgx-spark", "llama-3.2-3b", "q4_k_m", 128, 8);
    s.sim.fidelity = config::Fidelity::fast;
    s.serving.present = true;
    s.serving.arrivals.rate_per_s = 3;
    s.serving.arrivals.requests = 10;
    s.serving.prompt = config::LengthDist::fixed_at(128);
    s.serving.gen = config::LengthDist::fixed_at(8);
    if (!draft.empty()) {
        s.serving.speculative.method = config::SpeculativeSpec::Method::draft;
        s.serving.speculative.draft_model = draft;
        s.serving.speculative.k = 3;
    }
    return resolve_inputs(s, test::config_paths());
}

double sum(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0); }

using infersim::test::slurp;

std::vector<double> read(hid_t f, const std::string& name, std::vector<hsize_t>* dims = nullptr) {
    const hid_t ds = H5Dopen2(f, name.c_str(), H5P_DEFAULT);
    EXPECT_GE(ds, 0) << name;
    if (ds < 0) return {};
    const hid_t sp = H5Dget_space(ds);
    std::vector<hsize_t> d(static_cast<std::size_t>(H5Sget_simple_extent_ndims(sp)));
    H5Sget_simple_extent_dims(sp, d.data(), nullptr);
    std::vector<double> v(static_cast<std::size_t>(H5Sget_simple_extent_npoints(sp)));
    H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data());
    H5Sclose(sp);
    H5Dclose(ds);
    if (dims) *dims = d;
    return v;
}

}  // namespace

TEST(ServingTimeline, a_recording_adds_the_same_amounts_wherever_it_is_placed) {
    const Inputs in = trickle();
    const RunOutput one = run(in);
    const output::BinnedActivity a = one.recorder->activity();
    ASSERT_GT(a.bins, 1u);
    const engine::Tick bin = one.recorder->bin();
    output::Recorder aligned(in.machine, *one.power, bin, 0, 0), shifted(in.machine, *one.power, bin, 0, 0);
    aligned.add(a, 3 * bin);
    shifted.add(a, 3 * bin + bin / 3);
    aligned.close(aligned.extent());
    shifted.close(shifted.extent());
    // On the bin grid the series are the recording's, moved by three bins, value for value.
    const output::Series& unit = one.recorder->unit_busy_ps()[in.unit];
    ASSERT_EQ(aligned.bins(), a.bins + 3);
    for (std::size_t b = 0; b < a.bins; ++b) EXPECT_EQ(aligned.unit_busy_ps()[in.unit][b + 3], unit[b]) << b;
    EXPECT_EQ(aligned.unit_busy_ps()[in.unit][0], 0.0);
    // Off the grid a bin splits by its overlap (the first third of bin 3 is empty); the sums
    // do not change.
    const double first = unit[0] * static_cast<double>(bin - bin / 3) / static_cast<double>(bin);
    EXPECT_NEAR(shifted.unit_busy_ps()[in.unit][3], first, 1e-12 * unit[0]);
    EXPECT_NEAR(sum(shifted.unit_busy_ps()[in.unit]), sum(unit), 1e-12 * sum(unit));
    EXPECT_NEAR(shifted.total_energy_j(), one.summary.energy_j, 1e-12 * one.summary.energy_j);
    EXPECT_NEAR(sum(shifted.channel_bytes()[0][0]), sum(one.recorder->channel_bytes()[0][0]), 1.0);
    EXPECT_GT(sum(shifted.channel_bytes()[0][0]), 0);
}

TEST(ServingTimeline, the_timelines_span_the_serve_and_their_energy_is_the_serve_energy) {
    const Inputs in = trickle();
    const ServeOutput out = serve(in, test::config_paths(), true);
    ASSERT_TRUE(out.timeline);
    const output::Recorder& t = *out.timeline;
    EXPECT_GE(t.end(), out.totals.end);
    EXPECT_LT(t.end(), out.totals.end + engine::from_seconds(0.001));  // a posted write's tail at most
    EXPECT_EQ(t.bins(), static_cast<std::size_t>((t.end() - 1) / t.bin() + 1));
    ASSERT_GT(out.report.idle_energy_j, 0);  // the gaps are in it
    EXPECT_NEAR(t.total_energy_j(), out.report.energy_j, 1e-9 * out.report.energy_j);
    // Busy from the first step to the last: compute in the first and last steps' bins.
    const auto bin_of = [&](engine::Tick when) { return static_cast<std::size_t>(when / t.bin()); };
    EXPECT_GT(t.unit_busy_ps()[in.unit][bin_of(out.totals.steps.front().start)], 0);
    EXPECT_GT(t.unit_busy_ps()[in.unit][bin_of(out.totals.steps.back().end - 1)], 0);
    for (const auto& channel : t.channel_bytes()[0]) EXPECT_GT(sum(channel), 0);
    // Without a file to write, nothing is kept.
    EXPECT_FALSE(serve(in, test::config_paths()).timeline);
}

TEST(ServingTimeline, draft_passes_are_on_the_timeline_too) {
    const ServeOutput out = serve(trickle("llama-3.2-3b"), test::config_paths(), true);
    ASSERT_GT(out.totals.draft_passes, 0u);
    EXPECT_NEAR(out.timeline->total_energy_j(), out.report.energy_j, 1e-9 * out.report.energy_j);
}

TEST(ServingTimeline, the_file_holds_a_runs_timeline_layout_with_the_serve_energy_in_the_same_bytes) {
    const Inputs in = trickle();
    const ServeOutput out = serve(in, test::config_paths(), true);
    test::TempDir d;
    const nlohmann::ordered_json j = serving::to_json(out.report);
    for (const char* name : {"a.h5", "b.h5"}) serving::write_serve_hdf5(d.path(name), out.totals, j, "yaml", out.timeline.get(), &in.machine);
    const ServeOutput again = serve(in, test::config_paths(), true);
    serving::write_serve_hdf5(d.path("c.h5"), again.totals, j, "yaml", again.timeline.get(), &in.machine);
    EXPECT_EQ(slurp(d.path("a.h5")), slurp(d.path("b.h5")));
    EXPECT_EQ(slurp(d.path("a.h5")), slurp(d.path("c.h5")));

    const hid_t f = H5Fopen(d.path("a.h5").c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    ASSERT_GE(f, 0);
    const std::vector<double> time = read(f, "/timeline/time_s");
    ASSERT_EQ(time.size(), out.timeline->bins());
    const std::string pool = "/timeline/dram/" + in.machine.pools[0].name;
    std::vector<hsize_t> dims;
    read(f, pool + "/channel_bw_util", &dims);
    EXPECT_EQ(dims, (std::vector<hsize_t>{static_cast<hsize_t>(in.machine.pools[0].channels), time.size()}));
    EXPECT_EQ(read(f, "/timeline/compute/" + in.machine.units[in.unit].name + "/util").size(), time.size());
    EXPECT_EQ(read(f, pool + "/bytes").size(), time.size());
    const hid_t ts = H5Dopen2(f, "/timeline/time_s", H5P_DEFAULT);
    EXPECT_GT(H5DSis_scale(ts), 0);
    H5Dclose(ts);
    // The power series over the bins' spans: the serve's energy.
    const double bin_s = engine::to_seconds(out.timeline->bin()), end_s = engine::to_seconds(out.timeline->end());
    double joules = 0;
    for (const std::string& domain : out.timeline->domain_names()) {
        const std::vector<double> w = read(f, "/timeline/power/" + output::h5::clean(domain));
        for (std::size_t b = 0; b < w.size(); ++b) joules += w[b] * (std::min(end_s, time[b] + bin_s) - time[b]);
    }
    EXPECT_NEAR(joules, out.report.energy_j, 1e-9 * out.report.energy_j);
    H5Fclose(f);
}

}  // namespace infersim::scenario
