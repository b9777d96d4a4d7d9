"""Serving results (a /requests table): the latency CDF of each latency column (names ending in
_s: time to first token, end-to-end, ...). Files without /requests have nothing to show."""
import h5py
import numpy as np

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def latencies(path):
    """{column: sorted seconds} of the float columns of /requests whose names end in _s, except
    arrival/start/end times; {} when there is no /requests table."""
    with h5py.File(path, "r") as f:
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
