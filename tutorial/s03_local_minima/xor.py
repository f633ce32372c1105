"""A real network that gets stuck: XOR by width, what a stuck run is doing, and why
width helps.
"""

from __future__ import annotations

import functools
import math
from typing import NamedTuple

import numpy as np
from matplotlib.collections import PolyCollection
from matplotlib.lines import Line2D

from .. import datasets, plotting, widgets
from ..intervals import wilson_interval
from ..nn import MLP, WidthBlock
from ..optimizers import optimize
from ..sections import returns_inf
from ..seeding import generator

XOR_WIDTHS = tuple(range(1, 17))  # 2-h-1 networks: 5 to 65 weights
XOR_RESTARTS = 200
XOR_STEPS = 600  # epochs; for full-batch descent, steps
XOR_LR = 1.0
STUCK_LOSS = 0.1  # solved runs reach < 0.01; stuck ones level off near 0.35 or 0.48
MAX_WIDTH = 64


def _check_width(width) -> int:
    if (
        isinstance(width, bool)
        or not isinstance(width, (int, np.integer))
        or not 1 <= width <= MAX_WIDTH
    ):
        raise ValueError(
            f"width must be a whole number in [1, {MAX_WIDTH}]; got {width!r}"
        )
    return int(width)


@returns_inf("the final loss of a run that diverged is inf")
def xor_runs(
    width: int,
    lr: float = XOR_LR,
    noise: float = 0.0,
    seed: int = 0,
    batch_size: int | None = None,
):
    """Train XOR_RESTARTS 2-width-1 tanh networks on XOR for XOR_STEPS epochs.

    Cross-entropy loss; LeCun initialisation with the given seed (the same
    seed gives the same starts whatever the other settings). By default the
    runs are plain full-batch gradient descent; `noise` adds the Gaussian
    model of gradient noise, `batch_size` makes them real minibatch SGD
    (batch_size examples of the four per step, so an epoch is 4 / batch_size
    steps). At the default settings the runs are looked up in `xor_losses`.

    Returns
    -------
    final_loss : read-only array of shape (XOR_RESTARTS,)
        Diverged runs count as +inf.
    """
    width = _check_width(width)
    if batch_size is not None:
        return _xor_minibatch(width, lr, noise, seed, batch_size)
    if (lr, noise, seed) == (XOR_LR, 0.0, 0):
        return (
            xor_losses()[XOR_WIDTHS.index(width)]
            if width in XOR_WIDTHS
            else (_xor_train((width,), lr, noise, seed)[0])
        )
    return _xor_train((width,), lr, noise, seed)[0]


@functools.lru_cache(maxsize=1)
def xor_losses() -> tuple:
    """Return the final losses of every width of XOR_WIDTHS at the defaults.

    All 3,200 networks train in one vectorised call (`nn.WidthBlock`). A tuple
    of read-only arrays of shape (XOR_RESTARTS,), one per width.
    """
    return _xor_train(XOR_WIDTHS, XOR_LR, 0.0, 0)


def _xor_train(widths, lr, noise, seed):
    """Train XOR_RESTARTS networks of each width; return their final losses.

    All widths run in one `optimize` call on a `WidthBlock`; if a run diverges
    there (it stops all its networks at once), each width is trained on its
    own instead, so that a run that blows up stops only its own network.
    """
    X, y = datasets.xor()
    block = _xor_block(tuple(widths))
    nets = block.networks  # MLP([2, w, 1]) for each width
    starts = block.pack([net.init(XOR_RESTARTS, seed=seed) for net in nets])
    runs = optimize(
        block.landscape,
        starts,
        lr=lr,
        steps=XOR_STEPS,
        noise=noise,
        seed=seed + 1,
        every=XOR_STEPS,
    )
    if runs.diverged.any():
        losses = []
        for net in nets:
            alone = optimize(
                net.landscape(X, y, loss="bce"),
                net.init(XOR_RESTARTS, seed=seed),
                lr=lr,
                steps=XOR_STEPS,
                noise=noise,
                seed=seed + 1,
                every=XOR_STEPS,
            )
            losses.append(np.where(alone.diverged, np.inf, alone.final_loss))
    else:
        # Each network's loss at its final weights, as nn.MLP computes it.
        losses = [
            net.landscape(X, y, loss="bce").value(w)
            for net, w in zip(nets, block.unpack(runs.final), strict=True)
        ]
    for loss in losses:
        loss.setflags(write=False)
    return tuple(losses)


@functools.lru_cache(maxsize=16)
def _xor_minibatch(width, lr, noise, seed, batch_size):
    """Real minibatch SGD for XOR_STEPS epochs; final losses (read-only)."""
    X, y = datasets.xor()
    net = MLP([2, width, 1])
    if (
        isinstance(batch_size, bool)
        or not isinstance(batch_size, (int, np.integer))
        or not 1 <= batch_size <= len(X)
    ):
        raise ValueError(
            f"batch_size must be a whole number in [1, {len(X)}]; got {batch_size!r}"
        )
    runs = optimize(
        net.landscape(X, y, loss="bce"),
        net.init(XOR_RESTARTS, seed=seed),
        lr=lr,
        steps=XOR_STEPS * math.ceil(len(X) / batch_size),
        noise=noise,
        batch_size=int(batch_size),
        seed=seed + 1,
        every=XOR_STEPS,
    )
    loss = np.where(runs.diverged, np.inf, runs.final_loss)
    loss.setflags(write=False)
    return loss


@functools.lru_cache(maxsize=4)
def _xor_block(widths: tuple) -> WidthBlock:
    return WidthBlock(widths, *datasets.xor())


def stuck_fraction(final_loss: np.ndarray) -> float:
    """Return the share of runs whose final loss is STUCK_LOSS or more."""
    return float(np.mean(final_loss >= STUCK_LOSS))


DRIFT_STEPS = 3000  # five times XOR_STEPS
DRIFT_EVERY = 10


class Drift(NamedTuple):
    """The 2-2-1 runs of `xor_runs(2)`, followed for DRIFT_STEPS steps."""

    t: np.ndarray  # (rows,) recorded steps
    loss: np.ndarray  # (rows, XOR_RESTARTS)
    weight_norm: np.ndarray  # (rows, XOR_RESTARTS): |w|
    grad_norm: np.ndarray  # (rows, XOR_RESTARTS): |∇L|
    stuck: np.ndarray  # (XOR_RESTARTS,) bool: stuck at step XOR_STEPS
    weights: np.ndarray  # (XOR_RESTARTS, 9): the weights at step XOR_STEPS


@functools.lru_cache(maxsize=1)
def drift_runs() -> Drift:
    """Train the 2-2-1 XOR networks of `xor_runs(2)` for DRIFT_STEPS steps.

    The same starts, rate and loss; every DRIFT_EVERY-th step is recorded, and
    the loss and gradient there are recomputed by `nn.MLP` in double
    precision (the training itself runs on a single-width `WidthBlock`).
    """
    X, y = datasets.xor()
    block = _xor_block((2,))
    (net,) = block.networks
    surface = net.landscape(X, y, loss="bce")
    runs = optimize(
        block.landscape,
        block.pack([net.init(XOR_RESTARTS, seed=0)]),
        lr=XOR_LR,
        steps=DRIFT_STEPS,
        every=DRIFT_EVERY,
    )
    rows, n, dim = runs.path.shape
    path = block.unpack(runs.path.reshape(rows * n, dim))[0]
    value, grad = surface.fdf(path)
    at = int(np.flatnonzero(runs.t == XOR_STEPS)[0])
    loss = value.reshape(rows, n)
    out = Drift(
        runs.t,
        loss,
        np.linalg.norm(path, axis=-1).reshape(rows, n),
        np.linalg.norm(grad, axis=-1).reshape(rows, n),
        loss[at] >= STUCK_LOSS,
        path.reshape(rows, n, -1)[at],
    )
    for array in out:
        array.setflags(write=False)
    return out


def add_hidden_unit(weights, extra) -> np.ndarray:
    """Return 2-(h+1)-1 weights: 2-h-1 `weights` plus one more hidden unit.

    Parameters
    ----------
    weights : array of shape (n, 4h + 1)
        Flat `MLP([2, h, 1])` weights.
    extra : array of shape (n, 4)
        The new unit's two input weights, its bias and its output weight.

    Returns
    -------
    array of shape (n, 4h + 5)
        With the new unit's weights at zero the network computes exactly what
        it did before.
    """
    weights, extra = np.atleast_2d(weights), np.atleast_2d(extra)
    h = (weights.shape[1] - 1) // 4
    if weights.shape[1] != 4 * h + 1 or h < 1 or extra.shape != (len(weights), 4):
        raise ValueError(
            "weights must have shape (n, 4h + 1) and extra shape (n, 4); got "
            f"{weights.shape} and {extra.shape}"
        )
    small, big = MLP([2, h, 1]).layers, MLP([2, h + 1, 1]).layers
    out = np.empty((len(weights), 4 * h + 5))
    for old, new, unit in zip(small, big, (extra[:, :3], extra[:, 3:]), strict=True):
        w = weights[:, old.weights].reshape(-1, old.fan_in, old.fan_out)
        b = weights[:, old.biases]
        if old.fan_out == h:  # the hidden layer: one more column and bias
            w = np.concatenate([w, unit[:, :2, None]], axis=2)
            b = np.c_[b, unit[:, 2]]
        else:  # the output layer: one more input row
            w = np.concatenate([w, unit[:, None, :1]], axis=1)
        out[:, new.weights] = w.reshape(len(weights), -1)
        out[:, new.biases] = b
    return out


WIDEN_SCALE = 0.1


@functools.lru_cache(maxsize=8)
def widen_stuck(scale: float = WIDEN_SCALE, seed: int = 0):
    """Give each stuck 2-2-1 network a third hidden unit and train on.

    The stuck runs of `drift_runs` (at step XOR_STEPS) get a third unit whose
    four weights are drawn from N(0, scale²), then XOR_STEPS more steps of the
    same descent. Returns (freed, stuck): how many of the stuck networks end
    below STUCK_LOSS, out of how many.
    """
    if not (
        isinstance(scale, (int, float)) and math.isfinite(scale) and 0 <= scale <= 10
    ):
        raise ValueError(f"scale must be a number in [0, 10]; got {scale!r}")
    X, y = datasets.xor()
    drift = drift_runs()
    stuck = drift.weights[drift.stuck]
    extra = scale * generator(seed, allow_none=False).standard_normal((len(stuck), 4))
    wide = MLP([2, 3, 1]).landscape(X, y, loss="bce")
    runs = optimize(
        wide, add_hidden_unit(stuck, extra), lr=XOR_LR, steps=XOR_STEPS, every=XOR_STEPS
    )
    return int(np.sum(runs.final_loss < STUCK_LOSS)), len(stuck)


def xor_width_demo(width: int = 2) -> widgets.Demo:
    """Trained XOR networks of 5 to 65 weights: how many get stuck?"""
    losses = xor_losses()
    sizes = np.array([4 * h + 1 for h in XOR_WIDTHS])  # weights of each width
    stuck = np.array([np.sum(loss >= STUCK_LOSS) for loss in losses])
    low, high = wilson_interval(stuck, XOR_RESTARTS)
    fig, (ax_rate, ax_strip, ax_hist) = plotting.new_figure(12.5, 4.4, ncols=3)
    jitter = generator(0, allow_none=False).uniform(-1.3, 1.3, XOR_RESTARTS)
    shown = [np.clip(loss, 1.1e-4, 9) for loss in losses]
    bins = np.geomspace(1e-4, 10, 36)
    with plotting.style():
        here_rate, _ = _xor_rate_panel(ax_rate, sizes, stuck, low, high)
        here_strip = _xor_strip_panel(ax_strip, sizes, jitter, shown)
        hist = _xor_hist_panel(ax_hist, bins)

    controls = {"width": widgets.int_slider("hidden units h", width, 1, XOR_WIDTHS[-1])}

    def draw(width):
        i = XOR_WIDTHS.index(width)
        here_rate.set_data([sizes[i]], [stuck[i] / XOR_RESTARTS])
        here_strip.set_offsets(np.c_[sizes[i] + jitter, shown[i]])
        heights, _ = np.histogram(shown[i], bins=bins)
        hist.set_verts(plotting.bar_verts(bins, heights))
        return (
            f"2-{width}-1 network, {sizes[i]} weights: {stuck[i]} of {XOR_RESTARTS} "
            f"runs stuck, {100 * stuck[i] / XOR_RESTARTS:.1f}% (95% interval "
            f"{100 * low[i]:.1f}% to {100 * high[i]:.1f}%)."
        )

    return widgets.Demo(fig, controls, draw, alt=XOR_ALT, exported=("width",)).warm_up(
        "width"
    )


XOR_ALT = (
    "Three panels. Left: the share of the 200 runs stuck after 600 steps (loss "
    "0.1 or more) against the network's number of weights, 5 to 65 (top axis: "
    "hidden units, 1 to 16), blue dots with 95% interval bars, the chosen width "
    "ringed in red. Middle: every run's final loss as a dot, on a log axis, in a "
    "column for each number of weights; the chosen width's dots are orange, a "
    "dashed red line marks the stuck threshold 0.1. Right: a histogram of the "
    "chosen width's final losses on a log axis, green bars below 0.1 (solved), "
    "red bars above (stuck)."
)


def _xor_rate_panel(ax, sizes, stuck, low, high):
    """Draw the stuck share against the number of weights; return the ring."""
    rate = stuck / XOR_RESTARTS
    ax.plot(sizes, rate, "-", color=plotting.BLUE, lw=1.5)
    ax.plot(*plotting.vertical_segments(sizes, low, high), color=plotting.BLUE, lw=1.5)
    ax.plot(sizes, rate, "o", color=plotting.BLUE, ms=5)
    (ring,) = ax.plot([], [], "o", ms=14, mfc="none", mec=plotting.VERMILION, mew=2.5)
    ax.set(
        xlim=(0, sizes[-1] + 3),
        ylim=(-0.03, 1.03),
        xticks=[5, 9, 17, 33, 65],
        xlabel="number of weights (4h + 1)",
        ylabel="share of runs stuck",
    )
    top = ax.secondary_xaxis(
        "top", functions=(lambda d: (d - 1) / 4, lambda h: 4 * h + 1)
    )
    top.set_xticks([1, 2, 4, 8, 16])
    top.set_xlabel("hidden units h")
    ax.set_title(f"1. stuck after {XOR_STEPS} steps (95% intervals)", fontsize=11)
    return ring, top


def _xor_strip_panel(ax, sizes, jitter, shown):
    """Draw every run's final loss by number of weights; return the highlight."""
    every = np.concatenate([size + jitter for size in sizes])
    ax.scatter(every, np.concatenate(shown), s=4, lw=0, color=plotting.BLUE, alpha=0.35)
    here = ax.scatter([], [], s=6, lw=0, color=plotting.ORANGE, zorder=5)
    ax.axhline(STUCK_LOSS, color=plotting.VERMILION, ls="--", lw=1.2)
    plotting.log_axis(ax, "y", exponents=range(-4, 2))
    ax.set(
        ylim=(1e-4, 10),
        xlim=(0, sizes[-1] + 3),
        xticks=[5, 9, 17, 33, 65],
        xlabel="number of weights",
        ylabel="final loss (each dot a run)",
    )
    ax.set_title("2. final loss of every run")
    return here


def _xor_hist_panel(ax, bins):
    """Draw an empty histogram of final losses; return its bars (one collection)."""
    colours = np.where(bins[:-1] >= STUCK_LOSS, plotting.VERMILION, plotting.GREEN)
    bars = PolyCollection(
        plotting.bar_verts(bins, np.zeros(bins.size - 1)),
        closed=True,
        facecolors=colours,
        edgecolors="white",
        linewidths=0.8,
        zorder=5,
    )
    ax.add_collection(bars, autolim=False)
    ax.axvline(STUCK_LOSS, color=plotting.VERMILION, ls="--", lw=1.2)
    plotting.log_axis(ax, "x", exponents=range(-4, 2))
    ax.set(xlim=(1e-4, 10), ylim=(0, 1.05 * XOR_RESTARTS), xlabel="final loss")
    ax.set_ylabel("number of runs")
    for x, word, colour in (
        (0.3, "solved", plotting.GREEN),
        (0.8, "stuck", plotting.VERMILION),
    ):
        ax.text(
            x,
            0.95,
            word,
            color=colour,
            fontsize=12,
            transform=ax.transAxes,
            ha="center",
            va="top",
        )
    ax.set_title("3. final losses at the chosen width")
    return bars


def drift_demo(step: int = XOR_STEPS) -> widgets.Demo:
    """The stuck 2-2-1 runs over 3,000 steps: a valley, not a minimum."""
    drift = drift_runs()
    fig, axes = plotting.new_figure(12.5, 4.0, ncols=3)
    shown = drift.t >= DRIFT_EVERY  # log axes start at the first recorded step
    t = drift.t[shown].astype(float)
    panels = (
        (drift.loss, "loss (cross-entropy)", "1. the loss levels off"),
        (drift.weight_norm, "length of the weights |w|", "2. the weights keep growing"),
        (drift.grad_norm, "gradient length |∇L|", "3. the slope shrinks, never zero"),
    )
    with plotting.style():
        for ax, (data, label, title) in zip(axes, panels, strict=True):
            for runs, colour in (
                (~drift.stuck, plotting.GREEN),
                (drift.stuck, plotting.VERMILION),
            ):
                low, mid, high = np.quantile(
                    data[shown][:, runs], [0.1, 0.5, 0.9], axis=1
                )
                ax.fill_between(t, low, high, color=colour, alpha=0.2, lw=0)
                ax.plot(t, mid, color=colour)
            plotting.log_axis(ax, "x", exponents=range(1, 4))
            ax.set(xlim=(t[0], t[-1]), xlabel="step", ylabel=label)
            ax.set_title(title)
        plotting.log_axis(axes[0], "y", exponents=range(-3, 1))
        axes[0].axhline(math.log(2) / 2, color=plotting.GREY, ls="--", lw=1)
        axes[0].text(
            t[-1],
            math.log(2) / 2 * 1.1,
            "ln 2 / 2",
            ha="right",
            va="bottom",
            color=plotting.GREY,
        )
        plotting.log_axis(axes[2], "y", exponents=range(-4, 0))
        axes[2].plot(t, 2.0 / t, ":", color=plotting.BLACK, lw=1.5, label="∝ 1 / step")
        axes[0].legend(
            [
                Line2D([], [], color=plotting.VERMILION),
                Line2D([], [], color=plotting.GREEN),
            ],
            [f"stuck at step {XOR_STEPS}", "solved"],
            loc="lower left",
            fontsize=9,
        )
        axes[2].legend(loc="lower left", fontsize=9)
        cursors = [
            ax.axvline(step, color=plotting.BLACK, lw=1, zorder=6) for ax in axes
        ]

    controls = {
        "step": widgets.int_slider("step", step, DRIFT_EVERY, DRIFT_STEPS, DRIFT_EVERY)
    }

    def draw(step):
        row = int(np.searchsorted(drift.t, step))
        for cursor in cursors:
            cursor.set_xdata([drift.t[row]] * 2)
        return _drift_sentence(drift, row)

    return widgets.Demo(fig, controls, draw, alt=DRIFT_ALT, exported=("step",)).warm_up(
        "step"
    )


DRIFT_ALT = (
    "Three panels against the training step on a log axis, 10 to 3,000, for the "
    "200 runs of the 2-2-1 network on XOR: red for the runs stuck at step 600, "
    "green for the runs that solved it; each a median line with a shaded band "
    "from the 10th to the 90th percentile. Left: the loss on a log axis; the red "
    "band flattens onto a dashed grey line at ln 2 / 2, the green one keeps "
    "falling. Middle: the length of the weight vector, rising in both groups. "
    "Right: the gradient's length on a log axis, falling in both groups along a "
    "dotted line proportional to 1 / step. A black vertical line marks the "
    "chosen step."
)


def _drift_sentence(drift: Drift, row: int) -> str:
    stuck = drift.stuck
    return (
        f"Step {drift.t[row]}: the {stuck.sum()} stuck runs have median loss "
        f"{np.median(drift.loss[row, stuck]):.4f}, weights of length "
        f"{np.median(drift.weight_norm[row, stuck]):.1f} and gradient "
        f"{np.median(drift.grad_norm[row, stuck]):.1e}; the solved runs, loss "
        f"{np.median(drift.loss[row, ~stuck]):.1e}."
    )
