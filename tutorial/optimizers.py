"""Gradient descent and friends, run from many starting points at once.

`optimize` moves every run with one array operation per step, so 500 restarts
cost about as much Python as one.

Two kinds of noisy steps, not to be confused:

- **Minibatch SGD** (``batch_size=B``), on a landscape that is a loss over
  training examples (``MLP(...).landscape(X, y)``): each step's gradient is
  the mean over B of the m examples, each run drawing its own batches. This is
  the real thing; its noise comes from the data, so it vanishes where every
  example's gradient does (an exact fit) and not where the examples disagree.
- **A Gaussian model** of that noise (``noise=σ``), for surfaces without
  data: the full gradient plus independent N(0, σ²) in every component at
  every step. It is a model, and wrong in two ways that matter: its size is
  the same everywhere, so it does not vanish at an exact fit, and the same in
  every direction, where minibatch noise follows the spread of the examples'
  gradients (and shrinks as the batch grows).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .arguments import whole
from .landscapes import MAX_HESSIAN_BYTES, Landscape
from .seeding import generator

__all__ = ["Trajectory", "optimize", "minibatches", "METHODS", "MAX_RECORD_BYTES"]

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
        Loss at those positions: on data, the full training loss over all m
        examples, whatever the batch size.
    diverged : bool array of shape (n,)
        True for runs that blew up; they are frozen at their last sane point.
    diverged_at : int array of shape (n,)
        Step at which each run was stopped, -1 for runs that did not diverge.
    t : int array of shape (rows,)
        The step number of each recorded row.
    batch_size : int or None
        Examples per step on a loss over examples (m for full-batch descent);
        None on a surface without data.
    epoch : int array of shape (rows,), or None
        On data, the number of complete passes over the examples before each
        recorded row: ``t // ceil(m / batch_size)``. None without data.
    examples : int array of shape (rows,), or None
        On data, how many example gradients each run had computed before each
        recorded row (the cost of training, for plots against work rather than
        steps). None without data.
    """

    path: np.ndarray
    loss: np.ndarray
    diverged: np.ndarray
    diverged_at: np.ndarray
    t: np.ndarray
    batch_size: int | None = None
    epoch: np.ndarray | None = None
    examples: np.ndarray | None = None

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
    batch_size: int | None = None,
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
        saddle points); full batch only.
    noise : float or array, >= 0
        Standard deviation σ of Gaussian noise added to every gradient
        component at every step: a *model* of minibatch noise for surfaces
        without data (on data, `batch_size` gives the real thing). Same shapes
        as `lr`; 0 gives plain descent.
    momentum : float in [0, 1)
        β for ``momentum``, β₁ for ``adam``.
    seed : int or None
        Seed of the minibatches and of the noise: the same seed (and number
        of runs) gives the same runs. The batches and the noise are two
        independent streams drawn from it, so adding noise does not change
        the batches, and the noise is the same with or without minibatches.
    every : int >= 1
        Record every `every`-th step (and always the last) to save memory.
    batch_size : int in [1, m], or None
        Minibatch SGD on a loss over m examples (``landscape.examples``):
        every run draws its own fresh random order of the examples each epoch
        and steps through it in consecutive slices of `batch_size`, so it sees
        every example once per epoch; each step follows the mean gradient of
        its slice. When `batch_size` does not divide m, an epoch's last batch
        holds the m mod `batch_size` left over (an epoch is ceil(m /
        `batch_size`) steps). None or m: full-batch descent, the very same
        computation. `minibatches` lists the batches a call uses.

    Returns
    -------
    Trajectory
    """
    plan = _plan(
        landscape, x0, lr, steps, method, noise, momentum, seed, every, batch_size
    )
    n, dim = plan.x.shape
    rows, steps = plan.rows, plan.steps
    # Runs are kept in Fortran order, each weight's values over all runs
    # contiguous: a network's landscape reads its weights as (dim, n) rows with
    # no copy, and a recorded row is one contiguous block. The buffers are
    # allocated once; the loop below makes no new (n, dim) array per step.
    record = np.empty((rows.size, dim, n))
    loss_rec = np.empty((rows.size, n))
    noise_rng, batch_rng = _streams(seed)
    noise_rng = noise_rng if np.any(plan.noise) else None
    value_and_grad = _gradient(landscape, plan.batch, n, batch_rng)
    update = _Update(method, landscape, n, dim, momentum)
    x = np.asfortranarray(plan.x)
    x_next = np.empty_like(x)
    runs = _Runs(x, n)
    row = 0
    with np.errstate(all="ignore"):
        for t in range(steps + 1):
            loss, g = value_and_grad(x, t)
            if not _all_sane(loss, x):
                runs.stop_diverged(x, loss, t)
            if rows[row] == t:
                record[row], loss_rec[row] = x.T, loss
                row += 1
            if t == steps:
                break
            if noise_rng is not None:
                g = g + plan.noise[t][:, None] * noise_rng.standard_normal((n, dim))
            # The step is worked out in the buffer of the next position (the
            # old position: no longer needed), then subtracted in place.
            step = update(x, g, plan.lr[t][:, None], t, out=x_next)
            np.subtract(x, step, out=x_next)
            runs.keep_frozen(x, x_next, loss)
            x, x_next = x_next, x
    return Trajectory(
        path=record.transpose(0, 2, 1),
        loss=loss_rec,
        diverged=runs.diverged_at >= 0,
        diverged_at=runs.diverged_at,
        t=rows,
        **_epochs(rows, landscape.examples, plan.batch),
    )


def minibatches(m: int, batch_size: int, steps: int, *, n: int = 1, seed=None):
    """Return the examples each step of `optimize(..., batch_size=...)` uses.

    Same m, batch size, number of runs n and seed as an `optimize` call, same
    batches: every run and epoch, a fresh random order of the m examples cut
    into consecutive slices of `batch_size`.

    Returns
    -------
    list of `steps` int arrays, each of shape (n, B_t)
        Step t's example indices for every run, in increasing order (the
        order within a batch does not change its mean gradient); B_t =
        `batch_size` except for an epoch's last batch when `batch_size` does
        not divide m.
    """
    m = whole(m, "m", 1, 10**9)
    batch_size = whole(batch_size, "batch_size", 1, m)
    steps = whole(steps, "steps", 0, MAX_STEPS)
    n = whole(n, "n", 1, 10**6)
    if steps * n * batch_size * 8 > MAX_RECORD_BYTES:
        raise ValueError(
            f"steps={steps} batches of {batch_size} for n={n} runs would need "
            f"more than {MAX_RECORD_BYTES >> 20} MiB; ask for fewer steps or runs"
        )
    generator(seed)  # checks the seed
    batches = _Minibatches(m, batch_size, n, _streams(seed)[1])
    out = []
    for t in range(steps):
        k = t % batches.per_epoch
        if k == 0:
            # each run's examples by batch, in index order within a batch
            order = np.argsort(batches.deal(), axis=1, kind="stable")
        out.append(order[:, k * batch_size : (k + 1) * batch_size])
    return out


@dataclass(frozen=True)
class _Plan:
    """Checked arguments of `optimize`, in the shapes its loop reads."""

    x: np.ndarray  # (n, dim) starting points
    steps: int
    rows: np.ndarray  # steps recorded
    lr: np.ndarray  # (max(steps, 1), n)
    noise: np.ndarray  # (max(steps, 1), n)
    batch: int | None  # examples per step; None: the full gradient


def _plan(
    landscape, x0, lr, steps, method, noise, momentum, seed, every, batch_size
) -> _Plan:
    """Check every argument of `optimize` up front, before any work."""
    if not isinstance(landscape, Landscape):
        raise ValueError(
            f"landscape must be a tutorial.landscapes.Landscape; got {landscape!r}"
        )
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}; got {method!r}")
    steps = whole(steps, "steps", 0, MAX_STEPS)
    every = whole(every, "every", 1, max(steps, 1))
    x = _starts(x0, landscape.dim)
    n, dim = x.shape
    _check_cost(steps, n, dim, method)
    lr_t = _per_step(lr, "lr", steps, n, positive=True)
    noise_t = _per_step(noise, "noise", steps, n, positive=False)
    if not (isinstance(momentum, (int, float, np.floating)) and 0 <= momentum < 1):
        raise ValueError(f"momentum must be a number in [0, 1); got {momentum!r}")
    generator(seed)  # checks the seed
    batch = _batch(batch_size, landscape, method)
    rows = np.unique(np.r_[np.arange(0, steps + 1, every), steps])
    size = (rows.size + WORKING_ROWS) * n * (dim + 1) * 8
    if size > MAX_RECORD_BYTES:
        raise ValueError(
            f"steps={steps} with {n} runs (x0) of dim={dim} would need "
            f"{size / 2**20:.0f} MiB (at most {MAX_RECORD_BYTES >> 20} MiB); use "
            "fewer steps or runs, or record less with every="
        )
    return _Plan(x, steps, rows, lr_t, noise_t, batch)


def _check_cost(steps: int, n: int, dim: int, method: str) -> None:
    """Refuse runs that would take minutes or not fit in memory."""
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


def _batch(batch_size, landscape: Landscape, method: str) -> int | None:
    """Return the examples per minibatch, or None for the full gradient."""
    if batch_size is None:
        return None
    m = landscape.examples
    if not m:
        raise ValueError(
            f"batch_size needs a loss over training examples, such as "
            f"MLP(...).landscape(X, y); the {landscape.name!r} surface has no "
            "data. On a surface without data, noise=σ adds a Gaussian model of "
            "minibatch noise instead."
        )
    batch_size = whole(batch_size, "batch_size", 1, m)
    if method == "newton":
        raise ValueError(
            "batch_size: method='newton' takes full-batch steps only (a "
            "minibatch Hessian is a different method); leave batch_size=None"
        )
    return None if batch_size == m else batch_size


def _epochs(rows: np.ndarray, m: int, batch: int | None) -> dict:
    """Return the Trajectory's batch_size, epoch and examples fields."""
    if not m:
        return {}
    size = batch or m
    per_epoch = -(-m // size)
    epoch = rows // per_epoch
    seen = epoch * m + np.minimum(rows % per_epoch * size, m)
    return {"batch_size": size, "epoch": epoch, "examples": seen}


def _streams(seed):
    """Return the noise and minibatch generators, independent, from one seed.

    The noise stream is ``default_rng(seed)`` itself, as it always was; the
    batches come from a child of the same seed sequence.
    """
    sequence = np.random.SeedSequence(seed)
    return np.random.default_rng(sequence), np.random.default_rng(sequence.spawn(1)[0])


class _Minibatches:
    """Every run's minibatches, epoch by epoch.

    Each epoch, every run deals its m examples at random into the epoch's
    ceil(m / B) batches (B each, the last one the remainder) and takes the
    batches in turn: the same batches, in distribution, as shuffling the
    examples and cutting the order into consecutive slices of B, drawn as one
    shuffle of batch labels per run instead of an order and its inverse.
    """

    def __init__(self, m: int, size: int, n: int, rng: np.random.Generator):
        self.m, self.size, self.rng = m, size, rng
        self.per_epoch = -(-m // size)
        # label[r, j]: the batch of this epoch that holds example j in run r
        self.label = np.tile(np.arange(m) // size, (n, 1))

    def deal(self) -> np.ndarray:
        """Deal the next epoch's batches; return the labels, shape (n, m)."""
        # Shuffling last epoch's labels gives a uniformly random deal too.
        return self.rng.permuted(self.label, axis=1, out=self.label)

    def weights(self, t: int) -> np.ndarray:
        """Return step t's weights (m, n): 1/B on its batch, 0 elsewhere."""
        k = t % self.per_epoch
        if k == 0:
            self.deal()
        size = min(self.size, self.m - k * self.size)
        return np.multiply(self.label.T == k, 1.0 / size)


def _gradient(landscape: Landscape, batch: int | None, n: int, rng):
    """Return value_and_grad(x, t): full loss and step t's gradient."""
    if batch is None:
        if landscape.fdf is not None:
            return lambda x, t: landscape.fdf(x)
        return lambda x, t: (landscape.f(x), landscape.df(x))
    batches = _Minibatches(landscape.examples, batch, n, rng)
    return lambda x, t: landscape.weighted_fdf(x, batches.weights(t))


class _Runs:
    """Which runs diverged, and where they were last sane."""

    def __init__(self, x: np.ndarray, n: int):
        self.diverged_at = np.full(n, -1)
        self.frozen = None  # bool (n,) once any run has diverged
        self.x_prev, self.loss_prev = x.copy(order="F"), np.full(n, np.inf)

    def stop_diverged(self, x, loss, t: int) -> None:
        """Freeze runs that just passed the bounds at their last sane point."""
        bad = (self.diverged_at < 0) & ~(
            (np.abs(loss) <= LOSS_BOUND) & (np.abs(x) <= X_BOUND).all(-1)
        )
        if bad.any():
            self.diverged_at[bad] = t
            x[bad], loss[bad] = self.x_prev[bad], self.loss_prev[bad]
            self.frozen = self.diverged_at >= 0

    def keep_frozen(self, x, x_next, loss) -> None:
        """Hold frozen runs in place and remember x as the last position."""
        if self.frozen is not None:
            x_next[self.frozen] = x[self.frozen]
        self.x_prev, self.loss_prev = x, loss


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
    """The step each method subtracts from x, keeping its own state.

    Written in place into the (n, dim) buffers it owns and the `out` it is
    given, so that a step makes no new array (same arithmetic, same order).
    """

    def __init__(self, method, landscape, n, dim, beta):
        self.landscape, self.beta = landscape, beta
        self.velocity = np.zeros((n, dim))
        self.second = np.zeros((n, dim)) if method == "adam" else None
        self.scratch = np.empty((n, dim)) if method == "adam" else None
        self.step = getattr(self, "_" + method)

    def __call__(self, x, g, lr, t, out):
        """Return the step; `out` is an (n, dim) buffer it may be written to."""
        return self.step(x, g, lr, t, out)

    def _gd(self, x, g, lr, t, out):
        return np.multiply(lr, g, out=out)

    def _momentum(self, x, g, lr, t, out):
        # x_{t+1} - x_t = beta (x_t - x_{t-1}) - lr g, so step = -velocity.
        self.velocity *= self.beta
        self.velocity -= np.multiply(lr, g, out=out)
        return np.negative(self.velocity, out=out)

    def _adam(self, x, g, lr, t, out):
        b1, b2 = self.beta, 0.999
        first, second, scratch = self.velocity, self.second, self.scratch
        first *= b1  # first ← b1 first + (1 − b1) g
        first += np.multiply(1 - b1, g, out=out)
        second *= b2  # second ← b2 second + (1 − b2) g²
        np.multiply(1 - b2, g, out=out)
        second += np.multiply(out, g, out=out)
        # lr m̂ / (√v̂ + 1e-8), m̂ and v̂ the bias-corrected moments
        np.multiply(lr, np.divide(first, 1 - b1 ** (t + 1), out=out), out=out)
        np.sqrt(np.divide(second, 1 - b2 ** (t + 1), out=scratch), out=scratch)
        scratch += 1e-8
        return np.divide(out, scratch, out=out)

    def _newton(self, x, g, lr, t, out):
        # Divide by the curvature along each eigenvector, keeping its sign;
        # flat directions (|curvature| ~ 0) get no step.
        evals, evecs = np.linalg.eigh(self.landscape.hessian(x))
        coef = np.einsum("nij,ni->nj", evecs, g)
        tiny = np.abs(evals) < 1e-10
        coef = np.where(tiny, 0.0, coef / np.where(tiny, 1.0, evals))
        return lr * np.einsum("nij,nj->ni", evecs, coef)


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
