"""What JupyterLab itself costs a slider step, with nothing of the tutorial in it.

`browser.py` times the tutorial's demos from a key press to the new picture.
This script times the same thing for the least a demo could do, so its
figures say how much of that wait is the tutorial's at all:

- **kernel**: a slider whose kernel-side handler swaps an Image's PNG from a
  list made in advance (no drawing, no encoding): the key press, the widget
  message to the kernel, the PNG back, the browser's decoding;
- **page**: a slider linked in the browser (``jslink``) to a Stack of the same
  pictures: the page shows another picture with no message in between (the
  kernel still hears of the change, as it would of a demo's).

Pictures are drawn by matplotlib in the kernel before the timing and encoded
as a demo's are (`tutorial.png`); their median size is printed. Same browser, server,
settings and timing as `browser.py` (JupyterLab's default notebook windowing;
``load`` of the new picture in the page); ``--link DELAY,MBIT`` puts the same
slow link in between.

    .venv/bin/python benchmarks/lab_floor.py [--link 20,20] [--presses 20]
        [--json FILE]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))

from browser.harness import (  # noqa: E402
    CHROMIUM,
    fresh_sessions,
    launch_chromium,
    open_and_run_all,
    start_lab,
)
from browser.link import LinkProxy, parse_link  # noqa: E402
from report import table, write_json  # noqa: E402

NOTEBOOK = ROOT / "test-artifacts" / "lab-floor.ipynb"  # inside the server's root
FRAMES = 21

CELLS = [
    f"""import ipywidgets as W
import matplotlib
import numpy as np
matplotlib.use("agg")
import matplotlib.pyplot as plt
from tutorial.png import png_bytes

pngs = []
x = np.linspace(-3, 3, 400)
for k in range({FRAMES}):
    fig, ax = plt.subplots(figsize=(10, 4.2), dpi=100)
    for j in range(6):
        ax.plot(x, np.sin(x * (1 + k / 10) + j), lw=2)
    ax.set_title(f"k = {{k}}")
    pngs.append(png_bytes(fig))
    plt.close(fig)
print("median PNG bytes:", int(np.median([len(p) for p in pngs])))""",
    f"""kernel = W.IntSlider(value={FRAMES // 2}, min=0, max={FRAMES - 1},
                     description="kernel")
picture = W.Image(value=pngs[kernel.value])
kernel.observe(lambda change: setattr(picture, "value", pngs[change["new"]]),
               names="value")
W.VBox([kernel, picture])""",
    f"""page = W.IntSlider(value={FRAMES // 2}, min=0, max={FRAMES - 1},
                   description="page")
pictures = W.Stack([W.Image(value=p) for p in pngs], selected_index=page.value)
W.jslink((page, "value"), (pictures, "selected_index"))
W.VBox([page, pictures])""",
]

# Every key press and picture load, stamped in the page (see browser.py).
_INSTRUMENT_JS = """(() => {
  const lat = window.__lat = {keys: [], loads: []};
  const now = () => performance.now();
  document.addEventListener('keydown', e => lat.keys.push(now()), true);
  document.addEventListener('load', e => {
    if (e.target.tagName === 'IMG') lat.loads.push(now());
  }, true);
})()"""


def write_notebook() -> None:
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(source) for source in CELLS]
    )
    nb.metadata["kernelspec"] = {
        "name": "python3", "display_name": "Python 3", "language": "python",
    }  # fmt: skip
    NOTEBOOK.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, NOTEBOOK)


def measure(page, presses: int) -> dict[str, list[float]]:
    """Alternate isolated presses on the two sliders; return ms per press."""
    handles = page.locator(".widget-slider .noUi-handle")
    found: dict[str, list[float]] = {"kernel": [], "page": []}
    for k in range(presses):
        for i, path in enumerate(found):
            handle = handles.nth(i)
            handle.scroll_into_view_if_needed()
            handle.focus()
            time.sleep(0.6)  # at rest, as an isolated press in browser.py
            loads_before = page.evaluate("() => window.__lat.loads.length")
            page.keyboard.press("ArrowRight" if k % 2 == 0 else "ArrowLeft")
            time.sleep(0.8)
            key, loads = page.evaluate(
                "n => [window.__lat.keys.at(-1), window.__lat.loads.slice(n)]",
                loads_before,
            )
            if loads:
                found[path].append(loads[0] - key)
    return found


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--link", type=parse_link, help="DELAY,MBIT: one-way delay (ms), Mbit/s"
    )
    parser.add_argument("--presses", type=int, default=20, help="per slider")
    parser.add_argument("--json", help="write the results to this file")
    args = parser.parse_args(argv)
    if not CHROMIUM.is_file():
        parser.error(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    delay_ms, mbit = args.link or (0.0, None)

    from playwright.sync_api import sync_playwright

    write_notebook()
    try:
        with tempfile.TemporaryDirectory(prefix="lab-floor-") as home:
            lab = start_lab(Path(home), windowing=None)
            proxy = LinkProxy(lab.port, delay_ms, mbit).start() if mbit else None
            try:
                with sync_playwright() as pw:
                    browser = launch_chromium(pw)
                    page = browser.new_page(viewport={"width": 1400, "height": 1000})
                    page.add_init_script(_INSTRUMENT_JS)
                    fresh_sessions(lab)
                    open_and_run_all(
                        page, lab, NOTEBOOK, base=proxy.base if proxy else None
                    )
                    printed = page.locator(".jp-OutputArea-output pre").first
                    print(printed.text_content().strip())
                    time.sleep(1.0)
                    found = measure(page, args.presses)
                    browser.close()
            finally:
                if proxy:
                    proxy.stop()
                lab.stop()
    finally:
        NOTEBOOK.unlink(missing_ok=True)

    link = f"{delay_ms:g} ms each way, {mbit:g} Mbit/s" if mbit else "local"
    rows = [
        {
            "picture swapped by": path,
            "n": len(ms),
            "median_ms": round(float(np.median(ms)), 1) if ms else None,
            "p95_ms": round(float(np.percentile(ms, 95)), 1) if ms else None,
            "missing": args.presses - len(ms),
        }
        for path, ms in found.items()
    ]
    print(f"key press to the new picture's load, {link}")
    print(table(rows, list(rows[0])))
    write_json(args.json, {"link": link, "rows": rows})
    return 0


if __name__ == "__main__":
    sys.exit(main())
