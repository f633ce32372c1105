"""The notebooks and the slides with no network, a read-only copy, a fresh HOME.

A lecture hall may have no network, a school may install the tutorial where
learners cannot write, a first-time user has an empty home folder, and Colab
or a JupyterHub image installs the package alone, without JupyterLab. Each
notebook is run here in a fresh kernel under all of these at once:

- the kernel is a fresh virtual environment with the built wheel and its
  runtime dependencies only (numpy, matplotlib, ipywidgets, isal), plus
  ipykernel: no JupyterLab, no Voilà, no source checkout on the path;
- a `sitecustomize` on PYTHONPATH makes every socket connection or name lookup
  other than to 127.0.0.1 raise (the kernel still talks to us over 127.0.0.1);
- that environment and the notebooks are a copy that an audit hook (and, for
  non-root users, file permissions) keeps read-only: any write into it raises;
- HOME is a new empty folder (shared by the notebooks, as a learner's is).

The run also does what learners do: every demo cell is run twice in a row,
and after "Run All" every other code cell is run again, last to first. No cell may
fail or print to stderr, every demo must be healthy, nothing may be written
into the copy, and the checked outputs (``# NBVAL_CHECK_OUTPUT``) must equal
the stored ones: a second execution, in another environment, gives the same
numbers.

Building the wheel and the environment needs PyPI (or pip's cache): about
half a minute.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
import shutil
import stat
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

from tutorial import sections
from tutorial.notebooks import is_checked

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "nbs").glob("[0-9][0-9]_*.ipynb"))

SITECUSTOMIZE = r'''
"""Test harness: no network but 127.0.0.1, and a read-only tutorial copy."""
import os
import socket
import sys


class NetworkBlocked(OSError):
    """Raised for any connection that would leave this machine."""


_LOCAL = {"127.0.0.1", "::1", "localhost", None, "", b"localhost", b"127.0.0.1"}


def _refuse(what):
    raise NetworkBlocked(f"network access blocked in this test: {what!r}")


def _check(sock, address):
    if sock.family in (socket.AF_INET, socket.AF_INET6) and address[0] not in _LOCAL:
        _refuse(address)


_connect, _connect_ex = socket.socket.connect, socket.socket.connect_ex
_sendto, _getaddrinfo = socket.socket.sendto, socket.getaddrinfo


def connect(self, address):
    _check(self, address)
    return _connect(self, address)


def connect_ex(self, address):
    _check(self, address)
    return _connect_ex(self, address)


def sendto(self, data, *args):
    _check(self, args[-1])
    return _sendto(self, data, *args)


def getaddrinfo(host, *args, **kwargs):
    if host not in _LOCAL:
        _refuse(host)
    return _getaddrinfo(host, *args, **kwargs)


socket.socket.connect, socket.socket.connect_ex = connect, connect_ex
socket.socket.sendto, socket.getaddrinfo = sendto, getaddrinfo

_READONLY = os.environ.get("TUTORIAL_READONLY_ROOT")
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
_CHANGES = {
    "os.mkdir", "os.remove", "os.rmdir", "os.rename", "os.replace", "os.chmod",
    "os.truncate", "os.symlink", "os.link", "os.utime", "shutil.rmtree",
}


def _inside(path):
    try:
        real = os.path.realpath(os.fsdecode(path))
    except (TypeError, ValueError):
        return False
    return real == _READONLY or real.startswith(_READONLY + os.sep)


def _audit(event, args):
    if event == "open":
        path, mode, flags = args
        writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            isinstance(flags, int) and flags & _WRITE_FLAGS
        )
        if writing and isinstance(path, (str, bytes, os.PathLike)) and _inside(path):
            raise PermissionError(13, "read-only copy of the tutorial", path)
    elif event in _CHANGES:
        for path in args[:2] if event in ("os.rename", "os.replace") else args[:1]:
            if isinstance(path, (str, bytes, os.PathLike)) and _inside(path):
                raise PermissionError(13, "read-only copy of the tutorial", path)


if _READONLY:
    _READONLY = os.path.realpath(_READONLY)
    sys.addaudithook(_audit)
'''

# First cell: prove the three conditions hold inside the kernel.
PROBE = r"""
import importlib.util, os, socket, sys, tutorial
copy = os.environ["TUTORIAL_READONLY_ROOT"]
assert sys.prefix.startswith(copy), sys.prefix
assert tutorial.__file__.startswith(sys.prefix), f"not the wheel: {tutorial.__file__}"
for extra in ("jupyterlab", "voila", "nbconvert"):
    assert importlib.util.find_spec(extra) is None, f"{extra} is not a runtime need"
assert os.path.basename(os.path.expanduser("~")).startswith("home-"), "not a fresh HOME"
for address in [("1.1.1.1", 53), ("pypi.org", 443)]:
    try:
        socket.create_connection(address, timeout=2).close()
    except OSError as exc:
        assert "blocked" in str(exc), exc
    else:
        raise AssertionError(f"the network is not blocked: {address}")
try:
    open(os.path.join(os.path.dirname(tutorial.__file__), "written.txt"), "w").close()
except PermissionError:
    pass
else:
    raise AssertionError("the tutorial copy is writable")
"""

# Last cell: every Demo the notebook made is healthy.
DEMOS_HEALTHY = r"""
import json
from tutorial.widgets import Demo
_demos = {id(v): v for v in [*Out.values(), *globals().values()] if isinstance(v, Demo)}
print(json.dumps({"demos": len(_demos), "bad": [
    [type(d.error).__name__, str(d.error), d.warnings]
    for d in _demos.values() if d.error is not None or d.warnings
]}))
"""
# Matplotlib says this on stderr the first time it runs in a new HOME.
HARMLESS_STDERR = re.compile(r"^Matplotlib is building the font cache[^\n]*\n?$")


def snapshot(folder: Path) -> dict:
    """Return {relative path: sha256} of every file under `folder`."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def set_writable(folder: Path, writable: bool) -> None:
    for p in [folder, *folder.rglob("*")]:
        mode = p.stat().st_mode
        bits = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH
        p.chmod(mode | stat.S_IWUSR if writable else mode & ~bits)


def run(command: list, **kwargs) -> None:
    """Run a set-up command; fail with its output if it fails."""
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)
    assert done.returncode == 0, f"{command}:\n{done.stdout}\n{done.stderr}"


def install_wheel(base: Path, venv: Path) -> Path:
    """Build the wheel and install it with its runtime dependencies and
    ipykernel into a new virtual environment; return its kernel spec folder.

    This environment's pip and setuptools do the work (pip's --python), so
    the new one needs no pip of its own; nothing is compiled at install:
    the kernels compile what they import into PYTHONPYCACHEPREFIX.
    """
    source = base / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    skip = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "tutorial", source / "tutorial", ignore=skip)
    wheels = base / "wheels"
    pip = [sys.executable, "-m", "pip", "--quiet"]
    run([*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", wheels, source])
    (wheel,) = wheels.glob("*.whl")
    run([sys.executable, "-m", "venv", "--without-pip", venv])
    python = venv / ("Scripts" if os.name == "nt" else "bin") / "python"
    run([*pip, "--python", python, "install", "--no-compile", wheel, "ipykernel"])
    spec = base / "kernels" / "fresh"
    spec.mkdir(parents=True)
    argv = [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    kernel = {"argv": argv, "display_name": "wheel only", "language": "python"}
    (spec / "kernel.json").write_text(json.dumps(kernel))
    return spec.parent


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    """The wheel in a fresh venv and the notebooks, read-only; a blocker on
    PYTHONPATH; an env."""
    base = tmp_path_factory.mktemp("offline")
    readonly = base / "readonly"
    kernels = install_wheel(base, readonly / "venv")
    skip = shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints", "*.pyc")
    shutil.copytree(ROOT / "nbs", readonly / "nbs", ignore=skip)
    # A source copy for `python -m tutorial slides`, which needs nbconvert.
    shutil.copytree(ROOT / "tutorial", readonly / "source" / "tutorial", ignore=skip)
    site = base / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE)
    before = snapshot(readonly)
    set_writable(readonly, False)

    def env(home: Path, **extra) -> dict:
        keep = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("JUPYTER", "IPYTHON", "MPL", "XDG_", "PYTHON"))
            and k not in ("TUTORIAL_CACHE", "HOME", "VIRTUAL_ENV")
        }
        return (
            keep
            | {
                "HOME": str(home),
                "PYTHONPATH": str(site),
                "TUTORIAL_READONLY_ROOT": str(readonly),
            }
            | extra
        )

    # One HOME, empty before the first notebook, shared like a learner's.
    home = base / "home-learner"
    home.mkdir()
    yield {
        "root": readonly, "env": env, "base": base, "home": home, "site": site,
        "kernels": kernels,
    }  # fmt: skip
    set_writable(readonly, True)
    assert snapshot(readonly) == before, "something was written into the copy"


def fresh_home(sandbox, name: str) -> Path:
    home = sandbox["base"] / f"home-{name}"
    home.mkdir()
    return home


def demo_builders(path: Path) -> list[str]:
    number = path.name[:2]
    modules = [m for m in sections.MODULES if m[1:3] == number]
    return [make.__name__ for m in modules for make in sections.load(m).DEMOS.values()]


def learner_run(nb, builders: list[str]):
    """Return the code of a notebook as a learner runs it.

    Demo cells run twice in a row; after all cells, every other code cell
    (set-up, exercises, checked numbers) runs again from last to first. The
    probe runs first, the demo check last.
    """
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    shows = {s for s in code if any(f"{name}(" in s for name in builders)}
    order = [PROBE]
    for source in code:
        order += [source, source] if source in shows else [source]
    order += [s for s in reversed(code) if s not in shows] + [DEMOS_HEALTHY]
    cells = [nbformat.v4.new_code_cell(source) for source in order]
    run = nbformat.v4.new_notebook(cells=cells, metadata=copy.deepcopy(nb.metadata))
    return run


def text_of(cell) -> str:
    return "".join(
        o.get("text", "") if o.output_type == "stream" else str(o.get("data", {}))
        for o in cell.outputs
        if not (o.output_type == "stream" and o.name == "stderr")
    )


def execute(path: Path, sandbox):
    """Run `path` as a learner would, inside the sandbox; return the notebook."""
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager
    from nbclient import NotebookClient

    nb = learner_run(nbformat.read(path, as_version=4), demo_builders(path))
    specs = KernelSpecManager(kernel_dirs=[str(sandbox["kernels"])])
    client = NotebookClient(
        nb,
        timeout=300,
        km=AsyncKernelManager(kernel_name="fresh", kernel_spec_manager=specs),
        resources={"metadata": {"path": str(sandbox["root"] / "nbs")}},
    )
    # The wheel was installed without byte-code: the kernels compile what
    # they import, once, into a cache outside the read-only copy.
    pycache = str(sandbox["base"] / "pycache")
    client.execute(env=sandbox["env"](sandbox["home"], PYTHONPYCACHEPREFIX=pycache))
    return nb


@pytest.fixture(scope="module")
def runs(sandbox):
    """Start every notebook, two kernels at a time (the kernels do the work)."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        yield {path: pool.submit(execute, path, sandbox) for path in NOTEBOOKS}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_offline_readonly_fresh_home_rerun(path, runs):
    nb = runs[path].result(timeout=900)
    stored = nbformat.read(path, as_version=4)
    for i, cell in enumerate(nb.cells):
        for out in cell.outputs:
            assert out.output_type != "error", f"cell {i}: {out.get('evalue')}"
            if out.output_type == "stream" and out.name == "stderr":
                assert HARMLESS_STDERR.match(out.text), f"cell {i} stderr: {out.text}"
    expected = {c.source: text_of(c) for c in stored.cells if is_checked(c)}
    checked = [c for c in nb.cells if is_checked(c)]
    assert len(checked) == 2 * len(expected) and expected
    for cell in checked:
        assert text_of(cell) == expected[cell.source], (
            f"{path.name}: checked output changed on a second run:\n{cell.source}"
        )
    # One print, which the kernel may send in more than one piece.
    report = json.loads(text_of(nb.cells[-1]))
    assert report["bad"] == [], f"{path.name}: unhealthy demos {report['bad']}"
    assert report["demos"] >= len(demo_builders(path))


def test_slides_build_offline_readonly_fresh_home(sandbox):
    """`python -m tutorial slides` with no network, once its assets are cached.

    The assets come from npm once (a lecturer builds online once); after that
    the build needs no network at all. Built here for one notebook: running
    every notebook offline is the test above.
    """
    from tutorial import web_assets

    try:  # online, as the lecturer's first build would be
        web_assets.fetch(log=lambda line: None)
    except RuntimeError as exc:
        pytest.skip(f"the slides' assets are not cached and cannot be fetched: {exc}")
    cache = web_assets.cache_dir()

    # npm must not even be asked: a stand-in on PATH leaves a mark if it is.
    bin_dir = sandbox["base"] / "bin"
    bin_dir.mkdir()
    mark = sandbox["base"] / "npm-was-called"
    (bin_dir / "npm").write_text(f"#!/bin/sh\ntouch {mark}\nexit 1\n")
    (bin_dir / "npm").chmod(0o755)
    env = sandbox["env"](
        fresh_home(sandbox, "slides"),
        TUTORIAL_CACHE=str(cache),
        PYTHONPATH=f"{sandbox['site']}{os.pathsep}{sandbox['root'] / 'source'}",
        PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
    )
    outdir = sandbox["base"] / "slides"
    notebook = sandbox["root"] / "nbs" / NOTEBOOKS[0].name
    result = subprocess.run(
        [sys.executable, "-m", "tutorial", "slides", str(outdir), str(notebook)],
        cwd=sandbox["base"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert not mark.exists(), "the offline build called npm"
    deck = (outdir / f"{notebook.stem}.slides.html").read_text()
    remote = re.findall(
        r'<(?:script|link|img)\b[^>]*(?:src|href)="(?:https?:)?//', deck
    )
    assert remote == [], f"the deck loads from the network: {remote[:3]}"
    assert (outdir / "index.html").exists()
