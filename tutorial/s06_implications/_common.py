"""What the parts of notebook 06 share: the problem, budgets, the learning-rate sweep
and drawing helpers.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from .. import datasets, plotting, widgets
from ..nn import MLP
from ..optimizers import optimize
from ..sections import returns_inf

SIZES = (2, 2, 1)
STEPS = 600  # the training budget used throughout


EVERY = 10  # record every 10th step: curves stay smooth, memory stays small
LR = 0.3  # a good plain-GD rate for this problem (see lr_sweep)
TARGET = 0.01  # "arrived": mean squared error below this
RESTARTS = 200  # the one sample behind every success rate the notebook quotes
SWEEP_LRS = np.geomspace(0.01, 3.0, 16)


LOSS_FLOOR = 1e-8  # losses below this are drawn at the floor of the log axis


# Minibatch data: each XOR corner COPIES times, so that a batch can hold 1 to
# 32 examples. The loss over the copies is the loss over the four corners.
COPIES = 8
BATCHES = (1, 2, 4, 8, 16, 32)
BATCH = 8  # the minibatch demos' default batch size
SGD_RUNS = 50
# With one copy in COPIES of every corner labelled wrong, the best a network
# can do is to output the mean label there (1/8 or 7/8); that best fit's loss
# is the variance of the labels, p (1 - p) with p = 1/8.
FLIPPED = 1 / COPIES
DATASETS = {"exact": "XOR, every label right", "flipped": "XOR, 1 label in 8 flipped"}


# One meaning per colour in the first demo (and in the optimizers' grid).
IN_BUDGET, LATE, STUCK = plotting.BLUE, plotting.SKY, plotting.ORANGE


def _read_only(result):
    """Return a cached result with its arrays made read-only (callers share it)."""
    if isinstance(result, np.ndarray):
        result.setflags(write=False)
    elif isinstance(result, dict):
        for value in result.values():
            _read_only(value)
    elif isinstance(result, tuple):
        for value in result:
            _read_only(value)
    return result


@lru_cache(maxsize=1)
def network() -> MLP:
    """Return the model: a 2-2-1 tanh network (9 weights)."""
    return MLP(list(SIZES), "tanh")


@lru_cache(maxsize=1)
def loss_surface():
    """Return the XOR training loss (mean squared error) as a Landscape."""
    X, y = datasets.xor()
    return network().landscape(X, y, loss="mse")


def examples(data: str = "exact"):
    """Return the minibatch data (X, y): every XOR corner COPIES times.

    X has shape (32, 2) and y shape (32,). ``flipped`` gives the first copy of
    every corner the wrong label, so that no network fits every example: the
    lowest loss possible is then `best_loss` ("flipped") = 7/64.
    """
    if data not in DATASETS:
        raise ValueError(f"data must be one of {', '.join(DATASETS)}; got {data!r}")
    X, y = datasets.xor(repeats=COPIES)
    if data == "flipped":
        first = np.arange(0, len(y), COPIES)  # the first copy of each corner
        y[first] = 1 - y[first]
    return X, y


def best_loss(data: str) -> float:
    """Return the lowest loss any network can reach on `examples(data)`."""
    if data not in DATASETS:
        raise ValueError(f"data must be one of {', '.join(DATASETS)}; got {data!r}")
    return FLIPPED * (1 - FLIPPED) if data == "flipped" else 0.0


@lru_cache(maxsize=2)
def data_surface(data: str = "exact"):
    """Return the loss over `examples(data)`: a Landscape over 32 examples."""
    return network().landscape(*examples(data), loss="mse")


def starts(n: int, seed: int = 0, scale: float = 1.0) -> np.ndarray:
    """Return n random initial weight vectors, shape (n, 9)."""
    return network().init(n, seed=seed, scale=scale)


def learned(w) -> np.ndarray:
    """Return True for weights that classify all four XOR points correctly.

    A point counts as correct when the output is within 0.5 of its 0/1 label,
    so the verdict is not fooled by the jitter that noise leaves in the loss.
    `w` has shape (..., 9); the result has shape (...).
    """
    X, y = datasets.xor()
    out = network().predict(w, X)[..., 0]
    with np.errstate(invalid="ignore"):
        return (np.abs(out - y) < 0.5).all(-1)


def _solved(traj) -> np.ndarray:
    """Return which runs of a Trajectory end having learned XOR (not diverged)."""
    return learned(traj.final) & ~traj.diverged


@returns_inf("steps to reach TARGET are inf for runs that never do")
def steps_to_reach(traj, target: float = TARGET) -> np.ndarray:
    """Return the first recorded step with loss < target per run, inf if never."""
    hit = traj.loss < target
    first = traj.t[hit.argmax(0)].astype(float)
    return np.where(hit.any(0), first, np.inf)


def train(
    x0,
    lr=LR,
    *,
    steps: int = STEPS,
    noise=0.0,
    method: str = "gd",
    seed: int = 0,
    every: int = EVERY,
):
    """Train on the four XOR points (full batch) from every row of x0.

    Returns the Trajectory of `optimize`; `noise` is the Gaussian model.
    """
    return optimize(
        loss_surface(),
        x0,
        lr=lr,
        steps=steps,
        noise=noise,
        method=method,
        seed=seed,
        every=every,
    )


def train_sgd(
    x0,
    lr=LR,
    *,
    batch: int = BATCH,
    data: str = "exact",
    steps: int = STEPS,
    seed: int = 0,
    every: int = EVERY,
):
    """Train by minibatch SGD on `examples(data)` from every row of x0.

    Each run draws its own batches: a fresh random order of the 32 examples
    every epoch, cut into consecutive batches of `batch` (32 is full-batch
    descent). The Trajectory's loss is the loss over all 32 examples.
    """
    return optimize(
        data_surface(data),
        x0,
        lr=lr,
        steps=steps,
        batch_size=batch,
        seed=seed,
        every=every,
    )


def _summary(traj, groups: int) -> dict:
    """Split runs into `groups` equal blocks and summarise each block."""
    n = traj.final.shape[0] // groups
    ok = _solved(traj).reshape(groups, n)
    reach = steps_to_reach(traj).reshape(groups, n)
    final = traj.final_loss.reshape(groups, n)
    return {
        "learned": ok.mean(1),
        "diverged": traj.diverged.reshape(groups, n).mean(1),
        "arrived": np.isfinite(reach).mean(1),
        "median_steps": np.median(reach, axis=1),
        "median_loss": np.median(final, axis=1),
        "median_curve": np.median(traj.loss.reshape(-1, groups, n), axis=2),
        "t": traj.t,
        "final": traj.final.reshape(groups, n, -1),
        "solved": ok,
    }


@returns_inf("median steps to reach TARGET are inf where most runs never do")
def lr_sweep(
    lrs=SWEEP_LRS, n: int = 50, seed: int = 0, method: str = "gd", steps=STEPS
):
    """Train n restarts at each learning rate, all in one call.

    Every rate starts from the same n weight vectors, so rates are compared
    on equal terms. Returns a dict of arrays of shape (len(lrs),): the share
    that ``learned`` XOR, ``diverged``, ``arrived`` below TARGET, and the
    ``median_steps`` to arrive (inf where half or more never arrive, as in
    `steps_to_reach`) and ``median_loss`` at the end; plus ``lrs``,
    ``median_curve`` (rows, len(lrs)), the median loss at each recorded step
    ``t``; ``final`` (len(lrs), n, 9), the end points; and ``solved``
    (len(lrs), n), which of them learned XOR.
    """
    lrs = np.asarray(lrs, dtype=float)
    x0 = np.tile(starts(n, seed), (lrs.size, 1))
    traj = train(x0, np.repeat(lrs, n)[None, :], method=method, steps=steps)
    return {"lrs": lrs, **_summary(traj, lrs.size)}


@lru_cache(maxsize=1)
@returns_inf("as lr_sweep")
def default_sweep() -> dict:
    """Return `lr_sweep` at its defaults, computed once (read-only arrays)."""
    return _read_only(lr_sweep())


def _floor(loss, floor=LOSS_FLOOR):
    return np.clip(plotting.positive_floor(loss, floor), floor, 1e3)


def _loss_axis(ax, title, xmax=STEPS, floor=LOSS_FLOOR):
    plotting.log_axis(ax, "y")
    ax.set(xlim=(0, xmax), ylim=(floor, 10), xlabel="step", ylabel="loss (MSE)")
    ax.axhline(TARGET, color=plotting.GREY, ls="--", lw=1)
    # x in axes fraction: the label stays at the right edge whatever the axis.
    ax.text(
        1.0,
        TARGET,
        "target ",
        ha="right",
        va="bottom",
        color=plotting.GREY,
        transform=ax.get_yaxis_transform(),
    )
    ax.set_title(title)


def _batch_slider(value: int = BATCH):
    """Return the batch-size slider: 1, 2, 4, ... 32 (32 is the full batch)."""
    return widgets.log_slider(
        "batch size B",
        value,
        BATCHES[0],
        BATCHES[-1],
        step=math.log10(2),
        fmt=".0f",
        continuous_update=False,
    )
