"""Plots an infersim run's timelines as stacked panels sharing the time axis:
DRAM bandwidth utilization per pool, compute utilization per unit, power per domain (stacked),
and cumulative tokens with a mark at each emission.

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


def plot(run, title=None):
    tl = run.timeline
    edges = np.append(tl["time_s"], tl["end_s"])
    fig, axes = plt.subplots(4, 1, sharex=True, figsize=(11, 9), height_ratios=[2, 2, 2, 1.3])
    dram, compute, power, tokens = axes

    for pool, series in tl["dram"].items():
        dram.stairs(100 * series["bw_util"], edges, label=pool)
    dram.set_ylabel("DRAM BW util (%)")

    for unit, util in tl["compute"].items():
        compute.stairs(100 * util, edges, label=unit)
    compute.set_ylabel("compute util (%)")

    base = np.zeros(len(tl["time_s"]))
    for domain, watts in tl["power"].items():
        if len(watts) and watts.max() > 0:
            power.stairs(base + watts, edges, baseline=base.copy(), fill=True, alpha=0.7, label=domain)
            base = base + watts
    power.set_ylabel("power (W, stacked)")

    tok = run.tokens
    if len(tok):
        for phase, marker in (("prefill", "s"), ("decode", "o")):
            rows = tok[tok["phase"] == phase]
            tokens.plot(rows["time_s"], rows["index"], marker, ms=3, label=phase, linestyle="none")
        tokens.set_ylim(0, 1.15 * tok["index"].max())
    tokens.set_ylabel("tokens out")
    tokens.set_xlabel("time (s)")

    for ax in axes:
        ax.grid(alpha=0.3)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(loc="lower right" if ax is tokens else "upper right", fontsize="small")
    for ax in (dram, compute):
        ax.set_ylim(0, 105)
    s = run.summary
    fig.suptitle(title or f"{s.get('model')} {s.get('quant')} on {s.get('machine')}: "
                 f"{s.get('decode', {}).get('tokens_per_s', 0):.1f} tok/s decode, {s.get('avg_power_w', 0):.1f} W")
    fig.tight_layout()
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
