"""Titles that name what a figure shows: model, quantization, machine."""


def run_title(summary):
    return f"{summary.get('model', '?')} {summary.get('quant', '?')} on {summary.get('machine', '?')}"


def run_label(summary):
    """A short legend label for one run among several."""
    return f"{summary.get('machine', '?')} / {summary.get('quant', '?')}"
