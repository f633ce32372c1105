"""Real-browser fixtures: Debian's Chromium, driven by Playwright.

Playwright's own browser download does not work without general internet
access, so the tests drive ``/usr/bin/chromium`` (``$TUTORIAL_CHROMIUM``).
Without it the tests are skipped, except under CI (``CI=true``), where a
missing browser is a failure. Screenshots go to ``test-artifacts/screenshots``
(``$TUTORIAL_SCREENSHOTS``); the folder is printed at the end of the run.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NBS = ROOT / "nbs"
NOTEBOOKS = sorted(NBS.glob("[0-9][0-9]_*.ipynb"))
CHROMIUM = Path(os.environ.get("TUTORIAL_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
    "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]  # fmt: skip
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
        chromium = pw.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
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


def pytest_terminal_summary(terminalreporter, config):
    # The worst slides by each measure (see test_slides.py), if measured.
    for line in getattr(config, "_export_summary", []):
        terminalreporter.write_line(line)
    if SHOTS.is_dir() and any(SHOTS.rglob("*.png")):
        terminalreporter.write_line(f"browser screenshots: {SHOTS}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A local server process (JupyterLab or Voilà) for the tests.

    It runs in its own process group so stopping it also stops its kernels.
    """

    def __init__(self, command, *, port, token="", env=None, log: Path):
        self.port = port
        self.token = token
        self.base = f"http://127.0.0.1:{port}"
        self.log = log
        self._log_file = open(log, "w")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def url(self, path: str, **query) -> str:
        if self.token:
            query = {"token": self.token, **query}
        args = "&".join(f"{k}={v}" if v != "" else k for k, v in query.items())
        return f"{self.base}/{path.lstrip('/')}" + (f"?{args}" if args else "")

    def api(self, path: str, method: str = "GET"):
        request = urllib.request.Request(self.url(path), method=method)
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def wait_until_up(self, path: str, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited; see {self.log}")
            try:
                urllib.request.urlopen(self.url(path), timeout=5).close()
                return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.3)
        raise RuntimeError(f"server not up after {timeout} s; see {self.log}")

    def wait_for_port(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited; see {self.log}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=2).close()
                return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"server not listening after {timeout} s; see {self.log}")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self._log_file.close()


def _root_flags() -> list[str]:
    return ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []


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
    returncode = process.wait(timeout=1500) if process else 0
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
    """Serve the checkout with JupyterLab on 127.0.0.1 behind a random token.

    HOME, settings and workspaces are temporary; autosave is off and
    checkpoints go to a temporary folder, so the tests never write into nbs/.
    Notebook windowing is off, so every cell's output is in the page.
    """
    home = tmp_path_factory.mktemp("lab-home")
    settings = home / "lab-settings"
    for plugin, values in {
        "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
        "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
        "@jupyterlab/apputils-extension/notification": {
            "fetchNews": "false",
            "checkForUpdates": False,
        },
    }.items():
        path = settings / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    env = {
        **os.environ,
        "HOME": str(home),
        "JUPYTERLAB_SETTINGS_DIR": str(settings),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
        "JUPYTER_CONFIG_DIR": str(home / "jupyter-config"),
        "JUPYTER_RUNTIME_DIR": str(home / "jupyter-runtime"),
    }
    # The kernels should not rebuild matplotlib's font cache in the new HOME.
    env.setdefault("MPLCONFIGDIR", str(Path.home() / ".config" / "matplotlib"))
    port, token = free_port(), secrets.token_hex(16)
    command = [
        sys.executable, "-m", "jupyter", "lab", "--no-browser",
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={ROOT}",
        f"--FileCheckpoints.checkpoint_dir={home / 'checkpoints'}",
        *_root_flags(),
    ]  # fmt: skip
    server = Server(
        command, port=port, token=token, env=env, log=home / "jupyterlab.log"
    )
    try:
        server.wait_until_up("api/status")
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def voila_app(browser, tmp_path_factory):
    """Serve the first notebook with demos as an app via `python -m tutorial app`."""
    from conftest import SECTION_MODULES

    if not SECTION_MODULES:
        pytest.fail("no section module with demos")
    number = SECTION_MODULES[0][1:3]
    (notebook,) = NBS.glob(f"{number}_*.ipynb")
    log_dir = tmp_path_factory.mktemp("voila")
    port = free_port()
    command = [
        sys.executable, "-m", "tutorial", "app", str(notebook.relative_to(ROOT)),
        "--port", str(port), "--no-browser",
    ]  # fmt: skip
    server = Server(command, port=port, log=log_dir / "voila.log")
    server.notebook = notebook
    try:
        server.wait_for_port()
        yield server
    finally:
        server.stop()
