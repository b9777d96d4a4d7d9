"""Per-op-kind table of an infersim run from /ops: how many ops, their share of op time,
the bytes they moved, the bandwidth that gives, and what bound them (time-weighted).

    /usr/bin/python3 analysis/report.py out.h5 [--phase decode] [--json]
"""
import argparse
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import infersim_h5  # noqa: E402


def by_kind(ops):
    """One dict per op kind, ordered by time spent, largest first."""
    duration = ops["end_s"] - ops["start_s"]
    total = float(duration.sum())
    rows = []
    for kind in np.unique(ops["kind"]):
        mine = ops["kind"] == kind
        seconds = float(duration[mine].sum())
        bound_s = {b: float(duration[mine & (ops["bound"] == b)].sum()) for b in np.unique(ops["bound"][mine])}
        bound = max(bound_s, key=bound_s.get)
        rows.append({
            "kind": str(kind),
            "ops": int(mine.sum()),
            "seconds": seconds,
            "time_share": seconds / total if total > 0 else 0.0,
            "bytes": int(ops["bytes"][mine].sum()),
            "bytes_per_s": float(ops["bytes"][mine].sum()) / seconds if seconds > 0 else 0.0,
            "flops": float(ops["flops"][mine].sum()),
            "bound": str(bound),
            "bound_share": bound_s[bound] / seconds if seconds > 0 else 1.0,
        })
    return sorted(rows, key=lambda r: -r["seconds"])


def print_table(rows, out=sys.stdout):
    print(f"{'kind':<10} {'ops':>6} {'time (ms)':>10} {'share':>7} {'GB':>9} {'GB/s':>8} {'bound':<14}", file=out)
    for r in rows:
        print(f"{r['kind']:<10} {r['ops']:>6} {1e3 * r['seconds']:>10.3f} {100 * r['time_share']:>6.1f}% "
              f"{r['bytes'] / 1e9:>9.3f} {r['bytes_per_s'] / 1e9:>8.1f} "
              f"{r['bound']} {100 * r['bound_share']:.0f}%", file=out)
    total_s = sum(r["seconds"] for r in rows)
    total_b = sum(r["bytes"] for r in rows)
    print(f"{'total':<10} {sum(r['ops'] for r in rows):>6} {1e3 * total_s:>10.3f} {'100.0%':>7} {total_b / 1e9:>9.3f}",
          file=out)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("h5", help="infersim HDF5 output")
    ap.add_argument("--phase", choices=["prefill", "decode"], help="only ops of this phase")
    ap.add_argument("--json", action="store_true", help="print the table as a JSON list")
    args = ap.parse_args(argv)
    ops = infersim_h5.load(args.h5).ops
    if args.phase:
        ops = ops[ops["phase"] == args.phase]
    rows = by_kind(ops)
    if args.json:
        print(json.dumps(rows, indent=1))
    else:
        print_table(rows)


if __name__ == "__main__":
    main()
