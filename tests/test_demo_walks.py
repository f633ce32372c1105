"""Every demo, every control, across its whole range and in random orders.

`test_demos.py` sets each control to its min, default and max. Here each
control also visits points in between, then random changes of random controls
(seeded, so every run walks the same way) and the way back to the defaults,
which must give the first picture again, byte for byte. The first picture
must also equal the one built in another Python process with another hash
seed: same seed, same picture, whatever ran before. After every change:
no exception, no warning, finite axes, no "nan" or "inf" shown to the learner,
and an update that takes less than a second. Each walk also visits the
costliest setting (see test_resources.py): under 500 MB and 1 s.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import os
import re
import subprocess
import sys
import zlib
from pathlib import Path

import ipywidgets as W
import numpy as np
import pytest
from conftest import assert_healthy, set_control
from matplotlib.collections import Collection
from matplotlib.image import AxesImage
from matplotlib.lines import Line2D
from matplotlib.text import Text
from test_resources import assert_largest_setting_fits

from tutorial import sections

SWEEP = 2  # points strictly between min and max (test_demos visits the ends)
RANDOM_CHANGES = 6  # random (control, value) changes per demo
NOT_A_NUMBER = re.compile(r"\b(nan|inf|-inf)\b", re.IGNORECASE)
CLIP = 2  # pixels a text may overhang the picture's edge

CASES = sections.demos()
ROOT = Path(__file__).resolve().parent.parent

# Builds the demos in the order the walks visit them, one line each, so a
# walk rarely waits: the other process builds while this one walks.
BUILD_ALL = """
import json, sys
sys.path.insert(0, "tests")
from test_demo_walks import fingerprint
from tutorial import sections
for module, name in sections.demos():
    demo = sections.build(module, name)
    print(json.dumps([module + "." + name, fingerprint(demo)]), flush=True)
"""


def fingerprint(demo) -> dict:
    """Return what two processes must agree on: the PNG, its pixels, the sentence.

    The pixels and the sentence (which carries the numbers) tell a change in
    the computation from one in drawing or encoding when the PNGs differ.
    """
    from PIL import Image

    png = demo.png()
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))
    return {
        "png": hashlib.sha256(png).hexdigest(),
        "pixels": hashlib.sha256(pixels.tobytes()).hexdigest(),
        "message": demo.message,
    }


@pytest.fixture(scope="module")
def other_process(tmp_path_factory):
    """Build every demo in another process; return a lookup of its PNG hashes."""
    env = dict(os.environ, PYTHONHASHSEED="2718", PYTHONDONTWRITEBYTECODE="1")
    errors = tmp_path_factory.mktemp("other") / "stderr.txt"
    with open(errors, "w") as err:
        proc = subprocess.Popen(
            [sys.executable, "-c", BUILD_ALL],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
        )
    hashes = {}

    def hash_of(key: str) -> str:
        while key not in hashes:
            line = proc.stdout.readline()
            if not line:  # it ended without building this demo
                proc.wait(timeout=60)
                tail = errors.read_text()[-3000:]
                raise AssertionError(f"no {key} from the other process:\n{tail}")
            built, digest = json.loads(line)
            hashes[built] = digest
        return hashes[key]

    yield hash_of
    if proc.poll() is None:
        proc.kill()
    proc.communicate()


def is_choice(widget) -> bool:
    return isinstance(widget, sections.MENUS)


def snap(widget, fraction: float):
    """Return the value a learner reaches at `fraction` of the slider's travel."""
    if isinstance(widget, W.FloatLogSlider):
        ticks = round((widget.max - widget.min) / widget.step)
        k = round(fraction * ticks)
        return widget.base ** min(widget.min + k * widget.step, widget.max)
    ticks = math.floor((widget.max - widget.min) / widget.step + 1e-9)
    value = widget.min + round(fraction * ticks) * widget.step
    if isinstance(widget, W.IntSlider):
        return int(min(value, widget.max))
    return round(min(value, widget.max), 12)


def sweep_values(widget) -> list:
    """Return the values strictly between a slider's ends.

    Menus and check boxes have no in-between: test_demos visits every option,
    and the random changes below combine them with the other controls.
    """
    if is_choice(widget) or isinstance(widget, W.Checkbox):
        return []
    inner = [snap(widget, k / (SWEEP + 1)) for k in range(1, SWEEP + 1)]
    return [v for v in dict.fromkeys(inner) if v not in (widget.min, widget.max)]


def random_value(widget, rng: np.random.Generator):
    """Return any value a learner could set, drawn with `rng`."""
    if is_choice(widget):
        options = sections.options(widget)
        return options[rng.integers(len(options))]
    if isinstance(widget, W.Checkbox):
        return bool(rng.integers(2))
    return snap(widget, rng.random())


def assert_finite_figure(demo, where: str) -> None:
    """Fail on axes limits or drawn data that are not finite, or nan/inf text."""
    for ax in demo.fig.axes:
        for lim in (ax.get_xlim(), ax.get_ylim()):
            assert np.all(np.isfinite(lim)), f"{where}: axis limits {lim}"
        for artist in ax.get_children():
            if isinstance(artist, Line2D):
                xy = np.asarray(artist.get_xydata(), dtype=float)
                assert not np.isinf(xy).any(), f"{where}: infinite line data"
            elif isinstance(artist, Collection):
                offsets = np.asarray(artist.get_offsets(), dtype=float)
                assert not np.isinf(offsets).any(), f"{where}: infinite points"
            elif isinstance(artist, AxesImage):
                data = np.ma.masked_invalid(np.asarray(artist.get_array(), float))
                assert data.count() > 0, f"{where}: an image with no finite pixel"
    for text in demo.fig.findobj(Text):
        if text.get_visible() and NOT_A_NUMBER.search(text.get_text()):
            raise AssertionError(f"{where}: the figure shows {text.get_text()!r}")
    assert not NOT_A_NUMBER.search(demo.message), f"{where}: says {demo.message!r}"
    # The layout is frozen after the first frame: a title or label that grows
    # with a setting must still fit in the picture.
    renderer = demo.fig.canvas.get_renderer()
    box = demo.fig.bbox
    for text in words(demo.fig):
        extent = text.get_window_extent(renderer)
        inside = (
            extent.x0 >= box.x0 - CLIP
            and extent.x1 <= box.x1 + CLIP
            and extent.y0 >= box.y0 - CLIP
            and extent.y1 <= box.y1 + CLIP
        )
        assert inside, f"{where}: {text.get_text()!r} is cut off at the edge"


def words(fig) -> list:
    """Return the visible titles, axis labels, notes and legend entries."""
    found = list(fig.texts)
    for ax in fig.axes:
        found += [ax.title, ax._left_title, ax._right_title, ax.xaxis.label]
        found += [ax.yaxis.label, *ax.texts]
        if ax.get_legend() is not None:
            found += ax.get_legend().get_texts()
    return [t for t in found if t.get_visible() and t.get_text().strip()]


def change(demo, key, value, where: str) -> None:
    """Set one control as a learner would and check everything after it."""
    # Latency is measured by benchmarks/sliders.py, not asserted here: timings
    # on a shared machine are too noisy for a test.
    set_control(demo, key, value)
    assert_healthy(demo, where)
    assert_finite_figure(demo, where)


@pytest.mark.parametrize("module, name", CASES)
def test_walk_every_control_and_random_orders(module, name, other_process):
    demo = sections.build(module, name)
    where = f"{module}.{name}"
    assert_healthy(demo, f"{where} at defaults")
    assert_finite_figure(demo, f"{where} at defaults")
    first = demo.png()
    first_print = fingerprint(demo)
    defaults = demo.values()

    # Each control sweeps with the ones before it left at their last value:
    # more combinations for the same number of updates.
    for key, widget in demo.controls.items():
        for value in sweep_values(widget):
            change(demo, key, value, f"{where}: {key}={value!r}")

    rng = np.random.default_rng(zlib.crc32(where.encode()))
    keys = list(demo.controls)
    for i in range(RANDOM_CHANGES):
        key = keys[rng.integers(len(keys))]
        value = random_value(demo.controls[key], rng)
        change(demo, key, value, f"{where}: random change {i}, {key}={value!r}")
    # The costliest corner: every whole-number control at its largest.
    assert_largest_setting_fits(demo, where)
    assert_finite_figure(demo, f"{where} at its largest setting")
    for k in rng.permutation(len(keys)):
        key = keys[k]
        change(demo, key, defaults[key], f"{where}: {key} back to default")
    assert demo.png() == first, f"{where}: back at the defaults, another picture"
    # Compared last, so the other process builds while this one walks.
    assert other_process(where) == first_print, (
        f"{where}: another process drew another picture"
    )
