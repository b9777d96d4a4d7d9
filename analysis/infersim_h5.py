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
    ops: np.ndarray     # one row per op (dram_bytes: bytes minus cache hits; older files: = bytes)
    tokens: np.ndarray  # one row per token emission
    machine: dict = None  # {"compute": rows (unit, dtype, vector/matrix ops/s), "bandwidth": rows (name, kind, bytes/s)}
    path: str = ""


class NotAResult(ValueError):
    """The file is not one infersim can report on (not HDF5, or not an infersim result)."""


def kind_of(path):
    """'run', 'sweep', 'serving' (a run with a /requests table) or 'serve' (`infersim serve -o`)
    for an infersim HDF5 file; raises NotAResult otherwise."""
    if not h5py.is_hdf5(path):
        raise NotAResult(f"{path}: not an HDF5 file")
    with h5py.File(path, "r") as f:
        if "results" in f:
            return "sweep"
        if "serve_json" in f.attrs and isinstance(f.get("requests"), h5py.Group):
            return "serve"
        if "summary_json" not in f.attrs or "timeline" not in f or "ops" not in f:
            raise NotAResult(f"{path}: not an infersim result (no summary_json attribute, /timeline or /ops)")
        return "serving" if "requests" in f else "run"


def _with_dram_bytes(ops):
    """Files written before /ops had dram_bytes: every byte counted as DRAM, no cache bytes."""
    if "dram_bytes" in ops.dtype.names:
        return ops
    out = np.empty(len(ops), dtype=ops.dtype.descr + [("dram_bytes", "<u8"), ("cache_bytes", "<u8")])
    for name in ops.dtype.names:
        out[name] = ops[name]
    out["dram_bytes"], out["cache_bytes"] = ops["bytes"], 0
    return out


def _timeline(t):
    """The /timeline group as plain dicts (a run's, or a serve's summed over its steps)."""
    time_s = t["time_s"][()]
    bin_s, end_s = float(t["time_s"].attrs["bin_s"]), float(t["time_s"].attrs["end_s"])
    timeline = {
        "time_s": time_s,
        "span_s": np.diff(np.append(time_s, end_s)),  # the last bin may be short
        "bin_s": bin_s,
        "end_s": end_s,
        "dram": _series(t["dram"]),
        "compute": {unit: g["util"][()] for unit, g in t["compute"].items()},
        "link": {link: g["bw_util"][()] for link, g in t["link"].items()} if "link" in t else {},
        "cache": {cache: g["bytes"][()] for cache, g in t["cache"].items()} if "cache" in t else {},
        # Keyed by the recorder's domain name ("dram:unified"), not the dataset's.
        "power": {_text(d.attrs["domain"]): d[()] for d in t["power"].values()},
    }
    # Present when the run had DVFS or thermals: clock per unit, temperature per cooling domain.
    timeline["clock_hz"] = {u: g["clock_hz"][()] for u, g in t["compute"].items() if "clock_hz" in g}
    timeline["temperature_c"] = ({d: g["temperature_c"][()] for d, g in t["thermal"].items()}
                                 if "thermal" in t else {})
    return timeline


def load(path):
    with h5py.File(path, "r") as f:
        summary = json.loads(_text(f.attrs["summary_json"]))
        provenance = {key: _text(f.attrs[key]) for key in PROVENANCE}
        timeline = _timeline(f["timeline"])
        machine = {name: _decoded(f["machine"][name][()]) for name in f["machine"]} if "machine" in f else {}
        return Run(summary, provenance, timeline, _with_dram_bytes(_decoded(f["ops"][()])),
                   _decoded(f["tokens"][()]), machine, str(path))


NO_OPS = np.zeros(0, dtype=[("phase", "U8"), ("start_s", "<f8"), ("end_s", "<f8")])
NO_TOKENS = np.zeros(0, dtype=[("index", "<u8"), ("time_s", "<f8"), ("phase", "U8")])


def load_serve(path):
    """An `infersim serve -o` file as a Run: summary = the serve report's JSON, timeline = the
    hardware timeline summed over the serve's steps (None in files written without one), no ops
    or token rows (the serve's own tables are /requests and /serving)."""
    with h5py.File(path, "r") as f:
        summary = json.loads(_text(f.attrs["serve_json"]))
        provenance = {key: _text(f.attrs[key]) for key in PROVENANCE if key in f.attrs}
        timeline = _timeline(f["timeline"]) if "timeline" in f else None
        return Run(summary, provenance, timeline, NO_OPS, NO_TOKENS, {}, str(path))
