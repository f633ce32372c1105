"""Notebook 00, start here: how to use a slider and a Run button.

Two tiny demos on the simplest error curve there is, L(w) = (w − 2)² + 1:
one follows a slider as it moves, the other waits for its Run button.
"""

from __future__ import annotations

import numpy as np

from . import plotting, widgets
from .checks import Feedback, as_number, check_number
from .seeding import generator

__all__ = [
    "W_BEST",
    "loss",
    "random_search",
    "slider_demo",
    "run_demo",
    "ex00_lowest_loss",
    "DEMOS",
]

W_BEST = 2.0  # where the curve is lowest
L_BEST = 1.0  # the lowest loss
W_RANGE = (-2.0, 5.0)  # the weights shown and searched


def loss(w):
    """Return L(w) = (w − 2)² + 1, elementwise."""
    w = np.asarray(w, dtype=float)
    return (w - W_BEST) ** 2 + L_BEST


def random_search(guesses: int, seed: int = 0):
    """Try `guesses` random weights in W_RANGE; return (ws, losses, best_w).

    The same seed gives the same guesses, and more guesses only extend the
    list: the first k of 20 guesses are the k guesses of the same seed, so the
    best loss can only fall as the number of guesses grows.
    """
    if isinstance(guesses, bool) or not isinstance(guesses, (int, np.integer)):
        raise ValueError(
            f"guesses must be a whole number in [1, 10000]; got {guesses!r}"
        )
    if not 1 <= guesses <= 10_000:
        raise ValueError(f"guesses must be in [1, 10000]; got {guesses}")
    ws = generator(seed, allow_none=False).uniform(*W_RANGE, guesses)
    losses = loss(ws)
    return ws, losses, float(ws[np.argmin(losses)])


def _curve_axes(title):
    ws = np.linspace(*W_RANGE, 200)
    fig, (ax,) = plotting.new_figure(6.5, 3.4)
    with plotting.style():
        ax.plot(ws, loss(ws), color=plotting.BLUE, label="loss L(w)")
        ax.set(xlim=W_RANGE, ylim=(0, loss(W_RANGE[0]) * 1.05))
        ax.set(xlabel="weight w", ylabel="loss L(w)")
        ax.set_title(title)
    return fig, ax


def slider_demo(w: float = -1.0) -> widgets.Demo:
    """A dot on the loss curve that follows the "weight w" slider."""
    fig, ax = _curve_axes("Drag the slider: find the lowest point")
    with plotting.style():
        (dot,) = ax.plot([], [], "o", color=plotting.ORANGE, mec="black", ms=12)
        (drop,) = ax.plot([], [], ":", color=plotting.ORANGE, lw=1.5)
    controls = {"w": widgets.float_slider("weight w", w, *W_RANGE, 0.1, fmt=".1f")}

    def draw(w):
        value = float(loss(w))
        dot.set_data([w], [value])
        drop.set_data([w, w], [0, value])
        if abs(w - W_BEST) < 0.05:
            where = "You are at the bottom: any move makes it worse."
        else:
            side = "right" if w < W_BEST else "left"
            where = f"Downhill is to the {side}."
        return f"w = {w:.1f}: loss {value:.2f}. {where}"

    alt = (
        "The loss L(w) (up) against the weight w (across): a blue curve, lowest "
        "at w = 2. An orange dot sits on the curve at the slider's w."
    )
    return widgets.Demo(fig, controls, draw, alt=alt).warm_up("w")


def run_demo(guesses: int = 5, seed: int = 0) -> widgets.Demo:
    """Random guesses at w, drawn only when the Run button is pressed."""
    fig, ax = _curve_axes("Press Run: try random guesses of w")
    with plotting.style():
        tries = ax.scatter([], [], color=plotting.GREY, s=30, zorder=3, label="guesses")
        (best,) = ax.plot(
            [],
            [],
            "*",
            color=plotting.ORANGE,
            mec="black",
            ms=16,
            zorder=4,
            label="best guess",
        )
        ax.legend(loc="upper center")
    controls = {
        "guesses": widgets.int_slider("guesses", guesses, 1, 50),
        "seed": widgets.seed_slider(seed),
    }

    def draw(guesses, seed):
        ws, losses, best_w = random_search(guesses, seed)
        tries.set_offsets(np.c_[ws, losses])
        best.set_data([best_w], [float(loss(best_w))])
        return (
            f"{guesses} guesses (seed {seed}): the best, w = {best_w:.2f}, has loss "
            f"{float(loss(best_w)):.3f}; the lowest possible is {L_BEST:.3f}."
        )

    alt = (
        "The loss L(w) (up) against the weight w (across): a blue curve. Grey "
        "dots are the random guesses on the curve; a star marks the best of them."
    )
    return widgets.Demo(fig, controls, draw, manual=True, alt=alt)


# ---------------------------------------------------------------- exercises


def ex00_lowest_loss(answer) -> Feedback:
    """Check the weight w at which the start-here loss curve is lowest.

    Within 2%: the slider's neighbours of the answer (1.9 and 2.1, one step of
    0.1 away) are rejected.
    """
    value = as_number(answer)
    if isinstance(value, Feedback):
        return value
    if abs(value - L_BEST) < 1e-9 and abs(value - W_BEST) > 0.05:
        return Feedback(
            False,
            f"{value:.3g} is the lowest loss, not where it is: the question asks "
            "for the weight w.",
        )
    return check_number(
        value,
        W_BEST,
        rel=0.02,
        hint="Move the slider until the dot sits at the bottom of the curve and "
        "read w off the status line.",
    )


DEMOS = {"slider": slider_demo, "run": run_demo}
