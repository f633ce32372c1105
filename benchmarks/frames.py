"""Frame sizes: every demo's picture at its default settings, full colour and indexed.

What a learner downloads for each new picture, and what encoding it costs.
Each demo of each ``tutorial/sNN_*.py`` DEMOS dict is built headless and its
figure drawn in full; the pixels are then encoded as the demos send them
(`tutorial.png.encode_png`: an indexed PNG of at most 256 colours) and as
full-colour RGBA (``exact=True``, the format used before). Reported per demo:
both sizes, the encoding times (median of ``--repeat`` encodings, CPU time),
and the largest error of any pixel channel (0-255). Targets (issue 17):
median frame <= 40 KB, none above 120 KB, encoding a few milliseconds.

    .venv/bin/python benchmarks/frames.py [--only s03] [--repeat 20] [--json FILE]
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from PIL import Image  # noqa: E402
from report import table, write_json  # noqa: E402

from tutorial import plotting, png, sections  # noqa: E402

MEDIAN_KB, MAX_KB = 40.0, 120.0


def cpu_ms(encode, pixels, repeat: int) -> float:
    """Return the median CPU time of one encoding, in ms (steadier than wall
    time on a shared machine)."""
    times = []
    for _ in range(repeat):
        start = time.process_time()
        encode(pixels)
        times.append(time.process_time() - start)
    return float(np.median(times)) * 1000


def measure(module: str, name: str, repeat: int) -> dict:
    demo = sections.build(module, name)
    with plotting.style():
        demo.fig.canvas.draw()
    pixels = np.array(demo.fig.canvas.buffer_rgba())
    indexed = png.encode_png(pixels)
    full = png.encode_png(pixels, exact=True)
    shown = np.asarray(Image.open(io.BytesIO(indexed)).convert("RGBA"))
    error = np.abs(shown.astype(int) - pixels.astype(int)).max()
    return {
        "module": module[:3], "demo": name,
        "size": f"{pixels.shape[1]}x{pixels.shape[0]}",
        "colours": len(np.unique(pixels.reshape(-1, 4), axis=0)),
        "full_kb": len(full) / 1000, "indexed_kb": len(indexed) / 1000,
        "full_ms": cpu_ms(lambda p: png.encode_png(p, exact=True), pixels, repeat),
        "indexed_ms": cpu_ms(png.encode_png, pixels, repeat),
        "max_error": int(error),
    }  # fmt: skip


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", help="module prefix, e.g. s03")
    parser.add_argument("--repeat", type=int, default=20, help="encodings timed")
    parser.add_argument("--json", help="write the results to this file")
    args = parser.parse_args(argv)
    rows = []
    for module, name in sections.demos([args.only] if args.only else None):
        rows.append(measure(module, name, args.repeat))
        print(".", end="", flush=True)
    print()
    print(table(rows, ["module", "demo", "size", "colours", "full_kb", "indexed_kb",
                       "full_ms", "indexed_ms", "max_error"]))  # fmt: skip
    summary = []
    for what in ("full_kb", "indexed_kb", "full_ms", "indexed_ms"):
        values = np.array([r[what] for r in rows])
        summary.append({"what": what, "median": float(np.median(values)),
                        "max": float(values.max())})  # fmt: skip
    print()
    print(table(summary, ["what", "median", "max"]))
    sizes = [r["indexed_kb"] for r in rows]
    ok = np.median(sizes) <= MEDIAN_KB and max(sizes) <= MAX_KB
    print(
        f"\nindexed frames: median {np.median(sizes):.1f} KB (target <= "
        f"{MEDIAN_KB:g}), max {max(sizes):.1f} KB (<= {MAX_KB:g}): "
        + ("ok" if ok else "MISS")
    )
    write_json(args.json, {"demos": rows, "summary": summary})
    return 0


if __name__ == "__main__":
    sys.exit(main())
