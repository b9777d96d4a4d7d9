"""Sweep results as a pandas table, and the sweep plots: tokens/s against J/token with the
Pareto front, a heatmap of a metric over two axes, any metric against any axis.

Reads either the HDF5 table (/results: columns index, key, status, error, one column per axis
named by the axis path, float64 metrics with dotted names; attribute `axes` = JSON list of the
axis columns) or the JSON Lines table of `infersim sweep -o FILE.jsonl` (axes from each row's key
"a=1,b=x", metrics flattened from its summary to dotted names).
"""
import json

import h5py
import numpy as np
import pandas as pd

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

SPEED, COST = "decode.tokens_per_s", "joules_per_token"


def _flatten(obj, prefix=""):
    out = {}
    for k, v in obj.items():
        name = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(_flatten(v, name + "."))
        elif isinstance(v, (int, float)) and not isinstance(v, bool):
            out[name] = float(v)
    return out


def _axis_value(text):
    try:
        return float(text) if "." in text or "e" in text.lower() else int(text)
    except ValueError:
        return text


def load_jsonl(path):
    rows, axes = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            r = json.loads(line)
            row = {"index": r.get("index"), "key": r.get("key", ""), "status": r.get("status", ""),
                   "error": r.get("error", "")}
            row.update(_flatten(r.get("summary", {})))
            for part in filter(None, row["key"].split(",")):  # after the summary: an axis wins
                name, _, value = part.partition("=")
                row[name] = _axis_value(value)
                if name not in axes:
                    axes.append(name)
            rows.append(row)
    return pd.DataFrame(rows).sort_values("index", kind="stable").reset_index(drop=True), axes


def load_h5(path):
    with h5py.File(path, "r") as f:
        table = f["results"][()]
        axes = json.loads(f["results"].attrs["axes"])
    cols = {}
    for name in table.dtype.names:
        col = table[name]
        cols[name] = np.char.decode(col, "utf-8") if col.dtype.kind == "S" else col
    return pd.DataFrame(cols), list(axes)


def load(path):
    """(DataFrame, axis column names)."""
    return load_h5(path) if h5py.is_hdf5(path) else load_jsonl(path)


def ok(df):
    return df[df["status"] == "ok"] if "status" in df else df


def pareto(df, speed=SPEED, cost=COST):
    """Rows no other row beats on both (higher speed, lower cost), sorted by speed."""
    d = ok(df).dropna(subset=[speed, cost]).sort_values([speed, cost], ascending=[False, True])
    front, best = [], np.inf
    for i, r in d.iterrows():
        if r[cost] < best:
            front.append(i)
            best = r[cost]
    return d.loc[front].sort_values(speed)


def label(row, axes):
    """The point's axis values, "a / b / c" (the legend names the axes)."""
    return " / ".join(str(row[a]) for a in axes)


def plot_pareto(df, axes, title):
    d = ok(df)
    front = pareto(df)
    fig, ax = plt.subplots(figsize=(11, 6))
    ax.scatter(d[SPEED], d[COST], color="tab:grey", label="points")
    ax.plot(front[SPEED], front[COST], "o-", color="tab:red", label="Pareto front")
    for _, r in d.iterrows():
        ax.annotate(label(r, axes), (r[SPEED], r[COST]), fontsize=7, xytext=(4, 3), textcoords="offset points")
    ax.set_xlabel("decode throughput (tokens/s)")
    ax.set_ylabel("energy (J/token)")
    if len(d) and d[COST].min() > 0 and d[COST].max() > 8 * d[COST].min():
        ax.set_yscale("log")
    ax.set_title(f"{title}: tokens/s against J/token (better: right and down)\npoints labelled {' / '.join(axes)}")
    ax.grid(alpha=0.3)
    ax.legend()
    return fig


def heatmap_data(df, x, y, metric):
    """Metric over two axes (mean where other axes vary): DataFrame indexed by y, columns x."""
    return ok(df).pivot_table(index=y, columns=x, values=metric, aggfunc="mean")


def plot_heatmap(df, x, y, metric, title):
    grid = heatmap_data(df, x, y, metric)
    fig, ax = plt.subplots(figsize=(11, max(3.5, 0.6 * len(grid.index) + 2)))
    mesh = ax.imshow(grid.values, aspect="auto", cmap="viridis")
    ax.set_xticks(range(len(grid.columns)), [str(c) for c in grid.columns])
    ax.set_yticks(range(len(grid.index)), [str(i) for i in grid.index])
    for (i, j), v in np.ndenumerate(grid.values):
        if np.isfinite(v):
            ax.text(j, i, f"{v:.3g}", ha="center", va="center", color="white", fontsize=9)
    fig.colorbar(mesh, ax=ax, label=metric)
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    ax.set_title(f"{title}: {metric} over {x} x {y}")
    fig.tight_layout()
    return fig


def plot_metric(df, axis, metric, axes, title):
    """`metric` against `axis`, one line per combination of the other axes."""
    d = ok(df)
    others = [a for a in axes if a != axis]
    fig, ax = plt.subplots(figsize=(11, 5))
    groups = d.groupby(others if len(others) > 1 else others[0]) if others else [((), d)]
    for key, g in groups:
        g = g.sort_values(axis)
        name = ", ".join(f"{a}={v}" for a, v in zip(others, key if isinstance(key, tuple) else (key,)))
        ax.plot([str(v) for v in g[axis]], g[metric], "o-", label=name or metric)
    ax.set_xlabel(axis)
    ax.set_ylabel(metric)
    ax.set_title(f"{title}: {metric} against {axis}")
    ax.grid(alpha=0.3)
    ax.legend(fontsize="small")
    return fig
