"""The lecture slides, offline: built by the command line, opened from file://.

Every request a page makes is recorded: nothing may leave ``file://`` (or
127.0.0.1); ``data:`` and ``blob:`` URLs are the page's own memory. Each deck
is stepped through with the arrow keys and every slide is checked.
"""

from __future__ import annotations

import re
import shutil

import nbformat
import pytest

from tutorial import sections, web_assets

from .conftest import NOTEBOOKS, unavailable

LOCAL = ("file://", "data:", "blob:", "http://127.0.0.1", "about:")
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
  window.fitSlide(slide);  // as the deck does once maths and pictures settle
  const indices = Reveal.getIndices();
  const images = [...slide.querySelectorAll('img')].map(img => ({
    loaded: img.complete && img.naturalWidth > 0,
    width: img.getBoundingClientRect().width,
    widget: !!img.closest('.jupyter-widgets'),
  }));
  return {
    h: indices.h, v: indices.v || 0, f: indices.f === undefined ? -1 : indices.f,
    text: slide.innerText,
    images: images,
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


@pytest.fixture(scope="session")
def decks(browser, slides_build):
    """Every notebook's deck, built by `python -m tutorial slides OUTDIR`."""
    if web_assets.missing() and shutil.which("npm") is None:
        unavailable("no npm to fetch reveal.js, MathJax and the widget renderer")
    outdir, process, log = slides_build
    returncode = process.wait(timeout=900)
    output = log.read_text()
    assert returncode == 0, output
    progress = re.findall(r"^\[\d+/\d+\] .*", output, flags=re.M)
    assert len(progress) == len(NOTEBOOKS), output
    return outdir


def math_shown(page, timeout: float = 15.0) -> None:
    """Wait until every formula on the current slide is typeset and visible.

    Changing slides makes MathJax lay the slide's formulas out again; for a
    moment they are gone. Math that never comes back fails the test.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(MATH_SHOWN, timeout=timeout * 1000, polling=100)
    except PlaywrightTimeout:
        pytest.fail(f"formulas on slide {page.evaluate(INDICES)} not shown")


def recorded(page) -> tuple[list[str], list[str]]:
    """Record every request and every failed request of a page."""
    requests, failed = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("requestfailed", lambda r: failed.append(f"{r.url}: {r.failure}"))
    return requests, failed


def outside(requests) -> list[str]:
    return [url for url in requests if not url.startswith(LOCAL)]


def test_index_links_every_deck_and_stays_offline(decks, browser, shots):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    requests, failed = recorded(page)
    page.goto((decks / "index.html").as_uri())
    links = page.eval_on_selector_all("a", "els => els.map(a => a.href)")
    page.screenshot(path=shots / "slides-index.png")
    page.close()
    assert sorted(links) == sorted(
        (decks / f"{p.stem}.slides.html").as_uri() for p in NOTEBOOKS
    )
    assert all((decks / f"{p.stem}.slides.html").is_file() for p in NOTEBOOKS)
    assert outside(requests) == [] and failed == []


def test_decks_load_nothing_from_a_cdn(decks):
    for deck in decks.glob("*.slides.html"):
        html = deck.read_text()
        # Links may point anywhere; what a page loads must be local.
        remote = re.findall(r'\bsrc="((?:https?:)?//[^"]*)"', html)
        remote += re.findall(r'<link\b[^>]*href="((?:https?:)?//[^"]*)"', html)
        remote += re.findall(r"import [^;]* from '(https?://[^']*)'", html)
        assert remote == [], f"{deck.name} loads {remote}"
        assert "mermaid" not in html


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_slide_renders_offline(decks, browser, shots, path):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    requests, failed = recorded(page)
    messages = []
    page.on("console", lambda m: messages.append(m.text) if m.type == "error" else 0)
    page.on("pageerror", lambda e: messages.append(str(e)))
    folder = shots / f"slides-{path.stem}"
    folder.mkdir(exist_ok=True)
    try:
        page.goto((decks / f"{path.stem}.slides.html").as_uri())
        page.wait_for_function(
            "() => window.Reveal && Reveal.isReady()", timeout=60_000
        )
        # Wait for MathJax's first pass over the whole deck.
        page.wait_for_function(MATHJAX_IDLE, timeout=60_000, polling=200)
        # The widget manager renders saved state after the page has loaded.
        widget_views = page.locator(
            'script[type="application/vnd.jupyter.widget-view+json"]'
        ).count()
        if widget_views:
            page.wait_for_function(
                "() => document.querySelectorAll('.jupyter-widgets img').length > 0",
                timeout=60_000,
            )
        page.evaluate("() => Reveal.configure({transition: 'none'})")
        total = page.evaluate("() => Reveal.getTotalSlides()")

        math_shown(page)
        seen, tall = {}, []
        for _ in range(1000):
            state = page.evaluate(_SLIDE_JS)
            where = f"slide {state['h']}.{state['v']}"
            assert not RAW_TEX.search(state["text"]), f"{where}: raw TeX"
            # Every formula is typeset and takes up room on the slide.
            assert len(state["math"]) >= state["tex"], f"{where}: untypeset TeX"
            assert all(w > 0 for w in state["math"]), f"{where}: invisible math"
            assert state["text"].strip() or state["images"], f"{where}: empty"
            for image in state["images"]:
                assert image["loaded"] and image["width"] > 100, f"{where}: {image}"
            seen[(state["h"], state["v"])] = state
            if not state["more"]:  # all fragments shown: the slide is complete
                page.screenshot(path=folder / f"{len(seen):02d}.png")
                if state["tall"]:  # not an error (it scrolls), but worth a look
                    tall.append(f"{len(seen):02d}.png")
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
        widget_images = sum(
            sum(i["widget"] for i in s["images"]) for s in seen.values()
        )
    finally:
        page.close()

    assert len(seen) == total, f"arrows visited {len(seen)} of {total} slides"
    assert outside(requests) == [], "requests left the machine"
    assert failed == [], "missing local files"
    assert messages == [], "errors in the browser console"
    if uses_demos(path):
        assert widget_images >= 1, "no demo picture (saved Image state) on any slide"


def uses_demos(path) -> bool:
    """Return True if the notebook shows a demo of its section module."""
    modules = [m for m in sections.MODULES if m[1:3] == path.name[:2]]
    source = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells)
    builders = [
        make.__name__ for m in modules for make in sections.load(m).DEMOS.values()
    ]
    return any(f"{name}(" in source for name in builders)


def test_speaker_view_opens_offline(decks, browser, shots):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    requests = []
    context.on("request", lambda r: requests.append(r.url))
    try:
        page = context.new_page()
        page.goto((decks / f"{NOTEBOOKS[0].stem}.slides.html").as_uri())
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
    assert outside(requests) == []
