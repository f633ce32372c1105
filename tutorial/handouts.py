"""PDF handouts of the decks: one page per slide, printed by Chromium.

``python -m tutorial slides OUTDIR --pdf`` (see `tutorial.publish`) opens each
deck in headless Chromium in reveal.js's print mode (``?print-pdf``): one page
per slide at 1280 × 720 (plus reveal's margin), every fragment shown, each demo
at the picture the notebook opens with. With ``--notes`` each slide that has
speaker notes is followed by a page of them. Nothing is fetched from the
network: the decks and their assets are local files.

Chromium is Debian's ``/usr/bin/chromium`` (or ``$TUTORIAL_CHROMIUM``), driven
by Playwright (the ``pdf`` extra: ``pip install -e '.[pdf]'``); without it,
Playwright's own browser if one is installed.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["chromium", "check_available", "write"]

ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
    "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]  # fmt: skip

# Maths typeset and queue empty, every picture in, reveal's print layout done.
_READY = """() => window.pdfReady === true
  && window.MathJax && MathJax.Hub
  && MathJax.Hub.queue.pending === 0 && !MathJax.Hub.queue.running
  && [...document.images].every(img => !img.getAttribute('src') || img.complete)"""


def chromium() -> Path | None:
    """Return the Chromium to print with, or None for Playwright's own."""
    path = Path(os.environ.get("TUTORIAL_CHROMIUM", "/usr/bin/chromium"))
    return path if path.is_file() else None


def check_available() -> None:
    """Raise RuntimeError, saying what to install, if PDFs cannot be printed."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        raise RuntimeError(
            "PDF handouts need Playwright: pip install -e '.[pdf]' "
            "(./run test installs it too)"
        ) from None
    if chromium() is None and "TUTORIAL_CHROMIUM" in os.environ:
        raise RuntimeError(f"no Chromium at $TUTORIAL_CHROMIUM ({chromium()})")


def write(outdir: Path, names, notes: bool = False, timeout: float = 120):
    """Print ``outdir/<name>.slides.html`` to ``outdir/<name>.pdf`` for each name.

    Yields one progress line per PDF.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    outdir = Path(outdir)
    query = "?print-pdf" + ("&showNotes=separate-page" if notes else "")
    with sync_playwright() as pw:
        path = chromium()
        browser = pw.chromium.launch(
            executable_path=str(path) if path else None, args=ARGS, headless=True
        )
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            for name in names:
                deck = outdir / f"{name}.slides.html"
                page.goto(deck.as_uri() + query)
                try:
                    page.wait_for_function(_READY, timeout=timeout * 1000, polling=200)
                except PlaywrightTimeout:
                    raise RuntimeError(
                        f"{deck.name} was not ready to print after {timeout:.0f} s "
                        "(maths, pictures or reveal.js's print layout)"
                    ) from None
                page.evaluate("() => window.fitAll()")
                target = outdir / f"{name}.pdf"
                page.pdf(
                    path=str(target), prefer_css_page_size=True, print_background=True
                )
                yield f"PDF {target} ({target.stat().st_size / 1e6:.1f} MB)"
        finally:
            browser.close()
