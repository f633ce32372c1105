"""Every notebook in JupyterLab, in a real browser: Run All, no errors, a live demo.

One JupyterLab server (127.0.0.1, token) serves all the tests; each notebook
gets a fresh kernel and a fresh workspace.
"""

from __future__ import annotations

import pytest

from .a11y import LAB_SCOPE, audit
from .conftest import NOTEBOOKS
from .harness import (
    NOTEBOOK_SELECTOR,
    fresh_sessions,
    open_and_run_all,
    wait_for_kernel,
)
from .pages import errors, move_a_slider


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_run_all_then_a_slider_changes_the_picture(lab, browser, shots, path):
    fresh_sessions(lab)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        relative = open_and_run_all(page, lab, path)
        page.screenshot(path=shots / f"lab-{path.stem}-after-run-all.png")
        assert errors(page, NOTEBOOK_SELECTOR) == []
        assert audit(page, LAB_SCOPE, f"lab {path.stem}") == []

        name = f"lab-{path.stem}"
        before, after = move_a_slider(page, NOTEBOOK_SELECTOR, shots, name)
        assert after != before, "moving the slider did not change the picture"
        wait_for_kernel(lab, relative)
        assert errors(page, NOTEBOOK_SELECTOR) == []
    finally:
        page.close()
        fresh_sessions(lab)
