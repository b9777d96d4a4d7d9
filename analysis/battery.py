"""Battery reports (`infersim battery --json > FILE.json`): hours on a charge and where the
energy went (inference, idle, screen, platform), one bar per report."""
import json

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

REQUIRED = ("hours", "energy_by_use_j", "machine", "model", "usage")


def load(path):
    """The report as a dict; ValueError when it is not a battery report."""
    with open(path, encoding="utf-8") as f:
        try:
            report = json.load(f)
        except json.JSONDecodeError as e:
            raise ValueError(f"{path}: not JSON ({e.msg} at line {e.lineno})") from None
    if not isinstance(report, dict) or any(k not in report for k in REQUIRED):
        raise ValueError(f"{path}: not an infersim battery report (needs {', '.join(REQUIRED)})")
    return report


def label(r):
    return f"{r['machine']} {r.get('quant', '')} {r['usage']}"


def data(reports):
    """[(label, hours, {use: J})]."""
    return [(label(r), float(r["hours"]), {k: float(v) for k, v in r["energy_by_use_j"].items()}) for r in reports]


def plot(reports):
    rows = data(reports)
    labels = [r[0] for r in rows]
    fig, (hax, eax) = plt.subplots(1, 2, figsize=(12, 0.5 * len(rows) + 3), sharey=True)
    y = np.arange(len(rows))
    hax.barh(y, [r[1] for r in rows], color="tab:green")
    hax.set_xlabel("battery life (hours)")
    hax.set_yticks(y, labels)
    hax.invert_yaxis()
    left = np.zeros(len(rows))
    uses = sorted({u for r in rows for u in r[2]})
    for use in uses:
        v = np.array([r[2].get(use, 0.0) / 3600 for r in rows])
        eax.barh(y, v, left=left, label=use)
        left += v
    eax.set_xlabel("energy per charge (Wh)")
    eax.legend(fontsize="small")
    for ax in (hax, eax):
        ax.grid(alpha=0.3, axis="x")
    models = sorted({r["model"] for r in reports})
    fig.suptitle("Battery: " + ", ".join(models))
    fig.tight_layout()
    return fig
