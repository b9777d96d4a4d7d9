"""Serving results (a /requests table): the latency CDF of each latency column (names ending in
_s: time to first token, end-to-end, ...), and for `infersim serve -o` files (a /requests group
of columns, a /serving group of per-step series) the queue depth, batch size, KV occupancy and
preemptions over time. Files without /requests have nothing to show."""
import h5py
import numpy as np

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def latencies(path):
    """{column: sorted seconds} of the float columns of /requests whose names end in _s, except
    arrival/start/end times; {} when there is no /requests table."""
    with h5py.File(path, "r") as f:
        if isinstance(f.get("requests"), h5py.Group):  # `infersim serve -o`: times since the start
            r = {name: f["requests"][name][()] for name in ("arrival_s", "first_token_s", "finish_s")}
            return {"ttft_s": np.sort(r["first_token_s"] - r["arrival_s"]), "e2e_s": np.sort(r["finish_s"] - r["arrival_s"])}
        if "requests" not in f or not isinstance(f["requests"], h5py.Dataset) or f["requests"].dtype.names is None:
            return {}
        table = f["requests"][()]
    skip = ("arrival_s", "start_s", "end_s", "time_s", "at_s")
    return {n: np.sort(table[n]) for n in table.dtype.names
            if n.endswith("_s") and n not in skip and table.dtype[n].kind == "f"}


def plot(path, title):
    lat = latencies(path)
    if not lat:
        return None
    fig, ax = plt.subplots(figsize=(11, 5))
    for name, v in lat.items():
        ax.step(v, np.arange(1, len(v) + 1) / len(v), where="post", label=name)
    ax.set_xlabel("latency (s)")
    ax.set_ylabel("fraction of requests")
    ax.set_title(f"Latency CDF: {title}")
    ax.grid(alpha=0.3)
    ax.legend()
    return fig


STEP_PANELS = (("queue_depth", "queue depth (requests)"), ("batch_size", "batch (sequences)"),
               ("kv_occupancy", "KV occupancy (fraction)"), ("preemptions", "preemptions (cumulative)"))


def plot_steps(path, title):
    """The /serving series, one panel each, held from each step's start to its end; None without
    a /serving group."""
    with h5py.File(path, "r") as f:
        if not isinstance(f.get("serving"), h5py.Group):
            return None
        g = f["serving"]
        start, end = g["time_s"][()], g["end_s"][()]
        series = {name: g[name][()] for name, _ in STEP_PANELS}
    fig, axes = plt.subplots(len(STEP_PANELS), 1, sharex=True, figsize=(11, 7), layout="constrained")
    edges = np.append(start, end[-1:]) if len(start) else np.zeros(1)
    for ax, (name, label) in zip(axes, STEP_PANELS):
        if len(start):
            ax.stairs(series[name], edges)  # steps are back to back; an idle gap holds the step before it
        ax.set_ylabel(label, fontsize="small")
        ax.grid(alpha=0.3)
    axes[-1].set_xlabel("time (s)")
    fig.suptitle(f"Serving steps: {title}")
    return fig
