"""The Demo: its busy message, its warm-up, and changes that come from the browser."""

import pytest

from tutorial import plotting, widgets


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
    assert demo._frames.plan[ax].index is None  # nothing planned yet
    assert demo.warm_up("x", 3) is demo
    assert control.value == 0 and demo.png() == first
    assert demo._frames.plan[ax].index is not None  # the next drag is planned


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
    fig, (ax,) = plotting.new_figure(3, 2)
    (line,) = ax.plot([0, 1], [0, 1])
    control = widgets.int_slider("x", 0, 0, 5)

    def draw(x):
        line.set_ydata([0, x])
        return f"x is {x}."

    demo = widgets.Demo(fig, {"x": control}, draw, alt="A line rising to x.")
    control.value = 3
    assert demo.text_alternative() == "A line rising to x. x is 3."


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
