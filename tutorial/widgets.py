"""Shared sliders and the `Demo`: a figure that answers its controls.

Every notebook builds its knobs from the factories here, so "learning rate η"
looks and behaves the same everywhere. A `Demo` draws its figure with Agg into
an `ipywidgets.Image`; the last frame is kept in the notebook's widget state,
so exported HTML and slides still show it without a kernel.
"""

from __future__ import annotations

import html
import math
import os
import time
import warnings
from collections.abc import Callable

import ipywidgets as W
import traitlets

from . import export, plotting
from .frames import Frames
from .page_pictures import PagePictures
from .prefetch import Frame, Prefetcher, scheduler

__all__ = [
    "Demo",
    "lr_slider",
    "log_slider",
    "noise_slider",
    "dim_slider",
    "seed_slider",
    "steps_slider",
    "restarts_slider",
    "float_slider",
    "int_slider",
    "choice",
    "ends",
]

_STYLE = {"description_width": "initial"}
_WIDTH = "300px"


def float_slider(
    description, value, min, max, step, *, continuous_update=True, fmt=".3g"
):
    """Return a FloatSlider with the tutorial's layout."""
    return W.FloatSlider(
        value=value,
        min=min,
        max=max,
        step=step,
        description=description,
        readout_format=fmt,
        continuous_update=continuous_update,
        style=_STYLE,
        layout=W.Layout(width=_WIDTH),
    )


def int_slider(description, value, min, max, step=1, *, continuous_update=True):
    """Return an IntSlider with the tutorial's layout."""
    return W.IntSlider(
        value=value,
        min=min,
        max=max,
        step=step,
        description=description,
        continuous_update=continuous_update,
        style=_STYLE,
        layout=W.Layout(width=_WIDTH),
    )


def log_slider(
    description,
    value,
    min,
    max,
    *,
    steps=40,
    step=None,
    fmt=".3g",
    continuous_update=True,
):
    """Return a slider from `min` to `max` (both > 0) that moves in equal ratios.

    For values that matter by their order of magnitude (learning rates,
    distances, tolerances). It has `steps` equal ratios from end to end, or
    moves the power of ten by `step` when given; its value is the number
    itself, not its logarithm.
    """
    lo, hi = math.log10(min), math.log10(max)
    return W.FloatLogSlider(
        value=value,
        base=10,
        min=lo,
        max=hi,
        step=(hi - lo) / steps if step is None else step,
        description=description,
        readout_format=fmt,
        continuous_update=continuous_update,
        style=_STYLE,
        layout=W.Layout(width=_WIDTH),
    )


def lr_slider(value=0.1, min=1e-3, max=1.0, *, continuous_update=True, steps=40):
    """Return the learning-rate slider: log scale, labelled "learning rate η".

    Learning rates that matter differ by factors of ten, so the slider moves
    in equal ratios, as a practitioner's search does.
    """
    return log_slider(
        "learning rate η",
        value,
        min,
        max,
        steps=steps,
        continuous_update=continuous_update,
    )


def noise_slider(value=0.0, max=1.0, step=0.05, *, continuous_update=True):
    """Return the gradient-noise slider: σ of the Gaussian model of SGD's noise.

    0 is plain descent. Real minibatches have their own slider, "batch size B".
    """
    return float_slider(
        "gradient noise σ", value, 0.0, max, step, continuous_update=continuous_update
    )


def dim_slider(value=2, min=1, max=50, *, continuous_update=True):
    """Return the dimension slider (number of weights)."""
    return int_slider(
        "dimension d", value, min, max, continuous_update=continuous_update
    )


def seed_slider(value=0, max=20):
    """Return the random-seed slider: same seed, same picture."""
    return int_slider("random seed", value, 0, max)


def steps_slider(value=50, min=1, max=500, step=1, *, continuous_update=True):
    """Return the number-of-steps slider."""
    return int_slider(
        "steps", value, min, max, step, continuous_update=continuous_update
    )


def restarts_slider(value=100, min=1, max=1000, step=1, *, continuous_update=False):
    """Return the number-of-restarts slider (slow demos: updates on release)."""
    return int_slider(
        "restarts", value, min, max, step, continuous_update=continuous_update
    )


def choice(description, options, value=None):
    """Return a drop-down menu; `options` is a list or {label: value}."""
    first = (
        options[0]
        if isinstance(options, (list, tuple))
        else next(iter(options.values()))
    )
    return W.Dropdown(
        options=options,
        value=first if value is None else value,
        description=description,
        style=_STYLE,
        layout=W.Layout(width=_WIDTH),
    )


def ends(widget) -> tuple:
    """Return a slider's smallest and largest values (a log slider's in its units)."""
    if isinstance(widget, W.FloatLogSlider):
        return widget.base**widget.min, widget.base**widget.max
    return widget.min, widget.max


class _NamedImage(W.Image):
    """An Image whose `tooltip` names the picture for screen readers.

    ipywidgets 8 writes a widget's tooltip into its element's title (for an
    image with no alt, its accessible name), but only if the widget has a
    `description`, which Image lacks: its view then fails to render at all
    (ipywidgets 8.1). An empty description, synced, lets the title through.
    """

    description = traitlets.Unicode("").tag(sync=True)


# benchmarks/browser.py splits a learner's wait into its parts: it sets this
# variable, and each frame's start and end (wall-clock seconds, comparable
# with the browser's clock on the same machine), size and the CPU seconds the
# kernel's thread spent on it (less than the wall time when other processes
# took the cores meanwhile) go to that file, with 1 for a picture drawn ahead
# (tutorial.prefetch) and 0 for one drawn on arrival.
_TIMING_LOG = os.environ.get("TUTORIAL_TIMING_LOG")


def _log_timing(started: float, cpu_started: float, size: int, ahead: bool) -> None:
    if _TIMING_LOG:
        cpu = time.thread_time() - cpu_started
        with open(_TIMING_LOG, "a", encoding="utf-8") as log:
            log.write(f"{started:.6f} {time.time():.6f} {size} {cpu:.6f} {ahead:d}\n")


class Demo:
    """An interactive figure: controls, a figure updated in place, a picture.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        Built once by the section module.
    controls : dict of str -> ipywidgets.ValueWidget
        The knobs, by the name `draw` receives them under.
    draw : callable
        ``draw(**values)`` updates the figure's artists in place for the
        current control values. It may return a short sentence (plain text)
        to show under the picture, such as "diverged after 12 steps".
    manual : bool
        Add a Run button and redraw only when it is pressed; for demos too slow
        to follow a slider.
    title : str, optional
        A heading shown above the controls.
    alt : str, optional
        What the figure shows, in words, for readers who cannot see it: its
        panels, axes, and what each colour, line style or marker means. The
        sentence under the picture is added to it (`text_alternative`).
    partial : bool, optional
        Redraw only what a control changed (True, the default) or draw every
        frame in full (False: the same pictures, 5 to 12 times slower). If
        not given, True unless the environment variable TUTORIAL_FULL_REDRAW
        is set to anything but "" or "0"; the switch is there to rule the
        partial redraw out when a picture looks wrong, and for benchmarks.
    exported : sequence of str, optional
        The controls precomputed when the notebook is exported (slides, the
        static site): their pictures are drawn ahead and swapped in the page
        with no kernel (see `tutorial.player`). Default: the first slider.

    In a kernel, once a learner's controls have rested for a moment, the
    pictures one step either side of each live slider (and up to ten either
    side of the one just moved) are drawn while the learner looks, and the
    next step is answered with one of them (`tutorial.prefetch`). So a frame
    must depend on the control values alone (tests/test_prefetch.py).

    Attributes
    ----------
    error : Exception or None
        The exception from the last update, if any; the learner sees a short
        message instead of a traceback, and tests check this is None.
    warnings : list of str
        Warnings raised during the last update (tests check it is empty).
    message : str
        The sentence currently shown under the picture.
    full_draws : int
        Frames drawn in full so far (the first among them); after `warm_up`,
        dragging a live control should need at most one more.
    """

    def __init__(
        self,
        fig,
        controls: dict,
        draw: Callable[..., str | None],
        *,
        manual: bool = False,
        title: str | None = None,
        alt: str = "",
        partial: bool | None = None,
        exported=None,
    ):
        self.fig = fig
        self.controls = dict(controls)
        self.title = title
        if exported is not None:
            exported = tuple(exported)
            unknown = [name for name in exported if name not in self.controls]
            if unknown or not exported:
                raise ValueError(
                    f"exported: must name controls among {list(self.controls)}; "
                    f"got {list(exported)}"
                )
        self.exported = exported
        self._draw = draw
        self.manual = manual
        self.alt = alt
        self.error: Exception | None = None
        self.warnings: list[str] = []
        self.message = ""
        width_px = int(round(fig.get_figwidth() * plotting.DPI))
        self.image = _NamedImage(
            format="png", layout=W.Layout(width=f"{width_px}px", max_width="100%")
        )
        self.status = W.HTML(layout=W.Layout(min_height="1.6em"))
        if partial is None:
            partial = os.environ.get("TUTORIAL_FULL_REDRAW", "") in ("", "0")
        self._frames = Frames(fig, partial=bool(partial))
        self._drawing = False  # a frame is being drawn (see `update`)
        self._stale = False  # a control changed while it was
        self._moved = None  # the control whose change is being drawn, if any
        # The next pictures, drawn while the learner looks (tutorial.prefetch)
        # and sent to the page, which shows one at once (tutorial.page_pictures).
        call_later = scheduler()
        self._prefetch = self._page = None
        if call_later and not manual and not export.active():
            self._page = PagePictures(self.controls, self.image, self.status)
            self._prefetch = Prefetcher(
                self.controls, self._ahead, call_later, share=self._to_page
            )
        knobs = list(self.controls.values())
        if manual:
            self.run_button = W.Button(
                description="Run",
                button_style="primary",
                icon="play",
                tooltip="Run with the settings above",
            )
            self.run_button.on_click(lambda _: self.update())
            knobs.append(self.run_button)
        for widget in self.controls.values():
            widget.observe(self._changed, names="value")
        box = W.HBox(knobs, layout=W.Layout(flex_flow="row wrap"))
        header = [W.HTML(f"<b>{html.escape(title)}</b>")] if title else []
        self.widget = W.VBox(header + [box, self.image, self.status])
        plotting.outline_over_surfaces(fig)
        self.update()
        # The first frame fixed the layout; freezing it makes redraws cheaper
        # and stops the axes from jumping as tick labels change.
        fig.set_layout_engine("none")
        self._frames.settled()

    def warm_up(self, key: str, value=None) -> Demo:
        """Draw one frame with controls[key] at `value`, then go back; return self.

        The Demo redraws only what a control changed, but works out how on
        the first change, which costs about two full draws (0.1 to 0.3 s,
        mostly text). Doing that while the notebook cell runs makes the
        learner's first drag as quick as the rest. `value` (by default the
        slider's far end) should change every artist the controls can change,
        titles included.
        """
        widget = self.controls[key]
        start = widget.value
        if value is None:
            low, high = ends(widget)
            value = high if start != high else low
        widget.value = value
        widget.value = start
        return self

    def text_alternative(self, message: str | None = None) -> str:
        """Return the picture in words: what it shows, then its sentence (the
        current one, or `message`)."""
        message = self.message if message is None else message
        return " ".join(part for part in (self.alt, message) if part)

    def picture_name(self, message: str | None = None) -> str:
        """Return the picture's accessible name: its text alternative (for the
        current sentence, or `message`), or "Demo picture" if it has none."""
        return self.text_alternative(message) or "Demo picture"

    def _to_page(self, values: dict, frame: Frame) -> None:
        self._page.keep(
            values, frame.png, frame.message, self.picture_name(frame.message)
        )

    @property
    def frames(self) -> Frames:
        """Return the renderer that turns the figure into PNG frames."""
        return self._frames

    @property
    def partial(self) -> bool:
        """Whether frames redraw only what changed; set False to draw in full."""
        return self._frames.partial

    @partial.setter
    def partial(self, on: bool) -> None:
        self._frames.partial = bool(on)

    @property
    def full_draws(self) -> int:
        """Return how many frames were drawn in full so far."""
        return self._frames.full_draws

    def values(self) -> dict:
        """Return the current control values by name."""
        return {name: widget.value for name, widget in self.controls.items()}

    def _changed(self, change) -> None:
        if self.manual:
            self._show("Settings changed: press <b>Run</b> to see them.")
        else:
            # A slider that waits for release belongs to a slow demo, and a
            # menu choice may swap a whole surface: say that it is working
            # (the message is sent before the computing). A live slider
            # answers too fast for the message to be seen.
            owner = change.get("owner")
            if getattr(owner, "continuous_update", False) is not True:
                self._show("<i>Computing…</i>")
            name = next((n for n, w in self.controls.items() if w is owner), None)
            self._moved = name
            try:
                self.update()
            finally:
                self._moved = None
            if self._prefetch is not None and name is not None:
                self._prefetch.after_change(name, change["old"], change["new"])

    # No queue on a drag. The widget frontend (ipywidgets 8, in JupyterLab,
    # Notebook 7 and Voilà) keeps one message per widget in flight: it sends
    # a slider's next value once the kernel reports idle after the last one,
    # and newer values meanwhile replace the waiting one in the browser.
    # Drawing inside the message keeps that honest: the kernel reports idle
    # only after the frame is sent, so the browser holds on to the newest
    # value while a frame is computed and sent, and the picture catches up
    # with the handle without replaying a backlog (tests/browser/test_drag.py).
    # Drawing after the message instead (so that the next value could travel
    # while this frame is drawn) made JupyterLab handle the idle before the
    # picture and answered later (benchmarks/browser.py; issue 17). Within
    # the kernel, a change made while a frame is drawn (by a draw function,
    # say) is drawn once, right after that frame, never inside it.

    def update(self) -> None:
        """Redraw the figure for the current control values."""
        if self._drawing:
            self._stale = True
            return
        self._drawing = True
        try:
            self._stale = True
            while self._stale:
                self._stale = False
                started, cpu_started = time.time(), time.thread_time()
                ahead = self._update()
                _log_timing(started, cpu_started, len(self.image.value), ahead)
        finally:
            self._drawing = False

    def _draw_frame(self, values: dict) -> tuple[Frame, list[str]]:
        """Draw the figure for these values; return the frame and any warnings."""
        # Warnings are kept for the tests (a warning in a demo is a bug)
        # rather than printed over the learner's picture.
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with plotting.style():
                message = self._draw(**values)
                if export.active():  # text large enough for projection
                    plotting.lift_small_text(self.fig)
                png = self._frames.png()
        return Frame(png, message or ""), [str(w.message) for w in caught]

    def _ahead(self, values: dict) -> Frame | None:
        """Draw a frame the learner has not asked for yet (None if it warned)."""
        frame, caught = self._draw_frame(values)
        return None if caught else frame

    def _update(self) -> bool:
        """Show the frame for the current values; True if it was drawn ahead."""
        if self.manual:
            self._show("<i>Computing…</i>")
        values = self.values()
        frame = None
        if self._prefetch is not None:
            frame = self._prefetch.take(values, self._moved)
        ahead = frame is not None
        try:
            if frame is None:
                frame, self.warnings = self._draw_frame(values)
                if self._prefetch is not None and not self.warnings:
                    self._prefetch.keep(values, frame)
            else:
                self.warnings = []
        except Exception as exc:  # shown to the learner, kept for the tests
            self.error = exc
            self._show(
                "<b>⚠ This setting could not be drawn</b> "
                f"({html.escape(type(exc).__name__)}: {html.escape(str(exc))}). "
                "Try another value."
            )
            return False
        self.error = None
        png, self.message = frame
        # The picture's accessible name in JupyterLab and Voilà: ipywidgets
        # writes an Image's tooltip into the <img>'s title, which screen
        # readers announce when the image has no alt. It goes in the same
        # message as the frame, so the name never describes another picture.
        with self.image.hold_sync():
            self.image.value = png
            self.image.tooltip = self.picture_name()
        self._show(html.escape(self.message))
        return ahead

    def _show(self, text: str) -> None:
        self.status.value = text

    def png(self) -> bytes:
        """Return the current picture as PNG bytes."""
        return bytes(self.image.value)

    def render(self, **values) -> tuple[bytes, str]:
        """Set some controls, redraw once; return (PNG bytes, sentence).

        The picture a learner sees after moving those controls (and pressing
        Run, for a manual demo). Raises RuntimeError if it cannot be drawn.
        """
        for name, value in values.items():
            widget = self.controls[name]
            # One redraw for all the values, not one per control.
            widget.unobserve(self._changed, names="value")
            try:
                widget.value = value
            finally:
                widget.observe(self._changed, names="value")
        self.update()
        if self.error is not None:
            raise RuntimeError(f"{values} could not be drawn: {self.error!r}")
        return self.png(), self.message

    def _static_html_(self) -> str:
        """Return the player that replaces the widget in exported pages."""
        from . import player

        return player.html_player(self)

    def _ipython_display_(self) -> None:
        export.display(self, self.widget)
