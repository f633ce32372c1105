"""Every notebook in JupyterLab, in a real browser: Run All, no errors, a live demo.

One JupyterLab server (127.0.0.1, token) serves all the tests; each notebook
gets a fresh kernel and a fresh workspace.
"""

from __future__ import annotations

import time

import pytest

from .conftest import NOTEBOOKS
from .pages import errors, move_a_slider

ROOT_SELECTOR = ".jp-NotebookPanel .jp-Notebook"

_ALL_CELLS_RAN_JS = """() => {
  const prompts = [...document.querySelectorAll(
      '.jp-Notebook .jp-CodeCell .jp-InputPrompt')].map(p => p.textContent.trim());
  return prompts.length > 0 && prompts.every(p => /^\\[\\d+\\]:?$/.test(p));
}"""


def kernel_state(lab, path: str) -> str | None:
    for session in lab.api("api/sessions"):
        if session["path"] == path and session.get("kernel"):
            return session["kernel"]["execution_state"]
    return None


def wait_for_kernel(lab, path: str, timeout: float = 60) -> None:
    """Wait until the notebook's kernel is idle (the toolbar says so too early)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if kernel_state(lab, path) == "idle":
            return
        time.sleep(0.3)
    raise AssertionError(f"kernel of {path} not idle after {timeout} s")


def fresh_sessions(lab) -> None:
    """Shut down every kernel, so the next notebook starts from scratch."""
    for session in lab.api("api/sessions"):
        lab.api(f"api/sessions/{session['id']}", method="DELETE")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_run_all_then_a_slider_changes_the_picture(lab, browser, shots, path):
    fresh_sessions(lab)
    relative = f"nbs/{path.name}"
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.goto(lab.url(f"lab/workspaces/test-{path.stem}/tree/{relative}", reset=""))
        page.wait_for_selector(ROOT_SELECTOR, timeout=60_000)
        wait_for_kernel(lab, relative)

        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator('.lm-Menu-item[data-command="runmenu:run-all"]').click()
        page.wait_for_function(_ALL_CELLS_RAN_JS, timeout=180_000, polling=250)
        wait_for_kernel(lab, relative)
        page.screenshot(path=shots / f"lab-{path.stem}-after-run-all.png")
        assert errors(page, ROOT_SELECTOR) == []

        before, after = move_a_slider(page, ROOT_SELECTOR, shots, f"lab-{path.stem}")
        assert after != before, "moving the slider did not change the picture"
        wait_for_kernel(lab, relative)
        assert errors(page, ROOT_SELECTOR) == []
    finally:
        page.close()
        fresh_sessions(lab)
