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

import json
import time
import urllib.request

import nbformat

from . import a11y
from .harness import NOTEBOOKS, ROOT, fresh_sessions, open_and_run_all
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

_PICTURES_NAMED_JS = """() => {
  const imgs = [...document.querySelectorAll('.jupyter-widgets img')];
  return imgs.length > 0 && imgs.every(
    i => i.complete && i.naturalWidth > 0 && i.getAttribute('title'));
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
        page.wait_for_function(_PICTURES_NAMED_JS, timeout=60_000)
        names = page.evaluate(_NAMES_JS)
        assert names, "no demo picture"
        for name in names:  # the picture's name ends with its sentence
            assert name["title"].endswith(name["sentence"]), name
            assert len(name["title"]) > len("Demo picture"), name

        found = a11y.run(page, ["body"])
        assert a11y.report(f"voila {voila_app.notebook.stem}", found) == []
        # The app's template puts the notebook in a <main> landmark.
        assert page.locator("main").count() == 1
        assert [v for v in found if v["id"] == "region"] == [], "outside landmarks"

        tab_through_every_control(page)
        keyboard_moves_the_first_demo(page)
        enter_presses_run(page)
        page.screenshot(path=shots / "a11y-voila-keyboard.png", full_page=True)
        assert errors(page, "body") == []
    finally:
        page.close()


def tab_through_every_control(page) -> None:
    """Tab from the top of the page reaches every slider and every button."""
    handles = page.locator(".widget-slider .noUi-handle").count()
    buttons = page.locator(".jupyter-widgets button").count()
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    kinds = []
    for _ in range(4 * (handles + buttons) + 10):
        page.keyboard.press("Tab")
        focused = page.evaluate(_FOCUSED_JS)
        if focused is not None:
            kinds.append(focused["kind"])
    assert kinds.count("slider") >= handles, kinds
    assert kinds.count("button") >= buttons, kinds


def keyboard_moves_the_first_demo(page) -> None:
    """Arrow keys move the slider; the picture and its name follow."""
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    box = page.locator(".widget-vbox:has(img)").first
    before = box.locator("img").first.get_attribute("src")
    title = box.locator("img").first.get_attribute("title")
    value = _tab_to(page, "slider")["value"]
    for key in ("ArrowRight", "ArrowRight", "ArrowLeft"):
        page.keyboard.press(key)
        time.sleep(0.1)
    assert page.evaluate(_FOCUSED_JS)["value"] != value, "the slider did not move"
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


def enter_presses_run(page) -> None:
    """Enter on a Run button (a demo too slow to follow a slider) draws."""
    runs = page.locator(".widget-vbox:has(img):has(button)")
    if not runs.count():
        return
    demo = runs.first
    before = demo.locator("img").first.get_attribute("src")
    demo.locator(".noUi-handle").first.focus()
    page.keyboard.press("ArrowRight")
    _tab_to(page, "button")
    page.keyboard.press("Enter")
    assert settle(demo, before) != before, "Enter on Run drew nothing"


def _tab_to(page, kind: str, limit: int = 40) -> dict:
    """Press Tab until an element of `kind` has the focus; return it."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(_FOCUSED_JS)
        if focused is not None and focused["kind"] == kind:
            return focused
    raise AssertionError(f"Tab never reached a {kind}")


# A notebook with one of each control: a slider demo, a menu with a Run
# button, a predict-first question and an exercise check.
CONTROLS = [
    "from tutorial import checks, plotting, predict, widgets\n"
    "from tutorial import s00_start_here as s00",
    "s00.slider_demo()",
    "fig, (ax,) = plotting.new_figure(4, 2.5)\n"
    "(line,) = ax.plot([0, 1], [0, 0], color=plotting.BLUE)\n"
    "def draw(slope):\n"
    "    line.set_ydata([0, slope])\n"
    "    return f'A line of slope {slope}.'\n"
    "menu = widgets.choice('slope', {'flat': 0, 'steep': 2})\n"
    "widgets.Demo(fig, {'slope': menu}, draw, manual=True, alt='A line.')",
    "predict.Prediction(options={'up': 'No: it falls.', 'down': 'Yes.'},\n"
    "                   answer='down', explanation='Downhill.', prompt='Which way?')",
    "checks.ex00_lowest_loss(0.0)",
]
THEMES = "lab/api/settings/@jupyterlab/apputils-extension:themes"

_FEEDBACK_JS = """() => [...document.querySelectorAll('.jp-OutputArea-output')]
  .filter(o => /Not yet|Not quite|Yes\\.|A line of slope|w = /.test(o.innerText))
  .flatMap(o => [...o.querySelectorAll('b, .widget-html-content, pre')])
  .filter(e => e.innerText.trim())"""


def set_theme(lab, theme: str) -> None:
    body = json.dumps({"raw": json.dumps({"theme": theme})}).encode()
    request = urllib.request.Request(lab.url(THEMES), data=body, method="PUT")
    request.add_header("Content-Type", "application/json")
    urllib.request.urlopen(request, timeout=10).close()


def test_every_control_by_keyboard_in_jupyterlabs_dark_theme(lab, browser, shots):
    folder = ROOT / "test-artifacts" / "a11y"
    folder.mkdir(parents=True, exist_ok=True)
    notebook = folder / "controls.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in CONTROLS]
    # The notebooks' own kernel, or JupyterLab would ask which one to start.
    nb.metadata = nbformat.read(NOTEBOOKS[0], as_version=4).metadata
    nbformat.write(nb, notebook)
    fresh_sessions(lab)
    set_theme(lab, "JupyterLab Dark")
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        open_and_run_all(page, lab, notebook)
        page.wait_for_function(_PICTURES_NAMED_JS, timeout=60_000)
        assert page.evaluate("() => document.body.dataset.jpThemeLight") == "false", (
            "not the dark theme"
        )

        # The menu. JupyterLab's command mode takes a focused menu's plain
        # arrow keys (they move to the next cell); Alt+ArrowDown opens its list,
        # where they choose. Then Tab to Run, and Enter.
        box = page.locator(".widget-vbox:has(select)").first
        before = box.locator("img").first.get_attribute("src")
        box.locator("select").focus()
        for key in ("Alt+ArrowDown", "ArrowDown", "Enter"):
            page.keyboard.press(key)
        assert box.locator("select").input_value() == "steep"
        _tab_to(page, "button")
        page.keyboard.press("Enter")
        assert settle(box, before) != before, "menu and Run by keyboard drew nothing"
        assert "slope 2" in box.locator(".widget-html").last.inner_text()

        # The question: every option is a button one Tab from the last (a
        # radio group's arrow keys would be the notebook's), Enter commits.
        assert _tab_to(page, "button")["text"] == "up"  # onwards from Run
        page.keyboard.press("Enter")
        page.wait_for_selector("text=Not quite", timeout=20_000)
        assert _tab_to(page, "button")["text"] == "down"
        page.keyboard.press("Enter")
        page.wait_for_selector("text=✔ Yes.", timeout=20_000)

        readable = [a11y.contrast(e) for e in page.evaluate_handle(_FEEDBACK_JS)
                    .get_properties().values()]  # fmt: skip
        print("dark theme contrast:", [round(r["ratio"], 1) for r in readable])
        page.screenshot(path=shots / "a11y-lab-dark.png", full_page=True)
        low = [r for r in readable if r["ratio"] < 4.5]
        assert len(readable) >= 4 and low == [], low
        assert a11y.audit(page, a11y.LAB_SCOPE, "lab dark theme, controls") == []
    finally:
        page.close()
        set_theme(lab, "JupyterLab Light")
        fresh_sessions(lab)
        notebook.unlink()
