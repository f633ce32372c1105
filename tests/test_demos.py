"""Every demo of every notebook: built headless, every control to its ends."""

import ipywidgets as W
import numpy as np
import pytest
from conftest import (
    FRAME_MAX_BYTES,
    assert_healthy,
    decode_png,
    demo_cases,
    frame_errors,
    section,
    set_control,
)

from tutorial import png


def control_values(widget):
    """Return (min, default, max) or every option of a control."""
    if isinstance(widget, (W.Dropdown, W.ToggleButtons, W.RadioButtons)):
        return list(widget._options_values)
    if isinstance(widget, W.Checkbox):
        return [not widget.value, widget.value]
    if isinstance(widget, W.FloatLogSlider):
        return [widget.base**widget.min, widget.value, widget.base**widget.max]
    return [widget.min, widget.value, widget.max]


@pytest.mark.parametrize("module, name", demo_cases())
def test_every_control_min_default_max(module, name):
    demo = section(module).DEMOS[name]()
    assert_healthy(demo, f"{module}.{name} at defaults")
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
        for value in control_values(widget):
            set_control(demo, key, value)
            assert_healthy(demo, f"{module}.{name}: {key}={value!r}")
            # The partial redraw (tutorial/frames.py) must make the very
            # picture a full draw makes.
            full = png.png_bytes(demo.fig)
            assert demo.png() == full, (
                f"{module}.{name}: {key}={value!r}: partial redraw differs"
            )
            pictures.add(demo.png())
        assert len(pictures) > 1, f"{module}.{name}: moving {key!r} changes nothing"
        set_control(demo, key, default)
        assert_healthy(demo, f"{module}.{name}: {key} back to {default!r}")
    assert demo.png() == first, f"{module}.{name}: back at defaults, another picture"


@pytest.mark.parametrize("module", sorted({m for m, _ in demo_cases()}))
def test_demos_are_listed_and_displayable(module):
    demos = section(module).DEMOS
    assert demos and all(callable(make) for make in demos.values())
    demo = next(iter(demos.values()))()
    assert isinstance(demo.widget, W.Widget)
    assert demo.image.layout.width.endswith("px")
