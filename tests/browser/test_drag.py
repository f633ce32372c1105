"""Slider steps in JupyterLab: a fast drag ends on the picture of where the
handle stopped; a step after a pause is answered with a picture drawn ahead,
which the page shows even before the kernel hears of the step, and so is a
fast drag after a pause, step by step.

Ten arrow-key presses 40 ms apart send values faster than a frame can be
drawn and sent; whatever the demo skips on the way, its last picture must be
the one for the handle's final value (tutorial/widgets.py: no queue on a
drag). That picture is checked against the same value reached slowly.
"""

from __future__ import annotations

import time

import pytest

from tutorial.prefetch import AHEAD

from .conftest import NOTEBOOKS
from .harness import NOTEBOOK_SELECTOR, fresh_sessions, open_and_run_all
from .link import LinkProxy
from .pages import first_demo_slider, picture_digest, picture_url, settle

PRESSES, GAP_S = 10, 0.040


def press(page, handle, key: str, times: int = 1) -> None:
    handle.focus()
    for _ in range(times):
        start = time.monotonic()
        page.keyboard.press(key)
        time.sleep(max(0.0, GAP_S - (time.monotonic() - start)))


@pytest.fixture(scope="module")
def first_slider(lab, browser):
    """Notebook 00 in a fresh kernel after Run All, shared by this file's tests
    (one Run All instead of two), through a proxy with no delay that can hold
    the server's replies: yield (page, handle of its first demo's slider, the
    demo's box, the proxy)."""
    fresh_sessions(lab)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        with LinkProxy(lab.port, delay_ms=0, mbit=1000) as link:
            open_and_run_all(page, lab, NOTEBOOKS[0], base=link.base)
            handle, box = first_demo_slider(page, NOTEBOOK_SELECTOR)
            yield page, handle, box, link
    finally:
        page.close()
        fresh_sessions(lab)


def frames_answered(lab) -> int:
    """Return how many frames the kernels have shown (their frame log)."""
    return len(lab.frames_log.read_text().splitlines())


def await_kernel_answer(lab, answered: int, timeout: float = 10.0) -> None:
    """Wait until the kernel has shown a frame since `answered`, and a second
    more for the rest. The picture in the page need not change: equal bytes
    are no change to the picture's model there, so it is not loaded again."""
    deadline = time.monotonic() + timeout
    while frames_answered(lab) == answered:
        assert time.monotonic() < deadline, "no answer from the kernel"
        time.sleep(0.1)
    time.sleep(1.0)


def arrow_keys(handle) -> tuple[str, str]:
    """Return the arrow key with more of the slider ahead of it, and the other."""
    low, now, high = (
        float(handle.get_attribute(f"aria-value{k}")) for k in ("min", "now", "max")
    )
    if high - now < now - low:
        return "ArrowLeft", "ArrowRight"
    return "ArrowRight", "ArrowLeft"


def test_a_step_after_a_pause_is_answered_with_the_picture_drawn_ahead(
    lab, first_slider
):
    """tutorial/prefetch.py at work in a real kernel: the first step is drawn on
    arrival, its neighbours while the learner looks, and the next step in the
    same direction is one of them (the kernels' frame log says which)."""
    page, handle, box, _ = first_slider
    # Run All changed every demo's sentence; none was the learner's doing, so
    # nothing was read out (tutorial/static/page_pictures.js).
    assert page.locator(".tutorial-announcer").count() == 0
    key, _ = arrow_keys(handle)
    answers = []
    for _ in range(3):
        shown = picture_url(box)
        press(page, handle, key)
        settle(box, shown, quiet=1.0)  # the learner looks for a second
        *_, ahead = lab.frames_log.read_text().split("\n")[-2].split()
        answers.append(ahead)
    assert answers[0] == "0", "the first step cannot have been drawn ahead"
    assert answers[1:] == ["1", "1"], f"drawn ahead: {answers}"


def test_a_fast_drag_ends_on_the_picture_for_the_final_value(first_slider, shots):
    page, handle, box, _ = first_slider
    key, back = arrow_keys(handle)
    start, shown = picture_digest(box), picture_url(box)

    press(page, handle, key, PRESSES)
    settle(box, shown, quiet=1.5)
    final_value = handle.get_attribute("aria-valuenow")
    final = picture_digest(box)
    box.screenshot(path=shots / "lab-fast-drag-final.png")
    assert final != start, "the drag did not change the picture"

    # The same value again, one step away and back, each picture awaited.
    for step in (back, key):
        shown = picture_url(box)
        press(page, handle, step)
        settle(box, shown)
    assert handle.get_attribute("aria-valuenow") == final_value
    assert picture_digest(box) == final, (
        "after a fast drag the picture is not the one for the final value"
    )


def test_the_page_shows_a_picture_drawn_ahead_before_the_kernel_answers(
    lab, first_slider
):
    """tutorial/page_pictures.py: the neighbours drawn ahead are in the page
    too, so a step onto one is shown while nothing from the server can reach
    the page, and the kernel's own answer, once it does, is the same picture."""
    page, handle, box, link = first_slider
    key, _ = arrow_keys(handle)
    shown = picture_url(box)
    press(page, handle, key)
    settle(box, shown, quiet=1.5)  # the learner looks; the neighbours are drawn
    answered = frames_answered(lab)
    with link.holding_replies():
        shown = picture_url(box)
        press(page, handle, key)
        page.wait_for_function(
            "([img, src]) => img.getAttribute('src') !== src",
            arg=[box.locator("img").first.element_handle(), shown],
            timeout=5_000,
        )
        from_page = picture_digest(box)
        # The sentence under it changed with it, and a screen reader hears it.
        sentence = box.locator(".widget-html").last.inner_text().strip()
        page.wait_for_function(
            "s => document.querySelector('.tutorial-announcer')?.textContent === s",
            arg=sentence,
            timeout=5_000,
        )
    await_kernel_answer(lab, answered)
    assert picture_digest(box) == from_page
    assert box.locator(".widget-html").last.inner_text().strip() == sentence
    region = page.locator(".tutorial-announcer")
    assert region.get_attribute("aria-live") == "polite"


_COUNT_PICTURES_JS = """img => {
  window.__pictures = [];
  new MutationObserver(() => window.__pictures.push(img.getAttribute('src')))
    .observe(img, {attributes: true, attributeFilter: ['src']});
}"""


def test_a_fast_drag_after_a_pause_is_shown_by_the_page_step_by_step(lab, first_slider):
    """tutorial/prefetch.py draws AHEAD steps either side of the slider moved
    while the learner looks, and tutorial/page_pictures.py puts them in the
    page: a fast drag over them shows a new picture at every press while
    nothing from the server reaches the page, and the kernel's answer for the
    drag's end, once it comes, is the picture the page showed."""
    page, handle, box, link = first_slider
    key, _ = arrow_keys(handle)
    shown = picture_url(box)
    press(page, handle, key)
    settle(box, shown, quiet=1.0)
    time.sleep(3.0)  # the learner looks; the pictures ahead are drawn and sent
    img = box.locator("img").first
    img.evaluate(_COUNT_PICTURES_JS)
    start = float(handle.get_attribute("aria-valuenow"))
    answered = frames_answered(lab)
    with link.holding_replies():
        press(page, handle, key, AHEAD)
        page.wait_for_function(
            f"() => window.__pictures.length >= {AHEAD}", timeout=5_000
        )
        time.sleep(0.5)  # nothing more is shown while the replies are held
        pictures = img.evaluate("() => window.__pictures")
        end = float(handle.get_attribute("aria-valuenow"))
        from_page = picture_digest(box)
    # The weight slider moves 0.1 a step (tutorial/s00_start_here.py).
    assert round(abs(end - start) / 0.1) == AHEAD, "the drag did not go AHEAD steps"
    assert len(set(pictures)) == len(pictures) == AHEAD, pictures
    await_kernel_answer(lab, answered)
    assert picture_digest(box) == from_page
