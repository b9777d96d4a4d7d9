"""Sweep results as data: `infersim sweep FILE -o r.h5` writes the compound dataset /results,
which h5py and pandas read in one line; `-o r.csv` exports the same rows. Runs the built binary
(build/infersim or $INFERSIM_BINARY); skipped when it is not built.

    /usr/bin/python3 -m pytest -q analysis/test_results_table.py
"""
import json
import math
import os
import subprocess

import h5py
import numpy as np
import pandas
import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
BINARY = os.environ.get("INFERSIM_BINARY", os.path.join(HERE, "..", "build", "infersim"))

SWEEP = """base: {machine: apple-m4-max, model: llama-3.2-3b, prompt: 16, gen: 4}
axes:
  machine.memory.unified.channels: [8, 16]
  machine.memory.unified.data_rate: ["6400 MT/s", "8533 MT/s"]
  quant: [q4_0, q8_0]
"""


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    if not os.access(BINARY, os.X_OK):
        pytest.skip(f"{BINARY} is not built")
    d = tmp_path_factory.mktemp("sweep")
    (d / "s.yaml").write_text(SWEEP)
    out = {}
    for ext in ("h5", "csv", "jsonl"):
        subprocess.run([BINARY, "sweep", "s.yaml", "-o", f"r.{ext}", "--jobs", "2"], cwd=d, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        out[ext] = d / f"r.{ext}"
    return out


def test_results_is_one_compound_dataset_with_the_documented_columns(tables):
    with h5py.File(tables["h5"], "r") as f:
        results = f["results"]
        assert results.shape == (8,)
        names = results.dtype.names
        assert names[:4] == ("index", "key", "status", "error")
        assert json.loads(results.attrs["axes"]) == ["machine.memory.unified.channels", "machine.memory.unified.data_rate", "quant"]
        assert names[4:7] == ("machine.memory.unified.channels", "machine.memory.unified.data_rate", "quant")
        assert results.dtype["index"] == np.int64
        assert results.dtype["machine.memory.unified.channels"] == np.int64  # whole numbers: int64
        assert results.dtype["machine.memory.unified.data_rate"].kind == "S"  # "6400 MT/s": a string
        assert results.dtype["decode.tokens_per_s"] == np.float64


def test_the_documented_one_liner_gives_a_dataframe(tables):
    df = pandas.DataFrame(h5py.File(tables["h5"], "r")["results"][()])
    assert list(df["index"]) == list(range(8))
    assert set(df["status"]) == {b"ok"}
    # More channels never slow memory-bound decode, at every data rate and quant.
    fast = df[df["machine.memory.unified.channels"] == 16].reset_index()
    slow = df[df["machine.memory.unified.channels"] == 8].reset_index()
    assert (fast["decode.tokens_per_s"] > slow["decode.tokens_per_s"]).all()


def test_csv_and_jsonl_hold_the_same_rows(tables):
    h5 = pandas.DataFrame(h5py.File(tables["h5"], "r")["results"][()])
    csv = pandas.read_csv(tables["csv"])
    assert list(csv.columns) == list(h5.columns)
    assert np.allclose(csv["decode.tokens_per_s"], h5["decode.tokens_per_s"])
    rows = [json.loads(line) for line in open(tables["jsonl"])]
    assert [r["summary"]["decode"]["tokens_per_s"] for r in rows] == list(h5["decode.tokens_per_s"])
    assert [r["key"] for r in rows] == [k.decode() for k in h5["key"]]
    assert all(math.isfinite(v) for v in csv["prefill.tokens_per_s"])
