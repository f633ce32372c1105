"""Real-browser fixtures: Debian's Chromium, driven by Playwright.

Playwright's own browser download does not work without general internet
access, so the tests drive ``/usr/bin/chromium`` (``$TUTORIAL_CHROMIUM``).
Without it the tests are skipped, except under CI (``CI=true``), where a
missing browser is a failure. Screenshots go to ``test-artifacts/screenshots``
(``$TUTORIAL_SCREENSHOTS``); the folder is printed at the end of the run.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from .harness import (
    CHROMIUM,
    NBS,
    NOTEBOOKS,
    ROOT,
    Server,
    free_port,
    launch_chromium,
    start_lab,
)

__all__ = ["NOTEBOOKS", "unavailable"]

SHOTS = Path(
    os.environ.get("TUTORIAL_SCREENSHOTS", ROOT / "test-artifacts" / "screenshots")
)
HOW_TO_ENABLE = (
    "to run the browser tests install Debian's Chromium "
    "(sudo apt-get install -y chromium, or ./run test as root) "
    "and the test extra (pip install -e '.[test]')"
)
IN_CI = os.environ.get("CI", "").lower() == "true"


def unavailable(reason: str):
    """Skip with a how-to, or fail under CI, where the browser must be there."""
    if IN_CI:
        pytest.fail(f"{reason}: under CI the browser tests must run ({HOW_TO_ENABLE})")
    pytest.skip(f"{reason}; {HOW_TO_ENABLE}")


@pytest.fixture(scope="session")
def browser():
    """Return a headless Chromium shared by all browser tests."""
    if not CHROMIUM.is_file():
        unavailable(f"no Chromium at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright is not installed")
    pw = sync_playwright().start()
    try:
        chromium = launch_chromium(pw)
    except Exception as exc:
        pw.stop()
        unavailable(f"Chromium at {CHROMIUM} did not start ({exc})")
    yield chromium
    chromium.close()
    pw.stop()


@pytest.fixture(scope="session")
def shots() -> Path:
    """Return the folder for screenshots (printed at the end of the run)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS


def pytest_terminal_summary(terminalreporter):
    if SHOTS.is_dir() and any(SHOTS.rglob("*.png")):
        terminalreporter.write_line(f"browser screenshots: {SHOTS}")


@pytest.fixture(scope="session")
def slides_build(browser, tmp_path_factory):
    """Start `python -m tutorial slides OUTDIR` in the background.

    Building the decks executes every notebook; it runs while the JupyterLab
    tests wait on their browser, and test_slides.py collects the result.
    Yields (outdir, process, log file).
    """
    outdir = tmp_path_factory.mktemp("slides")
    log = outdir.parent / "slides-build.log"
    with open(log, "w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "tutorial", "slides", str(outdir), "--jobs", "1"],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    yield outdir, process, log
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait()


@pytest.fixture(scope="session")
def lab(browser, slides_build, tmp_path_factory):
    """Serve the checkout with JupyterLab (see `harness.start_lab`)."""
    server = start_lab(tmp_path_factory.mktemp("lab-home"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def voila_app(browser, tmp_path_factory):
    """Serve the first notebook with demos as an app via `python -m tutorial app`."""
    from tutorial import sections

    if not sections.MODULES:
        pytest.fail("no section module with demos")
    number = sections.MODULES[0][1:3]
    (notebook,) = NBS.glob(f"{number}_*.ipynb")
    log_dir = tmp_path_factory.mktemp("voila")
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "tutorial",
        "app",
        str(notebook.relative_to(ROOT)),
        "--port",
        str(port),
        "--no-browser",
    ]
    server = Server(command, port=port, log=log_dir / "voila.log")
    server.notebook = notebook
    try:
        server.wait_for_port()
        yield server
    finally:
        server.stop()
