"""Pictures drawn ahead (tutorial/prefetch.py): the right ones, only when asked.

A kernel is stood in for by a list of scheduled callbacks and a switch that
says whether the change came from the browser.
"""

import itertools

import pytest
from conftest import assert_healthy, line_demo

from tutorial import export, page_pictures, plotting, prefetch, sections, widgets


@pytest.fixture
def kernel(monkeypatch):
    """A stand-in kernel: callbacks wait in `kernel.waiting` until `run()`,
    which is the learner looking at the picture (the clock moves on).

    Plans reach one step either side (AHEAD = 1), so that each test shows the
    order it is about; the steps further on have tests of their own (`far`).
    """

    class Kernel:
        waiting: list = []
        from_browser = True
        now = 0.0

        def call_later(self, delay, callback, key=None):
            assert delay in (0, prefetch.WAIT_S)
            self.waiting.append(callback)

        def run(self):
            self.now += 1.0
            while self.waiting:
                self.waiting.pop(0)()

    k = Kernel()
    k.waiting = []
    monkeypatch.setattr(prefetch, "AHEAD", 1)
    monkeypatch.setattr(widgets, "scheduler", lambda: k.call_later)
    monkeypatch.setattr(prefetch, "learner_change", lambda: k.from_browser)
    monkeypatch.setattr(prefetch, "_clock", lambda: k.now)
    return k


AHEAD = prefetch.AHEAD  # as far as a Demo draws ahead (`kernel` plans less)


@pytest.fixture
def far(kernel, monkeypatch):
    """The stand-in kernel, with plans as far ahead as a Demo draws them."""
    monkeypatch.setattr(prefetch, "AHEAD", AHEAD)
    return kernel


def counted_line_demo():
    demo, control = line_demo()
    drawn = []
    draw = demo._draw

    def counting(**values):
        drawn.append(values["x"])
        return draw(**values)

    demo._draw = counting
    return demo, control, drawn


def recording_demo(sliders: dict):
    """A Demo over these sliders whose drawing records the values it drew."""
    fig, (ax,) = plotting.new_figure(3, 2)
    (line,) = ax.plot([0, 1], [0, 1])
    drawn = []

    def draw(**values):
        drawn.append(tuple(values.values()))
        line.set_ydata([sum(values.values()), next(iter(values.values()))])

    return widgets.Demo(fig, sliders, draw), drawn


@pytest.mark.parametrize(
    "make, value, direction, expected",
    [
        (lambda: widgets.int_slider("n", 2, 0, 5), 2, 1, [3, 1]),
        (lambda: widgets.int_slider("n", 2, 0, 5), 2, -1, [1, 3]),
        (lambda: widgets.int_slider("n", 0, 0, 5), 0, -1, [1]),
        (lambda: widgets.int_slider("n", 5, 0, 5), 5, 1, [4]),
        (lambda: widgets.float_slider("s", 0.1, 0.0, 1.0, 0.05), 0.1, 1, [0.15, 0.05]),
        # η = 0.1 lies between two steps of this log slider (exponents -3 to 0
        # in steps of 0.075): its neighbours are 10^-0.975 and 10^-1.05.
        (lambda: widgets.lr_slider(0.1), 0.1, 1, [10**-0.975, 10**-1.05]),
    ],
    ids=["int up", "int down", "low end", "high end", "float", "log between steps"],
)
def test_neighbours_are_one_step_either_side(make, value, direction, expected):
    widget = make()
    assert widget.value == pytest.approx(value)
    found = prefetch.neighbours(widget, direction)
    assert found == pytest.approx(expected, rel=1e-9)


def test_a_learner_step_is_drawn_ahead_and_served_without_drawing(kernel):
    demo, control, drawn = counted_line_demo()
    control.value = 2  # a learner's step up
    assert drawn == [2] and len(kernel.waiting) == 1
    kernel.run()
    assert drawn == [2, 3, 1]  # the step ahead first, then the one behind
    assert demo._prefetch.drawn_ahead == 2
    ahead = list(demo._prefetch._kept)
    control.value = 3
    assert drawn == [2, 3, 1], "the kept picture is shown, nothing drawn"
    assert demo._prefetch.served == 1
    assert_healthy(demo)
    assert demo.message == "x is 3." and "x is 3." in demo.image.tooltip
    # The same picture as drawing on arrival.
    fresh, fresh_control = line_demo()
    fresh_control.value = 3
    assert demo.png() == fresh.png()
    assert [v["x"] for v, _ in ahead] == [0, 2, 3, 1]  # the first frame too


def test_a_plan_is_dropped_when_the_controls_move_on(kernel):
    demo, control, drawn = counted_line_demo()
    control.value = 2
    kernel.from_browser = False  # a cell sets the slider before the kernel idles
    control.value = 5
    kernel.run()
    assert drawn == [2, 5] and demo._prefetch.drawn_ahead == 0


def test_nothing_is_kept_or_planned_for_changes_not_from_the_browser(kernel):
    kernel.from_browser = False
    demo, control, drawn = counted_line_demo()
    control.value = 2
    control.value = 3
    control.value = 2  # drawn again: only a learner's change is served kept pictures
    assert drawn == [2, 3, 2] and kernel.waiting == []


def test_only_live_sliders_of_demos_without_run_are_drawn_ahead(kernel):
    demo, control, drawn = counted_line_demo()
    control.continuous_update = False
    control.value = 2
    assert kernel.waiting == []
    fig, _ = plotting.new_figure(3, 2)
    knob = widgets.int_slider("x", 0, 0, 5)
    manual = widgets.Demo(fig, {"x": knob}, lambda x: None, manual=True)
    assert manual._prefetch is None


def test_no_prefetching_outside_a_kernel_or_when_switched_off(monkeypatch):
    monkeypatch.delenv("TUTORIAL_PREFETCH", raising=False)
    assert prefetch.scheduler() is None  # pytest runs no kernel
    assert prefetch.learner_change() is False
    demo, _ = line_demo()
    assert demo._prefetch is None


def test_export_mode_never_prefetches(kernel, monkeypatch):
    monkeypatch.setattr(export, "active", lambda: True)
    demo, _ = line_demo()
    assert demo._prefetch is None


def test_a_neighbour_that_fails_is_not_kept(kernel):
    demo, control, drawn = counted_line_demo()
    draw = demo._draw

    def failing(**values):
        if values["x"] == 3:
            raise ValueError("x: 3 is out of range")
        return draw(**values)

    demo._draw = failing
    control.value = 2
    kernel.run()
    assert [v["x"] for v, _ in demo._prefetch._kept] == [0, 2, 1]


def page_messages(demo) -> list:
    """Record what the demo sends its pictures' page side: (content, buffers)."""
    sent = []
    demo._page.send = lambda content, buffers=None: sent.append((content, buffers))
    return sent


def test_pictures_drawn_ahead_go_to_the_page_as_the_kernel_would_show_them(kernel):
    """tutorial/page_pictures.py: each picture drawn ahead is sent to the page
    with the values the page's slider will have, and the page shows exactly
    what the kernel shows when it serves that step (bytes, sentence, name)."""
    demo, control, drawn = counted_line_demo()
    sent = page_messages(demo)
    control.value = 2
    assert sent == [], "nothing is sent before the learner rests"
    kernel.run()
    assert [(c["kind"], c["values"]) for c, _ in sent] == [("keep", [3]), ("keep", [1])]
    page = {c["values"][0]: (b[0], c["sentence"], c["name"]) for c, b in sent}
    control.value = 3  # served from the kernel's kept pictures
    assert drawn == [2, 3, 1] and demo._prefetch.served == 1
    assert page[3] == (demo.png(), demo.status.value, demo.image.tooltip)


def test_a_picture_the_page_has_is_not_sent_again(kernel):
    demo, control, drawn = counted_line_demo()
    sent = page_messages(demo)
    control.value = 2
    kernel.run()  # 3 and 1 sent
    control.value = 3
    kernel.run()  # plans 4 (new) and 2 (kept, shown but never sent)
    control.value = 2
    kernel.run()  # plans 1 and 3: both in the page already
    kinds = [(c["kind"], c["values"][0], b is not None) for c, b in sent]
    assert kinds == [
        ("keep", 3, True), ("keep", 1, True),
        ("keep", 2, True), ("keep", 4, True),
        ("touch", 1, False), ("touch", 3, False),
    ]  # fmt: skip
    assert drawn == [2, 3, 1, 4]


def test_the_page_matches_menus_by_index_and_numbers_as_numbers():
    menu = widgets.W.Dropdown(options=[("bowl", "b"), ("valley", "v")], value="v")
    assert page_pictures.page_value(menu, "v") == 1
    assert page_pictures.page_value(widgets.int_slider("n", 2, 0, 5), 2) == 2
    assert page_pictures.page_value(widgets.lr_slider(0.1), 0.1) == 0.1
    assert page_pictures.page_value(widgets.W.Checkbox(), True) is True
    demo, _ = line_demo()
    page = page_pictures.PagePictures(
        {"x": demo.controls["x"], "m": menu}, demo.image, demo.status
    )
    assert page.control_traits == ["value", "index"]
    assert page.image is demo.image and page.status is demo.status


def test_the_kernel_mirrors_as_many_pictures_as_the_page_keeps():
    """PagePictures knows what the page has by keeping the page's rule: the
    newest KEEP, in the order sent; the script must keep as many."""
    import re

    script = page_pictures.PagePictures._esm
    assert int(re.search(r"const KEEP = (\d+);", script)[1]) == page_pictures.KEEP


def test_no_page_pictures_without_drawing_ahead(kernel, monkeypatch):
    fig, _ = plotting.new_figure(3, 2)
    knob = widgets.int_slider("x", 0, 0, 5)
    manual = widgets.Demo(fig, {"x": knob}, lambda x: None, manual=True)
    assert manual._page is None
    monkeypatch.setattr(export, "active", lambda: True)
    assert line_demo()[0]._page is None


@pytest.mark.parametrize("module, name", sections.demos())
def test_every_demo_draws_ahead_the_picture_it_draws_on_arrival(kernel, module, name):
    """A frame depends on the control values alone, whatever was drawn before:
    each kept picture equals the one the same demo draws on arrival later,
    from another figure state."""
    demo = sections.build(module, name)
    assert (demo._prefetch is None) == demo.manual
    live = [k for k, w in demo.controls.items() if sections.is_live(demo, w)]
    # A full plan (AHEAD on the moved slider's way, one back, one either side
    # of each other live slider) leaves room for the picture shown and the one
    # before it, so none of a plan pushes out another of its pictures.
    assert AHEAD + 1 + 2 * (len(live) - 1) <= prefetch.KEEP - 2 or not live
    for key in live:
        widget = demo.controls[key]
        default = widget.value
        kernel.from_browser = True
        widget.value = prefetch.neighbours(widget, 1)[0]  # a learner's step
        before = {id(values) for values, _ in demo._prefetch._kept}
        kernel.run()  # its neighbours, and the other live sliders', drawn ahead
        kernel.from_browser = False  # from now on, every picture drawn on arrival
        ahead = [(v, f) for v, f in demo._prefetch._kept if id(v) not in before]
        assert len(ahead) >= min(len(prefetch.neighbours(widget, 1)), 1)
        for kept, frame in ahead:
            for k, v in kept.items():
                demo.controls[k].value = v
            assert_healthy(demo, f"{module}.{name}: {kept}")
            assert frame.png == demo.png(), f"{module}.{name}: {kept}"
            assert frame.message == demo.message, f"{module}.{name}: {kept}"
        widget.value = default
    assert (demo._prefetch is not None and demo._prefetch.drawn_ahead > 0) == bool(live)


def test_the_scheduler_hands_callbacks_to_the_kernels_loop(monkeypatch):
    """Drawing ahead happens on the kernel's thread: the waiting thread only
    passes each callback to the kernel's loop, when due; a key scheduled again
    before then waits for its last callback only."""
    import threading
    import time

    handed = []
    done = threading.Event()

    class Loop:
        def add_callback(self, callback):
            handed.append((callback, threading.current_thread()))
            done.set()

    class Kernel:
        io_loop = Loop()

    monkeypatch.delenv("TUTORIAL_PREFETCH", raising=False)
    monkeypatch.setattr(prefetch, "_kernel", lambda: Kernel())
    call_later = prefetch.scheduler()
    assert prefetch.scheduler() == call_later  # one waiting thread per loop
    call_later(0, print)
    assert handed == [(print, threading.current_thread())]
    done.clear()
    started = time.monotonic()
    call_later(0.05, len, key="a")
    call_later(0.10, sum, key="a")  # replaces len
    call_later(0.02, abs, key="b")
    assert done.wait(5)
    deadline = time.monotonic() + 5
    while len(handed) < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.1)
    assert [c for c, _ in handed[1:]] == [abs, sum]
    assert time.monotonic() - started >= 0.1
    assert all(thread is not threading.current_thread() for _, thread in handed[1:])
    monkeypatch.setenv("TUTORIAL_PREFETCH", "0")
    assert prefetch.scheduler() is None


def test_during_a_drag_only_the_last_step_is_drawn_ahead(kernel):
    demo, control, drawn = counted_line_demo()
    for value in (1, 2, 3):  # each step before the kernel is idle for long
        control.value = value
    assert len(kernel.waiting) == 3
    kernel.run()  # the first two callbacks are stale
    assert drawn == [1, 2, 3, 4]


def test_a_drag_is_drawn_on_arrival_even_through_kept_pictures(kernel):
    """Kept pictures answer a step after a rest, never a step of a fast drag
    (the drawing paces the pictures to what the page can show)."""
    demo, control, drawn = counted_line_demo()
    control.value = 1
    kernel.run()  # 2 is drawn ahead
    assert drawn == [1, 2]
    control.value = 2  # after a rest: the kept picture
    assert drawn == [1, 2] and demo._prefetch.served == 1
    control.value = 1  # at once, as in a drag: drawn although kept
    control.value = 2
    assert drawn == [1, 2, 1, 2] and demo._prefetch.served == 1


def test_slow_controls_are_drawn_on_arrival_even_when_kept(kernel):
    """Kept pictures answer live sliders only: a kept picture for a slow
    control would leave the figure behind, to be caught up by the next draw."""
    slow = widgets.int_slider("y", 0, 0, 5, continuous_update=False)
    live = widgets.int_slider("x", 0, 0, 5)
    demo, drawn = recording_demo({"x": live, "y": slow})
    slow.value = 1
    kernel.run()  # the live slider's neighbour x = 1 is drawn ahead at y = 1
    slow.value = 0  # kept since the first frame, drawn again
    kernel.run()  # x = 1 drawn ahead at y = 0
    live.value = 1  # served
    kernel.run()  # x = 2 drawn ahead
    live.value = 2  # served
    assert drawn == [(0, 0), (0, 1), (1, 1), (0, 0), (1, 0), (2, 0)]
    assert demo._prefetch.served == 2


def test_the_other_live_sliders_are_drawn_ahead_too(kernel):
    """After a step of one slider the learner may step another: one step either
    side of every live slider is drawn ahead, the moved one's first."""
    x = widgets.int_slider("x", 2, 0, 5)
    y = widgets.int_slider("y", 2, 0, 5)
    demo, drawn = recording_demo({"x": x, "y": y})
    x.value = 3
    kernel.run()
    assert drawn == [(2, 2), (3, 2), (4, 2), (3, 3), (3, 1)]
    y.value = 1  # the other slider's first step: served
    assert demo._prefetch.served == 1 and drawn[-1] == (3, 1)
    assert demo.values() == {"x": 3, "y": 1}


def test_a_kept_neighbour_outlives_the_pictures_drawn_after_it(kernel):
    """A step back finds the picture it left, however many pictures were
    drawn ahead since that one was kept."""
    sliders = {k: widgets.int_slider(k, 5, 0, 10) for k in "xyz"}
    demo, drawn = recording_demo(sliders)
    for value in (6, 7):  # two steps up, each drawing five pictures ahead
        sliders["x"].value = value
        kernel.run()
    count = len(drawn)
    sliders["x"].value = 6  # one step back: kept before the last ten pictures
    assert demo._prefetch.served == 2 and len(drawn) == count


def test_a_plan_reaches_AHEAD_steps_either_side_of_the_slider_moved(far):
    """After a step: one step either side (the way it moved first), one either
    side of the other live sliders, then further either way up to AHEAD steps,
    nearest first, the way it moved first at each distance; the end of the
    slider cuts one way short. A fast drag of up to AHEAD steps either way
    then finds every picture in the page."""
    x = widgets.int_slider("x", 5, 0, 30)
    y = widgets.int_slider("y", 2, 0, 5)
    demo, drawn = recording_demo({"x": x, "y": y})
    sent = page_messages(demo)
    x.value = 6  # a step up
    far.run()
    # (5, 2) is kept from the first frame: sent to the page first, not drawn.
    assert drawn[:5] == [(5, 2), (6, 2), (7, 2), (6, 3), (6, 1)]
    further = [v for v, _ in drawn[5:]]
    distance = [abs(v - 6) for v in further]
    assert distance == sorted(distance) and distance[0] == 2
    pairs = itertools.pairwise(further)
    assert all(a > b for a, b in pairs if abs(a - 6) == abs(b - 6)), "up first"
    reach = {v for v in range(31) if 1 <= abs(v - 6) <= AHEAD}
    assert len(further) == len(set(further)), further
    assert set(further) == reach - {5, 7}, "down to 0 and up to 6 + AHEAD"
    in_page = [tuple(c["values"]) for c, _ in sent]
    assert in_page[0] == (5, 2) and len(set(in_page)) == len(in_page)
    assert {v for v, y_ in in_page if y_ == 2} == reach
