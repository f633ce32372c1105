"""Notebook 06, implications for training: no guarantees, and what helps.

Everything here is measured on one small problem: a 2-2-1 tanh network (nine
weights) fitted to the XOR points by mean squared error. It is small enough to
train hundreds of copies at once in a fraction of a second, and hard enough to
show the three things gradient descent does not promise: a good solution
(quality), a known training time, and arriving at all (convergence).

Every experiment is one vectorised `optimize` call (one per batch size for
minibatch SGD): restarts, learning rates and schedules sit side by side as
separate runs, with per-run rates of shape (1, n) or (steps, n).

Two kinds of gradient noise appear, and each demo says which it uses: real
minibatch SGD (``batch_size=B`` on the loss over 32 examples) and the Gaussian
model (``noise=σ``, a random error of fixed size added to every gradient).
They agree early in training; at an exact fit the minibatch noise vanishes and
the model's does not.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
from matplotlib.collections import PolyCollection
from matplotlib.colors import ListedColormap
from matplotlib.patches import Rectangle

from . import datasets, plotting, widgets
from .checks import Feedback, as_number, check_choice, check_function, check_number
from .nn import MLP
from .optimizers import optimize
from .predict import Prediction
from .sections import returns_inf

__all__ = [
    "network",
    "loss_surface",
    "examples",
    "best_loss",
    "data_surface",
    "starts",
    "learned",
    "steps_to_reach",
    "train",
    "train_sgd",
    "restart_stats",
    "success_rate",
    "lr_sweep",
    "default_sweep",
    "scale_sweep",
    "sharpness",
    "spikes",
    "edge_run",
    "jump_report",
    "end_sharpness",
    "gradient_noise",
    "sgd_vs_model",
    "schedule",
    "compare_schedules",
    "cost_curves",
    "method_sweep",
    "stuck_starts",
    "restarts_demo",
    "lr_demo",
    "edge_demo",
    "sgd_demo",
    "schedule_demo",
    "cost_demo",
    "methods_demo",
    "predict_quality",
    "predict_time",
    "predict_noise",
    "predict_decay",
    "predict_optimizers",
    "minibatch_epoch",
    "ex06_best_of_k",
    "ex06_momentum_factor",
    "ex06_remedy",
    "ex06_minibatch_epoch",
    "DEMOS",
]

SIZES = (2, 2, 1)
STEPS = 600  # the training budget used throughout
LONG_STEPS = 2000  # a longer budget, which tells slow runs from stuck ones
EVERY = 10  # record every 10th step: curves stay smooth, memory stays small
LR = 0.3  # a good plain-GD rate for this problem (see lr_sweep)
TARGET = 0.01  # "arrived": mean squared error below this
RESTARTS = 200  # the one sample behind every success rate the notebook quotes
SWEEP_LRS = np.geomspace(0.01, 3.0, 16)
METHOD_LRS = np.geomspace(0.003, 3.0, 11)
# Short names: they share one row of a legend (momentum has β = 0.9).
METHODS = {"gd": "GD", "momentum": "momentum", "adam": "Adam"}
SCHEDULES = ("constant", "cosine", "step", "linear")
LOSS_FLOOR = 1e-8  # losses below this are drawn at the floor of the log axis
LADDER = (1.0, 1.5, 2.0, 3.0, 5.0, 7.0)  # round axis limits, a little snug

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
COST_EXAMPLES = 40 * COPIES * 4  # the cost budget: 40 passes over 32 examples
COST_LRS = (0.03, 0.1, 0.3)

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


# ---------------------------------------------------------------- the problem


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


# ---------------------------------------------------------------- quality, time


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


@lru_cache(maxsize=8)
@returns_inf("steps to reach TARGET are inf for runs that never do")
def restart_stats(
    n: int = RESTARTS,
    lr: float = LR,
    seed: int = 0,
    scale: float = 1.0,
    steps: int = LONG_STEPS,
):
    """Train n restarts for `steps`; judge them at the STEPS budget and later.

    Returns a dict over the n runs: ``learned`` (n,) bool, learned XOR within
    STEPS; ``learned_late`` (n,) bool, learned by the end but not within
    STEPS; ``final_loss`` (n,), the loss at STEPS; ``end_loss`` (n,), the loss
    at the end; ``steps`` (n,), steps to reach TARGET (inf if never);
    ``share_by`` (rows,), the share that has learned XOR at each recorded step
    ``t``; and ``traj``, the Trajectory. Cached: the demo, the prose and the
    exercises share one result, with read-only arrays.
    """
    traj = train(starts(n, seed, scale), lr, steps=steps)
    rows = traj.t.size
    solved = learned(traj.path) & ~traj.diverged
    budget = int(np.searchsorted(traj.t, min(STEPS, steps)))
    return _read_only(
        {
            "learned": solved[budget],
            "learned_late": solved[-1] & ~solved[budget],
            "final_loss": traj.loss[budget],
            "end_loss": traj.final_loss,
            "steps": steps_to_reach(traj),
            "share_by": solved.reshape(rows, n).mean(1),
            "t": traj.t,
            "traj": traj,
        }
    )


def success_rate() -> float:
    """Return p, the share of the RESTARTS restarts that learn XOR in STEPS.

    The one success rate of the notebook: prose, first demo and exercise 1.
    """
    return float(restart_stats()["learned"].mean())


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


@returns_inf("median steps to reach TARGET are inf where most runs never do")
def scale_sweep(
    scales=(0.1, 0.3, 1.0, 3.0, 4.0),
    n: int = RESTARTS,
    seed: int = 0,
    lr=LR,
    steps: int = LONG_STEPS,
):
    """Train n restarts from each initial scale for `steps`, in one call.

    Returns a dict of arrays of shape (len(scales),): the share that learned
    XOR within STEPS (``learned``) and at the end (``learned_end``), and the
    ``median_steps`` to reach TARGET (inf where half or more never do); plus
    ``scales``.
    """
    scales = np.asarray(scales, dtype=float)
    x0 = starts(n, seed)
    traj = train((scales[:, None, None] * x0).reshape(-1, x0.shape[1]), lr, steps=steps)
    budget = int(np.searchsorted(traj.t, min(STEPS, steps)))
    solved = learned(traj.path[[budget, -1]]) & ~traj.diverged
    reach = steps_to_reach(traj).reshape(scales.size, n)
    return {
        "scales": scales,
        "learned": solved[0].reshape(scales.size, n).mean(1),
        "learned_end": solved[1].reshape(scales.size, n).mean(1),
        "median_steps": np.median(reach, axis=1),
    }


# ---------------------------------------------------------------- edge of stability


def sharpness(w) -> np.ndarray:
    """Return λmax, the largest Hessian eigenvalue of the XOR loss, at w (..., 9).

    Notebook 01: a step η is stable near a point only if λmax < 2/η.
    """
    w = np.asarray(w, dtype=float)
    flat = w.reshape(-1, w.shape[-1])
    # Each Hessian takes 18 gradients (central differences): 500 points a call.
    top = [
        np.linalg.eigvalsh(loss_surface().hessian(flat[i : i + 500]))[:, -1]
        for i in range(0, len(flat), 500)
    ]
    return np.concatenate(top or [np.zeros(0)]).reshape(w.shape[:-1])


def spikes(loss, factor: float = 100.0, below: float = TARGET) -> np.ndarray:
    """Return the steps where a loss curve begins a jump of `factor` or more.

    A jump is a stretch where the loss, after having been below `below`,
    stands more than `factor` times above its lowest value so far; it begins
    at the last step before the rise. `loss` has one value per step, shape
    (steps + 1,); the result is an int array of steps.
    """
    loss = np.asarray(loss, dtype=float)
    low = np.minimum.accumulate(loss)
    high = (loss > factor * low) & (low < below)
    onsets = np.flatnonzero(high & ~np.r_[False, high[:-1]])
    rising = np.r_[False, loss[1:] > loss[:-1]]
    begins = []
    for t in onsets:
        while t > 0 and rising[t]:
            t -= 1
        begins.append(t)
    return np.array(begins, dtype=int)


def edge_run(lr: float = LR, start: int = 0, steps: int = STEPS) -> dict:
    """Train restart number `start` of `starts`, recording every step.

    Returns ``t`` (steps + 1,), the ``loss`` and its ``sharpness`` (λmax) at
    every step, ``spikes`` (the steps where a jump of 100× or more begins),
    and ``learned`` and ``diverged`` (bool).
    """
    if isinstance(start, bool) or not isinstance(start, (int, np.integer)):
        raise ValueError(f"start must be a whole number >= 0; got {start!r}")
    if start < 0:
        raise ValueError(f"start must be a whole number >= 0; got {start}")
    traj = train(starts(start + 1)[start:], lr, steps=steps, every=1)
    return {
        "t": traj.t,
        "loss": traj.loss[:, 0],
        "sharpness": sharpness(traj.path[:, 0]),
        "spikes": spikes(traj.loss[:, 0]),
        "learned": bool(_solved(traj)[0]),
        "diverged": bool(traj.diverged[0]),
    }


def jump_report(lr: float = LR, n: int = RESTARTS, seed: int = 0) -> dict:
    """Train n restarts, recording every step; measure their jumps and λmax.

    Returns ``learned`` (n,) bool; ``jumps`` (n,), each run's number of jumps
    of 100× or more; ``onset_ratio``, λmax / (2/η) where each jump of a run
    that learned begins (one value per jump); and ``end_ratio``, λmax / (2/η)
    at the end of each run that learned.
    """
    traj = train(starts(n, seed), lr, every=1)
    ok = _solved(traj)
    found = [spikes(traj.loss[:, i]) for i in range(n)]
    at = [traj.path[t, i] for i in np.flatnonzero(ok) for t in found[i]]
    onsets = np.reshape(at, (-1, traj.path.shape[-1]))
    return {
        "learned": ok,
        "jumps": np.array([f.size for f in found]),
        "onset_ratio": sharpness(onsets) * lr / 2,
        "end_ratio": sharpness(traj.final[ok]) * lr / 2,
    }


@lru_cache(maxsize=1)
def end_sharpness() -> dict:
    """Return λmax where the runs of `default_sweep` that learned end.

    ``lrs`` and, per rate, the ``median``, ``low`` (10th percentile) and
    ``high`` (90th) of λmax over its runs that learned XOR; where fewer than
    five did, the rate is left out.
    """
    sweep = default_sweep()
    keep, stats = [], []
    for i, (final, ok) in enumerate(zip(sweep["final"], sweep["solved"], strict=True)):
        if ok.sum() >= 5:
            lam = sharpness(final[ok])
            keep.append(i)
            stats.append([np.median(lam), *np.quantile(lam, [0.1, 0.9])])
    stats = np.array(stats).reshape(-1, 3)
    return _read_only(
        {
            "lrs": sweep["lrs"][keep],
            "median": stats[:, 0],
            "low": stats[:, 1],
            "high": stats[:, 2],
        }
    )


# ---------------------------------------------------------------- minibatch noise


def gradient_noise(w, batch: int, data: str = "exact") -> np.ndarray:
    """Return the typical size of a minibatch gradient's error at w (..., 9).

    A batch of B of the m examples, drawn without replacement, has a gradient
    whose error g_B − g has mean zero and mean squared length
    (m − B) / (B (m − 1)) times the mean squared distance of the examples'
    own gradients g_i from their mean g. We return its square root: the
    spread of the examples' gradients, shrunk by the batch. At an exact fit
    every g_i is zero, and so is this.
    """
    w = np.asarray(w, dtype=float)
    flat = w.reshape(-1, w.shape[-1])
    surface = data_surface(data)
    X, y = examples(data)
    # Copies of an example share its gradient: one per distinct (x, y).
    _, first, counts = np.unique(
        np.c_[X, y], axis=0, return_index=True, return_counts=True
    )
    grads = np.stack([surface.batch_grad(flat, [i]) for i in first])
    share = counts / counts.sum()
    mean = np.einsum("e,epd->pd", share, grads)
    spread = np.einsum("e,ep->p", share, ((grads - mean) ** 2).sum(-1))
    m = surface.examples
    shrink = (m - batch) / (batch * (m - 1))
    return np.sqrt(spread * shrink).reshape(w.shape[:-1])


def _summary_of(traj, noise) -> dict:
    return _read_only(
        {
            "t": traj.t,
            "median": np.median(traj.loss, axis=1),
            "noise": noise,
            "final_loss": traj.final_loss,
            "learned": _solved(traj),
        }
    )


@lru_cache(maxsize=4)
def _full_run(n: int, seed) -> dict:
    traj = optimize(data_surface(), starts(n, seed), lr=LR, steps=STEPS, every=EVERY)
    return _summary_of(traj, np.zeros(traj.t.size))


@lru_cache(maxsize=8)
def _sgd_run(batch: int, n: int, seed) -> dict:
    traj = train_sgd(starts(n, seed), batch=batch, seed=seed)
    return _summary_of(traj, np.median(gradient_noise(traj.path, batch), axis=1))


@lru_cache(maxsize=12)
def _model_run(sigma: float, n: int, seed) -> dict:
    traj = optimize(
        data_surface(),
        starts(n, seed),
        lr=LR,
        steps=STEPS,
        every=EVERY,
        noise=sigma,
        seed=seed,
    )
    return _summary_of(traj, np.full(traj.t.size, sigma * math.sqrt(network().dim)))


def sgd_vs_model(batch: int = BATCH, sigma: float = 0.1, n: int = SGD_RUNS, seed=0):
    """Train the same n starts three ways on the exact XOR examples.

    Full-batch descent, minibatch SGD with `batch`, and descent with the
    Gaussian model of noise of size `sigma`, all at η = LR for STEPS steps.
    Returns {"full", "sgd", "model"}: dicts with ``t``, ``median`` (rows,) the
    median loss, ``noise`` (rows,) the median size of the gradient's error
    (3σ for the model: σ in each of 9 weights), ``final_loss`` (n,) and
    ``learned`` (n,). Each of the three is cached (read-only arrays), so a
    demo that changes σ trains only the model's runs again.
    """
    return {
        "full": _full_run(n, seed),
        "sgd": _sgd_run(batch, n, seed),
        "model": _model_run(sigma, n, seed),
    }


# ---------------------------------------------------------------- schedules


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


# ---------------------------------------------------------------- cost


@lru_cache(maxsize=8)
@returns_inf("examples to the target are inf for batch sizes that never get there")
def cost_curves(lr: float = 0.1, batches=BATCHES, n: int = 40, seed: int = 0):
    """Train the same n starts with each batch size for COST_EXAMPLES examples.

    Batch B takes COST_EXAMPLES / B steps: the same number of example
    gradients computed (the cost), different numbers of steps. Returns
    {B: {"t", "examples", "median", "learned", "examples_to_target"}}: the
    recorded steps, the examples processed by then, the median loss, the
    share that learned XOR at the end, and the examples processed until the
    median loss first falls below TARGET (inf if never). Cached, read-only.
    """
    x0 = starts(n, seed)
    out = {}
    for batch in batches:
        steps = COST_EXAMPLES // batch
        every = max(steps // 50, 1)
        traj = train_sgd(x0, lr, batch=batch, steps=steps, seed=seed, every=every)
        median = np.median(traj.loss, axis=1)
        hit = np.flatnonzero(median < TARGET)
        out[batch] = {
            "t": traj.t,
            "examples": traj.examples,
            "median": median,
            "learned": float(_solved(traj).mean()),
            "examples_to_target": float(traj.examples[hit[0]]) if hit.size else np.inf,
        }
    return _read_only(out)


# ---------------------------------------------------------------- momentum, Adam


@returns_inf("as lr_sweep")
def method_sweep(lrs=METHOD_LRS, n: int = 20, seed: int = 0, steps: int = STEPS):
    """Run `lr_sweep` for gradient descent, momentum and Adam on the same starts.

    Returns {method: lr_sweep result}.
    """
    return {m: lr_sweep(lrs, n, seed, method=m, steps=steps) for m in METHODS}


def stuck_starts(sweeps: dict) -> dict:
    """Return, per method, which starts fail at that method's best rate.

    `sweeps` is a `method_sweep` result. Returns {method: bool array (n,)}.
    """
    return {m: ~r["solved"][int(np.argmax(r["learned"]))] for m, r in sweeps.items()}


# ---------------------------------------------------------------- demo helpers


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


# ---------------------------------------------------------------- restarts demo


def _restart_panels(shown: int, bins: np.ndarray):
    """Build the first demo's figure; return it and the artists draw updates."""
    fig, (ax_c, ax_h, ax_s) = plotting.new_figure(12.5, 4.0, ncols=3)
    with plotting.style():
        lines = [ax_c.plot([], [], lw=1, alpha=0.7)[0] for _ in range(shown)]
        _loss_axis(ax_c, f"1. the first {shown} restarts")
        plotting.log_axis(ax_c, "x")
        ax_c.set_xlim(EVERY, LONG_STEPS)
        for ax in (ax_c, ax_s):
            ax.axvline(STEPS, color=plotting.BLACK, lw=1, ls=":")
        ax_c.text(STEPS, 3, " budget", color=plotting.BLACK, va="center")
        kinds = (
            (IN_BUDGET, f"learned XOR within {STEPS} steps"),
            (LATE, f"learned later, by {LONG_STEPS}"),
            (STUCK, f"not by {LONG_STEPS}"),
        )
        stacks = []
        for colour, label in kinds:
            bars = PolyCollection(
                plotting.bar_verts(bins, np.zeros(bins.size - 1)),
                facecolors=colour,
                edgecolors="white",
                label=label,
            )
            stacks.append(ax_h.add_collection(bars))
        ax_h.set(
            xlabel=f"loss after {STEPS} steps, log₁₀ (left is better)",
            ylabel="restarts",
            xlim=(bins[0], bins[-1]),
        )
        ax_h.set_title(f"2. where the restarts are at step {STEPS}")
        ax_h.legend(loc="upper left")
        (share,) = ax_s.plot([], [], color=plotting.BLACK)
        (marks,) = ax_s.plot([], [], "o", color=plotting.BLACK, ms=6)
        plotting.log_axis(ax_s, "x")
        ax_s.set(
            xlim=(EVERY, LONG_STEPS),
            ylim=(0, 1),
            xlabel="step t",
            ylabel="share that has learned XOR",
        )
        ax_s.set_title("3. share learned if you stop at step t")
    return fig, {"lines": lines, "stacks": stacks, "share": share, "marks": marks}


def _stack_bars(stacks, bins, logs, groups) -> None:
    """Stack one histogram per group of runs."""
    base = np.zeros(bins.size - 1)
    for bars, group in zip(stacks, groups, strict=True):
        counts = np.histogram(logs[group], bins)[0]
        verts = plotting.bar_verts(bins, counts)
        verts[:, :, 1] += base[:, None]
        bars.set_verts(verts)
        base = base + counts


def restarts_demo(restarts: int = RESTARTS, scale: float = 1.0, seed: int = 0):
    """Loss curves of many restarts | their loss at the budget | share vs steps."""
    shown = 40
    bins = np.linspace(np.log10(LOSS_FLOOR), 1.0, 19)
    fig, art = _restart_panels(shown, bins)
    ax_h = art["stacks"][0].axes
    controls = {
        "restarts": widgets.restarts_slider(restarts, min=20, max=400, step=20),
        "scale": widgets.float_slider(
            "initial scale", scale, 0.1, 4.0, 0.1, continuous_update=False
        ),
        "seed": widgets.seed_slider(seed),
    }
    # A redraw trains up to 400 networks for LONG_STEPS: update on release.
    controls["seed"].continuous_update = False

    def draw(restarts, scale, seed):
        stats = restart_stats(restarts, LR, seed, round(scale, 3))
        ok, late = stats["learned"], stats["learned_late"]
        colour = np.where(ok, IN_BUDGET, np.where(late, LATE, STUCK))
        t, loss = stats["t"][1:], stats["traj"].loss[1:]
        for i, line in enumerate(art["lines"]):
            line.set_data((t, _floor(loss[:, i])) if i < restarts else ([], []))
            line.set_color(colour[i] if i < restarts else IN_BUDGET)
        logs = np.log10(np.clip(stats["final_loss"], LOSS_FLOOR, 9.9))
        _stack_bars(art["stacks"], bins, logs, (ok, late, ~ok & ~late))
        # A limit set by the number of restarts alone: other controls leave
        # the axis (and its costly tick labels) alone.
        ax_h.set_ylim(0, plotting.nice_ceiling(restarts, LADDER))
        art["share"].set_data(t, stats["share_by"][1:])
        at = [int(np.searchsorted(stats["t"], STEPS)), stats["t"].size - 1]
        art["marks"].set_data(stats["t"][at], stats["share_by"][at])
        return (
            f"Initial scale {scale:.1f}: {ok.sum()} of {restarts} restarts learned "
            f"XOR within {STEPS} steps ({ok.mean():.0%}); {late.sum()} more did by "
            f"{LONG_STEPS} ({stats['share_by'][-1]:.0%} in all); "
            f"{(~ok & ~late).sum()} had not."
        )

    alt = (
        "Three panels. 1: loss against step (both on log scales, steps 10 to "
        f"{LONG_STEPS}) for the first {shown} restarts, with a dashed target line "
        f"at {TARGET} and a dotted line at the {STEPS}-step budget. 2: a histogram "
        f"of the loss after {STEPS} steps, stacked by outcome. 3: the share of "
        "restarts that have learned XOR against the step t at which you stop. In "
        f"every panel blue means learned XOR within {STEPS} steps, light blue "
        f"learned only later (by {LONG_STEPS}), orange had not learned by "
        f"{LONG_STEPS}."
    )
    return widgets.Demo(fig, controls, draw, alt=alt, exported=("scale",))


# ---------------------------------------------------------------- learning-rate demo


def _lr_panels(runs: int, sweep: dict, lr: float):
    fig, (ax_c, ax_f, ax_t) = plotting.new_figure(12.0, 3.9, ncols=3)
    with plotting.style():
        lines = [ax_c.plot([], [], lw=1, alpha=0.7)[0] for _ in range(runs)]
        _loss_axis(ax_c, f"1. {runs} restarts (grey: never arrive)")
        ax_f.semilogx(
            sweep["lrs"],
            sweep["learned"],
            "o-",
            color=plotting.BLUE,
            label="learned XOR",
        )
        ax_f.semilogx(
            sweep["lrs"],
            sweep["diverged"],
            "s-",
            color=plotting.DIVERGED,
            label="diverged",
        )
        ax_f.set(xlabel="learning rate η", ylabel="share of 50 restarts", ylim=(0, 1))
        ax_f.set_title("2. too small, right, too large")
        ax_f.legend(loc="center left")
        steps = sweep["median_steps"]
        steps = np.where(np.isfinite(steps), steps, np.nan)
        ax_t.semilogx(sweep["lrs"], steps, "o-", color=plotting.GREEN)
        ax_t.set(
            xlabel="learning rate η",
            ylabel=f"median steps to loss < {TARGET}",
            ylim=(0, STEPS),
        )
        ax_t.set_title("3. time to arrive (none: most never do)")
        ax_t.set_xlim(ax_f.get_xlim())
        marks = [
            ax.axvline(lr, color=plotting.BLACK, lw=1, ls=":") for ax in (ax_f, ax_t)
        ]
    return fig, lines, marks


def _lr_sentence(lr: float, runs: int, reach: np.ndarray, diverged: int) -> str:
    arrived = int(np.isfinite(reach).sum())
    if diverged > runs // 2:
        return f"η = {lr:.3g}: {diverged} of {runs} runs diverged. Too large."
    if arrived < runs // 2:
        return (
            f"η = {lr:.3g}: only {arrived} of {runs} runs reached loss {TARGET} "
            f"in {STEPS} steps. Too small (or stuck)."
        )
    return (
        f"η = {lr:.3g}: {arrived} of {runs} reached loss {TARGET}, in a median "
        f"of {np.median(reach[np.isfinite(reach)]):.0f} steps; {diverged} diverged."
    )


def lr_demo(lr: float = LR):
    """Loss curves at one rate | learned/diverged vs rate | time to arrive vs rate."""
    runs = 30
    fig, lines, marks = _lr_panels(runs, default_sweep(), lr)
    controls = {"lr": widgets.lr_slider(lr, min=0.01, max=3.0, continuous_update=False)}

    def draw(lr):
        traj = train(starts(runs, 0), lr)
        reach = steps_to_reach(traj)
        for i, line in enumerate(lines):
            line.set_data(traj.t, _floor(traj.loss[:, i]))
            if traj.diverged[i]:
                line.set_color(plotting.DIVERGED)
            else:
                line.set_color(
                    plotting.BLUE if np.isfinite(reach[i]) else plotting.GREY
                )
        for mark in marks:
            mark.set_xdata([lr, lr])
        return _lr_sentence(lr, runs, reach, int(traj.diverged.sum()))

    alt = (
        f"Three panels. 1: loss against step for {runs} restarts at the chosen "
        "learning rate η (log loss axis): blue reached the target, grey never did, "
        "vermilion diverged. 2: against η on a log axis, the share of 50 restarts "
        "that learned XOR (blue circles) and that diverged (vermilion squares). "
        "3: median steps to reach the target against η (green). A dotted line "
        "marks the chosen η in panels 2 and 3."
    )
    return widgets.Demo(fig, controls, draw, alt=alt, exported=("lr",))


# ---------------------------------------------------------------- edge demo

SHARP_TOP = 16  # the λmax axis of the edge demo


def _edge_panels(lr: float):
    ends = end_sharpness()
    fig, (ax_l, ax_k, ax_e) = plotting.new_figure(12.5, 3.9, ncols=3)
    with plotting.style():
        (loss,) = ax_l.plot([], [], color=plotting.BLUE)
        (loss_marks,) = ax_l.plot([], [], "v", color=plotting.VERMILION, ms=8)
        plotting.log_axis(ax_l, "y")
        ax_l.set(xlim=(0, STEPS), ylim=(1e-30, 10), xlabel="step", ylabel="loss (MSE)")
        ax_l.set_title("1. one run: the loss")
        # Shade where a step of this η is unstable: curvature above 2/η.
        unstable = Rectangle(
            (0, 2 / lr), STEPS, SHARP_TOP, color=plotting.VERMILION, alpha=0.08, lw=0
        )
        ax_k.add_patch(unstable)
        ax_k.text(
            STEPS,
            SHARP_TOP,
            "unstable for this η ",
            ha="right",
            va="top",
            color=plotting.VERMILION,
        )
        (lam,) = ax_k.plot([], [], color=plotting.BLUE, label="λmax")
        (limit,) = ax_k.plot([0, STEPS], [0, 0], "--", color=plotting.VERMILION)
        limit.set_label("2/η")
        (lam_marks,) = ax_k.plot([], [], "v", color=plotting.VERMILION, ms=8)
        ax_k.set(
            xlim=(0, STEPS),
            ylim=(0, SHARP_TOP),
            xlabel="step",
            ylabel="largest Hessian eigenvalue λmax",
        )
        ax_k.set_title("2. its sharpness against 2/η")
        ax_k.legend(loc="lower right")
        _end_panel(ax_e, ends)
        mark = ax_e.axvline(lr, color=plotting.BLACK, lw=1, ls=":")
    artists = {
        "loss": loss,
        "loss_marks": loss_marks,
        "unstable": unstable,
        "lam": lam,
        "limit": limit,
        "lam_marks": lam_marks,
        "mark": mark,
    }
    return fig, artists


def _end_panel(ax, ends: dict) -> None:
    """λmax where solved runs end (median, 10th to 90th percentile) and 2/η."""
    ax.errorbar(
        ends["lrs"],
        ends["median"],
        yerr=[ends["median"] - ends["low"], ends["high"] - ends["median"]],
        fmt="o",
        color=plotting.BLUE,
        label="λmax where solved runs end",
    )
    grid = np.geomspace(SWEEP_LRS[0], SWEEP_LRS[-1], 100)
    ax.plot(grid, 2 / grid, "--", color=plotting.VERMILION, label="2/η")
    plotting.log_axis(ax, "x")
    ax.set(
        xlim=(SWEEP_LRS[0], SWEEP_LRS[-1]),
        ylim=(0, SHARP_TOP),
        xlabel="learning rate η",
        ylabel="λmax",
    )
    ax.set_title("3. where 50 restarts end")
    ax.legend(loc="upper left")


def _edge_sentence(lr: float, start: int, run: dict) -> str:
    head = f"η = {lr:.3g}, restart {start}: 2/η = {2 / lr:.2f}. "
    if run["diverged"]:
        return head + "The run diverged."
    end = f"it ends at λmax = {run['sharpness'][-1]:.2f}"
    jumps = run["spikes"]
    if jumps.size == 0:
        return head + f"No jump of 100× or more; {end}."
    ratios = ", ".join(f"{run['sharpness'][k] * lr / 2:.2f}" for k in jumps)
    count = "1 jump" if jumps.size == 1 else f"{jumps.size} jumps"
    return (
        head + f"{count} of 100× or more (triangles); λmax where each began: "
        f"{ratios} × 2/η; {end}."
    )


def edge_demo(lr: float = LR, start: int = 0):
    """One run's loss | its λmax against 2/η | λmax where runs end, against η."""
    fig, art = _edge_panels(lr)
    controls = {
        "lr": widgets.lr_slider(lr, min=0.03, max=0.6, continuous_update=False),
        "start": widgets.int_slider("restart", start, 0, 19, continuous_update=False),
    }

    def draw(lr, start):
        run = edge_run(lr, start)
        t, jumps = run["t"], run["spikes"]
        lam = np.clip(run["sharpness"], -1, SHARP_TOP)
        art["loss"].set_data(t, _floor(run["loss"], 1e-30))
        art["loss_marks"].set_data(t[jumps], _floor(run["loss"][jumps], 1e-30))
        art["lam"].set_data(t, lam)
        art["lam_marks"].set_data(t[jumps], lam[jumps])
        art["limit"].set_ydata([2 / lr, 2 / lr])
        art["unstable"].set_y(2 / lr)
        art["mark"].set_xdata([lr, lr])
        return _edge_sentence(lr, start, run)

    alt = (
        "Three panels. 1: the loss of one run against step (log axis), with "
        "vermilion triangles where a jump of 100 times or more begins. 2: the same "
        "run's largest Hessian eigenvalue λmax against step (blue), the stability "
        "limit 2/η (dashed vermilion) and, shaded above it, the region where a "
        "step of this η is unstable; the triangles mark the jumps. 3: against the "
        "learning rate η (log axis), λmax at the end points of the restarts that "
        "learned XOR (blue dots: median, bars: 10th to 90th percentile) and the "
        "curve 2/η (dashed); a dotted line marks the chosen η."
    )
    return widgets.Demo(fig, controls, draw, alt=alt, exported=("lr", "start"))


# ---------------------------------------------------------------- minibatch demo


def _sgd_panels(floor: float):
    fig, (ax_l, ax_n) = plotting.new_figure(11.0, 4.0, ncols=2)
    colours = {"full": plotting.GREY, "sgd": plotting.BLUE, "model": plotting.ORANGE}
    labels = {
        "full": "full batch (no noise)",
        "sgd": "minibatch SGD",
        "model": "Gaussian model",
    }
    with plotting.style():
        loss = {
            k: ax_l.plot(
                [], [], color=c, ls="--" if k == "full" else "-", label=labels[k]
            )[0]
            for k, c in colours.items()
        }
        _loss_axis(ax_l, f"1. median loss of {SGD_RUNS} runs, same starts", floor=floor)
        ax_l.legend(loc="lower left")
        noise = {
            k: ax_n.plot([], [], color=colours[k], label=labels[k])[0]
            for k in ("sgd", "model")
        }
        plotting.log_axis(ax_n, "y")
        ax_n.set(
            xlim=(0, STEPS),
            ylim=(1e-16, 10),
            xlabel="step",
            ylabel="size of the gradient's error",
        )
        ax_n.set_title("2. how big the noise is (median)")
        ax_n.legend(loc="lower left")
    return fig, loss, noise


def sgd_demo(batch: int = BATCH, sigma: float = 0.1):
    """Median loss: full batch, minibatch, Gaussian model | size of their noise."""
    floor = 1e-30
    fig, loss, noise = _sgd_panels(floor)
    controls = {
        "batch": _batch_slider(batch),
        "sigma": widgets.float_slider(
            "Gaussian model σ", sigma, 0.0, 0.5, 0.05, continuous_update=False
        ),
    }

    def draw(batch, sigma):
        batch = int(round(batch))
        res = sgd_vs_model(batch, round(sigma, 3))
        for key, line in loss.items():
            line.set_data(res[key]["t"], _floor(res[key]["median"], floor))
        for key, line in noise.items():
            line.set_data(res[key]["t"], _floor(res[key]["noise"], 1e-16))
        said = {
            k: f"median loss {np.median(r['final_loss']):.0e}, "
            f"{r['learned'].mean():.0%} learned"
            for k, r in res.items()
        }
        return (
            f"After {STEPS} steps at η = {LR}: minibatch B = {batch}: {said['sgd']}; "
            f"Gaussian σ = {sigma:g}: {said['model']}; full batch: {said['full']}."
        )

    alt = (
        f"Two panels, {SGD_RUNS} runs from the same starts on XOR with every corner "
        f"{COPIES} times, η = {LR}. 1: median loss against step (log axis) for "
        "full-batch descent (grey dashed), minibatch SGD with batch size B (blue) "
        "and descent with the Gaussian noise model of size σ (orange). 2: the "
        "median size of each one's gradient error against step (log axis): "
        "minibatch in blue, the model's constant 3σ in orange."
    )
    return widgets.Demo(fig, controls, draw, alt=alt, exported=("batch",))


# ---------------------------------------------------------------- schedule demo


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


# ---------------------------------------------------------------- cost demo


def _cost_sentence(lr: float, res: dict) -> str:
    reach = [
        f"B = {b}: {r['examples_to_target']:.0f}"
        for b, r in res.items()
        if np.isfinite(r["examples_to_target"])
    ]
    never = [str(b) for b, r in res.items() if not np.isfinite(r["examples_to_target"])]
    text = f"η = {lr:g}. Examples until the median loss is below {TARGET}: "
    text += "; ".join(reach) if reach else "none gets there"
    if never:
        text += f"; not within {COST_EXAMPLES} for B = {', '.join(never)}"
    return text + "."


def cost_demo(lr: float = 0.1):
    """Median loss against steps | against examples processed, per batch size."""
    colours = dict(zip(BATCHES, plotting.CYCLE, strict=False))
    floor = 1e-12
    fig, (ax_s, ax_e) = plotting.new_figure(11.0, 4.0, ncols=2)
    with plotting.style():
        by_step, by_example = {}, {}
        for b in BATCHES:
            label = f"B = {b}" + (" (full batch)" if b == BATCHES[-1] else "")
            (by_step[b],) = ax_s.plot([], [], color=colours[b], label=label)
            (by_example[b],) = ax_e.plot([], [], color=colours[b], label=label)
        _loss_axis(ax_s, "1. against steps", xmax=COST_EXAMPLES, floor=floor)
        ax_s.set_xlabel("steps (log scale)")
        plotting.log_axis(ax_s, "x")
        ax_s.set_xlim(1, COST_EXAMPLES)
        _loss_axis(ax_e, "2. against examples (the cost)", COST_EXAMPLES, floor)
        ax_e.set_xlabel("examples processed = steps × B")
        ax_e.legend(loc="lower left", ncols=2)

    controls = {"lr": widgets.choice("learning rate η", list(COST_LRS), lr)}

    def draw(lr):
        res = cost_curves(lr)
        for b, r in res.items():
            by_step[b].set_data(np.maximum(r["t"], 1), _floor(r["median"], floor))
            by_example[b].set_data(r["examples"], _floor(r["median"], floor))
        return _cost_sentence(lr, res)

    alt = (
        f"Two panels for minibatch SGD on XOR (every corner {COPIES} times) at "
        "learning rate η, one line per batch size B from 1 to 32 (32 is the full "
        "batch). 1: median loss against steps (both axes logarithmic). 2: the same "
        "median loss against the number of examples processed, steps × B, which "
        f"is what the computing costs; every line stops at {COST_EXAMPLES} examples."
    )
    return widgets.Demo(fig, controls, draw, alt=alt, exported=("lr",))


# ---------------------------------------------------------------- methods demo


def _methods_panels(n: int):
    # Blue and orange are kept for the outcome grid (learned, failed), as in
    # the first demo, so no colour means two things in one figure.
    colours = {
        "gd": plotting.BLACK,
        "momentum": plotting.PURPLE,
        "adam": plotting.GREEN,
    }
    fig, (ax_f, ax_c, ax_g) = plotting.new_figure(12.5, 3.9, ncols=3)
    with plotting.style():
        sweeps, curves = {}, {}
        for m, label in METHODS.items():
            (sweeps[m],) = ax_f.semilogx([], [], "o-", color=colours[m], label=label)
            (curves[m],) = ax_c.plot([], [], color=colours[m], label=label)
        # Headroom above 1 for the legend, which covers no line there.
        ax_f.set(
            xlim=(METHOD_LRS[0], METHOD_LRS[-1]),
            ylim=(0, 1.3),
            yticks=np.linspace(0, 1, 6),
            xlabel="learning rate η",
            ylabel="share that learned XOR",
        )
        ax_f.set_title(f"1. same {n} starts, three optimizers")
        ax_f.legend(
            loc="upper center", ncols=3, columnspacing=0.8, handlelength=1.2,
            borderaxespad=0.2,
        )  # fmt: skip
        _loss_axis(ax_c, "2. median loss, each at its best η")
        # The first demo's colours: blue learned XOR, orange did not.
        outcome = ListedColormap([STUCK, IN_BUDGET])
        grid = ax_g.imshow(
            np.zeros((len(METHODS), n)),
            cmap=outcome,
            vmin=0,
            vmax=1,
            aspect="auto",
            zorder=plotting.IMAGE_ZORDER,
        )
        # White lines between the cells, over the picture.
        ax_g.vlines(np.arange(0.5, n - 1), -0.5, 2.5, color="white", lw=1)
        ax_g.hlines([0.5, 1.5], -0.5, n - 0.5, color="white", lw=2)
        ax_g.set_yticks(range(3), ["GD", "momentum", "Adam"])
        ax_g.set_xticks(range(0, n, 5))
        ax_g.set(xlabel="start")
        ax_g.set_title("3. which starts fail (orange)")
    return fig, sweeps, curves, grid


def methods_demo(steps: int = STEPS, seed: int = 0):
    """Share learned vs rate | median loss at the best rate | which starts fail."""
    n = 20
    fig, sweeps, curves, grid = _methods_panels(n)
    ax_c = next(iter(curves.values())).axes
    controls = {
        "steps": widgets.steps_slider(steps, min=100, max=800, step=100),
        "seed": widgets.seed_slider(seed),
    }

    def draw(steps, seed):
        results = method_sweep(METHOD_LRS, n, seed, steps=steps)
        words = []
        for m, res in results.items():
            sweeps[m].set_data(res["lrs"], res["learned"])
            best = int(np.argmax(res["learned"]))
            curves[m].set_data(res["t"], _floor(res["median_curve"][:, best]))
            words.append(
                f"{m} {res['learned'][best]:.0%} at η = {METHOD_LRS[best]:.2g}"
            )
        stuck = stuck_starts(results)
        grid.set_data(np.stack([~stuck[m] for m in METHODS]).astype(float))
        ax_c.set_xlim(0, steps)
        everywhere = int(np.logical_and.reduce(list(stuck.values())).sum())
        return (
            f"Best share learned in {steps} steps: "
            + "; ".join(words)
            + f". {everywhere} of {n} starts fail for all three."
        )

    alt = (
        "Three panels for plain gradient descent (GD, black), momentum (β = 0.9, "
        "purple) and "
        f"Adam (green) from the same {n} starts. 1: share that learned XOR against "
        "the learning rate (log axis). 2: median loss against step, each at its "
        "best rate. 3: a grid with one row per optimizer and one column per start: "
        "blue where that start learned XOR at the optimizer's best rate, orange "
        "where it did not."
    )
    return widgets.Demo(fig, controls, draw, manual=True, alt=alt)


# ---------------------------------------------------------------- predictions


def predict_quality() -> Prediction:
    """Predict first: how many of RESTARTS restarts learn XOR within STEPS?"""
    p = success_rate()
    return Prediction(
        {
            "all of them": "That holds on a convex surface (notebook 02), where "
            "every start rolls to the same bottom. Here the start decides.",
            "about three in four": "",
            "about half": "Fewer fail than that at a good rate; half or fewer learn "
            "only at the edges of the good range of rates (next section).",
            "only a few": "That happens with a rate far too small or too large "
            "(next section), not with a good one.",
        },
        answer="about three in four",
        explanation=f"{round(p * RESTARTS)} of the {RESTARTS} learn XOR within "
        f"{STEPS} steps. Of the others, some are only slow and some are stuck: "
        "the demo tells them apart.",
    )


def predict_time() -> Prediction:
    """Predict first: how much longer do runs take at a ten times smaller rate?"""
    return Prediction(
        {
            "about as long: the surface sets the time": "The surface sets the "
            "path, but the rate sets the length of every step along it.",
            "about ten times longer": "",
            "about a hundred times longer": "Each step is ten times shorter, not a "
            "hundred times: the time grows in proportion to 1/η.",
            "never: they are stuck": "Within the 600-step budget none arrives, but "
            "they are not stuck: given ten times the budget, most do.",
        },
        answer="about ten times longer",
        explanation="Each step moves about η times the slope, so ten times smaller "
        "steps need about ten times as many: at η = 0.03 the median run arrives "
        "after about 1,500 steps, ten times as many as at η = 0.3 and far past "
        "the 600-step budget.",
    )


def predict_noise() -> Prediction:
    """Predict first: how big is the minibatch noise at an exact fit?"""
    return Prediction(
        {
            "as big as at the start": "That is the Gaussian model: its noise has a "
            "fixed size. Real minibatch noise comes from the examples.",
            "smaller, by a factor set by the batch size": "The batch size scales "
            "the noise, but something else sets it to a value first.",
            "zero": "",
            "larger, because the walk is near the bottom": "Near the bottom the "
            "gradients get smaller, not larger.",
        },
        answer="zero",
        explanation="A minibatch gradient is the mean of its examples' own "
        "gradients. At an exact fit every example's gradient is zero, so every "
        "batch gives zero: the noise is gone.",
    )


def predict_decay() -> Prediction:
    """Predict first: does decay help minibatch SGD settle on exact XOR?"""
    return Prediction(
        {
            "yes: noisy steps need a decaying rate to settle": "Only where the "
            "noise stays; on XOR it vanishes at the fit.",
            "no: a constant rate already settles, and decay slows it": "",
            "it makes no difference": "Decay does change the result: it takes the "
            "speed of the later steps away.",
        },
        answer="no: a constant rate already settles, and decay slows it",
        explanation="On XOR every example can be fitted, so the minibatch noise "
        "dies out by itself and a constant rate keeps the loss falling; a decayed "
        "rate takes smaller steps and ends higher. Now flip some labels.",
    )


def predict_optimizers() -> Prediction:
    """Predict first: do momentum and Adam rescue stuck starts?"""
    return Prediction(
        {
            "yes, all of them": "Speed along a slope does not help where there is "
            "no slope towards a solution.",
            "some, but others get stuck instead": "",
            "none: the same starts fail for all three": "Mostly the same, but not "
            "all: a different walk can end in a different valley.",
        },
        answer="some, but others get stuck instead",
        explanation="Each optimizer takes its own path from a start, so it can end "
        "in another valley. The share that learns stays near three in four.",
    )


# ---------------------------------------------------------------- exercises


def ex06_best_of_k(answer, k: int = 3) -> Feedback:
    """Check the chance that at least one of k restarts learns XOR."""
    value = as_number(answer)
    if isinstance(value, Feedback):
        return value
    p = success_rate()
    right = 1 - (1 - p) ** k
    # 0.004 tells the right answer from every near miss below (the nearest,
    # certainty, is 0.014 away) and accepts p rounded to 0.75.
    if abs(value - right) <= 0.004:
        return Feedback(
            True, f"{value:.4g} is right: 1 − (1 − {p:.2f})^{k} = {right:.3f}."
        )
    misses = {
        1.0: "No number of restarts makes success certain: all of them can fail, "
        "with probability (1 − p)^k.",
        (1 - p) ** k: "That is the chance that all of them fail; the question asks "
        "for the opposite.",
        p**k: "p^k is the chance that all of them learn; one is enough.",
        1 - (1 - p) ** (k - 1): f"That is for {k - 1} restarts.",
        k * p: "Chances of events that can happen together do not add up.",
        1 - p**k: "1 − p^k is the chance that not all of them learn.",
    }
    for wrong, why in misses.items():
        if abs(value - wrong) <= 0.004:
            return Feedback(False, f"{value:.4g} is not it. {why}")
    direction = "too large" if value > right else "too small"
    return Feedback(
        False,
        f"{value:.4g} is {direction}.",
        f"One restart fails with probability 1 − p = {1 - p:.2f}; all {k} fail "
        f"together with probability (1 − p)^{k}.",
    )


# What each near miss of exercise 2 reveals, by the value it gives.
MOMENTUM_MISSES = {
    9.0: "β/(1 − β) = 9 counts only the echoes of past steps; the current step "
    "η·g is part of the velocity too.",
    0.9: "0.9 is β, the share of the velocity kept from one step to the next.",
    1.9: "1 + β counts one echo of the last step; a steady slope keeps adding "
    "echoes of all the earlier ones.",
    100.0: "1/(1 − β)² squares the sum; the velocity is a single geometric sum.",
    16.0: "That is about the ratio of the best rates measured on XOR, where the "
    "slope is not steady; on a steady slope the factor follows from v = βv + η·g "
    "alone.",
}


def ex06_momentum_factor(answer) -> Feedback:
    """Check how much longer momentum's steps get on a steady slope (β = 0.9)."""
    value = as_number(answer)
    if isinstance(value, Feedback):
        return value
    for wrong, why in MOMENTUM_MISSES.items():
        if abs(value - wrong) <= 0.05 * wrong:
            return Feedback(False, f"{value:.4g} is not it. {why}")
    return check_number(
        value,
        10.0,
        rel=0.05,
        hint="On a steady slope the velocity stops changing: v = βv + η·g. Solve "
        "for v and compare it with one plain step η·g.",
    )


REMEDIES = {
    "diverges": "lower the learning rate",
    "crawls": "raise the learning rate",
    "stuck": "restart from a new seed",
    "jitters": "decay the learning rate",
}
# How each symptom reads in a sentence: "A run that ...".
SYMPTOMS = {
    "diverges": "diverges",
    "crawls": "crawls",
    "stuck": "is stuck",
    "jitters": "jitters around a level",
}
# What choosing an option for a symptom reveals, for every wrong pair.
REMEDY_FEEDBACK = {
    ("diverges", "raise the learning rate"): "Larger steps overshoot even more: a "
    "diverging run's steps are already too large for the curvature.",
    ("diverges", "restart from a new seed"): "A rate above 2/λmax diverges from "
    "almost every start; a new seed will blow up too.",
    ("diverges", "decay the learning rate"): "A decay lowers the rate only later; "
    "this run blows up within a few steps, so the rate is too large from the "
    "start.",
    ("crawls", "lower the learning rate"): "Smaller steps make a slow run slower.",
    ("crawls", "restart from a new seed"): "A crawl at too small a rate happens "
    "from every start; the rate, not the start, is the cause.",
    ("crawls", "decay the learning rate"): "Decay makes the steps smaller still.",
    ("stuck", "lower the learning rate"): "On a flat stretch a smaller step is only "
    "slower; the run stays where it is.",
    ("stuck", "raise the learning rate"): "A stuck run's slope is almost zero: a "
    "larger multiple of almost nothing is still almost nothing, and the larger "
    "rate may diverge elsewhere.",
    ("stuck", "decay the learning rate"): "Decay shrinks the steps; a stuck run "
    "needs a different place, not smaller steps.",
    ("jitters", "lower the learning rate"): "A lower rate from the start also slows "
    "the early progress; decaying it keeps the fast start.",
    ("jitters", "raise the learning rate"): "Larger steps make the jitter larger.",
    ("jitters", "restart from a new seed"): "The jitter comes from examples that no "
    "network fits at once; every start meets them.",
}
REMEDY_ALIASES = {
    "lower lr": "lower the learning rate",
    "lower the lr": "lower the learning rate",
    "decrease the learning rate": "lower the learning rate",
    "smaller learning rate": "lower the learning rate",
    "raise lr": "raise the learning rate",
    "increase the learning rate": "raise the learning rate",
    "larger learning rate": "raise the learning rate",
    "restart": "restart from a new seed",
    "new seed": "restart from a new seed",
    "decay": "decay the learning rate",
    "learning rate decay": "decay the learning rate",
    "schedule": "decay the learning rate",
}


def ex06_remedy(answer, symptom: str = "diverges") -> Feedback:
    """Check the first thing to try: diverges, crawls, stuck or jitters."""
    if symptom not in REMEDIES:
        return Feedback(
            False, f"Unknown symptom {symptom!r}; use one of {list(REMEDIES)}."
        )
    return check_choice(
        answer,
        REMEDIES[symptom],
        tuple(REMEDIES.values()),
        feedback={o: why for (s, o), why in REMEDY_FEEDBACK.items() if s == symptom},
        aliases=REMEDY_ALIASES,
        why=f"A run that {SYMPTOMS[symptom]}: {REMEDIES[symptom]}.",
    )


def minibatch_epoch(w, grad, X, y, lr, batch_size, order):
    """Return w after one epoch of minibatch SGD (exercise 4's reference).

    The examples are visited in `order`, `batch_size` at a time (the last
    batch holds what is left); each batch moves w by −lr × grad(w, X[b], y[b]).
    """
    for first in range(0, len(order), batch_size):
        batch = order[first : first + batch_size]
        w = w - lr * grad(w, X[batch], y[batch])
    return w


def line_gradient(w, X, y):
    """Return the gradient of the mean squared error of a linear model y ≈ X @ w."""
    return 2 * X.T @ (X @ w - y) / len(y)


def _epoch_cases() -> list[tuple]:
    """Cases the notebook never shows: other data, batch sizes and orders.

    Each order mixes the examples across batches, so that a loop that ignores
    it takes other batches; two of the batch sizes leave a smaller last batch.
    """
    rng = np.random.default_rng(606)
    cases = []
    for order, dim, batch in (
        ([4, 1, 5, 0, 2, 3], 1, 2),
        ([7, 2, 9, 0, 5, 3, 8, 1, 6, 4], 3, 4),
        ([3, 6, 0, 4, 1, 5, 2], 2, 3),
        ([2, 0, 4, 1, 3], 2, 1),
        ([5, 1, 7, 3, 0, 6, 2, 4], 2, 8),
    ):
        m = len(order)
        X = rng.normal(size=(m, dim))
        y = X @ rng.normal(size=dim) + 0.3 * rng.normal(size=m)
        w = rng.normal(size=dim)
        cases.append((w, line_gradient, X, y, 0.1, batch, np.array(order)))
    return cases


def _epoch_mistakes(w, grad, X, y, lr, batch_size, order) -> dict:
    """Return {what went wrong: the w it gives} for the likely slips."""
    whole, dropped = w, w
    for first in range(0, len(order), batch_size):
        whole = whole - lr * grad(whole, X, y)
        batch = order[first : first + batch_size]
        if batch.size == batch_size:
            dropped = dropped - lr * grad(dropped, X[batch], y[batch])
    ignored = minibatch_epoch(w, grad, X, y, lr, batch_size, np.arange(len(order)))
    uphill = minibatch_epoch(w, lambda *a: -grad(*a), X, y, lr, batch_size, order)
    once = order[:batch_size]
    return {
        "It returns w unchanged: each batch must move w.": w,
        "It takes every step on all the examples: each step should use only its "
        "own batch, X[batch], y[batch].": whole,
        "It ignores `order`: the batches must follow this epoch's random order.": (
            ignored
        ),
        "It drops the last, smaller batch: an epoch visits every example once.": (
            dropped
        ),
        "It steps uphill: subtract lr × gradient.": uphill,
        "It takes a single step: loop over all the batches of the epoch.": (
            w - lr * grad(w, X[once], y[once])
        ),
    }


def _epoch_diagnosis(got, expected, args) -> str:
    for why, wrong in _epoch_mistakes(*args).items():
        if got.shape == np.shape(wrong) and np.allclose(got, wrong, rtol=1e-6):
            return why
    return "Check the batch boundaries: order[first : first + batch_size]."


def ex06_minibatch_epoch(fn) -> Feedback:
    """Check a learner's one epoch of minibatch SGD on unseen data and batches."""
    return check_function(
        fn,
        minibatch_epoch,
        _epoch_cases(),
        name="minibatch_epoch",
        diagnose=_epoch_diagnosis,
    )


DEMOS = {
    "restarts": restarts_demo,
    "lr": lr_demo,
    "edge": edge_demo,
    "sgd": sgd_demo,
    "schedule": schedule_demo,
    "cost": cost_demo,
    "methods": methods_demo,
}
