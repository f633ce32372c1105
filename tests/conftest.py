"""Shared test helpers: set a demo's control as a learner does, check its health.

Which section modules, demos and exercises there are comes from
`tutorial.sections`, the one list the tests, benchmarks and figures share.
"""

from __future__ import annotations

import io
import itertools

import numpy as np
import pytest


def group(nodeid: str) -> str:
    """Return the group a test runs in under pytest-xdist (`-n 2`): its file
    (a notebook's cells share one kernel, a module's fixtures are built once),
    except that the browser tests are one group: they share a browser, the
    JupyterLab server and the export build, which runs while they wait."""
    path = nodeid.split("::", 1)[0]
    return "tests/browser" if path.startswith("tests/browser/") else path


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """With `--dist loadfile`, schedule by `group` instead of by file."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class ByGroup(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return group(nodeid)

    return ByGroup(config, log)


def pytest_sessionfinish(session):
    # A pytest-xdist worker hands its slides' summary to the main process.
    if hasattr(session.config, "workeroutput"):
        summary = getattr(session.config, "_export_summary", [])
        session.config.workeroutput["export_summary"] = summary


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    summary = getattr(node, "workeroutput", {}).get("export_summary")
    if summary:
        node.config._export_summary = summary


def pytest_terminal_summary(terminalreporter, config):
    # (Here, not in tests/browser/conftest.py: pytest-xdist's main process
    # loads this file only.)
    from browser.conftest import SHOTS

    # The worst slides by each measure (see test_slides.py), if measured.
    for line in getattr(config, "_export_summary", []):
        terminalreporter.write_line(line)
    if SHOTS.is_dir() and any(SHOTS.rglob("*.png")):
        terminalreporter.write_line(f"browser screenshots: {SHOTS}")


def set_control(demo, name, value) -> None:
    """Set a control as a learner would; press Run for manual demos."""
    demo.controls[name].value = value
    if demo.manual:
        demo.update()


def assert_healthy(demo, where: str = "") -> None:
    """Fail on an error or a warning in the demo's last update."""
    assert demo.error is None, f"{where}: {type(demo.error).__name__}: {demo.error}"
    assert demo.warnings == [], f"{where}: warnings {demo.warnings}"
    assert demo.png().startswith(b"\x89PNG"), f"{where}: no picture"


def crowded_tick_labels(fig, gap: float = 2.0) -> list[str]:
    """Return the neighbouring tick labels of an axis that touch or overlap
    (less than `gap` pixels apart) in the figure as last drawn.

    Call under `plotting.style()`: tick labels are placed for its fonts.
    """
    renderer = fig.canvas.get_renderer()
    found = []
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        box = ax.get_window_extent(renderer)
        for name, axis, span in (
            ("x", ax.xaxis, "intervalx"),
            ("y", ax.yaxis, "intervaly"),
        ):
            lo, hi = getattr(box, span)
            boxes = []  # (start, end, text) along the axis, ticks in view only
            for label in axis.get_majorticklabels():
                if label.get_visible() and label.get_text():
                    start, end = getattr(label.get_window_extent(renderer), span)
                    if lo - 3 <= (start + end) / 2 <= hi + 3:
                        boxes.append((start, end, label.get_text()))
            boxes.sort()
            for a, b in itertools.pairwise(boxes):
                if a[1] + gap > b[0]:
                    what = ax.get_title() or ax.get_xlabel() or ax.get_ylabel()
                    found.append(f"{what!r}, {name} axis: {a[2]!r} touches {b[2]!r}")
    return found


# What "no visible loss" means for a demo's PNG frame (see tutorial/png.py),
# in levels of 0-255 per channel against the full-colour render.
FRAME_MAX_ERROR = 32  # any channel of any pixel (an edge's blend at worst)
FRAME_MEAN_ERROR = 1.0  # averaged over the picture
FRAME_GREY_ERROR = 6  # a grey (black text antialiased on white) stays a grey
FRAME_MAX_BYTES = 120_000  # at 20 Mbit/s: 48 ms


def frame_errors(drawn, shown) -> list[str]:
    """Return what is wrong with a decoded frame against the render it shows."""
    drawn = np.asarray(drawn, dtype=np.int16)
    shown = np.asarray(shown, dtype=np.int16)
    if drawn.shape != shown.shape:
        return [f"shape {shown.shape} instead of {drawn.shape}"]
    error = np.abs(shown - drawn).max(axis=-1)
    problems = []
    if error.max() > FRAME_MAX_ERROR:
        problems.append(f"a pixel off by {error.max()} > {FRAME_MAX_ERROR}")
    if error.mean() > FRAME_MEAN_ERROR:
        problems.append(f"mean error {error.mean():.2f} > {FRAME_MEAN_ERROR}")
    grey = (drawn[..., 0] == drawn[..., 1]) & (drawn[..., 1] == drawn[..., 2])
    still = (shown[..., 0] == shown[..., 1]) & (shown[..., 1] == shown[..., 2])
    if not still[grey].all():
        problems.append(f"{(~still[grey]).sum()} grey pixels got a tint")
    if grey.any() and error[grey].max() > FRAME_GREY_ERROR:
        problems.append(f"a grey off by {error[grey].max()} > {FRAME_GREY_ERROR}")
    return problems


def decode_png(data: bytes) -> np.ndarray:
    """Return a PNG's pixels as (height, width, 4) uint8 RGBA."""
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(data)).convert("RGBA"))


@pytest.fixture
def displayed(monkeypatch) -> list:
    """Record what IPython would display: (object, keyword arguments) pairs."""
    shown: list = []
    monkeypatch.setattr(
        "IPython.display.display", lambda obj, **kw: shown.append((obj, kw))
    )
    return shown


def line_demo(alt: str = ""):
    """Return a Demo whose line rises to its one slider x, and the slider."""
    from tutorial import plotting, widgets

    fig, (ax,) = plotting.new_figure(3, 2)
    (line,) = ax.plot([0, 1], [0, 1])
    control = widgets.int_slider("x", 0, 0, 5)

    def draw(x):
        line.set_ydata([0, x])
        return f"x is {x}."

    return widgets.Demo(fig, {"x": control}, draw, alt=alt), control
