"""Per-op-kind breakdown of a run from /ops: where the time went (launch, compute, memory,
waiting) and which bytes came from DRAM or a cache.

Time split of an op's span [start, end): `launch` = launch_s; `compute` = compute_s (its
arithmetic alone, capped at what is left of the span); `memory` = the rest of the span (the op
waiting on data beyond its arithmetic). `waiting` = the gap on the same unit between the previous
op's end and this op's start (host work between steps, dispatch gaps).
"""
import numpy as np

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import titles  # noqa: E402

TIME_PARTS = ("launch", "compute", "memory", "waiting")


def _waiting(ops):
    wait = np.zeros(len(ops))
    for unit in np.unique(ops["unit"]):
        idx = np.flatnonzero(ops["unit"] == unit)
        idx = idx[np.argsort(ops["start_s"][idx], kind="stable")]
        prev_end = np.maximum.accumulate(ops["end_s"][idx])
        wait[idx[1:]] = np.maximum(0.0, ops["start_s"][idx[1:]] - prev_end[:-1])
    return wait


def by_kind(ops):
    """{kind: {launch, compute, memory, waiting (s), dram_bytes, cache_bytes}}, kinds by total time."""
    span = ops["end_s"] - ops["start_s"]
    launch = np.minimum(ops["launch_s"], span)
    compute = np.minimum(ops["compute_s"], span - launch)
    memory = span - launch - compute
    wait = _waiting(ops)
    out = {}
    for kind in np.unique(ops["kind"]):
        m = ops["kind"] == kind
        out[str(kind)] = {"launch": float(launch[m].sum()), "compute": float(compute[m].sum()),
                          "memory": float(memory[m].sum()), "waiting": float(wait[m].sum()),
                          "dram_bytes": int(ops["dram_bytes"][m].sum()), "cache_bytes": int(ops["cache_bytes"][m].sum())}
    return dict(sorted(out.items(), key=lambda kv: -sum(kv[1][p] for p in TIME_PARTS)))


def plot(run):
    data = by_kind(run.ops)
    kinds = list(data)
    fig, (tax, bax) = plt.subplots(1, 2, figsize=(12, max(3.5, 0.35 * len(kinds) + 1.5)), sharey=True)
    y = np.arange(len(kinds))
    left = np.zeros(len(kinds))
    for part in TIME_PARTS:
        v = np.array([1e3 * data[k][part] for k in kinds])
        tax.barh(y, v, left=left, label=part)
        left += v
    tax.set_yticks(y, kinds)
    tax.invert_yaxis()
    tax.set_xlabel("time (ms)")
    tax.set_title("time per op kind")
    tax.legend(fontsize="small")
    left = np.zeros(len(kinds))
    for part, label in (("dram_bytes", "DRAM"), ("cache_bytes", "cache hits")):
        v = np.array([data[k][part] / 1e9 for k in kinds])
        bax.barh(y, v, left=left, label=label)
        left += v
    bax.set_xlabel("bytes moved (GB)")
    bax.set_title("bytes per op kind")
    bax.legend(fontsize="small")
    for ax in (tax, bax):
        ax.grid(alpha=0.3, axis="x")
    fig.suptitle("Per-op-kind breakdown: " + titles.run_title(run.summary))
    fig.tight_layout()
    return fig
