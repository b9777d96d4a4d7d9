"""One self-contained HTML report of infersim results: a run, a serving run, a sweep, battery
reports, or a comparison of several runs. Plots are embedded PNGs; no network fetches.

    /usr/bin/python3 analysis/report_html.py -o report.html RESULT.h5 [MORE.h5 ...]

Exit status 2 (message on stderr) when an input is not an infersim result.
"""
import argparse
import base64
import html
import io
import json
import os
import sys

import h5py

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import battery  # noqa: E402
import breakdown  # noqa: E402
import compare  # noqa: E402
import energy  # noqa: E402
import infersim_h5  # noqa: E402
import plot_timeline  # noqa: E402
import roofline  # noqa: E402
import serving  # noqa: E402
import sweep  # noqa: E402
import titles  # noqa: E402

STYLE = """body{font-family:sans-serif;max-width:1200px;margin:1em auto;padding:0 1em;color:#222}
img{max-width:100%;height:auto;border:1px solid #ddd}table{border-collapse:collapse;margin:.5em 0}
td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}th{background:#f3f3f3}td:first-child{text-align:left}
pre{background:#f7f7f7;padding:.5em;overflow-x:auto;max-height:30em}"""


class Page:
    def __init__(self, title):
        self.title, self.parts, self.figures = title, [], 0

    def h(self, text, level=2):
        self.parts.append(f"<h{level}>{html.escape(text)}</h{level}>")

    def p(self, text):
        self.parts.append(f"<p>{html.escape(text)}</p>")

    def figure(self, fig, alt):
        if fig is None:
            return
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=100, metadata={"Software": None})
        plt.close(fig)
        data = base64.b64encode(buf.getvalue()).decode("ascii")
        self.parts.append(f'<figure><img class="plot" alt="{html.escape(alt)}" src="data:image/png;base64,{data}"></figure>')
        self.figures += 1

    def table(self, header, rows):
        head = "".join(f"<th>{html.escape(str(h))}</th>" for h in header)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(_fmt(v))}</td>" for v in r) + "</tr>" for r in rows)
        self.parts.append(f"<table><tr>{head}</tr>{body}</table>")

    def pre(self, summary, text):
        self.parts.append(f"<details><summary>{html.escape(summary)}</summary><pre>{html.escape(text)}</pre></details>")

    def html(self):
        return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(self.title)}</title>'
                f"<style>{STYLE}</style></head><body><h1>{html.escape(self.title)}</h1>{''.join(self.parts)}</body></html>\n")


def _fmt(v):
    if isinstance(v, float):
        return f"{v:.4g}"
    return str(v)


# ---- inputs ------------------------------------------------------------------------------------

def classify(path):
    """'run', 'serving', 'serve', 'sweep' (HDF5 or JSON Lines) or 'battery'; NotAResult otherwise."""
    if not os.path.isfile(path):
        raise infersim_h5.NotAResult(f"{path}: no such file")
    if h5py.is_hdf5(path):
        return infersim_h5.kind_of(path)
    try:
        battery.load(path)
        return "battery"
    except (ValueError, UnicodeDecodeError):
        pass
    try:
        with open(path, encoding="utf-8") as f:
            first = json.loads(f.readline())
        if isinstance(first, dict) and "key" in first and "status" in first:
            return "sweep"
    except (ValueError, UnicodeDecodeError):
        pass
    raise infersim_h5.NotAResult(f"{path}: not an HDF5 file, nor an infersim sweep (JSON Lines) or battery (JSON) result")


def provenance(page, run):
    page.h("Inputs and provenance", 3)
    page.table(["field", "value"], [["file", os.path.basename(run.path)],
                                    ["infersim version", run.provenance.get("infersim_version", "")]])
    for key in infersim_h5.PROVENANCE[1:]:
        if run.provenance.get(key):
            page.pre(f"resolved {key.replace('_yaml', '')} YAML", run.provenance[key])


SUMMARY_ROWS = (("decode.tokens_per_s", "decode tokens/s"), ("prefill.tokens_per_s", "prefill tokens/s"),
                ("ttft_s", "time to first token (s)"), ("tpot_s", "time per output token (s)"),
                ("joules_per_token", "energy per token (J)"), ("avg_power_w", "average power (W)"),
                ("energy_j", "energy (J)"), ("decode.bw_util", "decode DRAM BW util"), ("decode.bound", "decode bound"),
                ("prefill.bound", "prefill bound"), ("weights_bytes", "weights (bytes)"), ("kv_bytes", "KV cache (bytes)"))


def summary_table(page, runs):
    header = ["metric"] + [titles.run_label(r.summary) for r in runs]
    rows = [[name] + [compare._get(r.summary, m) if not m.endswith("bound") else r.summary.get(m.split(".")[0], {}).get("bound", "")
                      for r in runs] for m, name in SUMMARY_ROWS]
    page.table(header, rows)


def run_report(page, run, kind):
    s = run.summary
    page.p(f"prompt {s.get('prompt')} tokens, {s.get('gen')} generated, batch {s.get('batch')}, "
           f"runtime {s.get('runtime')}, unit {s.get('unit')}, fidelity {s.get('sim', {}).get('fidelity')}.")
    summary_table(page, [run])
    page.h("Timeline", 3)
    page.figure(plot_timeline.plot(run), "timeline")
    page.h("Roofline", 3)
    page.figure(roofline.plot(run), "roofline")
    page.h("Per-op-kind breakdown", 3)
    page.p(breakdown.__doc__.split("\n\n", 1)[1].replace("\n", " "))
    page.figure(breakdown.plot(run), "breakdown")
    page.h("Energy", 3)
    page.figure(energy.plot(run), "energy")
    if kind == "serving":
        page.h("Serving latency", 3)
        fig = serving.plot(run.path, titles.run_title(s))
        if fig is None:
            page.p("The /requests table has no latency columns.")
        page.figure(fig, "latency CDF")
    provenance(page, run)


SERVE_ROWS = (("requests", "requests"), ("throughput.requests_per_s", "requests/s"),
              ("throughput.output_tokens_per_s", "output tokens/s"), ("ttft_s.p50", "TTFT p50 (s)"),
              ("ttft_s.p99", "TTFT p99 (s)"), ("tpot_s.p50", "TPOT p50 (s)"), ("e2e_s.p99", "end-to-end p99 (s)"),
              ("goodput.fraction", "goodput (fraction within the SLO)"), ("preemptions", "preemptions"),
              ("kv.peak_occupancy", "peak KV occupancy"), ("energy_j", "energy (J)"),
              ("energy_per_request_j", "energy per request (J)"), ("avg_power_w", "average power (W)"))


def serve_report(page, path):
    """An `infersim serve -o` file: the report's figures, the latency CDF, the per-step series and
    the hardware timeline summed over the serve (files written before it have none)."""
    run = infersim_h5.load_serve(path)
    s = run.summary
    title = f"{s.get('model', '?')} {s.get('quant', '?')} on {s.get('machine', '?')}, {s.get('scheduler', '?')} scheduler"
    page.table(["metric", "value"], [[name, compare._get(s, key)] for key, name in SERVE_ROWS])
    page.h("Serving latency", 3)
    page.figure(serving.plot(path, title), "latency CDF")
    page.h("Queue, batch, KV and preemptions", 3)
    page.figure(serving.plot_steps(path, title), "serving steps")
    page.h("Hardware timeline", 3)
    if run.timeline is None:
        page.p("The file has no /timeline (written before serve files carried one).")
    else:
        page.figure(plot_timeline.plot(run, f"Hardware timeline: {title}: {s.get('avg_power_w', 0):.1f} W average"),
                    "hardware timeline")
    provenance(page, run)


def sweep_report(page, path):
    df, axes = sweep.load(path)
    name = os.path.basename(path)
    okd = sweep.ok(df)
    page.p(f"{len(df)} points ({len(okd)} ok) over axes {', '.join(axes)}.")
    if sweep.SPEED in df and sweep.COST in df and len(okd):
        page.figure(sweep.plot_pareto(df, axes, name), "pareto")
        front = sweep.pareto(df)
        page.h("Pareto front", 3)
        page.table(axes + ["tokens/s", "J/token"], front[axes + [sweep.SPEED, sweep.COST]].values.tolist())
    if len(axes) >= 2 and len(okd):
        for metric in (sweep.SPEED, sweep.COST):
            if metric in df:
                page.figure(sweep.plot_heatmap(df, axes[0], axes[1], metric, name), f"heatmap {metric}")
    for axis in axes:
        if sweep.SPEED in df and len(okd):
            page.figure(sweep.plot_metric(df, axis, sweep.SPEED, axes, name), f"{sweep.SPEED} against {axis}")
    page.h("All points", 3)
    cols = ["index", "status"] + axes + [c for c in (sweep.SPEED, sweep.COST, "ttft_s") if c in df]
    page.table(cols, df[cols].fillna("").values.tolist())


def build(paths):
    kinds = [classify(p) for p in paths]
    distinct = set(kinds)
    if len(distinct) > 1 and not distinct <= {"run", "serving"}:
        raise infersim_h5.NotAResult(f"cannot put {', '.join(sorted(distinct))} results in one report")
    kind = kinds[0]
    if kind == "serve":
        page = Page("infersim serve: " + ", ".join(os.path.basename(p) for p in paths))
        for p in paths:
            if len(paths) > 1:
                page.h(os.path.basename(p))
            serve_report(page, p)
        return page
    if kind in ("run", "serving"):
        runs = [infersim_h5.load(p) for p in paths]
        if len(runs) == 1:
            page = Page(f"infersim run: {titles.run_title(runs[0].summary)}")
            run_report(page, runs[0], kind)
            return page
        page = Page("infersim comparison: " + "; ".join(titles.run_title(r.summary) for r in runs))
        summary_table(page, runs)
        page.figure(compare.plot(runs), "comparison")
        for r in runs:
            page.h(titles.run_title(r.summary))
            page.figure(roofline.plot(r), "roofline")
            provenance(page, r)
        return page
    if kind == "sweep":
        page = Page("infersim sweep: " + ", ".join(os.path.basename(p) for p in paths))
        for p in paths:
            page.h(os.path.basename(p))
            sweep_report(page, p)
        return page
    reports = [battery.load(p) for p in paths]
    page = Page("infersim battery: " + ", ".join(sorted({r["model"] for r in reports})))
    page.figure(battery.plot(reports), "battery")
    page.table(["report", "hours", "tokens/charge", "Wh/1000 tokens", "avg W"],
               [[battery.label(r), r["hours"], r.get("tokens_per_charge", ""), r.get("wh_per_1000_tokens", ""),
                 r.get("avg_power_w", "")] for r in reports])
    return page


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("inputs", nargs="+", help="result files")
    ap.add_argument("-o", "--output", required=True, help="HTML file to write")
    args = ap.parse_args(argv)
    try:
        page = build(args.inputs)
    except (infersim_h5.NotAResult, ValueError, KeyError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    with open(args.output, "w", encoding="utf-8") as f:
        f.write(page.html())
    print(f"report: {page.figures} plots", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
