"""Slider latency: for every control of every demo, value set -> new PNG.

Each demo of each ``tutorial/sNN_*.py`` DEMOS dict is built headless, then
every control is dragged as a learner would: from its default to its maximum,
down to its minimum and back to the default (drop-downs visit every option).
Each step is timed from setting the value to the new PNG in the demo's Image
widget: compute, draw and encode; for a demo with a Run button, the press is
included. Target for a live slider: median <= 50 ms and 95th percentile
<= 100 ms; a slider that updates only on release, a menu (one choice, one
event) and a Run button must stay under 1 s.

    .venv/bin/python benchmarks/sliders.py [--runs 3] [--only 01] [--full] [--json FILE]

With ``--check`` every frame is also compared with a full redraw of the
figure (untimed): Demo redraws only what changed, and must give the same PNG.
With ``--full`` every drag is timed again with partial redraws off
(``Demo.partial = False``), interleaved with the normal runs, and the table
gains the full-draw median and the speed-up of partial redraws.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import ipywidgets as W  # noqa: E402
from report import table, write_json  # noqa: E402

from tutorial import png, sections  # noqa: E402

LIVE_MEDIAN_MS, LIVE_P95_MS, SLOW_MAX_MS = 50.0, 100.0, 1000.0


def drag(widget, positions: int) -> list:
    """Return the values a learner's drag visits: default -> max -> min -> default."""
    if isinstance(widget, sections.MENUS):
        options = sections.options(widget)
        return [v for v in options if v != widget.value] + [widget.value]
    if isinstance(widget, (W.Checkbox, W.ToggleButton)):
        return [not widget.value, widget.value]
    if isinstance(widget, W.FloatLogSlider):
        lo, hi, step = widget.min, widget.max, widget.step
        here = math.log(widget.value, widget.base)
    elif isinstance(widget, (W.IntSlider, W.FloatSlider)):
        lo, hi, step = widget.min, widget.max, widget.step
        here = widget.value
    else:
        return []
    count = max(2, positions // 3)
    path = np.r_[
        np.linspace(here, hi, count)[1:],
        np.linspace(hi, lo, count)[1:],
        np.linspace(lo, here, count)[1:],
    ]
    path = lo + np.round((path - lo) / step) * step  # the slider's own grid
    path = np.clip(path, lo, hi)
    if isinstance(widget, W.FloatLogSlider):
        path = widget.base**path
    if isinstance(widget, W.IntSlider):
        return [int(v) for v in path]
    return [float(v) for v in path]


MENUS = (W.Dropdown, W.ToggleButtons, W.RadioButtons, W.Select, W.Checkbox)


def mode(demo, widget) -> str:
    """Return how a control triggers an update, which sets its target.

    A live slider sends values while it is dragged; it must keep up (median
    and p95 targets). A slider that sends only on release, a menu (one choice
    is one event: it cannot be dragged) and a Run button must finish within
    a second and show "Computing…" meanwhile.
    """
    if sections.is_live(demo, widget):
        return "live"
    if demo.manual:
        return "Run button"
    if isinstance(widget, MENUS):
        return "menu"
    return "on release"


def measure(
    module: str, name: str, positions: int, check: bool = False, partial: bool = True
) -> tuple[float, list[dict]]:
    """Build one demo and drag each control; return build ms and per-control rows.

    With `partial` False every frame is drawn in full (`Demo.partial`).
    """
    start = time.perf_counter()
    demo = sections.build(module, name)
    build_ms = (time.perf_counter() - start) * 1000
    demo.partial = partial
    rows = []
    for key, widget in demo.controls.items():
        times, errors, mismatches = [], 0, 0
        full_before = demo.full_draws
        for value in drag(widget, positions):
            start = time.perf_counter()
            widget.value = value
            if demo.manual:
                demo.update()
            times.append((time.perf_counter() - start) * 1000)
            errors += demo.error is not None or bool(demo.warnings)
            if check and demo.png() != png.png_bytes(demo.fig):
                mismatches += 1
        rows.append(
            {
                "module": module,
                "demo": name,
                "control": key,
                "times": times,
                "errors": errors,
                "mode": mode(demo, widget),
                "mismatches": mismatches,
                "full": demo.full_draws - full_before,
            }
        )
    return build_ms, rows


def pool(pooled: dict, rows: list[dict]) -> None:
    """Add one build's rows to `pooled`, by (module, demo, control)."""
    for row in rows:
        key = (row["module"], row["demo"], row["control"])
        if key not in pooled:
            pooled[key] = row
            continue
        for field in ("times", "errors", "mismatches", "full"):
            pooled[key][field] += row[field]


def summarise(row: dict) -> dict:
    """Replace a row's times by their count, median, 95th percentile and max."""
    t = np.array(row.pop("times"))
    row.update(
        n=len(t),
        median_ms=float(np.median(t)),
        p95_ms=float(np.percentile(t, 95)),
        max_ms=float(t.max()),
    )
    return row


def verdict(row) -> str:
    if row["errors"]:
        return "ERROR"
    if row["mismatches"]:
        return "WRONG PICTURE"
    if row["mode"] == "live":
        ok = row["median_ms"] <= LIVE_MEDIAN_MS and row["p95_ms"] <= LIVE_P95_MS
    else:
        ok = row["max_ms"] <= SLOW_MAX_MS
    return "ok" if ok else "SLOW"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="builds of each demo")
    parser.add_argument("--positions", type=int, default=18, help="steps per drag")
    parser.add_argument("--only", help="one notebook, e.g. 01 or s01")
    parser.add_argument("--json", help="write the results to this file")
    parser.add_argument("--check", action="store_true", help="compare with full draws")
    parser.add_argument(
        "--full",
        action="store_true",
        help="also time every drag with partial redraws off; print the speed-up",
    )
    args = parser.parse_args(argv)

    pooled: dict[tuple, dict] = {}
    full: dict[tuple, dict] = {}  # the same drags, every frame drawn in full
    builds: dict[tuple, list] = {}
    for module, name in sections.demos(args.only and [args.only]):
        for _ in range(args.runs):
            build_ms, rows = measure(module, name, args.positions, args.check)
            builds.setdefault((module, name), []).append(build_ms)
            pool(pooled, rows)
            if args.full:  # interleaved, so that a busy spell hits both alike
                pool(full, measure(module, name, args.positions, partial=False)[1])
    rows = []
    for key, row in pooled.items():
        row = summarise(row)
        row["verdict"] = verdict(row)
        if args.full:
            row["full_median_ms"] = summarise(full[key])["median_ms"]
            row["speedup"] = row["full_median_ms"] / row["median_ms"]
        rows.append(row)
    build_rows = [
        {"module": m, "demo": d, "build_ms": float(np.median(b))}
        for (m, d), b in builds.items()
    ]
    columns = ["module", "demo", "control", "mode", "n", "full"]
    columns += ["median_ms", "p95_ms", "max_ms", "verdict"]
    if args.full:
        columns += ["full_median_ms", "speedup"]
    print(table(rows, columns))
    print("full: frames drawn in full (the others redraw only what changed)")
    if args.full:
        print(
            "full_median_ms: the same drags with partial redraws off; "
            "speedup: full_median_ms / median_ms"
        )
        for kind in ("live", "all"):
            chosen = [r for r in rows if kind == "all" or r["mode"] == kind]
            if chosen:
                gain = np.median([r["speedup"] for r in chosen])
                print(
                    f"median speed-up of partial redraws, {kind} controls: {gain:.1f}x"
                )
    print()
    print(table(build_rows, ["module", "demo", "build_ms"]))
    slow = [r for r in rows if r["verdict"] != "ok"]
    print(f"\n{len(rows) - len(slow)} of {len(rows)} controls meet the target")
    write_json(args.json, {"runs": args.runs, "controls": rows, "builds": build_rows})
    return 0


if __name__ == "__main__":
    sys.exit(main())
