"""Notebook 03, local minima: basins, restarts, a network that gets stuck.

Gradient descent ends in the minimum whose basin it starts in. Which basin that
is depends on the start, so restarting from new random points is a lottery
with known odds; a real network (XOR) shows the same lottery, and how a wider
hidden layer makes it easier to win; early noise that fades lets runs leave a
shallow basin.
"""

from __future__ import annotations

import functools
import math
from typing import NamedTuple

import numpy as np
from matplotlib.collections import PolyCollection
from matplotlib.colors import to_rgb, to_rgba
from matplotlib.lines import Line2D
from matplotlib.transforms import offset_copy

from . import datasets, landscapes, plotting, widgets
from .checks import Feedback, as_number, check_function, check_number
from .landscapes import Landscape
from .nn import MLP, WidthBlock
from .optimizers import optimize
from .predict import Prediction
from .sections import returns_inf
from .seeding import generator

__all__ = [
    "basin_labels",
    "basin_map",
    "BasinMap",
    "wilson_interval",
    "restart_runs",
    "success_by_restarts",
    "XOR_WIDTHS",
    "STUCK_LOSS",
    "xor_runs",
    "xor_losses",
    "drift_runs",
    "add_hidden_unit",
    "widen_stuck",
    "stuck_fraction",
    "noise_schedules",
    "schedule_runs",
    "schedule_endings",
    "restart_starts",
    "restart_losses",
    "restart_experiment",
    "schedule_starts",
    "basins_demo",
    "restarts_demo",
    "xor_width_demo",
    "drift_demo",
    "noise_schedule_demo",
    "ex03_success_chance",
    "ex03_restarts_needed",
    "ex03_basin",
    "ex03_restart_policy",
    "restarts_until_confident",
    "predict_basins",
    "predict_restarts",
    "predict_width",
    "predict_drift",
    "predict_schedule",
    "DEMOS",
]

# ------------------------------------------------------------------ basins

BASIN_GRID = 90  # starts per side: 8,100 runs in one call
BASIN_STEPS = 120
BASIN_COLOURS = [plotting.BLUE, plotting.ORANGE, plotting.GREEN, plotting.PURPLE]
UNSETTLED = plotting.LIGHT_GREY  # runs that reached no minimum (moving or diverged)
LIGHT = 0.6  # runs near a minimum but still moving: its colour, 60% towards white
SETTLED_STEP = 1e-3  # a run whose last step is shorter than this has settled


def basin_labels(landscape: Landscape, final: np.ndarray, tol: float = 0.05):
    """Return, for each end point, the index of the known minimum it reached.

    Parameters
    ----------
    landscape : Landscape
        A surface with known `minima` of shape (k, dim).
    final : array of shape (n, dim)
        End points of n runs.
    tol : float
        A run has reached a minimum if it ends closer than `tol` to it.

    Returns
    -------
    int array of shape (n,)
        Index into `landscape.minima`, or -1 for runs that reached none.
    """
    dist = np.linalg.norm(final[:, None, :] - landscape.minima[None], axis=-1)
    nearest = dist.argmin(1)
    return np.where(dist.min(1) < tol, nearest, -1)


class BasinMap(NamedTuple):
    """Where descent from each start of a grid ends (see `basin_map`)."""

    labels: np.ndarray  # (n, n) int: the minimum reached, -1 for none
    moving: np.ndarray  # (n, n) bool: near that minimum but still moving
    extent: tuple  # (left, right, bottom, top) of the grid, for `imshow`


def basin_map(lr: float = 0.01, noise: float = 0.0, n: int = BASIN_GRID, seed: int = 0):
    """Run descent on Himmelblau's surface from every point of an n × n grid.

    A run ends *near* a minimum if it is within 0.5 of it after BASIN_STEPS
    steps; it has *settled* there if its last step was shorter than
    SETTLED_STEP. Runs near a minimum that have not settled are still on
    their way, bouncing round it (a step too large for its curvature), or
    kicked about by the noise.

    Returns
    -------
    BasinMap
        ``labels`` (n, n): the minimum each start ends near (-1: none, or
        diverged); ``moving`` (n, n): True where that run has not settled;
        ``extent``.
    """
    land = landscapes.get("himmelblau")
    low, high = land.bounds
    xs = np.linspace(low[0], high[0], n)
    ys = np.linspace(low[1], high[1], n)
    starts = np.stack(np.meshgrid(xs, ys), -1).reshape(-1, 2)
    # Rows 0, BASIN_STEPS - 1 and BASIN_STEPS: the last step's length.
    runs = optimize(
        land,
        starts,
        lr=lr,
        steps=BASIN_STEPS,
        noise=noise,
        seed=seed,
        every=BASIN_STEPS - 1,
    )
    labels = basin_labels(land, runs.final, tol=0.5)
    labels[runs.diverged] = -1
    last_step = np.linalg.norm(runs.path[-1] - runs.path[-2], axis=-1)
    moving = (labels >= 0) & ~(last_step < SETTLED_STEP)
    return BasinMap(
        labels.reshape(n, n), moving.reshape(n, n), (low[0], high[0], low[1], high[1])
    )


def _basin_palette() -> np.ndarray:
    """Return the colours of `_rgb`: settled, then light (moving), then none."""
    solid = np.array([to_rgb(c) for c in BASIN_COLOURS])
    light = solid + LIGHT * (1 - solid)  # the same hue, mixed with white
    return np.r_[solid, light, [to_rgb(UNSETTLED)]]


def _rgb(labels: np.ndarray, moving: np.ndarray) -> np.ndarray:
    k = len(BASIN_COLOURS)
    index = np.where(labels < 0, 2 * k, labels + k * moving)
    return _basin_palette()[index]


# ---------------------------------------------------------------- restarts

RESTART_BOX = 3.0  # starts uniform in [-3, 3]²: 49 ripples of the bowl
RESTART_RUNS = 3000
# Every run has settled, to the last bit of its loss, within 40 steps (the
# ripples are steep: lr × curvature ≈ 1.2); more steps change nothing.
RESTART_STEPS = 60
RESTART_LR = 0.003  # below 2/λmax ≈ 0.005 at Rastrigin's minima
GLOBAL_TOL = 0.01  # a run found the global minimum if its loss is below this


def wilson_interval(successes, trials, z: float = 2.576):
    """Return the Wilson score interval for a binomial proportion.

    Parameters
    ----------
    successes, trials : int or arrays of int
        Observed successes out of trials (trials >= 1).
    z : float
        Standard normal quantile: 1.96 for 95 %, 2.576 (default) for 99 %.

    Returns
    -------
    low, high : floats or arrays
    """
    k = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    if np.any(n < 1) or np.any(k < 0) or np.any(k > n):
        raise ValueError("trials must be >= 1 and successes in [0, trials]")
    p = k / n
    denom = 1 + z**2 / n
    centre = (p + z**2 / (2 * n)) / denom
    half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
    return np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)


def restart_runs(n: int = RESTART_RUNS, seed: int = 0):
    """Run n independent descents on 2-D Rastrigin from random starts.

    Returns
    -------
    final_loss : array of shape (n,)
    found : bool array of shape (n,)
        True where the run reached the global minimum (loss < GLOBAL_TOL).
    """
    loss = _restart_descent(restart_starts(n, seed))
    return loss, loss < GLOBAL_TOL


def restart_starts(n: int, seed: int) -> np.ndarray:
    """Return n random starts in the restart box, shape (n, 2)."""
    rng = generator(seed, allow_none=False)
    return rng.uniform(-RESTART_BOX, RESTART_BOX, (n, 2))


def _restart_descent(starts: np.ndarray) -> np.ndarray:
    """Descend on 2-D Rastrigin from every start at once; return final losses."""
    runs = optimize(
        landscapes.rastrigin(2),
        starts,
        lr=RESTART_LR,
        steps=RESTART_STEPS,
        every=RESTART_STEPS,
    )
    return runs.final_loss


def success_by_restarts(found: np.ndarray, k: int):
    """Split runs into disjoint groups of k; return (successes, groups).

    A group succeeds if any of its k restarts found the global minimum.
    """
    groups = len(found) // k
    if groups < 1:
        raise ValueError(f"k must be in [1, {len(found)}]; got {k}")
    hit = found[: groups * k].reshape(groups, k).any(1)
    return int(hit.sum()), groups


# ---------------------------------------------------------------- XOR

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


# ------------------------------------------------- what a stuck run is doing

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


# ---------------------------------------------------------------- noise

SCHEDULE_STEPS = 500
SCHEDULE_RUNS = 300
SCHEDULE_LR = 0.05
SCHEDULES = ("no noise", "constant noise", "noise that fades")


def noise_schedules(start: float, steps: int = SCHEDULE_STEPS) -> np.ndarray:
    """Return the three noise schedules, shape (3, steps).

    No noise; constant σ = `start`; and σ falling linearly from `start` to
    zero over the first 80 % of the steps, so the last 20 % can settle.
    """
    if not (np.isfinite(start) and start >= 0):
        raise ValueError(f"start must be a finite number >= 0; got {start}")
    t = np.arange(steps)
    fade = start * np.clip(1 - t / (0.8 * steps), 0, None)
    return np.stack([np.zeros(steps), np.full(steps, float(start)), fade])


def schedule_runs(start: float = 6.0, lr: float = SCHEDULE_LR, seed: int = 0):
    """Run the three schedules from the same SCHEDULE_RUNS starts (one call).

    The surface is the tilted double well: a deep valley on the left and a
    shallower one on the right.

    Returns
    -------
    final : array of shape (3, SCHEDULE_RUNS, 2)
        End points for each schedule.
    diverged : bool array of shape (3, SCHEDULE_RUNS)
    """
    land = landscapes.get("double_well")
    starts = schedule_starts(seed)
    sched = noise_schedules(start)  # (3, steps)
    noise = np.repeat(sched.T, SCHEDULE_RUNS, axis=1)  # (steps, 3 * runs)
    runs = optimize(
        land,
        np.tile(starts, (3, 1)),
        lr=lr,
        steps=SCHEDULE_STEPS,
        noise=noise,
        seed=seed + 1,
        every=SCHEDULE_STEPS,
    )
    return (
        runs.final.reshape(3, SCHEDULE_RUNS, 2),
        runs.diverged.reshape(3, SCHEDULE_RUNS),
    )


def schedule_endings(final: np.ndarray, diverged: np.ndarray, tol: float = 0.05):
    """Return how each run ended: 0 deep minimum, 1 shallow minimum, 2 neither.

    A run has ended in a minimum if it is within `tol` of it: settled, not
    merely passing by.

    Returns
    -------
    int array of the shape of `diverged`
    """
    minima = landscapes.get("double_well").minima
    dist = np.linalg.norm(final[..., None, :] - minima, axis=-1)
    kind = np.where(dist.min(-1) < tol, dist.argmin(-1), 2)
    return np.where(diverged, 2, kind)


# ---------------------------------------------------------------- demos


def basins_demo(lr: float = 0.01, noise: float = 0.0) -> widgets.Demo:
    """Colour every start by the minimum that descent reaches from it."""
    land = landscapes.get("himmelblau")
    fig, (ax_map, ax_bar) = plotting.new_figure(
        10.5, 4.5, ncols=2, width_ratios=[1.4, 1]
    )
    X, Y, Z = plotting.grid(land, 160)
    levels = plotting.contour_levels(Z)
    k = len(land.minima)
    palette = _basin_palette()
    with plotting.style():
        first = basin_map(lr, noise)
        image = ax_map.imshow(
            _rgb(first.labels, first.moving),
            extent=first.extent,
            origin="lower",
            aspect="auto",
            interpolation="nearest",
            zorder=plotting.IMAGE_ZORDER,
        )
        ax_map.contour(
            X, Y, Z, levels=levels[::2], colors="white", linewidths=0.6, alpha=0.6
        )
        for i, m in enumerate(land.minima):
            ax_map.plot(*m, "*", color="white", mec="black", ms=16, zorder=5)
            ax_map.text(
                m[0],
                m[1] + 0.35,
                f"{i + 1}",
                ha="center",
                fontsize=12,
                fontweight="bold",
                color="white",
                zorder=5,
            )
        ax_map.set(xlabel="starting weight w₁", ylabel="starting weight w₂")
        ax_map.set_title("1. each start, coloured by where descent ends")
        names = [f"{i + 1}" for i in range(k)] + ["none"]
        settled_bars = ax_bar.bar(
            names, np.zeros(k + 1), color=list(palette[:k]) + [palette[-1]], ec="black"
        )
        moving_bars = ax_bar.bar(
            names[:k], np.zeros(k), color=palette[k : 2 * k], ec="black", hatch="//"
        )
        bar_text = [
            ax_bar.text(i, 0, "", ha="center", va="bottom", fontsize=11)
            for i in range(k + 1)
        ]
        ax_bar.set(
            ylim=(0, 100), xlabel="minimum reached", ylabel="share of starts (%)"
        )
        ax_bar.set_title("2. size of each basin")
        ax_bar.legend(
            [settled_bars[0], moving_bars[0]],
            ["settled", "still moving"],
            loc="upper right",
            fontsize=9,
        )

    controls = {
        "lr": widgets.lr_slider(lr, min=0.001, max=0.02, continuous_update=False),
        "noise": widgets.noise_slider(
            noise, max=20.0, step=1.0, continuous_update=False
        ),
    }

    def draw(lr, noise):
        found = basin_map(lr, noise)
        image.set_data(_rgb(found.labels, found.moving))
        near = np.array([np.mean(found.labels == i) for i in range(k)] + [0.0]) * 100
        near[-1] = 100 * np.mean(found.labels < 0)
        moving = 100 * np.array(
            [np.mean((found.labels == i) & found.moving) for i in range(k)]
        )
        for i, (bar, text) in enumerate(zip(settled_bars, bar_text, strict=True)):
            low = near[i] - (moving[i] if i < k else 0.0)
            bar.set_height(low)
            if i < k:
                moving_bars[i].set_y(low)
                moving_bars[i].set_height(moving[i])
            text.set_position((bar.get_x() + bar.get_width() / 2, near[i] + 1))
            text.set_text(f"{near[i]:.0f}%")
        return _basins_sentence(near, moving)

    return widgets.Demo(fig, controls, draw, alt=BASINS_ALT, exported=("lr",))


BASINS_ALT = (
    "Left: a square map of starting points on Himmelblau's surface, with its four "
    "minima marked by numbered white stars and white contour lines; each start is "
    "coloured by the minimum its run of gradient descent ends near (blue 1, orange "
    "2, green 3, pink 4): a full colour if the run has settled there, a light tint "
    "if it is still moving, grey if it ends near none. Right: a bar for each "
    "minimum and one for none, the share of starts in percent; the hatched, light "
    "top of a bar is the share still moving."
)


def _basins_sentence(near, moving) -> str:
    text = "Basin sizes: " + ", ".join(f"{s:.0f}%" for s in near[:-1]) + "."
    if moving.sum() > 0.5:
        text += (
            f" {moving.sum():.0f}% of all starts end near a minimum but are still "
            "moving (light): on their way, bouncing round it or kicked by noise."
        )
    if near[-1] > 0.5:
        text += f" {near[-1]:.0f}% end near no minimum (grey)."
    return text


RESTART_SEEDS = 21  # the restarts demo's seed slider: 0 .. 20


@functools.lru_cache(maxsize=1)
def restart_losses(seeds: int = RESTART_SEEDS) -> np.ndarray:
    """Return restart_runs(seed=s)'s final losses for every s < seeds at once.

    One call for all seeds (each run is on its own, so the numbers are the
    same as seed by seed), made when the demo is built: moving the seed
    slider then computes nothing. Shape (seeds, RESTART_RUNS).
    """
    starts = [restart_starts(RESTART_RUNS, s) for s in range(seeds)]
    return _restart_descent(np.concatenate(starts)).reshape(seeds, RESTART_RUNS)


@functools.lru_cache(maxsize=32)
def restart_experiment(seed: int):
    """Return what the restarts demo shows for `seed`.

    Returns
    -------
    loss, found : arrays of shape (RESTART_RUNS,)
        As `restart_runs` returns them (looked up in `restart_losses` for
        the seeds of the demo's slider).
    ks : int array of shape (60,)
        Restarts per group, 1 to 60.
    counts : int array of shape (60, 2)
        (successes, groups) for each k, as `success_by_restarts` counts them.
    """
    if isinstance(seed, (int, np.integer)) and 0 <= seed < RESTART_SEEDS:
        loss = restart_losses()[seed]
        found = loss < GLOBAL_TOL
    else:
        loss, found = restart_runs(seed=seed)
    ks = np.arange(1, 61)
    counts = np.array([success_by_restarts(found, k) for k in ks])
    return loss, found, ks, counts


def restarts_demo(k: int = 10, seed: int = 0) -> widgets.Demo:
    """Restart k times: observed chance of finding the global minimum vs theory."""
    fig, (ax_hist, ax_k) = plotting.new_figure(10.5, 4.3, ncols=2)
    bins = np.arange(-0.25, 20.5, 0.5)
    with plotting.style():
        # One collection, not 41 patches (fast demos, rule 3).
        hist = PolyCollection(
            plotting.bar_verts(bins, np.zeros(bins.size - 1)),
            closed=True,
            # green: the bin around loss 0
            facecolors=[plotting.GREEN] + [plotting.BLUE] * (bins.size - 2),
            edgecolors="white",
            linewidths=1.0,
        )
        ax_hist.add_collection(hist, autolim=False)
        # Few tick labels (rule 5).
        ax_hist.set(
            xlabel="final loss",
            ylabel="number of runs",
            xlim=(-0.5, 20),
            xticks=[0, 5, 10, 15, 20],
        )
        ax_hist.set_title("1. single runs on a rippled bowl (Rastrigin)")
        # Under the bars (rule 2): they never reach it, and the collection's one
        # box covers the whole axes.
        ax_hist.text(
            0.98,
            0.95,
            f"{RESTART_RUNS} runs\nglobal minimum (green):",
            transform=ax_hist.transAxes,
            ha="right",
            va="top",
            fontsize=11,
            zorder=0.9,
        )
        # p, the only number that changes, in a text of its own two lines
        # (11 pt, line spacing 1.2) lower (rule 4).
        below = offset_copy(ax_hist.transAxes, fig=fig, y=-2 * 11 * 1.2, units="points")
        hist_note = ax_hist.text(
            0.98, 0.95, "", transform=below, ha="right", va="top", fontsize=11
        )
        ks = np.arange(1, 61)
        # The data on top (rule 2); they never cross the legend.
        (theory,) = ax_k.plot(
            [], [], color=plotting.BLACK, lw=2, zorder=5.1, label="theory 1 − (1 − p)ᵏ"
        )
        # The intervals: one line broken by NaNs (rule 3). An errorbar gives
        # the legend its entry and is then taken away (the legend keeps a copy).
        (bars,) = ax_k.plot([], [], color=plotting.ORANGE, lw=1, zorder=5.2)
        (points,) = ax_k.plot(
            ks, np.zeros(ks.size), "o", ms=4, zorder=5.3, color=plotting.ORANGE
        )
        proxy = ax_k.errorbar(
            [np.nan],
            [np.nan],
            yerr=[[np.nan], [np.nan]],
            fmt="o",
            ms=4,
            color=plotting.ORANGE,
            elinewidth=1,
            label="observed (99% Wilson interval)",
        )
        (here,) = ax_k.plot(
            [], [], "o", ms=13, mfc="none", mec=plotting.VERMILION, mew=2.5, zorder=5.4
        )
        ax_k.set(
            xlim=(0, 61),
            ylim=(0, 1.05),
            xlabel="restarts k",
            xticks=[1, 20, 40, 60],
            yticks=[0, 0.25, 0.5, 0.75, 1],
            ylabel="chance to find the global minimum",
        )
        # Upper left stays clear of the points (few restarts seldom succeed).
        ax_k.legend(loc="upper left")
        proxy.remove()
        ax_k.set_title("2. the odds grow with every restart")

    controls = {
        "k": widgets.int_slider("restarts k", k, 1, 60),
        "seed": widgets.seed_slider(seed, max=RESTART_SEEDS - 1),
    }

    shown = {}  # the seed drawn: moving k alone moves only the red ring

    def draw(k, seed):
        loss, found, ks_, counts = restart_experiment(seed)
        p = found.mean()
        successes, groups = counts[:, 0], counts[:, 1]
        rate = successes / groups
        if shown.get("seed") != seed:
            shown["seed"] = seed
            heights, _ = np.histogram(loss, bins=bins)
            hist.set_verts(plotting.bar_verts(bins, heights))
            # Round limits (rule 5): 1000 for every seed of the slider.
            ax_hist.set_ylim(0, plotting.nice_ceiling(heights.max() * 1.15))
            hist_note.set_text(f"p = {p:.3f}")
        # The right panel is set on every update, so that the redraw planned
        # for k (a few lines, cheap) serves the seed as well (rule 6).
        low, high = wilson_interval(successes, groups)
        points.set_data(ks_, rate)
        bars.set_data(*plotting.vertical_segments(ks_, low, high))
        theory.set_data(ks_, 1 - (1 - p) ** ks_)
        here.set_data([k], [rate[k - 1]])
        return (
            f"k = {k}: {successes[k - 1]} of {groups[k - 1]} groups of {k} runs "
            f"found the global minimum ({rate[k - 1]:.2f}); theory "
            f"1 − (1 − {p:.3f})^{k} = {1 - (1 - p) ** k:.2f}."
        )

    # The seed moves both panels: warming it up plans k's redraws too (rule 8).
    return widgets.Demo(fig, controls, draw, alt=RESTARTS_ALT, exported=("k",)).warm_up(
        "seed"
    )


RESTARTS_ALT = (
    "Two panels. Left: a histogram of the final losses of 3,000 single runs on "
    "the Rastrigin surface, in separate bars at 0, 1, 2, 4, 5 and more; the bar "
    "at 0, the global minimum, is green and small. Right: the chance that at "
    "least one of k restarts finds the global minimum, for k from 1 to 60: "
    "orange dots with 99% interval bars, measured on groups of k runs, and a "
    "black curve for the theory 1 − (1 − p)^k; a red ring marks the chosen k."
)


def xor_width_demo(width: int = 2) -> widgets.Demo:
    """Trained XOR networks of 5 to 65 weights: how many get stuck?"""
    losses = xor_losses()
    sizes = np.array([4 * h + 1 for h in XOR_WIDTHS])  # weights of each width
    stuck = np.array([np.sum(loss >= STUCK_LOSS) for loss in losses])
    low, high = wilson_interval(stuck, XOR_RESTARTS, z=1.96)
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


def schedule_starts(seed: int = 0) -> np.ndarray:
    """Return SCHEDULE_RUNS starts spread evenly at random over the double well."""
    low, high = landscapes.get("double_well").bounds
    rng = generator(seed, allow_none=False)
    return low + (high - low) * rng.random((SCHEDULE_RUNS, 2))


def noise_schedule_demo(start: float = 6.0) -> widgets.Demo:
    """Same starts, three noise schedules: which starts end in the deep valley?"""
    land = landscapes.get("double_well")
    fig, axes = plotting.new_figure(12.0, 4.0, ncols=4, width_ratios=[1, 1, 1, 0.9])
    maps, ax_bar = axes[:3], axes[3]
    starts = schedule_starts()
    outcome_colours = np.array(
        [to_rgba(c) for c in (plotting.BLUE, plotting.ORANGE, UNSETTLED)]
    )
    with plotting.style():
        dots = []
        for ax, name in zip(maps, SCHEDULES, strict=True):
            # A faded surface, so that the dots' colours stand out.
            plotting.draw_surface(ax, land, n=120).set_alpha(0.4)
            dots.append(
                ax.scatter(
                    *starts.T, s=18, color=UNSETTLED, ec="black", lw=0.5, zorder=6
                )
            )
            ax.set(xlabel="starting weight w₁", title=name)
        maps[0].set_ylabel("starting weight w₂")
        handles = [
            Line2D([], [], ls="", marker="o", mfc=c, mec="black", ms=7)
            for c in (plotting.BLUE, plotting.ORANGE, UNSETTLED)
        ]
        fig.legend(
            handles,
            [
                "ends in the deep minimum (left)",
                "ends in the shallow minimum (right)",
                "ends in neither (still jittering)",
            ],
            loc="outside lower center",
            ncols=3,
            frameon=False,
        )
        bars = ax_bar.bar(
            ["none", "constant", "fading"], np.zeros(3), color=plotting.BLUE, ec="black"
        )
        bar_text = [
            ax_bar.text(i, 0, "", ha="center", va="bottom", fontsize=11)
            for i in range(3)
        ]
        ax_bar.set(
            ylim=(0, 100), xlabel="noise", ylabel="ended in the deep minimum (%)"
        )
        ax_bar.set_title("which noise wins?")

    controls = {
        "start": widgets.float_slider(
            "starting noise σ₀", start, 0.0, 10.0, 0.5, continuous_update=False
        ),
    }

    def draw(start):
        final, diverged = schedule_runs(start)
        outcome = schedule_endings(final, diverged)
        settled = (outcome == 0).mean(1)
        for dot, kind in zip(dots, outcome, strict=True):
            dot.set_facecolor(outcome_colours[kind])
        for bar, text, share in zip(bars, bar_text, 100 * settled, strict=True):
            bar.set_height(share)
            text.set_position((bar.get_x() + bar.get_width() / 2, share + 1))
            text.set_text(f"{share:.0f}%")
        text = (
            f"σ₀ = {start:g}: ended in the deep minimum: no noise "
            f"{100 * settled[0]:.0f}%, constant {100 * settled[1]:.0f}%, fading "
            f"{100 * settled[2]:.0f}%."
        )
        if diverged.any():
            text += f" {diverged.sum()} runs diverged (counted as neither)."
        return text

    return widgets.Demo(fig, controls, draw, alt=SCHEDULE_ALT, exported=("start",))


SCHEDULE_ALT = (
    "Four panels. Three faded contour maps of a surface with a deep valley on "
    "the left and a shallower one on the right, one for each noise schedule "
    "(none, constant, fading); 300 dots mark the same starting points, coloured "
    "by where each run ends: blue in the deep minimum, orange in the shallow "
    "one, grey in neither (still jittering). Right: bars of the share of runs "
    "that ended in the deep minimum under each schedule, with its percentage."
)


# ------------------------------------------------------- predict first


def predict_basins() -> Prediction:
    """Ask, before the basin map: are the four basins four quarters?"""
    return Prediction(
        {
            "Yes: four quarters, split along the middle lines": (
                "The basins are about equal in size, but their borders follow the "
                "ridges between the minima, and those bend."
            ),
            "Four regions of about equal size, with curved borders": "",
            "One basin takes most of the square": (
                "The four minima are equally deep and spread over the square; the "
                "depth of a minimum does not make its basin larger."
            ),
        },
        answer="Four regions of about equal size, with curved borders",
        explanation=(
            "Each start flows downhill into the basin it is in, and the borders "
            "between basins run along the ridges of the surface. At η = 0.01 the "
            "four basins hold 24% to 26% of the starts each."
        ),
        prompt="Are the four basins the four quarters of the square?",
    )


def predict_restarts() -> Prediction:
    """Ask, before the restarts demo: how many restarts for an even chance?"""
    return Prediction(
        {
            "about 2": (
                "One run succeeds only 3 times in 100; two runs are far from an "
                "even chance (about 6%)."
            ),
            "about 25": "",
            "about 50": (
                "Chances do not add up: k restarts succeed with 1 − (1 − p)^k, not "
                "k·p. 50 restarts give about 74%, more than an even chance."
            ),
            "about 100": (
                "100 restarts give about 93%: much more than an even chance."
            ),
        },
        answer="about 25",
        explanation=(
            "Solve 1 − (1 − p)^k = ½: k = ln ½ / ln(1 − p) ≈ 0.69 / p. With the "
            "measured p = 0.027 that is 26 restarts."
        ),
        prompt="One run finds the global minimum 3 times in 100. How many restarts "
        "give an even chance?",
    )


def predict_width() -> Prediction:
    """Ask, before the XOR demo: how does the stuck share change with width?"""
    return Prediction(
        {
            "It falls slowly and steadily": (
                "It falls much faster than that: from 44% at 9 weights to none of "
                "200 at 21."
            ),
            "It falls fast, then no run is stuck at all": "",
            "It stays about the same": (
                "Width changes the odds a great deal here; the number of restarts "
                "you need changes with it."
            ),
            "It rises: more weights, more places to get stuck": (
                "More weights do bring more critical points, but also many more "
                "ways down; on XOR the second wins by far."
            ),
        },
        answer="It falls fast, then no run is stuck at all",
        explanation=(
            "1 hidden unit (5 weights): every run fails, since one unit cannot "
            "represent XOR. 2 units: 44%. 3: 4.5%. 4: 1%. From 5 units (21 "
            "weights) on, none of 200."
        ),
        prompt="As the number of weights grows from 5 to 65, the share of stuck "
        "runs ...",
    )


def predict_drift() -> Prediction:
    """Ask, before the drift demo: is a stuck run at a minimum?"""
    return Prediction(
        {
            "It reaches zero: the run sits at a local minimum": (
                "At a minimum the gradient would be exactly zero at some finite "
                "weights, and the weights would stop. Here they never stop."
            ),
            "It keeps shrinking but never reaches zero": "",
            "It grows again as the run escapes": (
                "Almost none escape: five times more steps leave them where they "
                "were, at a loss near 0.347."
            ),
        },
        answer="It keeps shrinking but never reaches zero",
        explanation=(
            "The gradient falls like 1 / step while the weights keep growing: the "
            "run slides along a valley whose floor levels off at a loss of "
            "ln 2 / 2, and there is no minimum at finite weights."
        ),
        prompt="Train the stuck runs five times longer. Their gradient ...",
    )


def predict_schedule() -> Prediction:
    """Ask, before the noise-schedule demo: which schedule wins?"""
    return Prediction(
        {
            "no noise": (
                "Without noise each run stays in the valley it starts in: under "
                "half end in the deep one."
            ),
            "constant noise": (
                "Constant noise lets runs hop between the valleys, but they never "
                "settle: at the end almost all are still jittering."
            ),
            "noise that fades": "",
        },
        answer="noise that fades",
        explanation=(
            "Early on, strong noise lets runs hop out of the shallow valley; as it "
            "fades they are caught, mostly by the deep valley, which is harder to "
            "leave: about three in four end there."
        ),
        prompt="Which schedule ends in the deep valley most often?",
    )


# ---------------------------------------------------------------- exercises


def ex03_success_chance(answer, p: float = 0.05, k: int = 20) -> Feedback:
    """Check the chance that k restarts find a minimum each finds with chance p."""
    value = as_number(answer)
    if isinstance(value, Feedback):
        return value
    expected = 1 - (1 - p) ** k
    # 1% accepts 0.64 (two figures) and rejects 0.63 and 0.65, its neighbours.
    if abs(value - expected) <= 0.01 * expected:
        return check_number(value, expected, rel=0.01)
    misreads = {
        k * p: f"Adding the chances counts overlaps twice ({k} × {p:g} would make "
        "the chance reach 1). Work with the chance that every restart misses.",
        (1 - p) ** k: "That is the chance that all of them miss; the question "
        "asks for at least one hit.",
        1 - (1 - p) ** (k - 1): f"That is {k - 1} restarts, not {k}.",
        p**k: "That is the chance that every one of them finds it.",
    }
    for wrong, why in misreads.items():
        if abs(value - wrong) <= 0.01 * max(abs(wrong), 1e-9):
            return Feedback(False, f"{value:.4g} is not it. {why}")
    return check_number(
        value,
        expected,
        rel=0.01,
        hint="The chance that all k restarts miss is (1 − p)^k.",
    )


def ex03_restarts_needed(answer, p: float = 0.05, target: float = 0.99) -> Feedback:
    """Check the fewest restarts k with 1 − (1 − p)^k >= target."""
    value = as_number(answer)
    if isinstance(value, Feedback):
        return value
    expected = math.ceil(math.log(1 - target) / math.log(1 - p))
    if value != int(value) or not 1 <= value <= 10**9:
        return Feedback(False, "Please answer with a whole number of restarts.")
    if value == expected:
        return Feedback(
            True, f"{expected} restarts give {1 - (1 - p) ** expected:.4f}."
        )
    reached = 1 - (1 - p) ** min(value, 10**6)
    approximate = math.ceil(-math.log(1 - target) / p)
    if value in (approximate, approximate - 1) and value != expected:
        return Feedback(
            False,
            f"{int(value)} is what ln(1 − p) ≈ −p gives.",
            "That approximation is a little off at p = 0.05; use the exact "
            "logarithm ln(1 − p).",
        )
    if value < expected:
        return Feedback(
            False,
            f"{int(value)} restarts give only {reached:.4f}.",
            "Solve (1 − p)^k <= 1 − target with logarithms, then round up.",
        )
    return Feedback(
        False,
        f"{int(value)} restarts are enough, but fewer would do.",
        "Look for the smallest k; round up, not further.",
    )


def ex03_basin(answer) -> Feedback:
    """Check which Himmelblau minimum (1-4) descent reaches from (0, 0)."""
    value = as_number(answer)
    if isinstance(value, Feedback):
        return value
    land = landscapes.get("himmelblau")
    run = optimize(land, [0.0, 0.0], lr=0.01, steps=BASIN_STEPS)
    expected = int(basin_labels(land, run.final)[0]) + 1
    if value not in (1, 2, 3, 4):
        return Feedback(False, "Please answer with the number of a minimum: 1 to 4.")
    if value == expected:
        return Feedback(
            True,
            f"From (0, 0) descent ends in minimum {expected}: its first step, along "
            "−∇L = (14, 22), goes right and up, and it never leaves that basin.",
        )
    where = {
        1: "up and to the right",
        2: "up and to the left",
        3: "down and to the left",
        4: "down and to the right",
    }
    return Feedback(
        False,
        f"Minimum {int(value)} lies {where[int(value)]} of (0, 0), but the first "
        "step goes along −∇L = (14, 22): right and up.",
        "Find (0, 0) in the basin map at η = 0.01: which colour is it?",
    )


def restarts_until_confident(losses, p_min=0.05, confidence=0.95, tol=1e-3):
    """Return how many restarts the stopping policy of exercise 4 runs.

    Go through the restarts' final `losses` in order; a restart improves if its
    loss is below the best so far by more than `tol`. Stop after m restarts in
    a row without improvement, m the smallest with 1 − (1 − p_min)^m >=
    `confidence`; return how many restarts were run (all, if it never stops).
    """
    m = _patience(p_min, confidence)
    best, since = math.inf, 0
    for used, loss in enumerate(losses, start=1):
        if loss < best - tol:
            best, since = loss, 0
            continue
        since += 1
        if since >= m:
            return used
    return len(losses)


def _patience(p_min, confidence) -> int:
    if not (0 < p_min < 1 and 0 < confidence < 1):
        raise ValueError(
            f"p_min and confidence must lie in (0, 1); got {p_min!r} and {confidence!r}"
        )
    return math.ceil(math.log(1 - confidence) / math.log(1 - p_min))


def _policy_cases() -> list:
    """Loss sequences the notebook never shows, with their settings."""
    rng = generator(7, allow_none=False)
    levels = np.array([0.0, 1.0, 2.0, 4.0, 5.0, 8.0])
    cases = [
        ([3.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0], 0.5, 0.9, 1e-3),  # m = 4
        ([5.0, 4.0, 4.0, 1.0, 1.0, 1.0, 1.0, 1.0], 0.5, 0.9, 1e-3),
        ([1.0, 1.0005, 0.9996, 1.0, 0.9999, 1.0, 0.5], 0.5, 0.9, 1e-3),  # ties
        ([2.0, 1.0, 0.5, 0.2], 0.3, 0.99, 1e-3),  # never confident
        ([4.0], 0.5, 0.5, 1e-3),
    ]
    for size, p_min, confidence in ((60, 0.2, 0.95), (200, 0.05, 0.9), (40, 0.4, 0.99)):
        losses = rng.choice(levels, size=size, p=[0.03, 0.2, 0.3, 0.2, 0.17, 0.1])
        cases.append((losses + rng.uniform(0, 5e-4, size), p_min, confidence, 1e-3))
    return cases


def _policy_mistake(got, expected, args) -> str:
    """Name the likely mistake behind a wrong stopping point."""
    losses, p_min, confidence, tol = args
    if np.size(got) != 1:
        return "Return one whole number: how many restarts the policy ran."
    got, expected = int(np.asarray(got).ravel()[0]), int(expected)
    m = _patience(p_min, confidence)
    # Later entries win where two mistakes give the same number.
    variants = {
        len(losses): (
            "Your policy never stopped early: stop as soon as m restarts in a row "
            "have not improved on the best."
        ),
        _policy_without_reset(losses, m, tol): (
            "Count the misses in a row: the count starts again at zero whenever "
            "a restart beats the best."
        ),
        restarts_until_confident(losses, p_min, confidence, tol=0.0): (
            "A loss within tol of the best is not an improvement: compare with "
            "best - tol."
        ),
        min(m, len(losses)): (
            "Count the restarts since the last improvement, not all restarts."
        ),
    }
    variants.pop(expected, None)
    if got in variants:
        return variants[got]
    if abs(got - expected) == 1:
        return (
            "Off by one: return how many restarts were run, counting from 1, "
            "including the one that made the m-th miss in a row."
        )
    return ""


def _policy_without_reset(losses, m, tol) -> int:
    """The policy with a common mistake: misses counted in total, not in a row."""
    best, misses = math.inf, 0
    for used, loss in enumerate(losses, start=1):
        if loss < best - tol:
            best = loss
            continue
        misses += 1
        if misses >= m:
            return used
    return len(losses)


def ex03_restart_policy(fn) -> Feedback:
    """Check a learner's `restarts_until_confident(losses, p_min, confidence, tol)`."""
    return check_function(
        fn,
        restarts_until_confident,
        _policy_cases(),
        name="restarts_until_confident",
        rtol=0,
        atol=0,
        diagnose=_policy_mistake,
    )


DEMOS = {
    "basins": basins_demo,
    "restarts": restarts_demo,
    "xor_width": xor_width_demo,
    "drift": drift_demo,
    "noise_schedule": noise_schedule_demo,
}
