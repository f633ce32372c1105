"""The pictures the export tests expect, drawn afresh while the browser works.

``python tests/browser/expected_frames.py OUTDIR LOG EXPECTED`` follows the
build writing OUTDIR (its progress lines in LOG). As each notebook's deck
appears it reads every demo player in it and works out where one keyboard
step moves its first control: right (left at the far end), on until the
picture changes, as `exported.move_player` does. It then builds that demo
afresh from the notebook's own cell, in export mode, draws those values, and
appends one JSON line to EXPECTED: notebook, cell id, values, the SHA-256
of the picture's pixels and the sentence. The tests compare what the browser
shows with it.

Building every demo costs a minute or two; here it runs beside the build and
the JupyterLab tests instead of after them.
"""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path

_PROGRESS = re.compile(r"^\[(\d+)/(\d+)\] (\S+)\.ipynb -> ", re.M)
_CELL = re.compile(r'id="cell-id=([^"]+)"')
# (nbconvert writes the attributes in its own order)
_DATA = re.compile(r'<script\b[^>]*\bclass="tp-data"[^>]*>(.*?)</script>', re.S)


def players(deck: str) -> list[tuple[str, dict]]:
    """Return (cell id, player data) for every player in a deck's HTML."""
    found = []
    starts = [(m.start(), m.group(1)) for m in _CELL.finditer(deck)]
    for match in _DATA.finditer(deck):
        cell = [c for at, c in starts if at < match.start()][-1:]
        found.append((cell[0] if cell else "", json.loads(match.group(1))))
    return found


def target(data: dict) -> list[int]:
    """Return the positions after one keyboard move of the first control.

    One step right (left at the far end), and on while the picture stays the
    same, at most five steps: what `exported.move_player` does.
    """
    sizes = [len(c["labels"]) for c in data["controls"]]
    flat, at = data["start"], []
    for size in reversed(sizes):
        at.insert(0, flat % size)
        flat //= size
    step = 1 if at[0] < sizes[0] - 1 else -1
    start = _flat(at, sizes)
    for _ in range(5):
        at[0] += step
        if not 0 <= at[0] < sizes[0]:
            at[0] -= step
            break
        if data["index"][_flat(at, sizes)] != data["index"][start]:
            break
    return at


def _flat(at, sizes) -> int:
    flat = 0
    for i, size in zip(at, sizes, strict=True):
        flat = flat * size + i
    return flat


def main(outdir: str, log: str, expected: str, timeout: float = 1800) -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from tests.browser.exported import Renderer, pixels_digest

    outdir, log, expected = Path(outdir), Path(log), Path(expected)
    renderer, done, deadline = Renderer(), set(), time.monotonic() + timeout
    total = None
    with open(expected, "a") as out:
        while time.monotonic() < deadline and (total is None or len(done) < total):
            text = log.read_text() if log.is_file() else ""
            ready = [m for m in _PROGRESS.finditer(text) if m.group(3) not in done]
            if not ready:
                time.sleep(1)
                continue
            for match in ready:
                total, name = int(match.group(2)), match.group(3)
                deck = (outdir / f"{name}.slides.html").read_text()
                for cell, data in players(deck):
                    at = target(data)
                    values = {
                        c["name"]: data["values"][k][at[k]]
                        for k, c in enumerate(data["controls"])
                    }
                    png, sentence = renderer.render(name, cell, values)
                    line = {
                        "notebook": name, "cell": cell, "values": values,
                        "pixels": pixels_digest(png), "sentence": sentence,
                    }  # fmt: skip
                    out.write(json.dumps(line) + "\n")
                    out.flush()
                done.add(name)
    print(f"{len(renderer.demos)} demos built afresh in {renderer.seconds:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:4]))
