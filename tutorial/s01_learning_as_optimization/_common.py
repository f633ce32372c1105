"""The problem of notebook 01 (one neuron, two weights, fitted to data) and its
descent, shared by its parts.
"""

from __future__ import annotations

import numpy as np

from .. import datasets
from ..nn import MLP
from ..optimizers import optimize

START = np.array([-1.0, -2.0])  # (w, b): a deliberately poor first guess


def data(seed: int = 0):
    """Return the 20 training points (X of shape (20, 1), y of shape (20,))."""
    return datasets.line(n=20, slope=2.0, intercept=1.0, noise=0.4, seed=seed)


def neuron() -> MLP:
    """Return the model: one linear neuron, weights (w, b)."""
    return MLP([1, 1])


def loss_surface(seed: int = 0):
    """Return the mean-squared-error surface over (w, b) as a Landscape."""
    X, y = data(seed)
    return neuron().landscape(X, y, loss="mse")


def curvatures(seed: int = 0) -> np.ndarray:
    """Return the Hessian's eigenvalues (λmin, λmax) of the error surface.

    The surface is an exact quadratic, so its Hessian is the same everywhere.
    """
    return np.linalg.eigvalsh(loss_surface(seed).hessian(START))


def largest_stable_lr(seed: int = 0) -> float:
    """Return 2/λmax: gradient descent converges exactly for smaller η."""
    return 2.0 / curvatures(seed)[-1]


def train(
    lr, steps: int = 50, noise: float = 0.0, seed: int = 0, batch_size=None, runs=1
):
    """Train the neuron from START; return a Trajectory.

    Full-batch gradient descent by default; `batch_size` B in 1..20 gives real
    minibatch SGD on the 20 examples, `runs` independent runs at once. `noise`
    is the Gaussian model of gradient noise (see `optimize`).
    """
    starts = np.tile(START, (runs, 1))
    return optimize(
        loss_surface(),
        starts,
        lr=lr,
        steps=steps,
        noise=noise,
        seed=seed,
        batch_size=batch_size,
    )


def verdict(traj, lr: float) -> str:
    """Return one sentence on how a run went, for the status line."""
    edge = largest_stable_lr()
    if traj.diverged[0]:
        return (
            f"η = {lr:.3g}: diverged after {traj.diverged_at[0]} steps. "
            "Each step overshoots the valley by more than the last "
            f"(2/λmax ≈ {edge:.2f})."
        )
    best = loss_surface().value(optimum())
    gap = traj.final_loss[0] - best
    if traj.final_loss[0] > traj.loss[0, 0]:
        return (
            f"η = {lr:.3g}: the loss grew to {traj.final_loss[0]:.3g}: each step "
            "overshoots further; with more steps it diverges."
        )
    if gap < 1e-3:
        return f"η = {lr:.3g}: reached the bottom (loss {traj.final_loss[0]:.3f})."
    return (
        f"η = {lr:.3g}: loss {traj.final_loss[0]:.3f} after {traj.t[-1]} steps, "
        f"still {gap:.3f} above the best possible."
    )


def optimum() -> np.ndarray:
    """Return the least-squares weights (w, b) in closed form."""
    X, y = data()
    A = np.c_[X[:, 0], np.ones(len(y))]
    return np.linalg.lstsq(A, y, rcond=None)[0]
