"""The next picture, drawn while the learner looks at this one.

A learner steps a slider with the arrow keys, or drags it slowly, and looks at
each picture. Meanwhile the kernel is idle. A `Demo` spends that time drawing
the pictures one step either side of the slider just moved (the way it was
moving first), then one step either side of its other live sliders, then those
up to `AHEAD` steps either side of the slider moved, nearest first, and keeps
them, with the last pictures it showed. When the browser's next value matches
a kept picture, the picture goes back at once, without the 10 to 40 ms of
drawing (benchmarks/browser.py: the learner's wait for a step, in Chromium,
locally and over a Binder-like link).

A kept picture is exactly the one the Demo would draw: a frame depends on the
control values alone (tests/test_prefetch.py draws every demo's neighbours
ahead and compares them byte for byte with drawing on arrival). Values match
within a relative 1e-9, since the browser works out a log slider's value with
its own power function; a value between two steps (a default such as η = 0.1)
has the steps on either side as its neighbours.

When it runs: only in a kernel, only after a change that came from the browser
(never while a notebook's cells run, so Run All and the tests spend nothing on
it), only for a demo without a Run button, and only for live sliders: a kept
picture answers only a live slider's step (slow controls answer on release and
are drawn on arrival, or the figure would be left behind and the next drawing
would pay for catching up). Each neighbour is one call on the kernel's event
loop, so a message from the browser waits for at most one frame; a plan is
dropped as soon as the controls change, and starts only once the learner has had
the picture for a moment (`WAIT_S`, 0.3 s).

Kept pictures answer only a step taken after such a rest, never a step of a
fast drag. During a drag the page, not the kernel, is the bottleneck: on two
cores JupyterLab's page took 100 to 170 ms to show a picture whose message had
already arrived, while it handled the key presses (benchmarks/browser.py).
Drawing each drag step on arrival keeps pictures from coming faster than the
page can show them, as before pictures were drawn ahead.

Each picture of a plan also goes to the page (`share`, which a Demo points at
tutorial.page_pictures), where a step onto it is shown before the kernel hears
of it, in a drag too; the kernel's own answer is the same picture. So a drag
that starts after a rest and stays within `AHEAD` steps is shown by the page
step by step, and its last picture needs no kernel (benchmarks/browser.py,
"fast drag").

Set the environment variable TUTORIAL_PREFETCH=0 to switch it off (the
benchmark measures every step drawn on arrival that way). Nothing here runs in
export mode.
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections.abc import Callable
from functools import partial
from typing import NamedTuple

import ipywidgets as W

from .player import grid, same_value

__all__ = [
    "Frame",
    "Prefetcher",
    "learner_change",
    "neighbours",
    "scheduler",
    "steps_away",
]

# Steps drawn ahead either side of a slider just moved: a fast drag (issue 17's
# ten key presses; a mouse drag goes as far in a fraction of a second) on
# either way is then shown by the page step by step (tutorial/page_pictures.py)
# with no picture to wait for from the kernel. Either way, as learners drag
# back as often as on (benchmarks/browser.py drags on, then back).
AHEAD = 10
# Pictures kept per demo: those drawn ahead (AHEAD either side of the slider
# moved, one either side of two other live sliders) and the last two shown.
KEEP = 2 * AHEAD + 2 * 2 + 2
# The rest that tells a learner's step from a drag: drawing ahead starts, and
# kept pictures answer, only this long after the last change. In a fast drag
# in JupyterLab on two cores the values reached the kernel 0.05 to 0.2 s apart
# (the page sends the next one after it has handled the last answer); drawing
# ahead in those gaps took a core from the page just when it was the
# bottleneck. A learner who steps and looks waits longer than this.
WAIT_S = 0.3
_clock = time.monotonic  # replaced in the tests
LIVE_SLIDERS = (W.IntSlider, W.FloatSlider, W.FloatLogSlider)


class Frame(NamedTuple):
    """A drawn picture and the sentence under it."""

    png: bytes
    message: str


def _kernel():
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipywidgets
        return None
    return getattr(get_ipython(), "kernel", None)


class _Waker:
    """One thread that hands callbacks to the kernel's event loop when due.

    Each key has at most one callback waiting: scheduling again replaces it.
    The thread is woken only when a callback is due sooner than any waiting,
    so during a drag (a change every few tens of ms, each pushing its
    callback later) it sleeps on. One long-lived thread, not a timer thread
    per change: starting a thread makes the kernel's thread wait for it, and
    every thread that wakes takes the interpreter lock from the drawing.
    """

    def __init__(self, loop):
        self._loop = loop
        self._waiting: dict = {}  # key -> (when, callback)
        self._changed = threading.Condition()
        thread = threading.Thread(target=self._run, name="tutorial-prefetch")
        thread.daemon = True
        thread.start()

    def call_later(self, delay: float, callback: Callable, key=None) -> None:
        if delay <= 0:
            self._loop.add_callback(callback)
            return
        when = time.monotonic() + delay
        with self._changed:
            sooner = all(when < w for w, _ in self._waiting.values())
            self._waiting[key] = (when, callback)
            if sooner:
                self._changed.notify()

    def _run(self) -> None:
        with self._changed:
            while True:
                now = time.monotonic()
                for key in [k for k, (w, _) in self._waiting.items() if w <= now]:
                    self._loop.add_callback(self._waiting.pop(key)[1])
                whens = [w for w, _ in self._waiting.values()]
                self._changed.wait(min(whens) - now if whens else None)


_wakers: dict = {}  # one per event loop


def scheduler() -> Callable | None:
    """Return ``call_later(delay, callback, key=None)`` for the kernel's
    thread, or None outside a kernel.

    The callback runs on the kernel's main thread (where the figures are
    drawn), `delay` seconds later, unless the same key is scheduled again
    meanwhile. The wait happens in a thread (`_Waker`) that then hands the
    callback to the kernel's event loop, which wakes up for it: a timer set on
    that loop itself fired only with the next message from JupyterLab
    (ipykernel 7.4; in a kernel driven by jupyter_client alone it fired on
    time), i.e. too late to draw anything ahead.
    """
    if os.environ.get("TUTORIAL_PREFETCH", "1") in ("0", ""):
        return None
    loop = getattr(_kernel(), "io_loop", None)
    if not hasattr(loop, "add_callback"):
        return None
    if id(loop) not in _wakers:
        _wakers[id(loop)] = _Waker(loop)
    return _wakers[id(loop)].call_later


def learner_change() -> bool:
    """Whether the kernel is handling a message from a widget in the browser."""
    kernel = _kernel()
    try:
        return kernel.get_parent()["header"]["msg_type"] == "comm_msg"
    except (AttributeError, KeyError, TypeError):
        return False


def steps_away(widget, direction: int, count: int) -> list[list]:
    """Return a slider's positions 1 to `count` steps either side of its value:
    a list per distance, the one in `direction` (+1 up, -1 down) first. A
    value between two steps has those two as its nearest; near an end a list
    has one position, or none.
    """
    values = [value for value, _ in grid(widget)]
    current = widget.value
    below = [v for v in values if v < current and not same_value(v, current)]
    above = [v for v in values if v > current and not same_value(v, current)]
    ahead, behind = (above, below[::-1]) if direction >= 0 else (below[::-1], above)
    return [ahead[k : k + 1] + behind[k : k + 1] for k in range(count)]


def neighbours(widget, direction: int) -> list:
    """Return a slider's positions one step either side of its value, the one
    in `direction` first."""
    return steps_away(widget, direction, 1)[0]


class Prefetcher:
    """The pictures a Demo keeps: drawn ahead for a learner, or shown lately.

    Parameters
    ----------
    controls : dict of str -> widget
        The demo's controls.
    draw : callable
        ``draw(values) -> Frame``: draws the figure for those values (without
        touching the widgets) and returns the frame, or raises.
    call_later : callable
        ``call_later(delay, callback, key=None)`` runs ``callback()`` on the
        kernel's event loop (`scheduler`).
    share : callable, optional
        ``share(values, frame)`` is called with every picture of a plan, drawn
        or already kept, once the learner has rested (tutorial.page_pictures
        sends it to the page).
    """

    def __init__(
        self,
        controls: dict,
        draw: Callable,
        call_later: Callable,
        share: Callable | None = None,
    ):
        self.controls = controls
        self._draw = draw
        self._call_later = call_later
        self._share = share
        self._kept: list[tuple[dict, Frame]] = []  # oldest first
        self._plan: list[dict] = []
        self._shares: list[tuple[dict, Frame]] = []  # planned, already kept
        self._planned_for: dict | None = None
        self._generation = 0  # which plan a scheduled callback belongs to
        self._last_change = -math.inf  # when the learner last moved a control
        self.drawn_ahead = 0  # frames drawn ahead so far
        self.served = 0  # steps answered with a kept picture

    def _values(self) -> dict:
        return {name: widget.value for name, widget in self.controls.items()}

    @staticmethod
    def _match(a: dict, b: dict) -> bool:
        return all(same_value(a[name], b[name]) for name in a)

    def _live(self, name: str | None) -> bool:
        widget = self.controls.get(name)
        return isinstance(widget, LIVE_SLIDERS) and widget.continuous_update is True

    def take(self, values: dict, moved: str | None) -> Frame | None:
        """Return the kept picture for these values, if a learner has just
        stepped the live slider `moved` after a rest."""
        if not learner_change() or not self._live(moved):
            # A slow control is drawn on arrival: a kept picture would leave
            # the figure behind, and the next drawing would pay for catching
            # up (notebook 04: one on-release update 0.7 -> 1.0 s).
            return None
        if _clock() - self._last_change < WAIT_S:
            return None  # a step of a fast drag
        for kept, frame in self._kept:
            if self._match(kept, values):
                self.served += 1
                return frame
        return None

    def _refresh(self, values: dict) -> Frame | None:
        """Move the kept picture for these values to the newest end and return
        it; None if there is none."""
        for i, (kept, frame) in enumerate(self._kept):
            if self._match(kept, values):
                self._kept.append(self._kept.pop(i))
                return frame
        return None

    def keep(self, values: dict, frame: Frame) -> None:
        """Keep a picture drawn for these values (the oldest goes beyond `KEEP`)."""
        self._kept = [(v, f) for v, f in self._kept if not self._match(v, values)]
        self._kept.append((dict(values), frame))
        del self._kept[:-KEEP]

    def after_change(self, name: str, old, new) -> None:
        """Plan the pictures one step away after a learner's change: those of
        the live slider just moved first (the way it was moving first), then
        those of the demo's other live sliders, where the next step may be."""
        if not learner_change():
            return
        self._last_change = _clock()
        steps, further = [], []
        if self._live(name):
            direction = 1 if new >= old else -1
            near, *far = steps_away(self.controls[name], direction, AHEAD)
            steps = [(name, v) for v in near]
            further = [(name, v) for distance in far for v in distance]
        for other, widget in self.controls.items():
            if other != name and self._live(other):
                steps += [(other, v) for v in neighbours(widget, 1)]
        steps += further  # last: the moved slider further either way, for a drag
        now = self._values()
        plan = []
        # A planned picture already kept moves to the newest end, so the
        # pictures drawn for this plan do not push it out; with room for the
        # picture shown and the one before it, none of the plan is pushed out.
        shares = []
        for key, value in steps[: KEEP - 2]:
            values = {**now, key: value}
            frame = self._refresh(values)
            if frame is None:
                plan.append(values)
            elif self._share is not None:
                shares.append((values, frame))
        # A newer change makes every callback scheduled before it stale: during
        # a drag nothing is drawn ahead until the handle rests for WAIT_S.
        self._generation += 1
        self._plan, self._shares, self._planned_for = plan, shares, now
        if plan or shares:
            self._call_later(
                WAIT_S, partial(self._next, self._generation), key=id(self)
            )

    def _next(self, generation: int) -> None:
        """Draw one planned picture, then schedule the next (if still wanted)."""
        if generation != self._generation:
            return
        if not self._match(self._planned_for, self._values()):
            self._plan, self._shares = [], []
            return
        while self._shares:  # kept already: no drawing, one message each
            self._share(*self._shares.pop(0))
        if not self._plan:
            return
        values = self._plan.pop(0)
        try:
            frame = self._draw(values)
        except Exception:  # drawn again on arrival, where errors are shown
            frame = None
        if frame is not None:
            self.drawn_ahead += 1
            self.keep(values, frame)
            if self._share is not None:
                self._share(values, frame)
        if self._plan:
            self._call_later(0, partial(self._next, generation))
