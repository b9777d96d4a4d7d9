"""HDF5 timelines carry dimension scales (the netCDF-4 convention), so xarray (Debian's
python3-xarray with python3-h5netcdf) opens a timeline group as labelled arrays: every per-bin
series has the dimension `time_s`, a pool's channel matrices (`channel`, `time_s`) with the
channel index as a coordinate; the values are the HDF5's. A sweep's per-point timelines
(`sweep -o r.h5 --timelines`, group points/<index>/timeline) open the same way. Runs the built binary (build/infersim
or $INFERSIM_BINARY); skipped when it is not built.

    /usr/bin/python3 -m pytest -q analysis/test_xarray_timeline.py
"""
import os
import subprocess

import h5py
import numpy as np
import pytest

xarray = pytest.importorskip("xarray")
pytest.importorskip("h5netcdf")

HERE = os.path.dirname(os.path.abspath(__file__))
BINARY = os.environ.get("INFERSIM_BINARY", os.path.join(HERE, "..", "build", "infersim"))


@pytest.fixture(scope="module")
def run_file(tmp_path_factory):
    if not os.access(BINARY, os.X_OK):
        pytest.skip(f"{BINARY} is not built")
    out = tmp_path_factory.mktemp("xr") / "run.h5"
    subprocess.run([BINARY, "run", "--machine", "apple-m4-max", "--model", "llama-3.2-3b", "--quant", "q4_0",
                    "--prompt", "64", "--gen", "8", "-o", str(out)], check=True, stdout=subprocess.DEVNULL)
    return str(out)


def test_the_time_axis_is_a_coordinate_and_series_are_labelled_by_it(run_file):
    top = xarray.open_dataset(run_file, group="timeline", engine="h5netcdf")
    with h5py.File(run_file) as f:
        np.testing.assert_array_equal(top["time_s"].values, f["timeline/time_s"][()])
        pool = xarray.open_dataset(run_file, group="timeline/dram/unified", engine="h5netcdf")
        assert pool["bw_util"].dims == ("time_s",)
        assert pool["channel_bw_util"].dims == ("channel", "time_s")
        np.testing.assert_array_equal(pool["channel"].values, np.arange(f["timeline/dram/unified/channel_bw_util"].shape[0]))
        np.testing.assert_array_equal(pool["channel_bw_util"].values, f["timeline/dram/unified/channel_bw_util"][()])
        # The parent's time coordinate labels a child group's series in one call.
        power = xarray.open_dataset(run_file, group="timeline/power", engine="h5netcdf").assign_coords(time_s=top["time_s"])
        assert power["host"].dims == ("time_s",)
        np.testing.assert_array_equal(power["host"].sel(time_s=top["time_s"][0]).values, f["timeline/power/host"][0])


@pytest.fixture(scope="module")
def sweep_file(tmp_path_factory):
    """A 2-point sweep with --timelines; point 0 is run_file's scenario."""
    if not os.access(BINARY, os.X_OK):
        pytest.skip(f"{BINARY} is not built")
    d = tmp_path_factory.mktemp("xr_sweep")
    (d / "s.yaml").write_text("base: {machine: apple-m4-max, model: llama-3.2-3b, prompt: 64, gen: 8}\n"
                              "axes:\n  quant: [q4_0, q8_0]\n")
    out = d / "r.h5"
    subprocess.run([BINARY, "sweep", str(d / "s.yaml"), "-o", str(out), "--timelines", "--jobs", "2"], check=True,
                   stderr=subprocess.DEVNULL)
    return str(out)


def test_a_sweep_points_timeline_opens_in_xarray_like_the_runs(sweep_file, run_file):
    with h5py.File(sweep_file) as f:
        assert sorted(f["points"].keys()) == ["0", "1"]
        assert f["points/1"].attrs["key"] == b"quant=q8_0" or f["points/1"].attrs["key"] == "quant=q8_0"
        index = f["results"]["index"]
    assert list(index) == [0, 1]
    top = xarray.open_dataset(sweep_file, group="points/0/timeline", engine="h5netcdf")
    run = xarray.open_dataset(run_file, group="timeline", engine="h5netcdf")
    np.testing.assert_array_equal(top["time_s"].values, run["time_s"].values)
    pool = xarray.open_dataset(sweep_file, group="points/0/timeline/dram/unified", engine="h5netcdf")
    run_pool = xarray.open_dataset(run_file, group="timeline/dram/unified", engine="h5netcdf")
    assert pool["channel_bw_util"].dims == ("channel", "time_s")
    np.testing.assert_array_equal(pool["channel_bw_util"].values, run_pool["channel_bw_util"].values)
    other = xarray.open_dataset(sweep_file, group="points/1/timeline/dram/unified", engine="h5netcdf")
    assert other["bw_util"].dims == ("time_s",)


def test_a_serve_files_timeline_opens_the_same_way(tmp_path):
    if not os.access(BINARY, os.X_OK):
        pytest.skip(f"{BINARY} is not built")
    scenario, out = tmp_path / "serve.yaml", tmp_path / "serve.h5"
    scenario.write_text("machine: apple-m4-max\nmodel: llama-3.2-3b\nquant: q4_0\nsim: {fidelity: fast}\n"
                        "serving: {arrivals: {rate: 4/s, requests: 4, seed: 1}, prompt: 64, gen: 8}\n")
    subprocess.run([BINARY, "serve", str(scenario), "-o", str(out)], check=True, stdout=subprocess.DEVNULL)
    top = xarray.open_dataset(out, group="timeline", engine="h5netcdf")
    pool = xarray.open_dataset(out, group="timeline/dram/unified", engine="h5netcdf")
    assert pool["channel_bw_util"].dims == ("channel", "time_s")
    with h5py.File(out) as f:
        np.testing.assert_array_equal(top["time_s"].values, f["timeline/time_s"][()])
        np.testing.assert_array_equal(pool["bw_util"].values, f["timeline/dram/unified/bw_util"][()])
        assert f["timeline/time_s"].attrs["end_s"] >= f["serving/end_s"][-1]
