"""Roofline of a run: each op kind as a point (arithmetic intensity = flops / DRAM bytes against
achieved ops/s = flops / time), under the machine's per-datatype compute roofs (/machine/compute)
and its DRAM, cache and link bandwidth roofs (/machine/bandwidth).

    /usr/bin/python3 analysis/roofline.py out.h5 -o roofline.png
"""
import argparse
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import infersim_h5  # noqa: E402
import titles  # noqa: E402


def points(ops):
    """One dict per phase and op kind with flops > 0: intensity (flop/DRAM byte), achieved ops/s and the
    bound of the larger share of its time. Ops with no DRAM bytes (all cache hits) are plotted at
    the largest finite intensity of the run and flagged `all_cache`."""
    rows = []
    duration = ops["end_s"] - ops["start_s"]
    for phase, kind in sorted({(str(p), str(k)) for p, k in zip(ops["phase"], ops["kind"])}):
        mine = (ops["kind"] == kind) & (ops["phase"] == phase)
        flops, dram, seconds = float(ops["flops"][mine].sum()), float(ops["dram_bytes"][mine].sum()), float(duration[mine].sum())
        if flops <= 0 or seconds <= 0:
            continue
        bound_s = {str(b): float(duration[mine & (ops["bound"] == b)].sum()) for b in np.unique(ops["bound"][mine])}
        rows.append({"phase": phase, "kind": kind, "flops": flops, "dram_bytes": dram, "seconds": seconds,
                     "intensity": flops / dram if dram > 0 else float("inf"),
                     "ops_per_s": flops / seconds, "bound": max(bound_s, key=bound_s.get)})
    return rows


def roofs(machine, unit=None):
    """(compute roofs [(label, ops/s)], bandwidth roofs [(label, bytes/s)]) from /machine."""
    compute = []
    for r in machine.get("compute", []):
        if unit and r["unit"] != unit:
            continue
        for col, tag in (("matrix_ops_per_s", "matrix"), ("vector_ops_per_s", "vector")):
            if r[col] > 0:
                compute.append((f"{r['unit']} {r['dtype']} {tag}", float(r[col])))
    bandwidth = [(f"{r['kind']} {r['name']}", float(r["bytes_per_s"])) for r in machine.get("bandwidth", [])
                 if r["bytes_per_s"] > 0]
    return compute, bandwidth


def _dedupe(compute):
    """Keeps one label per distinct peak (fp16/bf16/fp8 matrix often share one)."""
    by_value = {}
    for label, v in compute:
        by_value.setdefault(v, []).append(label.split(" ", 1)[1])
    return [(" / ".join(labels), v) for v, labels in sorted(by_value.items())]


def plot(run, ax=None):
    pts = points(run.ops)
    unit = run.summary.get("unit")
    compute, bandwidth = roofs(run.machine, unit)
    fig = None
    if ax is None:
        fig, ax = plt.subplots(figsize=(11, 6.5))
    finite = [p["intensity"] for p in pts if np.isfinite(p["intensity"])]
    lo = min(finite + [1.0]) / 10
    hi = max(finite + [1.0]) * 10
    x = np.logspace(np.log10(lo), np.log10(hi), 200)
    top = max([v for _, v in compute] + [1.0])
    colours = plt.cm.tab10.colors
    for i, (label, bw) in enumerate(bandwidth):
        ax.plot(x, np.minimum(bw * x, top), "--", color=colours[i % 10], lw=1.2, label=f"{label} {bw / 1e9:.0f} GB/s")
    for label, peak in _dedupe(compute):
        ax.axhline(peak, color="grey", lw=0.8, ls=":")
        ax.text(hi, peak, f" {label}: {peak / 1e12:.1f} Tops/s", va="bottom", ha="right", fontsize=7, color="dimgrey")
    markers = {"memory": "o", "compute": "s", "launch": "^"}
    for p in pts:
        xi = p["intensity"] if np.isfinite(p["intensity"]) else hi / 2
        colour = "tab:blue" if p["phase"] == "prefill" else "tab:green"
        ax.plot(xi, p["ops_per_s"], markers.get(p["bound"], "D"), ms=7, color=colour)
        ax.annotate(f"{p['kind']} {p['phase']}", (xi, p["ops_per_s"]), fontsize=7, xytext=(4, 3), textcoords="offset points")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("arithmetic intensity (flop per DRAM byte)")
    ax.set_ylabel("achieved (flop/s)")
    ax.set_title("Roofline: " + titles.run_title(run.summary) + "\n(o memory-bound, ■ compute-bound, ▲ launch-bound; blue prefill, green decode; DRAM bytes only)")
    ax.grid(alpha=0.3, which="both")
    ax.legend(loc="lower right", fontsize="small")
    return fig or ax.figure


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("h5")
    ap.add_argument("-o", "--output", default="roofline.png")
    args = ap.parse_args(argv)
    plot(infersim_h5.load(args.h5)).savefig(args.output, dpi=110)


if __name__ == "__main__":
    main()
