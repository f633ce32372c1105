"""The Demo: busy message, warm_up, partial redraws, browser changes, log sliders."""

import pytest
from conftest import line_demo

from tutorial import plotting, png, widgets


def make_demo(control):
    """Return a Demo over `control` and the status text seen by each draw."""
    fig, (ax,) = plotting.new_figure(3, 2)
    (line,) = ax.plot([0, 1], [0, 1])
    status = widgets.W.HTML()  # stands in until the Demo exists
    seen = []

    def draw(x):
        seen.append(status.value)
        line.set_ydata([0, 1 + float(x)])
        return f"x = {x}"

    demo = widgets.Demo(fig, {"x": control}, draw)
    status = demo.status  # noqa: F841 - read by draw
    seen.clear()
    return demo, seen


@pytest.mark.parametrize(
    "control, busy",
    [
        (widgets.int_slider("x", 0, 0, 5), False),
        (widgets.int_slider("x", 0, 0, 5, continuous_update=False), True),
        (widgets.choice("x", [0, 1, 2]), True),
    ],
    ids=["live slider", "on release", "menu"],
)
def test_busy_message_while_computing(control, busy):
    demo, seen = make_demo(control)
    control.value = 1
    assert len(seen) == 1
    assert ("Computing" in seen[0]) == busy
    assert demo.message == "x = 1" and "Computing" not in demo.status.value


def test_warm_up_plans_the_redraw_and_restores_the_picture():
    control = widgets.int_slider("x", 0, 0, 5)
    demo, _ = make_demo(control)
    first = demo.png()
    (ax,) = demo.fig.axes
    assert not demo.frames.planned(ax)  # nothing planned yet
    assert demo.warm_up("x", 3) is demo
    assert control.value == 0 and demo.png() == first
    assert demo.frames.planned(ax)  # the next drag is planned
    drawn = demo.full_draws
    control.value = 4
    assert demo.full_draws == drawn  # and redraws only the line


@pytest.mark.parametrize(
    "control, far",
    [
        (widgets.int_slider("x", 0, 0, 5), 5),
        (widgets.int_slider("x", 5, 0, 5), 0),
        (widgets.lr_slider(0.1, min=0.01, max=1.0), 1.0),
    ],
    ids=["to the max", "at the max: to the min", "log slider"],
)
def test_warm_up_goes_to_the_far_end_by_default(control, far):
    demo, _ = make_demo(control)
    start = control.value
    visited = []
    control.observe(lambda change: visited.append(change["new"]), names="value")
    demo.warm_up("x")
    assert visited == [pytest.approx(far), start]


def test_text_alternative_is_the_description_then_the_sentence():
    demo, control = line_demo(alt="A line rising to x.")
    control.value = 3
    assert demo.text_alternative() == "A line rising to x. x is 3."


def walk(demo, control, values) -> list[bytes]:
    """Set the control to each value; return the pictures."""
    pictures = []
    for value in values:
        control.value = value
        pictures.append(demo.png())
    return pictures


def test_partial_off_draws_every_frame_in_full_with_the_same_pictures():
    values = [3, 5, 1, 0]
    partial_demo, _ = make_demo(widgets.int_slider("x", 0, 0, 5))
    full_demo, _ = make_demo(control := widgets.int_slider("x", 0, 0, 5))
    full_demo.partial = False
    before = full_demo.full_draws
    partial_pictures = walk(partial_demo, partial_demo.controls["x"], values)
    assert walk(full_demo, control, values) == partial_pictures
    assert full_demo.full_draws - before == len(values)
    assert partial_demo.full_draws == 1  # its first frame only
    assert full_demo.frames.reason == "partial redraws are off"
    full_demo.partial = True  # and back on: it plans afresh
    assert walk(full_demo, control, [2, 4]) == walk(
        partial_demo, partial_demo.controls["x"], [2, 4]
    )


@pytest.mark.parametrize(
    "value, partial", [("1", False), ("yes", False), ("0", True), ("", True)]
)
def test_the_environment_switches_partial_redraws_off(monkeypatch, value, partial):
    monkeypatch.setenv("TUTORIAL_FULL_REDRAW", value)
    demo, _ = make_demo(widgets.int_slider("x", 0, 0, 5))
    assert demo.partial is partial
    fig, _ = plotting.new_figure(3, 2)
    assert widgets.Demo(
        fig, {"x": widgets.int_slider("x", 0, 0, 5)}, lambda x: "", partial=True
    ).partial  # an explicit choice wins


def test_an_error_in_draw_is_shown_and_the_next_value_recovers():
    fig, (ax,) = plotting.new_figure(3, 2)
    (line,) = ax.plot([0, 1], [0, 1])

    def draw(x):
        line.set_ydata([0, x])  # changed before failing: a half-made frame
        if x == 3:
            raise ValueError("three is not allowed")
        return f"x = {x}"

    control = widgets.int_slider("x", 0, 0, 5)
    demo = widgets.Demo(fig, {"x": control}, draw)
    control.value = 3
    assert isinstance(demo.error, ValueError) and "three" in demo.status.value
    control.value = 4
    assert demo.error is None and demo.message == "x = 4"
    assert demo.png() == png.png_bytes(fig)


def test_log_slider_moves_in_equal_ratios_between_its_ends():
    slider = widgets.log_slider("tolerance", 1e-6, 1e-12, 1e-1, steps=22, fmt=".0e")
    assert widgets.ends(slider) == pytest.approx((1e-12, 1e-1))
    assert slider.step == pytest.approx(11 / 22) and slider.readout_format == ".0e"
    by_step = widgets.log_slider("ε", 1e-4, 1e-10, 1e-1, step=0.25)
    assert by_step.step == 0.25 and by_step.value == pytest.approx(1e-4)
    lr = widgets.lr_slider(0.1, min=0.01, max=1.0, steps=20)
    assert lr.description == "learning rate η" and lr.step == pytest.approx(0.1)


def test_a_change_made_while_drawing_is_drawn_once_after_the_frame():
    control = widgets.int_slider("x", 0, 0, 5)
    fig, (ax,) = plotting.new_figure(3, 2)
    (line,) = ax.plot([0, 1], [0, 1])
    drawn = []

    def draw(x):
        drawn.append(x)
        if x == 1:
            control.value = 3  # e.g. a draw that moves another knob
            assert drawn == [0, 1]  # not drawn inside this frame
        line.set_ydata([0, x])
        return f"x = {x}"

    demo = widgets.Demo(fig, {"x": control}, draw)
    control.value = 1
    assert demo.error is None, demo.error
    assert drawn == [0, 1, 3] and demo.message == "x = 3"
    assert list(line.get_ydata()) == [0, 3]
