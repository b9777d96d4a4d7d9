"""The report's plots on real simulator output: the data each plot draws equals the values in the
HDF5 file (read again with h5py), and every kind of report renders in headless Chromium without
console messages and with a screenshot that is not one colour.

    /usr/bin/python3 -m pytest -q analysis/test_report.py
"""
import json
import os
import shutil
import subprocess
import sys

import h5py
import matplotlib.image
import numpy as np
import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import battery  # noqa: E402
import breakdown  # noqa: E402
import compare  # noqa: E402
import energy  # noqa: E402
import infersim_h5  # noqa: E402
import plot_timeline  # noqa: E402
import roofline  # noqa: E402
import serving  # noqa: E402
import sweep  # noqa: E402

BINARY = os.environ.get("INFERSIM_BINARY", os.path.join(HERE, "..", "build", "infersim"))
RUN = ["--model", "llama-3.1-8b", "--prompt", "64", "--gen", "8"]
SWEEP = """base: {machine: rtx-spark, model: llama-3.1-8b, prompt: 32, gen: 4}
axes:
  quant: [q4_k_m, q8_0]
  prompt: [32, 64]
"""
SERVE = """machine: nvidia-dgx-spark
model: llama-3.2-3b
quant: q4_k_m
sim: {fidelity: fast}
serving:
  arrivals: {process: poisson, rate: 4/s, requests: 8, seed: 2}
  prompt: 64
  gen: 8
"""


def infersim(*args, cwd=None):
    return subprocess.run([BINARY, *map(str, args)], check=True, capture_output=True, text=True, cwd=cwd)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    if not os.access(BINARY, os.X_OK):
        pytest.skip(f"{BINARY} is not built")
    d = tmp_path_factory.mktemp("report")
    infersim("run", "--machine", "rtx-spark", "--quant", "q4_k_m", *RUN, "-o", d / "spark.h5")
    infersim("run", "--machine", "apple-m4-max", "--quant", "q8_0", *RUN, "-o", d / "m4.h5")
    (d / "sweep.yaml").write_text(SWEEP)
    infersim("sweep", d / "sweep.yaml", "-o", d / "sweep.jsonl", "--jobs", "1")
    (d / "battery.json").write_text(infersim("battery", "--machine", "apple-m4-max", "--model", "llama-3.1-8b", "--quant",
                                             "q4_k_m", "--usage", "chat", "--json", "--no-wall-time").stdout)
    (d / "serve.yaml").write_text(SERVE)
    infersim("serve", d / "serve.yaml", "-o", d / "serve.h5")
    shutil.copy(d / "spark.h5", d / "serving.h5")
    with h5py.File(d / "serving.h5", "a") as f:  # the serving layout's /requests table, two latencies
        t = np.zeros(5, dtype=[("arrival_s", "<f8"), ("ttft_s", "<f8"), ("e2e_s", "<f8")])
        t["ttft_s"], t["e2e_s"] = [0.3, 0.1, 0.2, 0.5, 0.4], [1.3, 1.1, 1.2, 1.5, 1.4]
        f["requests"] = t
    return d


def test_timeline_data_is_the_files_series(files):
    d = plot_timeline.data(infersim_h5.load(files / "spark.h5"))
    with h5py.File(files / "spark.h5") as f:
        t = f["timeline"]
        assert np.array_equal(d["edges"][:-1], t["time_s"][()]) and d["edges"][-1] == t["time_s"].attrs["end_s"]
        assert np.array_equal(d["dram_util"]["unified"], t["dram/unified/bw_util"][()])
        assert np.array_equal(d["channel_util"]["unified"], t["dram/unified/channel_bw_util"][()])
        assert np.array_equal(d["compute_util"]["gpu"], t["compute/gpu/util"][()])
        assert np.array_equal(d["power_w"]["compute:gpu"], t["power/compute_gpu"][()])
        ops = f["ops"][()]
        decode = ops[ops["phase"] == b"decode"]
        assert d["phases"]["decode"] == (decode["start_s"].min(), decode["end_s"].max())
        assert np.array_equal(d["tokens"]["time_s"], f["tokens"]["time_s"])


def test_ops_split_dram_and_cache_bytes_and_the_roofline_uses_dram_bytes(files):
    run = infersim_h5.load(files / "spark.h5")
    with h5py.File(files / "spark.h5") as f:
        ops = f["ops"][()]
        bandwidth = f["machine/bandwidth"][()]
        compute = f["machine/compute"][()]
    assert np.array_equal(ops["dram_bytes"] + ops["cache_bytes"], ops["bytes"])
    assert ops["cache_bytes"].sum() == run.summary["caches"][0]["hit_bytes"] > 0  # rtx-spark's L2 serves hits
    for p in roofline.points(run.ops):
        mine = (ops["kind"] == p["kind"].encode()) & (ops["phase"] == p["phase"].encode())
        assert p["flops"] == ops["flops"][mine].sum() and p["dram_bytes"] == ops["dram_bytes"][mine].sum()
        assert p["ops_per_s"] == pytest.approx(ops["flops"][mine].sum() / (ops["end_s"] - ops["start_s"])[mine].sum())
    compute_roofs, bw_roofs = roofline.roofs(run.machine, "gpu")
    assert [v for _, v in bw_roofs] == list(bandwidth["bytes_per_s"])
    assert bandwidth[0]["bytes_per_s"] == run.summary["pools"][0]["peak_bytes_per_s"]
    assert max(v for _, v in compute_roofs) == max(compute["matrix_ops_per_s"].max(), compute["vector_ops_per_s"].max())


def test_breakdown_splits_each_kinds_time_and_bytes(files):
    run = infersim_h5.load(files / "spark.h5")
    with h5py.File(files / "spark.h5") as f:
        ops = f["ops"][()]
    for kind, row in breakdown.by_kind(run.ops).items():
        mine = ops["kind"] == kind.encode()
        assert row["launch"] + row["compute"] + row["memory"] == pytest.approx((ops["end_s"] - ops["start_s"])[mine].sum())
        assert row["dram_bytes"] == ops["dram_bytes"][mine].sum() and row["cache_bytes"] == ops["cache_bytes"][mine].sum()
        assert row["waiting"] >= 0


def test_energy_and_comparison_data_are_the_summaries(files):
    runs = [infersim_h5.load(files / n) for n in ("spark.h5", "m4.h5")]
    domains, phases = energy.data(runs[0].summary)
    with h5py.File(files / "spark.h5") as f:
        for name, joules in domains.items():
            assert joules == f["summary/energy_by_domain_j"][name.replace(":", "_")][()]
        assert phases["decode"] == f["summary/decode/energy_j"][()]
    table = compare.data(runs)
    assert list(table) == ["rtx-spark / q4_k_m", "apple-m4-max / q8_0"]
    with h5py.File(files / "m4.h5") as f:
        assert table["apple-m4-max / q8_0"]["decode.tokens_per_s"] == f["summary/decode/tokens_per_s"][()]


def test_sweep_table_pareto_and_heatmap_come_from_the_rows(files):
    df, axes = sweep.load(files / "sweep.jsonl")
    rows = [json.loads(line) for line in (files / "sweep.jsonl").read_text().splitlines()]
    assert axes == ["quant", "prompt"] and len(df) == len(rows) == 4
    for r in rows:
        got = df[df["key"] == r["key"]].iloc[0]
        assert got[sweep.SPEED] == r["summary"]["decode"]["tokens_per_s"] and got[sweep.COST] == r["summary"]["joules_per_token"]
    front = sweep.pareto(df)
    for _, a in df.iterrows():  # nothing off the front beats a front point on both
        dominated = [(a[sweep.SPEED] > b[sweep.SPEED] and a[sweep.COST] < b[sweep.COST]) for _, b in front.iterrows()]
        assert not any(dominated)
    grid = sweep.heatmap_data(df, "quant", "prompt", sweep.SPEED)
    one = df[(df["quant"] == "q8_0") & (df["prompt"] == 64)].iloc[0]
    assert grid.loc[64, "q8_0"] == one[sweep.SPEED]


def test_the_hdf5_results_table_loads_like_the_json_lines(tmp_path):
    path = tmp_path / "results.h5"
    rows = np.array([(0, b"quant=q4_k_m", b"ok", b"", b"q4_k_m", 45.0, 1.0), (1, b"quant=q8_0", b"ok", b"", b"q8_0", 27.0, 1.5),
                     (2, b"quant=f16", b"failed", b"no fit", b"f16", np.nan, np.nan)],
                    dtype=[("index", "<u8"), ("key", "S32"), ("status", "S8"), ("error", "S32"), ("quant", "S8"),
                           (sweep.SPEED, "<f8"), (sweep.COST, "<f8")])
    with h5py.File(path, "w") as f:
        f["results"] = rows
        f["results"].attrs["axes"] = json.dumps(["quant"])
    df, axes = sweep.load(path)
    assert axes == ["quant"] and list(df["quant"]) == ["q4_k_m", "q8_0", "f16"]
    assert list(sweep.pareto(df)["quant"]) == ["q4_k_m"] and len(sweep.ok(df)) == 2


def test_battery_and_serving_data(files):
    report = battery.load(files / "battery.json")
    [(label, hours, uses)] = battery.data([report])
    assert hours == report["hours"] and uses == report["energy_by_use_j"] and "apple-m4-max" in label
    lat = serving.latencies(files / "serving.h5")
    assert list(lat) == ["ttft_s", "e2e_s"] and list(lat["ttft_s"]) == [0.1, 0.2, 0.3, 0.4, 0.5]
    assert serving.latencies(files / "spark.h5") == {}


def test_a_serve_file_reads_as_latencies_steps_and_a_hardware_timeline(files):
    path = files / "serve.h5"
    assert infersim_h5.kind_of(path) == "serve"
    run = infersim_h5.load_serve(path)
    with h5py.File(path) as f:
        r = f["requests"]
        ttft = np.sort(r["first_token_s"][()] - r["arrival_s"][()])
        assert np.array_equal(serving.latencies(path)["ttft_s"], ttft) and len(ttft) == 8
        t = f["timeline"]
        assert np.array_equal(run.timeline["time_s"], t["time_s"][()])
    tl = run.timeline
    joules = sum((w * tl["span_s"]).sum() for w in tl["power"].values())
    assert abs(joules - run.summary["energy_j"]) <= 1e-9 * run.summary["energy_j"]  # the serve's energy, bin by bin
    assert tl["end_s"] >= run.summary["throughput"]["duration_s"]
    d = plot_timeline.data(run)
    assert d["phases"] == {} and "tokens" not in plot_timeline._panels(d)
    assert serving.plot_steps(path, "t") is not None and serving.plot_steps(files / "spark.h5", "t") is None


KINDS = {"run": ["spark.h5"], "comparison": ["spark.h5", "m4.h5"], "sweep": ["sweep.jsonl"],
         "battery": ["battery.json"], "serving": ["serving.h5"], "serve": ["serve.h5"]}
MIN_PLOTS = {"run": 4, "comparison": 3, "sweep": 4, "battery": 1, "serving": 5, "serve": 3}


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_kind_of_report_renders_in_headless_chromium(files, kind, tmp_path):
    chromium = shutil.which("chromium")
    if not chromium:
        pytest.skip("chromium is not installed (./setup.sh installs it)")
    html = tmp_path / f"{kind}.html"
    infersim("report", *[files / n for n in KINDS[kind]], "-o", html)
    text = html.read_text()
    assert text.count('<img class="plot"') >= MIN_PLOTS[kind]
    assert "http://" not in text and "https://" not in text and "<script" not in text
    png = tmp_path / f"{kind}.png"
    # Its profile stays in the test's directory; /dev/shm may be small or absent in containers.
    r = subprocess.run([chromium, "--headless", "--disable-gpu", "--no-sandbox", "--disable-dev-shm-usage",
                        f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={png}",
                        "--window-size=1280,2000", "--enable-logging=stderr", "--v=0", html.as_uri()],
                       capture_output=True, text=True, timeout=60)
    console = [line for line in r.stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]
    assert console == []
    pixels = matplotlib.image.imread(png)
    assert pixels.shape[:2] == (2000, 1280)
    assert len(np.unique(pixels.reshape(-1, pixels.shape[-1])[::97], axis=0)) > 20  # not a blank page
