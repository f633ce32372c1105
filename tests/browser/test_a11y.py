"""Accessibility in a real browser: names, the keyboard, axe-core, contrast.

The Voilà app (the first notebook with demos) is worked with the keyboard
alone: Tab reaches every slider and Run button, arrow keys move a slider,
Enter presses Run, and each picture's accessible name (its title, written from
the demo's text alternative) follows its sentence. axe-core audits the app;
the notebooks in JupyterLab, the site's pages and the slides are audited
where their own tests already have them open (test_lab, test_site,
test_slides), so no notebook is run twice for it.
"""

from __future__ import annotations

import time

from . import a11y
from .pages import errors, settle

# What has the keyboard focus: a slider handle, a button, or something else.
_FOCUSED_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const box = el.closest('.widget-vbox');
  const boxes = [...document.querySelectorAll('.widget-vbox')]
    .filter(b => b.querySelector(':scope > img, :scope > .widget-image'));
  return {
    kind: el.classList.contains('noUi-handle') ? 'slider'
          : el.tagName === 'BUTTON' ? 'button' : el.tagName.toLowerCase(),
    text: el.innerText || el.getAttribute('aria-valuenow') || '',
    value: el.getAttribute('aria-valuenow'),
    demo: box ? boxes.indexOf(box.closest('.widget-vbox:has(img)') || box) : -1,
  };
}"""

_NAMES_JS = """() => [...document.querySelectorAll('.jupyter-widgets img')].map(img => {
  const box = img.closest('.widget-vbox');
  const html = box ? [...box.querySelectorAll('.widget-html')].pop() : null;
  return {title: img.getAttribute('title') || '', alt: img.getAttribute('alt'),
          sentence: html ? html.innerText.trim() : ''};
})"""


def test_voila_app_works_by_keyboard_and_names_its_pictures(voila_app, browser, shots):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.goto(voila_app.url("/"), timeout=120_000)
        page.wait_for_selector(".widget-slider .noUi-handle", timeout=120_000)
        page.wait_for_function(
            "() => { const imgs = [...document.querySelectorAll('.jupyter-widgets img')];"
            " return imgs.length && imgs.every(i => i.complete && i.naturalWidth > 0"
            " && i.getAttribute('title')); }",
            timeout=60_000,
        )
        names = page.evaluate(_NAMES_JS)
        assert names, "no demo picture"
        for name in names:  # the picture's name ends with its sentence
            assert name["title"].endswith(name["sentence"]), name
            assert len(name["title"]) > len("Demo picture"), name

        failing = a11y.audit(page, ["body"], f"voila {voila_app.notebook.stem}")
        assert failing == []

        # Tab from the top of the page through every control.
        handles = page.locator(".widget-slider .noUi-handle").count()
        buttons = page.locator(".jupyter-widgets button").count()
        page.evaluate("() => document.activeElement && document.activeElement.blur()")
        stops = []
        for _ in range(4 * (handles + buttons) + 10):
            page.keyboard.press("Tab")
            focused = page.evaluate(_FOCUSED_JS)
            if focused is not None:
                stops.append(focused)
        kinds = [s["kind"] for s in stops]
        assert kinds.count("slider") >= handles, kinds
        assert kinds.count("button") >= buttons, kinds

        # Arrow keys move the focused slider; the picture and its name follow.
        page.evaluate("() => document.activeElement && document.activeElement.blur()")
        box = page.locator(".widget-vbox:has(img)").first
        before = box.locator("img").first.get_attribute("src")
        title = box.locator("img").first.get_attribute("title")
        _tab_to(page, "slider")
        value = page.evaluate(_FOCUSED_JS)["value"]
        for key in ("ArrowRight", "ArrowRight", "ArrowLeft"):
            page.keyboard.press(key)
            time.sleep(0.1)
        moved = page.evaluate(_FOCUSED_JS)["value"]
        assert moved != value, "arrow keys did not move the slider"
        after = settle(box, before)
        run = box.locator("button", has_text="Run")
        if after == before and run.count():
            _tab_to(page, "button")
            page.keyboard.press("Enter")
            after = settle(box, before)
        assert after != before, "the keyboard did not change the picture"
        page.wait_for_function(
            "([img, old]) => img.getAttribute('title') !== old",
            arg=[box.locator("img").first.element_handle(), title],
            timeout=10_000,
        )
        # Enter on a Run button (a demo too slow to follow a slider).
        runs = page.locator(".widget-vbox:has(img):has(button)")
        if runs.count():
            demo = runs.first
            before = demo.locator("img").first.get_attribute("src")
            demo.locator(".noUi-handle").first.focus()
            page.keyboard.press("ArrowRight")
            _tab_to(page, "button")
            page.keyboard.press("Enter")
            assert settle(demo, before) != before, "Enter on Run drew nothing"
        page.screenshot(path=shots / "a11y-voila-keyboard.png", full_page=True)
        assert errors(page, "body") == []
    finally:
        page.close()


def _tab_to(page, kind: str, limit: int = 40) -> dict:
    """Press Tab until an element of `kind` has the focus; return it."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(_FOCUSED_JS)
        if focused is not None and focused["kind"] == kind:
            return focused
    raise AssertionError(f"Tab never reached a {kind}")
