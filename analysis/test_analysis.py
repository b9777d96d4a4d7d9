"""The analysis scripts on a real run: `build/infersim run ... -o FILE.h5` (or $INFERSIM_BINARY),
skipped when the binary is not built.

    /usr/bin/python3 -m pytest -q analysis
"""
import json
import os
import subprocess
import sys

import numpy as np
import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import infersim_h5  # noqa: E402

BINARY = os.environ.get("INFERSIM_BINARY", os.path.join(HERE, "..", "build", "infersim"))


@pytest.fixture(scope="module")
def run_h5(tmp_path_factory):
    if not os.access(BINARY, os.X_OK):
        pytest.skip(f"{BINARY} is not built")
    path = tmp_path_factory.mktemp("run") / "run.h5"
    subprocess.run([BINARY, "run", "--machine", "rtx-spark", "--model", "llama-3.1-8b", "--quant", "q4_k_m",
                    "--prompt", "64", "--gen", "8", "-o", str(path)], check=True, stdout=subprocess.DEVNULL)
    return path


def script(name, *args):
    return subprocess.run([sys.executable, os.path.join(HERE, name), *map(str, args)], check=True,
                          capture_output=True, text=True).stdout


def test_reader_loads_summary_timelines_ops_and_tokens(run_h5):
    run = infersim_h5.load(run_h5)
    assert run.summary["decode"]["tokens_per_s"] > 0
    assert "rtx-spark" in run.provenance["machine_yaml"]
    tl = run.timeline
    bins = len(tl["time_s"])
    assert bins > 0 and np.all(tl["span_s"] > 0) and tl["span_s"][-1] <= tl["bin_s"] * (1 + 1e-12)
    for pool in tl["dram"].values():
        assert len(pool["bw_util"]) == bins and pool["channel_bw_util"].shape[1] == bins
        assert 0 <= pool["bw_util"].max() <= 1 + 1e-9
    assert len(run.ops) == run.summary["sim"]["ops"]
    assert set(np.unique(run.ops["phase"])) == {"prefill", "decode"}
    assert run.tokens["index"][-1] == 8  # cumulative count of generated tokens


def test_power_timeline_integrates_to_summary_energy(run_h5):
    run = infersim_h5.load(run_h5)
    energy = sum(float(np.dot(w, run.timeline["span_s"])) for w in run.timeline["power"].values())
    assert energy == pytest.approx(run.summary["energy_j"], rel=1e-6)


def test_plot_timeline_writes_a_png(run_h5, tmp_path):
    png = tmp_path / "timeline.png"
    script("plot_timeline.py", run_h5, "-o", png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_report_prints_a_table_per_op_kind(run_h5):
    text = script("report.py", run_h5)
    assert text.splitlines()[0].split()[:2] == ["kind", "ops"]
    assert "ffn_down" in text and "memory" in text
    rows = json.loads(script("report.py", run_h5, "--json"))
    assert sum(r["time_share"] for r in rows) == pytest.approx(1.0)
    assert sum(r["ops"] for r in rows) == len(infersim_h5.load(run_h5).ops)
    decode = json.loads(script("report.py", run_h5, "--phase", "decode", "--json"))
    assert sum(r["ops"] for r in decode) < sum(r["ops"] for r in rows)
