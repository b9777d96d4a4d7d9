"""Reads an infersim HDF5 file into plain Python and numpy objects.

    run = infersim_h5.load("out.h5")
    run.summary["decode"]["tokens_per_s"]
    run.timeline["dram"]["unified"]["bw_util"]     # one value per time bin
    run.ops[run.ops["kind"] == "ffn_down"]["end_s"]  # structured array, strings decoded
"""
import json
from dataclasses import dataclass

import h5py
import numpy as np

PROVENANCE = ("infersim_version", "machine_yaml", "model_yaml", "scenario_yaml", "runtime_yaml")


def _text(value):
    return value.decode("utf-8") if isinstance(value, (bytes, np.bytes_)) else str(value)


def _decoded(table):
    """The table with fixed-length byte-string columns turned into str columns."""
    fields = [(name, f"U{table.dtype[name].itemsize}" if table.dtype[name].kind == "S" else table.dtype[name])
              for name in table.dtype.names]
    return table.astype(fields)


def _series(group):
    """{name: array} of the datasets under `group`, nested groups as nested dicts."""
    return {name: _series(obj) if isinstance(obj, h5py.Group) else obj[()] for name, obj in group.items()}


@dataclass
class Run:
    summary: dict       # the summary JSON, as written by `infersim run --json`
    provenance: dict    # version and the resolved input YAML texts
    timeline: dict      # time_s, span_s, bin_s, end_s, dram/compute/link/cache/power series
    ops: np.ndarray     # one row per op
    tokens: np.ndarray  # one row per token emission


def load(path):
    with h5py.File(path, "r") as f:
        summary = json.loads(_text(f.attrs["summary_json"]))
        provenance = {key: _text(f.attrs[key]) for key in PROVENANCE}
        t = f["timeline"]
        time_s = t["time_s"][()]
        bin_s, end_s = float(t["time_s"].attrs["bin_s"]), float(t["time_s"].attrs["end_s"])
        timeline = {
            "time_s": time_s,
            "span_s": np.diff(np.append(time_s, end_s)),  # the last bin may be short
            "bin_s": bin_s,
            "end_s": end_s,
            "dram": _series(t["dram"]),
            "compute": {unit: g["util"][()] for unit, g in t["compute"].items()},
            "link": {link: g["bw_util"][()] for link, g in t["link"].items()},
            "cache": {cache: g["bytes"][()] for cache, g in t["cache"].items()},
            # Keyed by the recorder's domain name ("dram:unified"), not the dataset's.
            "power": {_text(d.attrs["domain"]): d[()] for d in t["power"].values()},
        }
        return Run(summary, provenance, timeline, _decoded(f["ops"][()]), _decoded(f["tokens"][()]))
