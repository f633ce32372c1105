"""JupyterLab in Debian's Chromium: what the browser tests and benchmarks share.

No pytest here, so that ``benchmarks/browser.py`` can import it too (with
``tests`` on ``sys.path``, as ``browser.harness``). It starts a JupyterLab
server on 127.0.0.1 behind a token, opens a notebook in a fresh kernel and runs
it all, and knows what a demo looks like in the page.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NBS = ROOT / "nbs"
NOTEBOOKS = sorted(NBS.glob("[0-9][0-9]_*.ipynb"))
CHROMIUM = Path(os.environ.get("TUTORIAL_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
    "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]  # fmt: skip
NOTEBOOK_SELECTOR = ".jp-NotebookPanel .jp-Notebook"

_ALL_CELLS_RAN_JS = """() => {
  const prompts = [...document.querySelectorAll(
      '.jp-Notebook .jp-CodeCell .jp-InputPrompt')].map(p => p.textContent.trim());
  return prompts.length > 0 && prompts.every(p => /^\\[\\d+\\]:?$/.test(p));
}"""


def launch_chromium(playwright):
    """Return Debian's Chromium, headless, started by Playwright."""
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A local server process (JupyterLab or Voilà).

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

    def url(self, path: str, base: str | None = None, **query) -> str:
        """Return the URL of `path` (on `base`, e.g. a proxy, if given)."""
        if self.token:
            query = {"token": self.token, **query}
        args = "&".join(f"{k}={v}" if v != "" else k for k, v in query.items())
        return f"{base or self.base}/{path.lstrip('/')}" + (f"?{args}" if args else "")

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


def root_flags() -> list[str]:
    return ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []


def start_lab(home: Path, windowing: str | None = "none") -> Server:
    """Serve the checkout with JupyterLab on 127.0.0.1 behind a random token.

    HOME, settings and workspaces live in `home`; autosave is off and
    checkpoints go there too, so nothing is written into nbs/. Notebook
    windowing is `windowing`: off ("none") for the tests, so every cell's
    output is laid out and visible to them; None keeps JupyterLab's default
    (a learner's: "contentVisibility", offscreen cells are not painted), for
    benchmarks/browser.py. Returns once the server answers.
    """
    settings = home / "lab-settings"
    for plugin, values in {
        "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
        "@jupyterlab/notebook-extension/tracker": (
            {"windowingMode": windowing} if windowing else {}
        ),
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
    # Each frame a kernel draws is logged there (tutorial/widgets.py).
    env.setdefault("TUTORIAL_TIMING_LOG", str(home / "frames.log"))
    # The kernels should not rebuild matplotlib's font cache in the new HOME.
    env.setdefault("MPLCONFIGDIR", str(Path.home() / ".config" / "matplotlib"))
    port, token = free_port(), secrets.token_hex(16)
    command = [
        sys.executable, "-m", "jupyter", "lab", "--no-browser",
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={ROOT}",
        f"--FileCheckpoints.checkpoint_dir={home / 'checkpoints'}",
        *root_flags(),
    ]  # fmt: skip
    server = Server(
        command, port=port, token=token, env=env, log=home / "jupyterlab.log"
    )
    server.frames_log = Path(env["TUTORIAL_TIMING_LOG"])
    try:
        server.wait_until_up("api/status")
    except Exception:
        server.stop()
        raise
    return server


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


def open_and_run_all(page, lab, notebook: Path, *, base: str | None = None) -> str:
    """Open a notebook in a fresh workspace and kernel and run all its cells.

    `base` is where the browser reaches the server (a proxy, say). Returns
    the notebook's path relative to the server's root.
    """
    relative = notebook.relative_to(ROOT).as_posix()
    workspace = f"run-{notebook.stem}-{secrets.token_hex(4)}"
    page.goto(lab.url(f"lab/workspaces/{workspace}/tree/{relative}", base, reset=""))
    page.wait_for_selector(NOTEBOOK_SELECTOR, timeout=120_000)
    wait_for_kernel(lab, relative)
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator('.lm-Menu-item[data-command="runmenu:run-all"]').click()
    page.wait_for_function(_ALL_CELLS_RAN_JS, timeout=300_000, polling=250)
    wait_for_kernel(lab, relative, timeout=120)
    return relative
