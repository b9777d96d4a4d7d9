"""Plots an infersim run's timelines as stacked panels sharing the time axis: DRAM bandwidth
utilization per pool, a channel x time heatmap per pool, compute utilization per unit, power per
domain (stacked), clock and temperature when the run has them, and cumulative tokens with a mark
at each emission. Prefill and decode are shaded.

    /usr/bin/python3 analysis/plot_timeline.py out.h5 -o timeline.png
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

PHASE_COLOURS = {"prefill": "tab:blue", "decode": "tab:green"}


def phase_spans(ops):
    """{phase: (first op start, last op end)} in seconds."""
    return {str(p): (float(ops["start_s"][ops["phase"] == p].min()), float(ops["end_s"][ops["phase"] == p].max()))
            for p in np.unique(ops["phase"])}


def data(run):
    """What the panels draw, straight from the file: bin edges (s), DRAM utilization per pool and
    per channel (fraction), compute utilization (fraction), power (W), clock (Hz), temperature
    (C), token times, and the phase spans."""
    tl = run.timeline
    return {
        "edges": np.append(tl["time_s"], tl["end_s"]),
        "dram_util": {pool: s["bw_util"] for pool, s in tl["dram"].items()},
        "channel_util": {pool: s["channel_bw_util"] for pool, s in tl["dram"].items()},
        "compute_util": dict(tl["compute"]),
        "power_w": {d: w for d, w in tl["power"].items() if len(w) and w.max() > 0},
        "clock_hz": tl.get("clock_hz", {}),
        "temperature_c": tl.get("temperature_c", {}),
        "tokens": run.tokens,
        "phases": phase_spans(run.ops),
    }


def _panels(d):
    names = ["dram"] + [f"heat:{p}" for p in d["channel_util"]] + ["compute", "power"]
    if d["clock_hz"]:
        names.append("clock")
    if d["temperature_c"]:
        names.append("temperature")
    return names + (["tokens"] if len(d["tokens"]) else [])  # a serve's timeline has no token rows


def _draw(name, ax, d, fig):
    edges = d["edges"]
    if name == "dram":
        for pool, u in d["dram_util"].items():
            ax.stairs(100 * u, edges, label=pool)
        ax.set_ylabel("DRAM BW util (%)")
        ax.set_ylim(0, 105)
    elif name.startswith("heat:"):
        pool = name[5:]
        grid = d["channel_util"][pool]
        mesh = ax.pcolormesh(edges, np.arange(grid.shape[0] + 1), 100 * grid, vmin=0, vmax=100, cmap="viridis")
        fig.colorbar(mesh, ax=ax, pad=0.01, label="util (%)")
        ax.set_ylabel(f"{pool} channel")
    elif name == "compute":
        for unit, u in d["compute_util"].items():
            ax.stairs(100 * u, edges, label=unit)
        ax.set_ylabel("compute util (%)")
        ax.set_ylim(0, 105)
    elif name == "power":
        base = np.zeros(len(edges) - 1)
        for i, (domain, w) in enumerate(d["power_w"].items()):
            ax.stairs(base + w, edges, baseline=base.copy(), fill=True, alpha=0.8, label=domain,
                      color=plt.cm.tab20.colors[i % 20])
            base = base + w
        ax.set_ylabel("power (W, stacked)")
    elif name == "clock":
        for unit, hz in d["clock_hz"].items():
            ax.stairs(hz / 1e9, edges, label=unit)
        ax.set_ylabel("clock (GHz)")
    elif name == "temperature":
        for dom, c in d["temperature_c"].items():
            ax.stairs(c, edges, label=dom)
        ax.set_ylabel("temperature (°C)")
    else:
        tok = d["tokens"]
        for phase, marker in (("prefill", "s"), ("decode", "o")):
            rows = tok[tok["phase"] == phase]
            ax.plot(rows["time_s"], rows["index"], marker, ms=3, label=phase, linestyle="none")
        if len(tok):
            ax.set_ylim(0, 1.15 * tok["index"].max())
        ax.set_ylabel("tokens out")
        ax.set_xlabel("time (s)")


def plot(run, title=None):
    d = data(run)
    names = _panels(d)
    ratios = [1.3 if n == "tokens" else 2 for n in names]
    fig, axes = plt.subplots(len(names), 1, sharex=True, figsize=(11, 1.6 * len(names) + 1), height_ratios=ratios,
                             layout="constrained")
    for name, ax in zip(names, axes):
        _draw(name, ax, d, fig)
        if not name.startswith("heat:"):
            for phase, (a, b) in d["phases"].items():
                ax.axvspan(a, b, color=PHASE_COLOURS.get(phase, "grey"), alpha=0.07, lw=0)
            ax.grid(alpha=0.3)
            if ax.get_legend_handles_labels()[0]:
                ax.legend(loc="lower right" if name == "tokens" else "upper right", fontsize="x-small", ncol=2)
    axes[-1].set_xlabel("time (s)")
    s = run.summary
    fig.suptitle(title or f"Timeline: {titles.run_title(s)}: {s.get('decode', {}).get('tokens_per_s', 0):.1f} tok/s "
                 f"decode, {s.get('avg_power_w', 0):.1f} W (shaded: blue prefill, green decode)")
    return fig


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("h5", help="infersim HDF5 output")
    ap.add_argument("-o", "--output", default="timeline.png", help="image file (PNG, SVG or PDF by extension)")
    ap.add_argument("--title", help="figure title (default: model, machine, tok/s, W)")
    args = ap.parse_args(argv)
    fig = plot(infersim_h5.load(args.h5), args.title)
    fig.savefig(args.output, dpi=120)
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
