"""What the export tests share: the build, demo players, and slide measurements.

A player's pictures must be the very bytes its `Demo` draws: `Renderer`
builds each demo afresh (in export mode, from the notebook's own cell) and
draws the positions the browser moves to; expected_frames.py runs it beside
the build, and `Expected` reads what it drew.
"""

from __future__ import annotations

import ast
import hashlib
import io
import json
import re
import time
from pathlib import Path
from urllib.parse import unquote, urlparse

import nbformat
import pytest

from tutorial import export

NBS = Path(__file__).resolve().parents[2] / "nbs"

LOCAL = ("file://", "data:", "blob:", "about:")
FRAME = "/frames/"

# A player's state: its picture, sentence, position and exported controls.
PLAYER_JS = """(player) => {
  const tp = window.TutorialPlayers.setup(player);
  const img = player.querySelector('img.tp-picture');
  return {
    src: img.getAttribute('src'), loaded: img.complete && img.naturalWidth > 0,
    sentence: player.querySelector('.tp-sentence').textContent,
    position: tp.position(), data: tp.data,
    ranges: [...player.querySelectorAll('input.tp-range')].map(
      r => [Number(r.value), Number(r.max)]),
    cell: (player.closest('[id^="cell-id="]') || {id: ''}).id.slice(8),
  };
}"""


def outside(requests) -> list[str]:
    """Return the requests that would leave this machine."""
    return [url for url in requests if not url.startswith(LOCAL)]


def frame_requests(requests) -> list[str]:
    return [url for url in requests if FRAME in url]


def run_cell(source: str, namespace: dict):
    """Run a cell's code; return the value of its last expression, as IPython."""
    tree = ast.parse(source)
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = tree.body.pop()
    exec(compile(tree, "<cell>", "exec"), namespace)
    if last is None:
        return None
    return eval(compile(ast.Expression(last.value), "<cell>", "eval"), namespace)


class Renderer:
    """Each notebook demo built afresh in export mode; its pictures on demand."""

    def __init__(self):
        self.demos: dict = {}
        self.frames: dict = {}
        self.seconds = 0.0

    def demo(self, notebook: str, cell_id: str):
        key = (notebook, cell_id)
        if key not in self.demos:
            start = time.perf_counter()
            nb = nbformat.read(NBS / f"{notebook}.ipynb", as_version=4)
            namespace: dict = {}
            cells = [c for c in nb.cells if c.cell_type == "code"]
            for cell in cells:  # the set-up: cells that only import
                body = ast.parse(cell.source).body
                imports = (ast.Import, ast.ImportFrom)
                if body and all(isinstance(n, imports) for n in body):
                    exec(cell.source, namespace)
            (cell,) = [c for c in cells if c.get("id") == cell_id]
            with export.enabled():
                self.demos[key] = run_cell(cell.source, namespace)
            self.seconds += time.perf_counter() - start
        return self.demos[key]

    def render(self, notebook: str, cell_id: str, values: dict) -> tuple[bytes, str]:
        """Return (PNG, sentence) that the demo of that cell draws for `values`."""
        key = (notebook, cell_id, tuple(sorted(values.items())))
        if key not in self.frames:
            demo = self.demo(notebook, cell_id)
            start = time.perf_counter()
            with export.enabled():
                self.frames[key] = demo.render(**values)
            self.seconds += time.perf_counter() - start
        return self.frames[key]


def values_at(state: dict) -> dict:
    """Return the control values of a player's current position."""
    data = state["data"]
    return {
        control["name"]: data["values"][k][state["ranges"][k][0]]
        for k, control in enumerate(data["controls"])
    }


def pixels_digest(png: bytes) -> str:
    """Return the SHA-256 of a PNG's pixels (RGBA), not of its bytes.

    Two processes once stored the same pixels, palette and indices in
    streams one byte apart (ISA-L's deflate, level 1, same input; not
    reproduced in one process): what a learner sees is what must match.
    """
    from PIL import Image  # matplotlib depends on Pillow

    image = Image.open(io.BytesIO(png)).convert("RGBA")
    return hashlib.sha256(repr(image.size).encode() + image.tobytes()).hexdigest()


def picture_file(page_url: str, src: str) -> Path:
    """Return the file a picture's relative `src` names, next to the page."""
    return Path(unquote(urlparse(page_url).path)).parent / src


class Expected:
    """The lines expected_frames.py writes: what a moved player must show.

    The drawer follows the build, so when the build is done it has at most a
    few demos left. All the waits share one deadline, `wait` seconds from
    now: a stuck drawer fails the tests that need it, one after another,
    instead of holding each of them for the whole time.
    """

    def __init__(self, path: Path, drawer, wait: float = 600):
        self.path, self.drawer = Path(path), drawer
        self.deadline = time.monotonic() + wait

    def at(self, notebook: str, cell: str) -> dict:
        """Return the line for one player, waiting while it is being drawn."""
        while True:
            if self.path.is_file():
                for line in self.path.read_text().splitlines():
                    entry = json.loads(line)
                    if (entry["notebook"], entry["cell"]) == (notebook, cell):
                        return entry
            if self.drawer.poll() is not None or time.monotonic() > self.deadline:
                log = self.path.with_name("expected-frames.log")
                pytest.fail(
                    f"no expected picture for {notebook} cell {cell}; see {log}"
                )
            time.sleep(0.5)


def move_player(page, player, expected: Expected, notebook: str, where: str):
    """Move a player's first control with the keyboard; check what it shows.

    The picture and the sentence must change and be exactly what the Demo,
    built afresh (see expected_frames.py), draws for the new values. Returns
    the state after the move; the control keeps the keyboard focus.
    """
    before = page.evaluate(PLAYER_JS, player)
    assert before["loaded"], f"{where}: the picture is not shown"
    assert before["cell"], f"{where}: no cell id around the player"
    value, top = before["ranges"][0]
    key = "ArrowRight" if value < top else "ArrowLeft"
    player.query_selector("input.tp-range").focus()
    after = before
    for _ in range(5):  # a step may leave the picture as it was
        page.keyboard.press(key)
        page.wait_for_function(
            "([p, n]) => Number(p.dataset.position) !== n",
            arg=[player, after["position"]],
            timeout=5_000,
        )
        after = page.evaluate(PLAYER_JS, player)
        if after["src"] != before["src"]:
            break
    assert after["src"] != before["src"], f"{where}: the picture never changed"
    page.wait_for_function(
        "(p) => { const i = p.querySelector('img.tp-picture');"
        " return i.complete && i.naturalWidth > 0; }",
        arg=player,
        timeout=10_000,
    )
    at = values_at(after)
    want = expected.at(notebook, before["cell"])
    assert want["values"] == at, f"{where}: moved to {at}, not {want['values']}"
    shown = picture_file(page.url, after["src"]).read_bytes()
    same = pixels_digest(shown) == want["pixels"]
    assert same, f"{where}: the picture differs from the Demo's own at {at}"
    assert after["sentence"] == want["sentence"], f"{where}: {after['sentence']!r}"
    return after


# One slide, measured in the 1280 × 720 reference frame (CSS px of the slide,
# after the zoom that fitting the slide needed; reveal.js's own scale to the
# window is divided out).
MEASURE_JS = """() => {
  const slide = Reveal.getCurrentSlide();
  const fit = window.fitSlide(slide);
  const zoom = el => el.currentCSSZoom || 1;
  const skip = 'aside.notes, script, style, noscript, .MathJax_CHTML, '
    + '.MathJax_Preview, .MJX_Assistive_MathML, .MathJax_Display';
  let prose = Infinity, proseText = '';
  const walker = document.createTreeWalker(slide, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    const el = node.parentElement;
    if (!text || el.closest(skip) || !el.getClientRects().length) continue;
    const px = parseFloat(getComputedStyle(el).fontSize) * zoom(el);
    if (px < prose) { prose = px; proseText = text.slice(0, 40); }
  }
  let figure = Infinity;
  for (const img of slide.querySelectorAll('img.tp-picture')) {
    if (!img.getClientRects().length) continue;
    const data = TutorialPlayers.setup(img.closest('.tp-player')).data;
    const shown = img.offsetWidth * zoom(img);
    figure = Math.min(figure, data.minFontPt / 72 * data.dpi * shown / data.width);
  }
  const box = slide.getBoundingClientRect(), scale = Reveal.getScale();
  let wide = 0, wideAt = '';
  for (const el of slide.querySelectorAll('*')) {
    if (el.closest('aside.notes')) continue;
    const r = el.getBoundingClientRect();
    if (!r.width) continue;
    const over = Math.max(r.right - box.right, box.left - r.left) / scale;
    if (over > wide) { wide = over; wideAt = el.tagName + '.' + el.className; }
  }
  // Text under reveal.js's navigation arrows, which it draws over the slide.
  const arrows = [...document.querySelectorAll('.reveal .controls button.enabled')]
    .filter(b => getComputedStyle(b).visibility === 'visible')
    .map(b => b.getBoundingClientRect());
  let covered = '';
  const under = r => arrows.some(a => a.left < r.right && r.left < a.right
                                    && a.top < r.bottom && r.top < a.bottom);
  const texts = document.createTreeWalker(slide, NodeFilter.SHOW_TEXT);
  for (let node = texts.nextNode(); node && !covered; node = texts.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || el.closest('aside.notes')) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    if ([...range.getClientRects()].some(under))
      covered = node.textContent.trim().slice(-40);
  }
  const text = slide.innerText;
  return {
    fit: fit, prose: prose === Infinity ? null : prose, proseText: proseText,
    figure: figure === Infinity ? null : figure, wide: wide, wideAt: wideAt,
    covered: covered,
    words: (text.match(/[^\\s\\d\\W][\\w'’.-]*|\\d[\\w.,]*/g) || []).length,
    heading: (slide.querySelector('h1, h2, h3') || {innerText: ''}).innerText
      .replace(/\\s+/g, ' '),
  };
}"""


def worst(rows: list[dict], key: str, reverse: bool = False, count: int = 8):
    """Return the `count` worst measured slides by `key` (None: not measured)."""
    measured = [r for r in rows if r[key] is not None]
    return sorted(measured, key=lambda r: r[key], reverse=reverse)[:count]


def table(rows: list[dict]) -> str:
    """Return the measurements as tab-separated text, one slide a line."""
    keys = ["deck", "slide", "fit", "words", "prose", "figure", "wide", "heading"]
    lines = ["\t".join(keys)]
    for r in rows:
        lines.append("\t".join(_cell(r[k]) for k in keys))
    return "\n".join(lines) + "\n"


def _cell(value) -> str:
    if value is None:
        return "-"
    return f"{value:.2f}" if isinstance(value, float) else str(value)


def summary(rows: list[dict]) -> list[str]:
    """Return lines naming the worst slides of every deck by each measure."""
    if not rows:
        return []

    def name(r):
        return f"{r['deck']} {r['slide']} ({r['heading'][:30]})"

    lines = [f"slides measured: {len(rows)} (1280 x 720 reference, px of the slide)"]
    for title, key, reverse, fmt in [
        ("smallest fit (zoom to fit the slide)", "fit", False, "{:.2f}"),
        ("most words on screen (players included)", "words", True, "{:d}"),
        ("smallest prose text, px", "prose", False, "{:.1f}"),
        ("smallest figure text, px", "figure", False, "{:.1f}"),
        ("widest overflow beyond the slide, px", "wide", True, "{:.0f}"),
    ]:
        picked = worst(rows, key, reverse, 5)
        lines.append(
            f"  {title}: "
            + "; ".join(f"{fmt.format(r[key])} {name(r)}" for r in picked)
        )
    # The projection targets (fit >= 0.9, prose >= 20 px, figure text >= 14 px,
    # nothing wider than the slide): test_slides.py asserts them per deck.
    below = [f"{name(r)}: {', '.join(p)}" for r in rows if (p := legibility(r))]
    lines.append(f"  below the projection targets: {len(below)} of {len(rows)}")
    lines += [f"    {line}" for line in below]
    return lines


def legibility(row) -> list[str]:
    """Return what makes a measured slide hard to read when projected."""
    found = []
    if row["fit"] < 0.9:
        found.append(f"shrunk to {row['fit']:.2f}")
    if row["prose"] is not None and row["prose"] < 20:
        found.append(f"prose {row['prose']:.1f} px ({row['proseText']!r})")
    if row["figure"] is not None and row["figure"] < 14:
        found.append(f"figure text {row['figure']:.1f} px")
    if row["wide"] > 1:
        found.append(f"{row['wide']:.0f} px wider than the slide ({row['wideAt']})")
    if row["covered"]:
        found.append(f"text under the navigation arrows ({row['covered']!r})")
    return found


def wait_for(page, condition: str, arg=None, timeout: float = 10.0, what: str = ""):
    """Wait for a condition in the page, failing with `what` on a timeout."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(condition, arg=arg, timeout=timeout * 1000, polling=100)
    except PlaywrightTimeout:
        pytest.fail(f"timed out: {what or condition}")


_WORDS = re.compile(r"[^\W\d_][\w'’.-]*|\d[\w.,]*")


def words(text: str) -> int:
    return len(_WORDS.findall(text))
