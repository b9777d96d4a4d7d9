"""Energy breakdown of a run from its summary: joules per power domain, and prefill against
decode (each phase's energy_j, which includes its share of constant power)."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import titles  # noqa: E402


def data(summary):
    """({domain: J} with non-zero entries, {phase: J})."""
    domains = {k: float(v) for k, v in summary.get("energy_by_domain_j", {}).items() if v}
    phases = {p: float(summary.get(p, {}).get("energy_j", 0.0)) for p in ("prefill", "decode")}
    return dict(sorted(domains.items(), key=lambda kv: -kv[1])), phases


def plot(run):
    domains, phases = data(run.summary)
    fig, (dax, pax) = plt.subplots(1, 2, figsize=(12, 4.5), width_ratios=[3, 1])
    dax.barh(list(domains), list(domains.values()), color="tab:orange")
    dax.invert_yaxis()
    dax.set_xlabel("energy (J)")
    dax.set_title(f"by power domain (total {run.summary.get('energy_j', 0):.2f} J)")
    pax.bar(list(phases), list(phases.values()), color=["tab:blue", "tab:green"])
    pax.set_ylabel("energy (J)")
    pax.set_title("by phase")
    for ax in (dax, pax):
        ax.grid(alpha=0.3)
    fig.suptitle("Energy: " + titles.run_title(run.summary))
    fig.tight_layout()
    return fig
