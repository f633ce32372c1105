"""Every demo of every notebook: built headless, every control to its ends.

At each position the picture must be the one a full draw makes, byte for
byte; and a live control (`sections.is_live`) must get there with at most one
full draw: the canary that sees `tutorial/frames.py` fall back to full draws,
as it would if a matplotlib release broke one of its assumptions.
"""

import ipywidgets as W
import numpy as np
import pytest
from conftest import (
    FRAME_MAX_BYTES,
    assert_healthy,
    crowded_tick_labels,
    decode_png,
    frame_errors,
    set_control,
)

from tutorial import plotting, png, sections


@pytest.mark.parametrize("module, name", sections.demos())
def test_every_control_min_default_max(module, name):
    demo = sections.build(module, name)
    assert_healthy(demo, f"{module}.{name} at defaults")
    # What the figure shows, in words: its text alternative for screen
    # readers, exported pages and `python -m tutorial figures`.
    assert demo.alt.strip(), f"{module}.{name}: no alt"
    first = demo.png()
    # The frame is an indexed PNG (tutorial/png.py): it must show the figure
    # as a full-colour draw renders it, within the stated tolerance.
    png.png_bytes(demo.fig)  # a full draw; the canvas keeps its pixels
    drawn = np.asarray(demo.fig.canvas.buffer_rgba())
    assert frame_errors(drawn, decode_png(first)) == [], f"{module}.{name}"
    assert len(first) <= FRAME_MAX_BYTES, f"{module}.{name}: {len(first)} bytes"
    assert demo.controls, "a demo needs at least one control"
    for key, widget in demo.controls.items():
        default = widget.value
        pictures = set()
        drawn = demo.full_draws
        for value in sections.positions(widget):
            set_control(demo, key, value)
            assert_healthy(demo, f"{module}.{name}: {key}={value!r}")
            # The partial redraw (tutorial/frames.py) must make the very
            # picture a full draw makes.
            full = png.png_bytes(demo.fig)
            assert demo.png() == full, (
                f"{module}.{name}: {key}={value!r}: partial redraw differs"
            )
            with plotting.style():  # tick labels as the picture places them
                crowded = crowded_tick_labels(demo.fig)
            assert crowded == [], f"{module}.{name}: {key}={value!r}: {crowded}"
            pictures.add(demo.png())
        assert len(pictures) > 1, f"{module}.{name}: moving {key!r} changes nothing"
        set_control(demo, key, default)
        assert_healthy(demo, f"{module}.{name}: {key} back to {default!r}")
        if sections.is_live(demo, widget):
            full_draws = demo.full_draws - drawn
            assert full_draws <= 1, (
                f"{module}.{name}: dragging {key!r} needed {full_draws} full "
                f"draws (the last because: {demo.frames.reason})"
            )
    assert demo.png() == first, f"{module}.{name}: back at defaults, another picture"
    # Every line over a surface is outlined, those the draw function made
    # included (WCAG 2.1, 1.4.11: 3:1 on every colour of the map).
    missed = plotting.outline_over_surfaces(demo.fig)
    assert missed == 0, f"{module}.{name}: {missed} lines over a surface not outlined"


@pytest.mark.parametrize("module", sections.MODULES)
def test_demos_are_listed_and_displayable(module):
    demos = sections.load(module).DEMOS
    assert demos and all(callable(make) for make in demos.values())
    demo = next(iter(demos.values()))()
    assert isinstance(demo.widget, W.Widget)
    assert demo.image.layout.width.endswith("px")
