"""Latency as a learner feels it: a key press on a slider to the new picture.

`sliders.py` times a control inside Python. A learner also waits for the
widget message to reach the kernel, the PNG to come back over the web socket
and the browser to decode it. This script measures all of it in Debian's
Chromium against JupyterLab on 127.0.0.1 (as tests/browser/ runs them, but
with JupyterLab's default notebook windowing, as a learner has it).

For each notebook: a fresh kernel and Run All; then, for every demo in the
page (a widget box holding a picture):

- each live slider (its picture follows it while dragged): several isolated
  arrow-key presses, each timed in the page from its ``keydown`` to the
  ``load`` of the new picture in that cell (listeners on ``document``, with
  capture; ``performance.now()``), then fast drags: ten presses 40 ms apart,
  each after the learner has looked at the picture for ``--rest`` s (1.5;
  drawing ahead uses that time), timed from the last press to the last
  change of picture, counting the changes (a picture loaded again with the
  bytes it had changes nothing a learner sees);
- each slider that updates on release and each menu: the same isolated
  changes, timed to the new picture, noting whether "Computing…" was shown;
- each demo with a Run button: change a control, press Run, time the click to
  the new picture, and check "Computing…" was shown.

A slider is "live" unless its demo says "Computing…" while it works (the
tutorial's demos do that only for on-release sliders, menus and Run buttons).

Each live press is also split in three, from a log the kernels write (see
``TUTORIAL_TIMING_LOG`` in tutorial/widgets.py): the press until the kernel
starts drawing (the browser's widget code, the web socket, the kernel's
dispatch), drawing and encoding in Python, and the frame's message until the
picture has loaded, itself split where the message reaches the page's web
socket (before: the kernel's sending, the server, the link; after: the
widget code, decoding, the page's layout). The log also says which presses
were answered with a picture drawn ahead (tutorial/prefetch.py). A press
whose picture loaded before any picture-sized message reached the page was
shown by the page itself (tutorial/page_pictures.py): counted apart, not split.
``TUTORIAL_PREFETCH=0`` measures every step drawn on arrival.

``--link DELAY,MBIT`` puts a user-space TCP proxy with that one-way delay (ms)
and bandwidth (Mbit/s) in each direction between the browser and the server,
web sockets included (tests/browser/link.py): ``--link 20,20`` is about what
a learner on Binder gets. Targets (issue 17): live sliders locally median
<= 60 ms and 95th percentile <= 100 ms; over 20 ms / 20 Mbit/s median <= 100
ms, 95th percentile <= 150 ms, and the last picture of a fast drag <= 150 ms
after the last press; on release, menus and Run buttons <= 1 s with
"Computing…" shown.

    .venv/bin/python benchmarks/browser.py [--link 20,20] [--only 01]
        [--presses 6] [--drags 2] [--rest 1.5] [--runs 1] [--json FILE]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))

from browser.harness import (  # noqa: E402
    CHROMIUM,
    NOTEBOOKS,
    fresh_sessions,
    launch_chromium,
    open_and_run_all,
    start_lab,
    wait_for_kernel,
)
from browser.link import LinkProxy, parse_link  # noqa: E402
from report import table, write_json  # noqa: E402

TARGETS = {
    # link -> (live median, live p95, drag last picture, slow controls max), ms
    "local": (60.0, 100.0, None, 1000.0),
    "20,20": (100.0, 150.0, 150.0, 1000.0),
}
DRAG_PRESSES, DRAG_GAP_S = 10, 0.040
TIMING_LOG = "TUTORIAL_TIMING_LOG"  # read by tutorial.widgets

# Installed before the page's own scripts: every key press, click, menu
# change and picture load is stamped with performance.now() in the page.
# `load` does not bubble, hence capture. Each picture and demo gets an id.
_INSTRUMENT_JS = """(() => {
  const lat = window.__lat = {keys: [], clicks: [], changes: [], loads: [],
                              computing: []};
  let next = 1;
  lat.id = el => el.dataset.latImg || (el.dataset.latImg = String(next++));
  const now = () => performance.now();
  document.addEventListener('keydown', e => lat.keys.push(now()), true);
  document.addEventListener('click', e => lat.clicks.push(now()), true);
  document.addEventListener('change', e => lat.changes.push(now()), true);
  // Every web-socket message as it arrives (before the page handles it), with
  // its size: the frame's message is the first one after the frame is sent
  // that is as large as the PNG.
  lat.messages = [];
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', e => {
        const d = e.data;
        lat.messages.push([now(), d.byteLength || d.size || d.length || 0]);
      });
    }
  };
  // Each picture's bytes, by the blob URL the picture widget makes for them:
  // a picture loaded again with the same bytes (the kernel's answer to a step
  // the page has shown already) changes nothing a learner sees.
  lat.blobs = new Map();
  const createObjectURL = URL.createObjectURL;
  URL.createObjectURL = blob => {
    const url = createObjectURL.call(URL, blob);
    if (blob instanceof Blob) lat.blobs.set(url, blob);
    return url;
  };
  lat.onload = new Set();
  document.addEventListener('load', e => {
    if (e.target.tagName !== 'IMG') return;
    const img = lat.id(e.target);
    lat.loads.push([now(), img, e.target.src]);
    for (const f of lat.onload) f(img);
  }, true);
  // Resolve once a picture of `img` has come after mark `since` and then none
  // for `quiet` ms; or when none came within `first` ms. Nothing polls the
  // page meanwhile, so the measuring adds no work while the demo answers.
  lat.settled = (img, since, first, quiet, limit) => new Promise(resolve => {
    let timer = null;
    const done = () => {
      lat.onload.delete(seen); clearTimeout(timer); clearTimeout(hard); resolve();
    };
    const seen = id => {
      if (id !== img) return;
      clearTimeout(timer);
      timer = setTimeout(done, quiet);
    };
    const hard = setTimeout(done, limit);
    lat.onload.add(seen);
    const already = lat.loads.slice(since).filter(l => l[1] === img).length;
    timer = setTimeout(done, already ? quiet : first);
  });
  // Watch one demo box for its "Computing…" message (textContent: no layout).
  lat.watch = box => {
    if (lat.observer) lat.observer.disconnect();
    const el = document.querySelector(`[data-lat-box="${box}"]`);
    lat.observer = new MutationObserver(() => {
      if (el.textContent.includes('Computing')) lat.computing.push(now());
    });
    lat.observer.observe(el, {subtree: true, childList: true, characterData: true});
  };
})()"""

# Find the demos: every picture's nearest widget box, in page order, with its
# sliders (handle, label, aria value and range), menus and Run button.
_DEMOS_JS = """() => {
  const boxes = [];
  for (const img of document.querySelectorAll('.jp-Notebook img')) {
    const box = img.closest('.widget-vbox');
    if (box && !boxes.includes(box) && box.querySelector('.widget-slider, select'))
      boxes.push(box);
  }
  const cells = [...document.querySelectorAll('.jp-Notebook .jp-Cell')];
  return boxes.map((box, i) => {
    box.dataset.latBox = String(i);
    const img = box.querySelector('img');
    window.__lat.id(img);
    const label = el => (el.querySelector('.widget-label') || {}).textContent || '';
    const sliders = [...box.querySelectorAll('.widget-slider')].map((el, j) => {
      el.dataset.latSlider = `${i}-${j}`;
      const h = el.querySelector('.noUi-handle');
      return {label: label(el), now: +h.getAttribute('aria-valuenow'),
              min: +h.getAttribute('aria-valuemin'),
              max: +h.getAttribute('aria-valuemax')};
    });
    const menus = [...box.querySelectorAll('.widget-dropdown')].map((el, j) => {
      el.dataset.latMenu = `${i}-${j}`;
      const select = el.querySelector('select');
      return {label: label(el), options: select.options.length,
              selected: select.selectedIndex};
    });
    const run = [...box.querySelectorAll('button')].find(
        b => b.textContent.trim() === 'Run');
    if (run) run.dataset.latRun = String(i);
    const cell = box.closest('.jp-Cell');
    const title = box.querySelector('.widget-html b');
    return {box: i, img: img.dataset.latImg, cell: cells.indexOf(cell),
            title: title ? title.textContent : '', sliders, menus, run: !!run};
  });
}"""

# What happened since mark `m` (array lengths) in one demo box; `pictures`
# holds a digest of each loaded picture's bytes (FNV-1a), or null.
_SINCE_JS = """async ([m, img]) => {
  const lat = window.__lat;
  const loads = lat.loads.slice(m.loads).filter(l => l[1] === img);
  const digest = async url => {
    const blob = lat.blobs.get(url);
    if (!blob) return null;
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let h = 0x811c9dc5;
    for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 16777619);
    return `${bytes.length}:${h >>> 0}`;
  };
  const pictures = await Promise.all(loads.map(l => digest(l[2])));
  return {keys: lat.keys.slice(m.keys), clicks: lat.clicks.slice(m.clicks),
          changes: lat.changes.slice(m.changes), loads: loads.map(l => l[0]),
          pictures, computing: lat.computing.slice(m.computing)};
}"""
_MARK_JS = """(box) => {
  const lat = window.__lat;
  lat.watch(box);
  lat.blobs.clear();  // the pictures before the mark are not asked about
  return {keys: lat.keys.length, clicks: lat.clicks.length,
          changes: lat.changes.length, loads: lat.loads.length,
          computing: lat.computing.length};
}"""


class Page:
    """One notebook open in the browser, with its demos found."""

    def __init__(self, page, wait_s: float, quiet_s: float):
        self.page, self.wait_s, self.quiet_s = page, wait_s, quiet_s
        self.demos = page.evaluate(_DEMOS_JS)

    def since(self, mark, img) -> dict:
        return self.page.evaluate(_SINCE_JS, [mark, img])

    def act(self, demo, do) -> dict:
        """Do something to a demo and wait for its next picture.

        Returns what the page recorded: key presses, clicks, menu changes,
        picture loads and "Computing…" messages after the mark.
        """
        mark = self.page.evaluate(_MARK_JS, demo["box"])
        do()
        # Wait in the page until the pictures have stopped coming.
        ms = [self.wait_s * 1000, self.quiet_s * 1000, 3 * self.wait_s * 1000]
        self.page.evaluate(
            "([img, since, first, quiet, limit]) =>"
            " window.__lat.settled(img, since, first, quiet, limit)",
            [demo["img"], mark["loads"], *ms],
        )
        return self.since(mark, demo["img"])

    def handle(self, demo, j):
        return self.page.locator(
            f'[data-lat-slider="{demo["box"]}-{j}"] .noUi-handle'
        ).first

    def press(self, demo, j, key: str, times: int = 1, gap_s: float = 0.0):
        handle = self.handle(demo, j)
        handle.scroll_into_view_if_needed()
        handle.focus()
        for k in range(times):
            start = time.monotonic()
            self.page.keyboard.press(key)
            if k < times - 1 and gap_s:
                time.sleep(max(0.0, gap_s - (time.monotonic() - start)))

    def value(self, demo, j) -> float:
        return float(self.handle(demo, j).get_attribute("aria-valuenow"))


def new_row(control: str, mode: str) -> dict:
    return {"control": control, "mode": mode, "ms": [], "computing": [],
            "drags": [], "shown": [], "missing": 0, "pairs": []}  # fmt: skip


def record(row: dict, seen: dict, trigger: str) -> None:
    """Add the time from the last `trigger` event to the next picture."""
    t0 = seen[trigger][-1] if seen[trigger] else None
    shown = None
    if t0 is not None:
        shown = min((t for t in seen["loads"] if t >= t0), default=None)
    if shown is None:
        row["missing"] += 1
        return
    row["ms"].append(shown - t0)
    row["pairs"].append((t0, shown))
    # "Computing…" was in the page between the trigger and the picture.
    row["computing"].append(any(t0 <= t <= shown for t in seen["computing"]))


def room(p: Page, demo, j) -> str:
    """Return the arrow key with more of the slider's range ahead of it."""
    slider = demo["sliders"][j]
    now = p.value(demo, j)
    return "ArrowRight" if slider["max"] - now >= now - slider["min"] else "ArrowLeft"


def other(key: str) -> str:
    return "ArrowLeft" if key == "ArrowRight" else "ArrowRight"


def measure_slider(p: Page, demo, j, presses: int, drags: int, rest: float) -> dict:
    """Time isolated presses, then (for a live slider) fast drags, each after
    the learner has looked at the picture for `rest` s (at least `quiet`)."""
    row = new_row(demo["sliders"][j]["label"] or f"slider {j}", "live")
    key = room(p, demo, j)
    for k in range(presses):
        # Walk away from the default and back, one step at a time.
        step = key if k < (presses + 1) // 2 else other(key)
        record(row, p.act(demo, lambda step=step: p.press(demo, j, step)), "keys")
    row["mode"] = "on release" if any(row["computing"]) else "live"
    if row["mode"] == "live":
        for d in range(drags):
            key = room(p, demo, j) if d % 2 == 0 else other(key)
            time.sleep(max(0.0, rest - p.quiet_s))
            seen = p.act(
                demo,
                lambda key=key: p.press(demo, j, key, DRAG_PRESSES, DRAG_GAP_S),
            )
            keys = seen["keys"][-DRAG_PRESSES:]
            loads = [
                (t, picture)
                for t, picture in zip(seen["loads"], seen["pictures"], strict=True)
                if keys and t >= keys[0]
            ]
            if not keys or not loads:
                row["missing"] += 1
                continue
            shown = changes(loads)
            row["drags"].append(shown[-1] - keys[-1])
            row["shown"].append(len(shown))
    return row


def changes(loads: list[tuple]) -> list[float]:
    """Return when the picture a learner sees changed, from (time, digest)
    loads: a load with the bytes already shown changes nothing (an unknown
    digest, None, counts as a change)."""
    shown, last = [], object()
    for t, picture in loads:
        if picture is None or picture != last:
            shown.append(t)
        last = picture
    return shown


def measure_menu(p: Page, demo, j, presses: int) -> dict:
    menu = demo["menus"][j]
    select = p.page.locator(f'[data-lat-menu="{demo["box"]}-{j}"] select').first
    row = new_row(menu["label"] or f"menu {j}", "menu")
    start = menu["selected"]
    for k in range(presses):
        index = (start + 1) % menu["options"] if k % 2 == 0 else start
        seen = p.act(demo, lambda index=index: select.select_option(index=index))
        record(row, seen, "changes")
    return row


def measure_run(p: Page, demo, presses: int) -> list[dict]:
    """For a demo with a Run button: change each control, then press Run."""
    run = p.page.locator(f'[data-lat-run="{demo["box"]}"]').first
    rows = []
    controls = [("slider", j, s["label"]) for j, s in enumerate(demo["sliders"])]
    controls += [("menu", j, m["label"]) for j, m in enumerate(demo["menus"])]
    for kind, j, label in controls:
        row = new_row(label or f"{kind} {j}", "Run button")
        key = room(p, demo, j) if kind == "slider" else None
        for k in range(presses):
            if kind == "slider":
                p.press(demo, j, key if k % 2 == 0 else other(key))
            else:
                menu = demo["menus"][j]
                index = menu["selected"]
                if k % 2 == 0:
                    index = (index + 1) % menu["options"]
                select = f'[data-lat-menu="{demo["box"]}-{j}"] select'
                p.page.locator(select).first.select_option(index=index)
            time.sleep(0.2)  # "Settings changed" is shown; no picture yet
            record(row, p.act(demo, run.click), "clicks")
        rows.append(row)
    return rows


def measure_notebook(browser, lab, path, base, args) -> list[dict]:
    fresh_sessions(lab)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.add_init_script(_INSTRUMENT_JS)
    rows = []
    try:
        relative = open_and_run_all(page, lab, path, base=base)
        time.sleep(1.0)  # the last pictures of Run All
        p = Page(page, wait_s=args.wait, quiet_s=args.quiet)
        for demo in p.demos:
            where = {"notebook": path.stem[:2], "cell": demo["cell"],
                     "demo": demo["title"][:28]}  # fmt: skip
            if demo["run"]:
                found = measure_run(p, demo, args.slow_presses)
            else:
                found = [
                    measure_slider(p, demo, j, args.presses, args.drags, args.rest)
                    for j in range(len(demo["sliders"]))
                ]
                found += [
                    measure_menu(p, demo, j, args.slow_presses)
                    for j in range(len(demo["menus"]))
                ]
            for row in found:
                rows.append({**where, **row})
                print(
                    f"  {path.stem[:2]} cell {demo['cell']:>2} {row['control']:<24}"
                    f" {row['mode']:<10} {summary_line(row)}",
                    flush=True,
                )
        wait_for_kernel(lab, relative)
        origin = page.evaluate("() => performance.timeOrigin")
        messages = np.array(page.evaluate("() => window.__lat.messages"))
        for row in rows:
            row["parts"] = parts(row.pop("pairs"), origin, messages.reshape(-1, 2))
    finally:
        page.close()
        fresh_sessions(lab)
    return rows


def kernel_frames() -> np.ndarray:
    """Return (start, end, bytes, CPU time, drawn ahead) of every frame the
    kernels showed, times in ms (start and end since the epoch), from the log
    `tutorial.widgets` writes (see TIMING_LOG)."""
    path = Path(os.environ[TIMING_LOG])
    lines = path.read_text().split() if path.exists() else []
    frames = np.array(lines, dtype=float).reshape(-1, 5)
    return frames * [1000, 1000, 1, 1000, 1]


PARTS = ("to the kernel", "in Python", "of it on the CPU", "back to the picture",
         "of it to the page", "of it in the page")  # fmt: skip
PART_KEYS = ("kernel_ms", "python_ms", "cpu_ms", "back_ms", "wire_ms", "page_ms")
AHEAD, BY_PAGE = 6, 7  # a split's last two fields: drawn ahead; shown by the page
PICTURE_BYTES = 4096  # a message at least this big carries a picture


def parts(pairs, origin: float, messages: np.ndarray) -> list[tuple]:
    """Split each press-to-picture time (page ms since `origin`) in three:
    to the kernel (the press until the kernel starts the frame), in Python
    (drawing and encoding; also how much of that the kernel's thread spent on
    a core), and back (the frame's message until the picture has loaded). Back
    is split again where the frame's message reaches the page's web socket
    (`messages`: page ms and bytes of each): before, the server and the link;
    after, the widget code, decoding and the page's layout (NaN if not found).
    Each press is matched with the first frame started after it. A press whose
    picture loaded before the kernel had sent a frame, or before any
    picture-sized message reached the page, was shown by the page
    (tutorial/page_pictures.py): its parts are NaN, and it counts as drawn ahead.
    The last two fields say drawn ahead, shown by the page (1 or 0)."""
    frames = kernel_frames()
    split = []
    pictures = messages[messages[:, 1] >= PICTURE_BYTES, 0]
    for t0, shown in pairs:
        press, loaded = origin + t0, origin + shown
        after = frames[(frames[:, 0] >= press) & (frames[:, 1] <= loaded)]
        # The page's copies come as picture-sized messages too: a picture is
        # the page's own if the kernel had not sent one yet when it loaded.
        if not len(after) or not np.any((pictures >= t0) & (pictures <= shown)):
            split.append((*[np.nan] * len(PART_KEYS), 1, 1))
            continue
        start, end, size, cpu, ahead = after[0]
        arrived = messages[
            (origin + messages[:, 0] >= end)
            & (origin + messages[:, 0] <= loaded)
            & (messages[:, 1] >= size)
        ]
        wire = origin + arrived[0, 0] - end if len(arrived) else np.nan
        split.append((start - press, end - start, cpu, loaded - end, wire,
                      loaded - end - wire, ahead, 0))  # fmt: skip
    return split


def summary_line(row) -> str:
    ms = np.array(row["ms"])
    text = "no picture" if not ms.size else f"median {np.median(ms):6.0f} ms"
    if row.get("drags"):
        text += f"  drag {np.median(row['drags']):5.0f} ms"
        text += f" ({np.median(row['shown']):.0f} pictures)"
    return text


def pooled(rows: list[dict]) -> list[dict]:
    """Merge the runs: one row per control, with its statistics."""
    merged: dict[tuple, dict] = {}
    for row in rows:
        key = (row["notebook"], row["cell"], row["control"])
        if key not in merged:
            merged[key] = {**row, "ms": [], "computing": [], "drags": [],
                           "shown": [], "missing": 0, "parts": []}  # fmt: skip
        m = merged[key]
        for field in ("ms", "computing", "drags", "shown", "parts"):
            m[field] += row.get(field, [])
        m["missing"] += row["missing"]
    out = []
    for m in merged.values():
        ms = np.array(m["ms"], dtype=float)
        pairs = zip(m["computing"], m["parts"], strict=True)
        waited = [computing for computing, p in pairs if not p[BY_PAGE]]
        stats = {
            "n": int(ms.size),
            "median_ms": float(np.median(ms)) if ms.size else None,
            "p95_ms": float(np.percentile(ms, 95)) if ms.size else None,
            "max_ms": float(ms.max()) if ms.size else None,
            # "Computing…" shown / changes answered by the kernel (a change
            # the page showed itself has nothing to wait for).
            "computing": (
                f"{sum(waited)}/{len(waited)}" if m["mode"] != "live" else ""
            ),
            "drag_ms": float(np.median(m["drags"])) if m["drags"] else None,
            "drag_max_ms": float(max(m["drags"])) if m["drags"] else None,
            "pictures": float(np.median(m["shown"])) if m["shown"] else None,
        }
        # Medians of each part of a live press (see `parts`), per control.
        for k, key in enumerate(PART_KEYS):
            values = [p[k] for p in m["parts"] if not np.isnan(p[k])]
            stats[key] = float(np.median(values)) if values else None
        # How many of its presses were answered with a picture drawn ahead,
        # and how many of those the page showed itself.
        ahead = [p[AHEAD] for p in m["parts"]]
        stats["ahead"] = f"{int(sum(ahead))}/{len(ahead)}" if ahead else ""
        by_page = [p[BY_PAGE] for p in m["parts"]]
        stats["by_page"] = f"{int(sum(by_page))}/{len(by_page)}" if by_page else ""
        out.append({**m, **stats})
    return out


def drawn_ahead(rows: list[dict]) -> str:
    """Say how many live presses a picture drawn ahead answered, and how many
    of those the page showed itself."""
    split = [p for r in rows if r["mode"] == "live" for p in r.get("parts", [])]
    ahead = int(sum(p[AHEAD] for p in split))
    by_page = int(sum(p[BY_PAGE] for p in split))
    return (
        f"live presses answered with a picture drawn ahead (tutorial/prefetch.py):"
        f" {ahead} of {len(split)}; shown by the page before any picture came"
        f" from the kernel (tutorial/page_pictures.py): {by_page}"
    )


def summarise(rows: list[dict], link: str) -> tuple[list[dict], list[str]]:
    """Return the summary rows and what misses its target."""
    live_med, live_p95, drag_max, slow_max = TARGETS.get(link, (None,) * 4)
    live = [r for r in rows if r["mode"] == "live"]
    slow = [r for r in rows if r["mode"] != "live"]
    all_live = np.concatenate([r["ms"] for r in live]) if live else np.array([])
    drags = np.concatenate([r["drags"] for r in live]) if live else np.array([])
    all_slow = np.concatenate([r["ms"] for r in slow]) if slow else np.array([])
    summary, misses = [], []

    def line(what, values, target=None, stat="median"):
        if not len(values):
            return
        value = {
            "median": np.median(values),
            "p95": np.percentile(values, 95),
            "max": np.max(values),
        }[stat]
        ok = "" if target is None else ("ok" if value <= target else "MISS")
        summary.append({"what": what, "stat": stat, "ms": float(value),
                        "target_ms": target or "", "verdict": ok})  # fmt: skip
        if ok == "MISS":
            misses.append(f"{what} {stat} {value:.0f} ms > {target:.0f} ms")

    line(f"live sliders, presses (n={len(all_live)})", all_live, live_med)
    line(f"live sliders, presses (n={len(all_live)})", all_live, live_p95, "p95")
    split = [p for r in live for p in r.get("parts", [])]
    for k, part in enumerate(PARTS):
        values = [p[k] for p in split if not np.isnan(p[k])]
        line(f"live presses, {part} (n={len(values)})", values)
    line(f"fast drag, last picture (n={len(drags)})", drags, None)
    line(f"fast drag, last picture (n={len(drags)})", drags, drag_max, "max")
    line(f"on release, menus, Run (n={len(all_slow)})", all_slow, None)
    line(f"on release, menus, Run (n={len(all_slow)})", all_slow, slow_max, "max")
    not_shown = [r for r in slow if r["computing"]
                 and len(set(r["computing"].split("/"))) > 1]  # fmt: skip
    for r in not_shown:
        misses.append(f"'Computing…' not always shown: {r['notebook']} {r['control']}")
    return summary, misses


def report(rows: list[dict], link: str, args) -> None:
    """Print the tables and what misses its target; write the JSON."""
    controls = pooled(rows)
    print()
    print(f"link: {link}; {args.runs} run(s); times in ms, key press to picture")
    columns = ["notebook", "cell", "control", "mode", "n", "median_ms", "p95_ms",
               "max_ms", *PART_KEYS, "ahead", "by_page", "computing", "drag_ms",
               "drag_max_ms", "pictures", "missing"]  # fmt: skip
    print(table(controls, columns))
    summary, misses = summarise(controls, link)
    print()
    print(table(summary, ["what", "stat", "ms", "target_ms", "verdict"]))
    print(drawn_ahead(controls))
    for miss in misses:
        print("MISS:", miss)
    write_json(args.json, {"link": link, "runs": args.runs, "controls": controls,
                           "summary": summary, "misses": misses})  # fmt: skip


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--link", type=parse_link, help="DELAY,MBIT: one-way delay (ms), Mbit/s"
    )
    parser.add_argument("--only", nargs="*", help="notebook numbers, e.g. 01 03")
    parser.add_argument("--presses", type=int, default=6, help="per live slider")
    parser.add_argument("--drags", type=int, default=2, help="per live slider")
    parser.add_argument("--slow-presses", type=int, default=2,
                        help="per on-release slider, menu or Run control")  # fmt: skip
    parser.add_argument("--runs", type=int, default=1, help="fresh kernels each")
    parser.add_argument("--wait", type=float, default=10.0, help="s for a picture")
    parser.add_argument("--quiet", type=float, help="s without a picture: settled")
    parser.add_argument("--rest", type=float, default=1.5,
                        help="s looking at a picture before a drag")  # fmt: skip
    parser.add_argument("--json", help="write the results to this file")
    args = parser.parse_args(argv)
    if not CHROMIUM.is_file():
        parser.error(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    delay_ms, mbit = args.link or (0.0, None)
    link = "local" if not args.link else f"{delay_ms:g},{mbit:g}"
    if args.quiet is None:
        args.quiet = 0.6 + 10 * delay_ms / 1000
    notebooks = [
        p
        for p in NOTEBOOKS
        if not args.only or any(p.name.startswith(o) for o in args.only)
    ]

    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory(prefix="browser-bench-") as home:
        # The kernels (started by the server) log when each frame is drawn.
        os.environ[TIMING_LOG] = str(Path(home) / "frames.log")
        lab = start_lab(Path(home), windowing=None)
        proxy = LinkProxy(lab.port, delay_ms, mbit).start() if mbit else None
        try:
            with sync_playwright() as pw:
                browser = launch_chromium(pw)
                for run in range(args.runs):
                    for path in notebooks:
                        print(f"run {run + 1}/{args.runs}: {path.name}", flush=True)
                        rows += measure_notebook(
                            browser, lab, path, proxy.base if proxy else None, args
                        )
                browser.close()
        finally:
            if proxy:
                proxy.stop()
            lab.stop()
    report(rows, link, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
