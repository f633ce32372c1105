"""Shared by the benchmark scripts: the machine, a text table, a JSON file."""

from __future__ import annotations

import json
import os
import platform
import sys
import time


def machine() -> dict:
    """Return what the numbers depend on: CPU, cores, load, versions."""
    import matplotlib
    import numpy

    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            names = [
                line.split(":", 1)[1].strip() for line in f if "model name" in line
            ]
        cpu = names[0] if names else cpu
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
        "python": sys.version.split()[0],
        "numpy": numpy.__version__,
        "matplotlib": matplotlib.__version__,
        "date": time.strftime("%Y-%m-%d %H:%M:%S"),
    }


def table(rows: list[dict], columns: list[str]) -> str:
    """Return rows as an aligned text table (Markdown pipe syntax)."""
    cells = [[_cell(row.get(c, "")) for c in columns] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    line = (
        "| "
        + " | ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))
        + " |"
    )
    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    body = [
        "| " + " | ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) + " |"
        for r in cells
    ]
    return "\n".join([line, rule, *body])


def write_json(path: str | None, payload: dict) -> None:
    """Write the results (with the machine they were measured on) to `path`."""
    if path:
        with open(path, "w") as f:
            json.dump({"machine": machine(), **payload}, f, indent=1)
        print(f"wrote {path}")


def _cell(value) -> str:
    if isinstance(value, float):
        return f"{value:.1f}" if value < 1000 else f"{value:.0f}"
    return str(value)
