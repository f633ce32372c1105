"""Real-browser fixtures: Debian's Chromium, driven by Playwright.

Playwright's own browser download does not work without general internet
access, so the tests drive ``/usr/bin/chromium`` (``$TUTORIAL_CHROMIUM``).
Without it the tests are skipped, except under CI (``CI=true``), where a
missing browser is a failure. Screenshots go to ``test-artifacts/screenshots``
(``$TUTORIAL_SCREENSHOTS``); the folder is printed at the end of the run.
"""

from __future__ import annotations

import os
import re
import shutil
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
# Seconds the first export test waits for the build: under the per-test limit
# (pyproject.toml, [tool.pytest.ini_options] timeout) so its log is shown.
BUILD_WAIT = 240


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


@pytest.fixture(scope="session")
def export_build(browser, tmp_path_factory):
    """Start `python -m tutorial site OUTDIR --pdf` in the background.

    One build serves every export test: the static site's pages, the slide
    decks and their PDF handouts, from one execution of each notebook. It
    runs while the JupyterLab tests wait on their browser, and beside it
    `expected_frames.py` draws, with each demo built afresh, the pictures the
    tests will compare the players with. The export tests collect both (see
    `published` and `expected`). With ``$TUTORIAL_PUBLISHED`` set to the folder
    of an earlier build (its log in ``publish-build.log`` beside it), that one
    is tested instead: for working on the tests.
    Yields (outdir, build process or None, log file, expected file, drawer).
    """
    base = tmp_path_factory.mktemp("published")
    earlier = os.environ.get("TUTORIAL_PUBLISHED")
    if earlier:
        outdir, process = Path(earlier), None
        log = outdir.parent / "publish-build.log"
    else:
        outdir, log = base / "site", base / "publish-build.log"
        with open(log, "w") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "tutorial", "site", str(outdir), "--pdf",
                 "--jobs", "1"],
                cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
    expected = base / "expected-frames.jsonl"
    with open(base / "expected-frames.log", "w") as out:
        drawer = subprocess.Popen(
            [sys.executable, str(Path(__file__).with_name("expected_frames.py")),
             str(outdir), str(log), str(expected)],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    yield outdir, process, log, expected, drawer
    for proc in (process, drawer):
        if proc is not None and proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait()


@pytest.fixture(scope="session")
def published(browser, export_build):
    """The folder `python -m tutorial site OUTDIR --pdf` wrote."""
    from tutorial import web_assets

    if web_assets.missing() and shutil.which("npm") is None:
        unavailable("no npm to fetch reveal.js, MathJax and the widget renderer")
    outdir, process, log, _, _ = export_build
    try:
        # It started with the first JupyterLab test; here it takes about six
        # minutes, of which the first export test waits the last 40 s or so.
        returncode = process.wait(timeout=BUILD_WAIT) if process else 0
    except subprocess.TimeoutExpired:
        tail = log.read_text()[-3000:]
        pytest.fail(f"the export build was not done {BUILD_WAIT} s later:\n{tail}")
    output = log.read_text()
    assert returncode == 0, output
    progress = re.findall(r"^\[\d+/\d+\] .*", output, flags=re.M)
    assert len(progress) == len(NOTEBOOKS), output
    print(output)  # build times, players and sizes, for the log of the run
    return outdir


@pytest.fixture(scope="session")
def expected(published, export_build):
    """What each player must show after one keyboard move (expected_frames.py)."""
    from .exported import Expected

    _, _, _, path, drawer = export_build
    return Expected(path, drawer)


@pytest.fixture(scope="session")
def measured(request):
    """Rows of slide measurements; printed and saved when the session ends."""
    from . import exported

    rows: list[dict] = []
    yield rows
    if rows:
        SHOTS.mkdir(parents=True, exist_ok=True)
        (SHOTS / "slide-measurements.tsv").write_text(exported.table(rows))
        request.config._export_summary = exported.summary(rows)


@pytest.fixture(scope="session")
def lab(browser, export_build, tmp_path_factory):
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
