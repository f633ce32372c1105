"""When to decay the learning rate: schedules on exact and noisy labels."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from .. import plotting, widgets
from ._common import (
    BATCH,
    DATASETS,
    LR,
    SGD_RUNS,
    STEPS,
    _batch_slider,
    _floor,
    _read_only,
    _solved,
    best_loss,
    starts,
    train_sgd,
)

SCHEDULES = ("constant", "cosine", "step", "linear")


def schedule(kind: str, lr: float, steps: int = STEPS) -> np.ndarray:
    """Return a learning-rate schedule of shape (steps,).

    ``constant``: η throughout. ``cosine``: η·½(1 + cos(πt/T)), from η down to
    0 (Loshchilov & Hutter 2017). ``step``: η, then η/10 after half the steps
    and η/100 after three quarters. ``linear``: η·(1 − t/T).
    """
    if kind not in SCHEDULES:
        raise ValueError(f"kind must be one of {', '.join(SCHEDULES)}; got {kind!r}")
    if not (np.isfinite(lr) and lr > 0):
        raise ValueError(f"lr must be finite and > 0; got {lr}")
    t = np.arange(steps) / max(steps, 1)
    if kind == "constant":
        shape = np.ones_like(t)
    elif kind == "cosine":
        shape = 0.5 * (1 + np.cos(np.pi * t))
    elif kind == "step":
        shape = np.select([t < 0.5, t < 0.75], [1.0, 0.1], 0.01)
    else:
        shape = 1 - t
    # Keep every rate strictly positive, as optimize requires.
    return lr * np.maximum(shape, 1e-4)


@lru_cache(maxsize=16)
def compare_schedules(
    lr: float = LR,
    kind: str = "cosine",
    data: str = "flipped",
    batch: int = BATCH,
    n: int = SGD_RUNS,
    seed: int = 0,
):
    """Train the same starts by minibatch SGD with a constant and a decaying rate.

    Both halves run in one call (the rate has shape (steps, 2n)); each run
    draws its own batches. Returns (constant, decayed): two dicts with
    ``excess`` (rows, n), the loss above the lowest possible (`best_loss`),
    ``t``, ``final_excess`` (n,) and ``learned`` (n,). Cached, read-only.
    """
    x0 = starts(n, seed)
    rates = np.c_[
        np.repeat(schedule("constant", lr)[:, None], n, 1),
        np.repeat(schedule(kind, lr)[:, None], n, 1),
    ]
    traj = train_sgd(np.r_[x0, x0], rates, batch=batch, data=data, seed=seed)
    excess = traj.loss - best_loss(data)
    ok = _solved(traj)
    halves = tuple(
        {
            "excess": excess[:, part],
            "t": traj.t,
            "final_excess": excess[-1, part],
            "learned": ok[part],
        }
        for part in (slice(0, n), slice(n, 2 * n))
    )
    return _read_only(halves)


def schedule_demo(data: str = "flipped", batch: int = BATCH, kind: str = "cosine"):
    """Median loss above the best, constant vs decaying rate | the schedules."""
    floor = 1e-30
    fig, (ax_c, ax_s) = plotting.new_figure(10.5, 3.9, ncols=2)
    with plotting.style():
        (const,) = ax_c.plot([], [], color=plotting.ORANGE, label="constant η")
        (decay,) = ax_c.plot([], [], color=plotting.BLUE, label="decaying η")
        plotting.log_axis(ax_c, "y")
        ax_c.set(
            xlim=(0, STEPS),
            ylim=(floor, 1),
            xlabel="step",
            ylabel="loss − lowest possible",
        )
        ax_c.set_title(f"1. median of {SGD_RUNS} minibatch runs")
        ax_c.legend(loc="lower left")
        t = np.arange(STEPS)
        ax_s.plot(t, schedule("constant", LR), color=plotting.ORANGE)
        (decay_rate,) = ax_s.plot(t, np.zeros(STEPS), color=plotting.BLUE)
        ax_s.set(
            xlim=(0, STEPS), ylim=(0, LR * 1.1), xlabel="step", ylabel="learning rate η"
        )
        ax_s.set_title("2. the two schedules")

    controls = {
        "data": widgets.choice("data", {v: k for k, v in DATASETS.items()}, data),
        "batch": _batch_slider(batch),
        "kind": widgets.choice("decay", list(SCHEDULES[1:]), kind),
    }

    def draw(data, batch, kind):
        batch = int(round(batch))
        fixed, decayed = compare_schedules(LR, kind, data, batch)
        const.set_data(fixed["t"], _floor(np.median(fixed["excess"], 1), floor))
        decay.set_data(decayed["t"], _floor(np.median(decayed["excess"], 1), floor))
        decay_rate.set_ydata(schedule(kind, LR))
        a, b = np.median(fixed["final_excess"]), np.median(decayed["final_excess"])
        return (
            f"{DATASETS[data]}, batch {batch}: the median run ends {a:.0e} above the "
            f"lowest loss possible with a constant η = {LR}, {b:.0e} with {kind} "
            f"decay ({fixed['learned'].mean():.0%} and "
            f"{decayed['learned'].mean():.0%} learned XOR)."
        )

    alt = (
        f"Two panels. 1: for {SGD_RUNS} minibatch SGD runs from the same starts, "
        "the median loss above the lowest loss possible on the chosen data, "
        "against step (log axis): constant learning rate in orange, decaying rate "
        "in blue. 2: the two learning-rate schedules against step, same colours."
    )
    return widgets.Demo(fig, controls, draw, alt=alt, exported=("data",))
