"""Whole tutorial: every notebook top to bottom in a fresh kernel; import times.

Each ``nbs/*.ipynb`` is executed with nbclient in a new kernel, as
``pytest --nbval-lax`` and a learner's "Restart and run all" do. Reported per
notebook: the wall time including kernel start and shutdown, the time spent in
cells, and the slowest cell. Then ``import tutorial`` and each section module
are imported in fresh interpreters (each import includes what the module pulls
in: numpy, matplotlib, ipywidgets). Targets: all notebooks <= 60 s in total,
``import tutorial`` <= 0.5 s.

    .venv/bin/python benchmarks/notebooks.py [--runs 3] [--only 01] [--json FILE]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import nbformat  # noqa: E402
from nbclient import NotebookClient  # noqa: E402
from report import table, write_json  # noqa: E402

from tutorial import sections  # noqa: E402

TOTAL_S, IMPORT_S = 60.0, 0.5


def run_notebook(path: Path) -> dict:
    """Execute one notebook in a fresh kernel; return its timings in seconds."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    start = time.perf_counter()
    client.execute()
    wall = time.perf_counter() - start
    cells = []
    for i, cell in enumerate(nb.cells):
        stamps = cell.get("metadata", {}).get("execution", {})
        begin = stamps.get("iopub.execute_input")
        end = stamps.get("shell.execute_reply")
        if begin and end:
            seconds = (_stamp(end) - _stamp(begin)).total_seconds()
            cells.append((seconds, i))
    slowest = max(cells, default=(0.0, -1))
    return {
        "wall_s": wall,
        "cells_s": sum(s for s, _ in cells),
        "slowest_cell_s": slowest[0],
        "slowest_cell": slowest[1],
    }


def _stamp(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def import_time(module: str) -> float:
    """Return the seconds `import module` takes in a fresh interpreter."""
    code = (
        "import time; t = time.perf_counter(); import "
        f"{module}; print(time.perf_counter() - t)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return float(out.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", help="notebook prefix, e.g. 01")
    parser.add_argument("--json")
    args = parser.parse_args(argv)

    paths = sorted((ROOT / "nbs").glob("*.ipynb"))
    paths = [p for p in paths if not args.only or p.name.startswith(args.only)]
    rows = []
    for path in paths:
        runs = [run_notebook(path) for _ in range(args.runs)]
        row = {"notebook": path.name}
        for key in ("wall_s", "cells_s", "slowest_cell_s"):
            row[key] = float(np.median([r[key] for r in runs]))
        row["slowest_cell"] = runs[-1]["slowest_cell"]
        rows.append(row)
    total = sum(r["wall_s"] for r in rows)
    rows.append(
        {"notebook": "all", "wall_s": total, "cells_s": sum(r["cells_s"] for r in rows)}
    )
    print(f"notebooks in fresh kernels, median of {args.runs} runs (seconds)")
    print(
        table(
            _fmt(rows),
            ["notebook", "wall_s", "cells_s", "slowest_cell", "slowest_cell_s"],
        )
    )
    print(f"target all <= {TOTAL_S:.0f} s: {'ok' if total <= TOTAL_S else 'SLOW'}")

    modules = ["tutorial"] + [f"tutorial.{name}" for name in sections.MODULES]
    imports = [
        {"import": m, "seconds": float(np.median([import_time(m) for _ in range(3)]))}
        for m in sorted(modules)
    ]
    print("\nimport in a fresh interpreter, median of 3 (seconds)")
    print(table(_fmt(imports), ["import", "seconds"]))
    first = imports[0]["seconds"]
    print(
        f"target import tutorial <= {IMPORT_S} s: "
        f"{'ok' if first <= IMPORT_S else 'SLOW'}"
    )
    write_json(args.json, {"runs": args.runs, "notebooks": rows, "imports": imports})
    return 0


def _fmt(rows):
    return [
        {k: (f"{v:.2f}" if isinstance(v, float) else v) for k, v in r.items()}
        for r in rows
    ]


if __name__ == "__main__":
    sys.exit(main())
