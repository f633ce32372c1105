"""The lecture slides, offline: built by the command line, opened from file://.

One build (`python -m tutorial site OUTDIR --pdf`, see `export_build`) makes
the decks, the site and the PDF handouts. Every request a page makes is
recorded: nothing may leave ``file://``; ``data:`` and ``blob:`` URLs are the
page's own memory. Each deck is stepped through with the arrow keys; every
slide is checked and measured, and every demo player on it is moved with the
keyboard: its picture and sentence must be the Demo's own for the new values,
and once the control lets go of the keyboard the arrows step slides again.
"""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser

import pytest

from tutorial import sections

from . import a11y, exported
from .conftest import NOTEBOOKS

# Raw TeX left on a slide: MathJax did not run, or failed on it.
RAW_TEX = re.compile(r"\$[^$\n]*\\[A-Za-z]+|\\\(|\\\[|\$\$|Math Processing Error")

# MathJax has started, typeset the page and has nothing left in its queue.
# (Polled: a promise awaited inside the page held MathJax's queue up here.)
MATHJAX_IDLE = """() => window.MathJax && MathJax.Hub
  && MathJax.Hub.Startup.signal.posted.some(m => String(m) === "End")
  && MathJax.Hub.queue.pending === 0 && !MathJax.Hub.queue.running
  && MathJax.Hub.queue.queue.length === 0"""

MATH_SHOWN = """() => {
  const slide = Reveal.getCurrentSlide();
  const tex = slide.querySelectorAll('script[type^="math/tex"]').length;
  const math = [...slide.querySelectorAll('.MathJax_CHTML')];
  return math.length >= tex && math.every(m => m.getBoundingClientRect().width > 0);
}"""
INDICES = "() => { const i = Reveal.getIndices(); return [i.h, i.v || 0]; }"

_SLIDE_JS = """() => {
  const slide = Reveal.getCurrentSlide();
  const indices = Reveal.getIndices();
  const images = [...slide.querySelectorAll('img')].map(img => ({
    loaded: img.complete && img.naturalWidth > 0,
    width: img.getBoundingClientRect().width,
    player: !!img.closest('.tp-player'),
  }));
  return {
    h: indices.h, v: indices.v || 0, f: indices.f === undefined ? -1 : indices.f,
    text: slide.innerText,
    images: images,
    players: slide.querySelectorAll('.tp-player').length,
    tex: slide.querySelectorAll('script[type^="math/tex"]').length,
    math: [...slide.querySelectorAll('.MathJax_CHTML')].map(
        m => m.getBoundingClientRect().width),
    more: Reveal.availableFragments().next,
    // Still too tall after being shrunk to fit (the deck stops at 60 %).
    tall: slide.scrollHeight * (parseFloat(slide.style.zoom) || 1)
          > Reveal.getConfig().height + 2,
    last: Reveal.isLastSlide() && !Reveal.availableFragments().next,
  };
}"""
# The slide's pictures are in (players fetch theirs when the slide is shown).
PICTURES_IN = """() => [...Reveal.getCurrentSlide().querySelectorAll('img')]
  .every(img => !img.getAttribute('src') || (img.complete && img.naturalWidth > 0))"""


def math_shown(page, timeout: float = 15.0) -> None:
    """Wait until every formula on the current slide is typeset and visible.

    Changing slides makes MathJax lay the slide's formulas out again; for a
    moment they are gone. Math that never comes back fails the test.
    """
    exported.wait_for(
        page, MATH_SHOWN, timeout=timeout,
        what=f"formulas on slide {page.evaluate(INDICES)} not shown",
    )  # fmt: skip


def recorded(page) -> tuple[list[str], list[str]]:
    """Record every request and every failed request of a page."""
    requests, failed = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("requestfailed", lambda r: failed.append(f"{r.url}: {r.failure}"))
    return requests, failed


class _Sections(HTMLParser):
    """Count a deck's slides: <section> elements with no <section> inside."""

    def __init__(self):
        super().__init__()
        self.stack: list[bool] = []  # per open section: has a child section
        self.leaves = 0

    def handle_starttag(self, tag, attrs):
        if tag == "section":
            if self.stack:
                self.stack[-1] = True
            self.stack.append(False)

    def handle_endtag(self, tag):
        if tag == "section" and self.stack:
            self.leaves += not self.stack.pop()


def slide_count(deck) -> int:
    parser = _Sections()
    parser.feed(deck.read_text())
    return parser.leaves


def test_index_links_every_page_deck_and_handout_and_stays_offline(
    published, browser, shots
):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    requests, failed = recorded(page)
    page.goto((published / "index.html").as_uri())
    page.wait_for_function(MATHJAX_IDLE, timeout=60_000, polling=200)
    links = page.eval_on_selector_all("a", "els => els.map(a => a.href)")
    text = page.inner_text("body")
    page.screenshot(path=shots / "site-index.png", full_page=True)
    page.close()
    for path in NOTEBOOKS:
        for suffix in (".html", ".slides.html", ".pdf"):
            target = published / f"{path.stem}{suffix}"
            assert target.is_file() and target.as_uri() in links, target
    assert len(links) == 3 * len(NOTEBOOKS)
    assert not RAW_TEX.search(text)
    assert exported.outside(requests) == [] and failed == []


def test_pages_load_nothing_from_a_cdn(published):
    pages = set(published.glob("[0-9][0-9]_*.html"))  # pages and decks
    assert len(pages) == 2 * len(NOTEBOOKS)
    for page in pages:
        html = page.read_text()
        # Links may point anywhere; what a page loads must be local.
        remote = re.findall(r'\bsrc="((?:https?:)?//[^"]*)"', html)
        remote += re.findall(r'<link\b[^>]*href="((?:https?:)?//[^"]*)"', html)
        remote += re.findall(r"import [^;]* from '(https?://[^']*)'", html)
        assert remote == [], f"{page.name} loads {remote}"
        assert "import mermaid" not in html
        # Pictures are files, fetched when shown, not part of the page.
        assert 'data-tp-src="data:' not in html and '"data:image/png' not in html


def test_no_code_and_no_verdict_on_any_slide(published):
    for deck in published.glob("*.slides.html"):
        html = deck.read_text()
        assert 'class="jp-CodeMirrorEditor' not in html, f"{deck.name} shows code"
        for verdict in ("✘ Not yet", "✔ Correct", "Checks need Python"):
            assert verdict not in html, f"{deck.name} shows a check: {verdict}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_slide_renders_offline_and_every_player_answers_the_keyboard(
    published, browser, shots, expected, measured, path
):
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    requests, failed = recorded(page)
    messages = []
    page.on("console", lambda m: messages.append(m.text) if m.type == "error" else 0)
    page.on("pageerror", lambda e: messages.append(str(e)))
    folder = shots / f"slides-{path.stem}"
    folder.mkdir(exist_ok=True)
    try:
        page.goto((published / f"{path.stem}.slides.html").as_uri())
        page.wait_for_function(
            "() => window.Reveal && Reveal.isReady()", timeout=60_000
        )
        # Wait for MathJax's first pass over the whole deck.
        page.wait_for_function(MATHJAX_IDLE, timeout=60_000, polling=200)
        page.evaluate("() => Reveal.configure({transition: 'none'})")
        total = page.evaluate("() => Reveal.getTotalSlides()")
        first_players = page.evaluate(
            "() => Reveal.getCurrentSlide().querySelectorAll('.tp-player').length"
        )
        if not first_players:  # pictures wait for their slide
            assert exported.frame_requests(requests) == []

        math_shown(page)
        seen, tall, moved = {}, [], 0
        for _ in range(1000):
            state = page.evaluate(_SLIDE_JS)
            where = f"{path.stem} slide {state['h']}.{state['v']}"
            assert_slide_shown(page, state, where)
            seen[(state["h"], state["v"])] = state
            if not state["more"]:  # all fragments shown: the slide is complete
                measured.append({
                    **page.evaluate(exported.MEASURE_JS),
                    "deck": path.stem, "slide": len(seen),
                    "axe": a11y.run(page, a11y.CURRENT_SLIDE),  # the slide shown
                })  # fmt: skip
                page.screenshot(path=folder / f"{len(seen):02d}.png")
                if state["tall"]:  # not an error (it scrolls), but worth a look
                    tall.append(f"{len(seen):02d}.png")
                name = f"{len(seen):02d}"
                moved += move_players(
                    page, state, expected, path.stem, where, folder, name
                )
            if state["last"]:
                break
            page.keyboard.press("ArrowRight")
            page.wait_for_function(
                "([h, v, f]) => { const i = Reveal.getIndices();"
                " return i.h !== h || (i.v || 0) !== v"
                " || (i.f === undefined ? -1 : i.f) !== f; }",
                arg=[state["h"], state["v"], state["f"]],
                timeout=5_000,
            )
            math_shown(page)
        else:
            pytest.fail("arrow keys never reached the last slide")
        (folder / "taller-than-the-screen.txt").write_text("\n".join(tall) + "\n")
        players = page.locator(".tp-player").count()
    finally:
        page.close()

    assert len(seen) == total, f"arrows visited {len(seen)} of {total} slides"
    assert exported.outside(requests) == [], "requests left the machine"
    assert failed == [], "missing local files"
    assert messages == [], "errors in the browser console"
    assert a11y.deck(measured, path.stem) == [], "accessibility violations"
    assert moved == players, f"moved {moved} of {players} players"
    if uses_demos(path):
        assert players >= 1, "no demo player on any slide"
    assert_legible(measured, path.stem)


def assert_legible(measured, deck: str) -> None:
    """Legible from the back of a hall: every slide fits without shrinking
    below 0.9, prose is at least 20 px and figure text at least 14 px tall on
    the 1280 x 720 slide, nothing is wider than the slide, and no text is
    under reveal.js's navigation arrows (bottom right)."""
    small = [
        f"slide {r['slide']} ({r['heading'][:30]}): " + ", ".join(problems)
        for r in measured
        if r["deck"] == deck and (problems := exported.legibility(r))
    ]
    assert small == [], "below the projection targets:\n" + "\n".join(small)


def assert_slide_shown(page, state, where: str) -> None:
    """Fail unless the slide's maths is typeset and its pictures are loaded."""
    assert not RAW_TEX.search(state["text"]), f"{where}: raw TeX"
    # Every formula is typeset and takes up room on the slide (waited for:
    # MathJax may be laying the slide out again just now).
    math_shown(page)
    assert state["text"].strip() or state["images"], f"{where}: empty"
    exported.wait_for(page, PICTURES_IN, what=f"{where}: pictures")
    for image in page.evaluate(_SLIDE_JS)["images"]:
        assert image["loaded"] and image["width"] > 100, f"{where}: {image}"


def move_players(page, state, expected, stem, where, folder, name) -> int:
    """Move every player on the slide with the keyboard; return how many."""
    for k in range(state["players"]):
        player = page.evaluate_handle(
            "(k) => Reveal.getCurrentSlide().querySelectorAll('.tp-player')[k]", k
        )
        exported.move_player(page, player, expected, stem, f"{where} player {k + 1}")
        before = page.evaluate(INDICES)
        page.keyboard.press("ArrowRight")  # the control has the keys
        assert page.evaluate(INDICES) == before, f"{where}: slide moved"
        page.screenshot(path=folder / f"{name}-moved-{k}.png")
        page.keyboard.press("Escape")  # ... until Escape
        focused = page.evaluate("() => document.activeElement.tagName")
        assert focused in ("BODY", "HTML"), f"{where}: focus stayed on {focused}"
    return state["players"]


def uses_demos(path) -> bool:
    """Return True if the notebook shows a demo of its section module."""
    import nbformat

    modules = [m for m in sections.MODULES if m[1:3] == path.name[:2]]
    source = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells)
    builders = [
        make.__name__ for m in modules for make in sections.load(m).DEMOS.values()
    ]
    return any(f"{name}(" in source for name in builders)


def test_speaker_view_opens_offline(published, browser, shots):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    requests = []
    context.on("request", lambda r: requests.append(r.url))
    try:
        page = context.new_page()
        page.goto((published / f"{NOTEBOOKS[0].stem}.slides.html").as_uri())
        page.wait_for_function("() => window.Reveal && Reveal.isReady()")
        with context.expect_page() as popup:
            page.keyboard.press("s")
        speaker = popup.value
        speaker.wait_for_function(
            "() => document.querySelectorAll('iframe').length >= 2", timeout=30_000
        )
        speaker.wait_for_timeout(2_000)  # let the two previews draw
        speaker.screenshot(path=shots / "slides-speaker-view.png")
        assert "Speaker View" in speaker.title()
    finally:
        context.close()
    assert exported.outside(requests) == []


def test_each_handout_has_one_page_per_slide_with_text(published):
    from pypdf import PdfReader

    for path in NOTEBOOKS:
        pdf = PdfReader(published / f"{path.stem}.pdf")
        slides = slide_count(published / f"{path.stem}.slides.html")
        assert len(pdf.pages) == slides, f"{path.stem}: {len(pdf.pages)} pages"
        for number, page in enumerate(pdf.pages, 1):
            text = page.extract_text()
            assert exported.words(text) >= 1, f"{path.stem} page {number}: no text"
        first = pdf.pages[0].extract_text()
        assert first.split("\n")[0].strip(), "the title page has no title"


def test_notes_go_after_their_slide_and_checks_stay_off_the_slides(
    published, browser, tmp_path
):
    """`slides --pdf --notes` on a small notebook: notes pages, no verdict."""
    import nbformat
    from pypdf import PdfReader

    def cell(make, source, kind):
        return make(source, metadata={"slideshow": {"slide_type": kind}})

    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        cell(md, "# 07 · A small deck\n\nWith a table and an exercise.", "slide"),
        cell(md, "Say this aloud: the opening note, $\\eta = 0.1$.", "notes"),
        cell(code, "from tutorial import checks", "skip"),
        cell(md, "## A table\n\n| a | b |\n|---|---|\n| 1 | 2 |", "slide"),
        cell(md, "## An exercise\n\nWhat is the lowest loss?", "slide"),
        cell(code, "checks.ex00_lowest_loss(0.0)", "-"),  # on the slide by mistake
        cell(md, "Say this aloud: the second note.", "notes"),
    ]
    path = tmp_path / "07_small.ipynb"
    nbformat.write(nb, path)
    outdir = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "tutorial", "slides", str(outdir), str(path),
         "--pdf", "--notes"],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    deck = (outdir / "07_small.slides.html").read_text()
    for verdict in ("✘ Not yet", "✔ Correct", "Checks need Python"):
        assert verdict not in deck
    pages = [p.extract_text() for p in PdfReader(outdir / "07_small.pdf").pages]
    assert len(pages) == 3 + 2  # three slides, two of them with notes
    # (headings are set in capitals by the theme)
    assert "the opening note" in pages[1] and "A SMALL DECK" in pages[0]
    assert "$" not in pages[1]  # the notes' maths typeset on paper
    assert "A TABLE" in pages[2] and "AN EXERCISE" in pages[3]
    assert "the second note" in pages[4]

    # The speaker's view shows the notes (their TeX as written: it has no
    # MathJax of its own), offline.
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    requests = []
    context.on("request", lambda r: requests.append(r.url))
    try:
        page = context.new_page()
        page.goto((outdir / "07_small.slides.html").as_uri())
        page.wait_for_function("() => window.Reveal && Reveal.isReady()")
        with context.expect_page() as popup:
            page.keyboard.press("s")
        speaker = popup.value
        speaker.wait_for_function(
            "() => (document.querySelector('.speaker-controls-notes') || {})"
            ".innerText.includes('the opening note')",
            timeout=30_000,
        )
        notes = speaker.inner_text(".speaker-controls-notes")
    finally:
        context.close()
    assert "the opening note, $\\eta = 0.1$." in notes
    assert exported.outside(requests) == []
