"""Gradient descent and friends, run from many starting points at once.

`optimize` moves every run with one array operation per step, so 500 restarts
cost about as much Python as one. Gradient noise models the noise of
stochastic gradient descent: a minibatch gradient is the full gradient plus a
random error.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .landscapes import MAX_HESSIAN_BYTES, Landscape
from .seeding import generator

__all__ = ["Trajectory", "optimize", "METHODS", "MAX_RECORD_BYTES"]

METHODS = ("gd", "momentum", "adam", "newton")

# A run whose |loss| or any |weight| passes these bounds has left every region
# a picture could show; we stop it there and call it diverged.
LOSS_BOUND = 1e12
X_BOUND = 1e8
# Refuse runs whose recorded path, plus about ten (n, dim) working arrays,
# would not fit comfortably in memory (a Binder session has 2 GB).
MAX_RECORD_BYTES = 1 << 28
WORKING_ROWS = 10
MAX_STEPS = 10**6
# Refuse runs that would take minutes: steps × runs × dim (× dim for Newton,
# which solves a dim × dim system per run and step).
MAX_WORK = 10**9


@dataclass(frozen=True)
class Trajectory:
    """The recorded history of n runs.

    Attributes
    ----------
    path : array of shape (rows, n, dim)
        Positions; ``rows = steps + 1`` unless `every` > 1 thinned the record.
    loss : array of shape (rows, n)
        Loss at those positions.
    diverged : bool array of shape (n,)
        True for runs that blew up; they are frozen at their last sane point.
    diverged_at : int array of shape (n,)
        Step at which each run was stopped, -1 for runs that did not diverge.
    t : int array of shape (rows,)
        The step number of each recorded row.
    """

    path: np.ndarray
    loss: np.ndarray
    diverged: np.ndarray
    diverged_at: np.ndarray
    t: np.ndarray

    @property
    def final(self) -> np.ndarray:
        """Return the last positions, shape (n, dim)."""
        return self.path[-1]

    @property
    def final_loss(self) -> np.ndarray:
        """Return the last losses, shape (n,)."""
        return self.loss[-1]


def optimize(
    landscape: Landscape,
    x0,
    *,
    lr,
    steps: int,
    method: str = "gd",
    noise=0.0,
    momentum: float = 0.9,
    seed: int | None = None,
    every: int = 1,
) -> Trajectory:
    """Run an optimizer from every starting point at once.

    Parameters
    ----------
    landscape : Landscape
        The surface to minimise.
    x0 : array of shape (dim,) or (n, dim)
        Starting points; one run per row.
    lr : float or array
        Learning rate η > 0. An array of shape (steps,) is a schedule; shape
        (1, n) gives each run its own rate; (steps, n) both.
    steps : int
        Number of updates, 0 <= steps <= 10**6; steps × n × dim (× dim
        for ``newton``) must stay below 10**9.
    method : {"gd", "momentum", "adam", "newton"}
        ``gd``: x ← x − η g. ``momentum`` (heavy ball):
        x_{t+1} = x_t − η g_t + β (x_t − x_{t−1}). ``adam``: Kingma & Ba (2015)
        with β₁ = `momentum`, β₂ = 0.999. ``newton``: x ← x − η H⁻¹ g, using the
        Hessian's eigenvalues with their signs (which is why it is drawn to
        saddle points).
    noise : float or array, >= 0
        Standard deviation σ of Gaussian noise added to every gradient
        component at every step, our model of minibatch noise. Same shapes as
        `lr`; 0 gives plain (full-batch) descent.
    momentum : float in [0, 1)
        β for ``momentum``, β₁ for ``adam``.
    seed : int or None
        Seed of the noise; the same seed gives the same runs.
    every : int >= 1
        Record every `every`-th step (and always the last) to save memory.

    Returns
    -------
    Trajectory
    """
    if not isinstance(landscape, Landscape):
        raise ValueError(
            f"landscape must be a tutorial.landscapes.Landscape; got {landscape!r}"
        )
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}; got {method!r}")
    steps = _whole(steps, "steps", 0, MAX_STEPS)
    every = _whole(every, "every", 1, max(steps, 1))
    x = _starts(x0, landscape.dim)
    n, dim = x.shape
    work = steps * n * dim * (dim if method == "newton" else 1)
    if work > MAX_WORK:
        raise ValueError(
            f"steps={steps} with {n} runs (x0) of dim={dim} is {work:.2g} units of "
            f"work, more than {MAX_WORK:.0e} (minutes of computing); use fewer "
            "steps or runs"
        )
    if method == "newton" and n * dim * dim * 8 > MAX_HESSIAN_BYTES:
        raise ValueError(
            f"x0: Newton's method with {n} runs of dim={dim} needs "
            f"{n * dim * dim * 8 / 2**20:.0f} MiB of Hessians per step (at most "
            f"{MAX_HESSIAN_BYTES >> 20} MiB); use fewer runs"
        )
    lr_t = _per_step(lr, "lr", steps, n, positive=True)
    noise_t = _per_step(noise, "noise", steps, n, positive=False)
    if not (isinstance(momentum, (int, float, np.floating)) and 0 <= momentum < 1):
        raise ValueError(f"momentum must be a number in [0, 1); got {momentum!r}")
    generator(seed)  # checks the seed up front, before any work
    rows = np.unique(np.r_[np.arange(0, steps + 1, every), steps])
    size = (rows.size + WORKING_ROWS) * n * (dim + 1) * 8
    if size > MAX_RECORD_BYTES:
        raise ValueError(
            f"steps={steps} with {n} runs (x0) of dim={dim} would need "
            f"{size / 2**20:.0f} MiB (at most {MAX_RECORD_BYTES >> 20} MiB); use "
            "fewer steps or runs, or record less with every="
        )

    # Runs are kept in Fortran order, each weight's values over all runs
    # contiguous: a network's landscape reads its weights as (dim, n) rows with
    # no copy, and a recorded row is one contiguous block. The buffers are
    # allocated once; the loop below makes no new (n, dim) array per step.
    record = np.empty((rows.size, dim, n))
    loss_rec = np.empty((rows.size, n))
    diverged_at = np.full(n, -1)
    noisy = bool(np.any(noise_t))
    rng = np.random.default_rng(seed) if noisy else None
    update = _Update(method, landscape, n, dim, momentum)
    x = np.asfortranarray(x)
    x_next = np.empty_like(x)
    step = np.empty_like(x)
    x_prev, loss_prev = x.copy(order="F"), np.full(n, np.inf)
    frozen = np.zeros(n, dtype=bool)
    any_frozen = False
    row = 0
    with np.errstate(all="ignore"):
        for t in range(steps + 1):
            loss, g = _value_and_grad(landscape, x)
            if not _all_sane(loss, x):
                bad = (diverged_at < 0) & ~(
                    (np.abs(loss) <= LOSS_BOUND) & (np.abs(x) <= X_BOUND).all(-1)
                )
                if bad.any():
                    diverged_at[bad] = t
                    x[bad], loss[bad] = x_prev[bad], loss_prev[bad]
                    frozen = diverged_at >= 0
                    any_frozen = True
            if rows[row] == t:
                record[row], loss_rec[row] = x.T, loss
                row += 1
            if t == steps:
                break
            if noisy:
                g = g + noise_t[t][:, None] * rng.standard_normal((n, dim))
            delta = update(x, g, lr_t[t][:, None], t, step)
            np.subtract(x, delta, out=x_next)
            if any_frozen:
                x_next[frozen] = x[frozen]
            # The old position becomes the scratch buffer for the next one.
            x_prev, loss_prev = x, loss
            x, x_next = x_next, x
    return Trajectory(
        path=record.transpose(0, 2, 1),
        loss=loss_rec,
        diverged=diverged_at >= 0,
        diverged_at=diverged_at,
        t=rows,
    )


def _all_sane(loss: np.ndarray, x: np.ndarray) -> bool:
    """Return True if no run passes the bounds (NaN fails): the common case.

    Four reductions (called as ufuncs: no Python wrapper) and no temporary
    array; only when this fails does the caller work out which runs diverged.
    """
    high, low = np.maximum.reduce, np.minimum.reduce
    return bool(
        high(loss, axis=None) <= LOSS_BOUND
        and low(loss, axis=None) >= -LOSS_BOUND
        and high(x, axis=None) <= X_BOUND
        and low(x, axis=None) >= -X_BOUND
    )


class _Update:
    """The step each method subtracts from x, keeping its own state."""

    def __init__(self, method, landscape, n, dim, beta):
        self.method, self.landscape, self.beta = method, landscape, beta
        self.velocity = np.zeros((n, dim))
        self.second = np.zeros((n, dim))

    def __call__(self, x, g, lr, t, out):
        """Return the step; `out` is an (n, dim) buffer it may be written to."""
        if self.method == "gd":
            return np.multiply(lr, g, out=out)
        if self.method == "momentum":
            # x_{t+1} - x_t = beta (x_t - x_{t-1}) - lr g, so step = -velocity.
            self.velocity *= self.beta
            self.velocity -= np.multiply(lr, g, out=out)
            return np.negative(self.velocity, out=out)
        if self.method == "adam":
            b1, b2 = self.beta, 0.999
            self.velocity = b1 * self.velocity + (1 - b1) * g
            self.second = b2 * self.second + (1 - b2) * g * g
            m_hat = self.velocity / (1 - b1 ** (t + 1))
            v_hat = self.second / (1 - b2 ** (t + 1))
            return lr * m_hat / (np.sqrt(v_hat) + 1e-8)
        # Newton: divide by the curvature along each eigenvector, keeping its
        # sign; flat directions (|curvature| ~ 0) get no step.
        evals, evecs = np.linalg.eigh(self.landscape.hessian(x))
        coef = np.einsum("nij,ni->nj", evecs, g)
        tiny = np.abs(evals) < 1e-10
        coef = np.where(tiny, 0.0, coef / np.where(tiny, 1.0, evals))
        return lr * np.einsum("nij,nj->ni", evecs, coef)


def _value_and_grad(landscape: Landscape, x: np.ndarray):
    if landscape.fdf is not None:
        return landscape.fdf(x)
    return landscape.f(x), landscape.df(x)


def _whole(value, name: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(
            f"{name} must be a whole number in [{low}, {high}]; got {value!r}"
        )
    if not low <= value <= high:
        raise ValueError(f"{name} must be in [{low}, {high}]; got {value}")
    return int(value)


def _starts(x0, dim: int) -> np.ndarray:
    try:
        x = np.array(x0, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"x0 must be an array of numbers; got {x0!r}") from None
    if x.ndim == 1:
        x = x[None, :]
    if x.ndim != 2 or x.shape[1] != dim or x.shape[0] == 0:
        raise ValueError(
            f"x0 must have shape ({dim},) or (n, {dim}) with n >= 1; "
            f"got shape {np.shape(x0)}"
        )
    if not np.all(np.isfinite(x)):
        raise ValueError("x0 must be finite; it contains NaN or infinity")
    return x


def _per_step(value, name: str, steps: int, n: int, positive: bool) -> np.ndarray:
    """Broadcast a scalar, schedule (steps,) or per-run array to (steps, n)."""
    if isinstance(value, (str, bytes)):
        raise ValueError(f"{name} must be a number; got the text {value!r}")
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError, OverflowError):
        raise ValueError(f"{name} must be a number; got {value!r}") from None
    allowed = "> 0" if positive else ">= 0"
    if arr.ndim == 1:
        if arr.shape[0] != steps:
            raise ValueError(
                f"{name} as a schedule must have shape (steps,) = ({steps},); "
                f"got {arr.shape}"
            )
        # With no steps there is nothing to schedule; one placeholder row
        # keeps the (max(steps, 1), n) shape that the loop reads.
        arr = arr[:, None] if steps else np.ones((1, 1))
    # Checked before broadcasting, so a long run costs no (steps, n) temporary.
    ok = np.isfinite(arr) & ((arr > 0) if positive else (arr >= 0))
    if not np.all(ok):
        bad = arr[~ok].flat[0]
        raise ValueError(f"{name} must be finite and {allowed}; got {bad}")
    try:
        arr = np.broadcast_to(arr, (max(steps, 1), n))
    except ValueError:
        raise ValueError(
            f"{name} must be a number, a schedule of shape ({steps},), or an "
            f"array broadcastable to (steps, n) = ({steps}, {n}); got {arr.shape}"
        ) from None
    return arr
