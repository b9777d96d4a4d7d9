"""Several runs side by side (machines, quantizations) on one model: decode and prefill
throughput, J/token, time to first token, and decode DRAM bandwidth utilization."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import titles  # noqa: E402

METRICS = (("decode.tokens_per_s", "decode (tokens/s)"), ("prefill.tokens_per_s", "prefill (tokens/s)"),
           ("joules_per_token", "energy (J/token)"), ("ttft_s", "time to first token (s)"),
           ("decode.bw_util", "decode DRAM BW util (fraction)"))


def _get(summary, dotted):
    v = summary
    for part in dotted.split("."):
        v = v.get(part, {}) if isinstance(v, dict) else {}
    return float(v) if isinstance(v, (int, float)) else float("nan")


def data(runs):
    """{label: {metric: value}} from each run's summary, labels 'machine / quant' (made unique)."""
    out = {}
    for i, run in enumerate(runs):
        name = titles.run_label(run.summary)
        if name in out:
            name = f"{name} #{i + 1}"
        out[name] = {m: _get(run.summary, m) for m, _ in METRICS}
    return out


def plot(runs):
    d = data(runs)
    labels = list(d)
    fig, axes = plt.subplots(1, len(METRICS), figsize=(13, 0.4 * len(labels) + 3), sharey=True)
    y = np.arange(len(labels))
    for ax, (metric, name) in zip(axes, METRICS):
        ax.barh(y, [d[k][metric] for k in labels], color=plt.cm.tab10.colors[: len(labels)])
        ax.set_xlabel(name)
        ax.grid(alpha=0.3, axis="x")
    axes[0].set_yticks(y, labels)
    axes[0].invert_yaxis()
    models = sorted({r.summary.get("model", "?") for r in runs})
    fig.suptitle("Comparison on " + ", ".join(models))
    fig.tight_layout()
    return fig
