"""What the browser tests do in a page: find errors, move a demo's slider."""

from __future__ import annotations

import time
from pathlib import Path

# Text that must never appear in an output: a traceback, a demo whose update
# failed (its status line), a widget that could not render, Voilà's error note.
BAD_PHRASES = (
    "Traceback",
    "could not be drawn",
    "Error displaying widget",
    "There was an error when executing",
)

_ERRORS_JS = """([root, phrases]) => {
  const found = [];
  const scope = document.querySelector(root);
  if (!scope) return ["no " + root + " in the page"];
  for (const el of scope.querySelectorAll(
      '[data-mime-type="application/vnd.jupyter.stderr"]')) {
    found.push("stderr: " + el.innerText.slice(0, 400));
  }
  for (const el of scope.querySelectorAll('.jp-OutputArea-output, .widget-html')) {
    const text = el.innerText;
    for (const phrase of phrases) {
      if (text.includes(phrase)) found.push(phrase + ": " + text.slice(0, 400));
    }
  }
  return found;
}"""

# The index of the first slider handle that belongs to a demo (a box that also
# holds the demo's picture).
_FIRST_DEMO_HANDLE_JS = """(root) => {
  const handles = [...document.querySelectorAll(
      root + ' .widget-slider .noUi-handle')];
  return handles.findIndex(h => {
    const box = h.closest('.widget-vbox');
    return box && box.querySelector('img');
  });
}"""

_VBOX = (
    "xpath=ancestor::div[contains(concat(' ', normalize-space(@class), ' '),"
    " ' widget-vbox ')][1]"
)


def errors(page, root: str) -> list[str]:
    """Return every error message shown in the outputs under `root`."""
    return page.evaluate(_ERRORS_JS, [root, list(BAD_PHRASES)])


def picture_url(box) -> str | None:
    """Return the picture's URL: a new one for every frame."""
    return box.locator("img").first.get_attribute("src")


def settle(box, before, timeout: float = 30.0, quiet: float = 1.0):
    """Wait until the picture differs from `before` and stays put `quiet` s.

    Each key press is a round trip to the kernel, so pictures arrive one by
    one; comparing too early would catch an intermediate frame.
    """
    deadline = time.monotonic() + timeout
    current, since = picture_url(box), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.2)
        now = picture_url(box)
        if now != current:
            current, since = now, time.monotonic()
        elif current != before and time.monotonic() - since >= quiet:
            break
    return current


_DIGEST_JS = """async (img) => {
  const bytes = await (await fetch(img.src)).arrayBuffer();
  const hash = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(hash)].map(b => b.toString(16).padStart(2, '0')).join('');
}"""


def first_demo_slider(page, root: str):
    """Return (handle, box) of the first slider whose demo shows a picture."""
    index = page.evaluate(_FIRST_DEMO_HANDLE_JS, root)
    assert index >= 0, "no demo with a slider and a picture on the page"
    handle = page.locator(f"{root} .widget-slider .noUi-handle").nth(index)
    box = handle.locator(_VBOX)
    box.scroll_into_view_if_needed()
    page.wait_for_function(
        "el => el.complete && el.naturalWidth > 0",
        arg=box.locator("img").first.element_handle(),
        timeout=30_000,
    )
    return handle, box


def picture_digest(box) -> str:
    """Return the SHA-256 of the picture's bytes (its URL changes every frame)."""
    return box.locator("img").first.evaluate(_DIGEST_JS)


def move_a_slider(page, root: str, shots: Path, name: str) -> tuple[str, str]:
    """Move the first demo slider with the keyboard; return the picture before/after.

    Screenshots of the demo before and after go to ``shots/name-*.png``.
    """
    handle, box = first_demo_slider(page, root)
    before = picture_url(box)
    box.screenshot(path=shots / f"{name}-demo-before.png")
    after = before
    # A slider already at its right end cannot move right: try left next.
    for key, presses in (("ArrowRight", 3), ("ArrowLeft", 6)):
        handle.focus()
        for _ in range(presses):
            page.keyboard.press(key)
            time.sleep(0.1)
        after = settle(box, before, timeout=10 if key == "ArrowRight" else 30)
        if after != before:
            break
    run = box.locator("button", has_text="Run")
    if after == before and run.count():
        run.first.click()  # a slow demo redraws only when asked
        after = settle(box, before)
    box.screenshot(path=shots / f"{name}-demo-after.png")
    return before, after
