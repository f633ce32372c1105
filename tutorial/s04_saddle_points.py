"""Notebook 04, saddle points and flat regions: where gradient descent stalls.

The Hessian's signs say what kind of flat point we are at; near a saddle the
gradient is tiny, so descent crawls (a plateau) before it escapes, and the
escape time grows like ln(1/ε) with the distance ε from the ridge. Newton's
method, which divides by the curvature, is pulled *into* saddles. A real
network started with small weights sits on such a plateau, yet the straight
line from its first to its trained weights is usually downhill all the way
(Goodfellow, Vinyals & Saxe 2015).
"""

from __future__ import annotations

import functools
import math
from typing import NamedTuple

import numpy as np
from matplotlib import colormaps
from matplotlib.ticker import FixedLocator, NullFormatter

from . import datasets, plotting, widgets
from .checks import Feedback, as_number, check_choice, check_function
from .landscapes import Landscape
from .nn import MLP, WidthBlock
from .optimizers import optimize
from .predict import Prediction
from .saddles import (
    ND_DIMS,
    ND_ESCAPE,
    ND_LR,
    SaddleEscape,
    escape_median_by_dim,
    escape_time,
    escape_time_quantiles,
    escape_time_samples,
    first_step_after,
    noise_distance,
    saddle_curvatures,
    saddle_escape,
    saddle_escape_table,
    saddle_nd,
    saddle_starts,
)
from .seeding import generator

__all__ = [
    "classify",
    "saddle_surface",
    "escape_theory",
    "escape_steps",
    "ring_starts",
    "newton_vs_gd",
    "SCALES",
    "plateau_runs",
    "plateau_length",
    "interpolation",
    "largest_rise",
    "ring_valley",
    "steps_needed",
    "round_up",
    "escape_runs",
    "at_saddle",
    "newton_paths",
    "all_interpolations",
    "ND_DIMS",
    "saddle_curvatures",
    "saddle_nd",
    "saddle_starts",
    "saddle_escape",
    "SaddleEscape",
    "escape_time",
    "noise_distance",
    "escape_time_samples",
    "escape_time_quantiles",
    "escape_median_by_dim",
    "saddle_escape_table",
    "FLAT_KINDS",
    "STEP_NOISE",
    "flat_kinds",
    "FlatKinds",
    "predict_hessian",
    "predict_escape",
    "predict_dimension",
    "predict_newton",
    "predict_plateau",
    "predict_kinds",
    "predict_interpolation",
    "noisy_step",
    "hessian_demo",
    "escape_demo",
    "newton_demo",
    "plateau_demo",
    "interpolation_demo",
    "escape_in_d_demo",
    "kinds_demo",
    "ex04_classify",
    "ex04_escape_steps",
    "ex04_attracted",
    "ex04_noisy_step",
    "DEMOS",
]

ESCAPE = 1.0  # a run has escaped the saddle once |y| > ESCAPE
WALL = 1.0  # beyond |y| = WALL the surface curves back up (bounded below)
X_START = 1.0  # runs start at (X_START, ε): ε off the ridge y = 0
EPS_GRID = 10.0 ** np.arange(-10, 0)  # distances measured in the escape plot


# ---------------------------------------------------------------- the Hessian


def classify(eigenvalues, tol: float = 1e-6) -> str:
    """Return 'minimum', 'maximum', 'saddle' or 'degenerate' for a critical point.

    Parameters
    ----------
    eigenvalues : sequence of float
        The Hessian's eigenvalues there.
    tol : float
        Eigenvalues with |λ| <= tol count as zero: the second derivatives
        then cannot decide (a flat direction), unless other directions
        already curve both ways, which makes it a saddle anyway.
    """
    try:
        lam = np.asarray(eigenvalues, dtype=float)
    except (TypeError, ValueError):
        lam = np.array([np.nan])
    if lam.ndim != 1 or lam.size == 0 or not np.all(np.isfinite(lam)):
        raise ValueError(f"eigenvalues must be finite numbers; got {eigenvalues!r}")
    if np.any(lam > tol) and np.any(lam < -tol):
        return "saddle"
    if np.any(np.abs(lam) <= tol):
        return "degenerate"
    return "minimum" if lam[0] > 0 else "maximum"


_KIND_TITLE = {
    "minimum": "A minimum",
    "maximum": "A maximum",
    "saddle": "A saddle point",
    "degenerate": "Degenerate: a flat direction",
}
_KIND_TEXT = {
    "minimum": "a minimum: every direction curves up",
    "maximum": "a maximum: every direction curves down",
    "saddle": "a saddle: up one way, down the other",
    "degenerate": "degenerate: a flat direction, the Hessian cannot decide",
}


# --------------------------------------------------------- the escape problem


def _wall_roots() -> float:
    # Where -2y + 4(y - 1)^3 = 0 for y > 1: the bottom of each valley.
    roots = np.roots([4.0, -12.0, 10.0, -4.0])
    return float(max(r.real for r in roots if abs(r.imag) < 1e-9))


Y_MIN = _wall_roots()


def saddle_surface() -> Landscape:
    """Return 5x² − y² near the saddle, bounded below by a wall beyond |y| = 1.

    For |y| <= 1 the surface is exactly 5x² − y² (a saddle at the origin);
    beyond, (|y| − 1)⁴ is added, which has zero value and zero first three
    derivatives at |y| = 1, so near the saddle nothing changes, but the loss
    stops falling at two valleys y = ±Y_MIN instead of going to −∞.
    """

    def f(p):
        x, y = p[:, 0], p[:, 1]
        out = np.maximum(np.abs(y) - WALL, 0.0)
        return 5 * x**2 - y**2 + out**4

    def df(p):
        x, y = p[:, 0], p[:, 1]
        out = np.maximum(np.abs(y) - WALL, 0.0)
        return np.stack([10 * x, -2 * y + 4 * np.sign(y) * out**3], -1)

    def d2f(p):
        x, y = p[:, 0], p[:, 1]
        out = np.maximum(np.abs(y) - WALL, 0.0)
        zero = 0 * x
        return np.stack(
            [np.stack([10 + zero, zero], -1), np.stack([zero, -2 + 12 * out**2], -1)],
            -2,
        )

    return Landscape(
        name="saddle 5x² − y²",
        dim=2,
        bounds=(np.array([-1.2, -2.6]), np.array([1.2, 2.6])),
        minima=np.array([[0.0, Y_MIN], [0.0, -Y_MIN]]),
        f=f,
        df=df,
        d2f=d2f,
        description="5x² − y² near the origin (a saddle), two valleys at y = ±2",
    )


def escape_theory(eps, lr):
    """Return ln(1/ε) / ln(1 + 2η): steps for gradient descent to reach |y| = 1.

    On 5x² − y² one step multiplies y by (1 + 2η), so y_t = ε (1 + 2η)^t;
    the first step with |y_t| > 1 is the smallest whole t above this value.
    """
    eps, lr = np.asarray(eps, dtype=float), np.asarray(lr, dtype=float)
    if np.any(~np.isfinite(eps) | (eps <= 0) | (eps >= ESCAPE)):
        raise ValueError(f"eps must be in (0, 1); got {eps}")
    if np.any(~np.isfinite(lr) | (lr <= 0)):
        raise ValueError(f"lr must be positive; got {lr}")
    return np.log(ESCAPE / eps) / np.log1p(2 * lr)


def steps_needed(lr: float, eps_min: float) -> int:
    """Return steps for a start eps_min off the ridge to escape and settle."""
    return int(math.ceil(escape_theory(eps_min, lr))) + int(math.ceil(6 / lr))


def escape_steps(eps, lr: float = 0.1, noise: float = 0.0, seed: int = 0, steps=None):
    """Run gradient descent from (1, ε) for each ε; return first steps with |y| > 1.

    Parameters
    ----------
    eps : array of shape (n,)
        Distances from the ridge; 0 starts exactly on it.
    lr, noise, seed : float, float, int
        Learning rate, gradient-noise σ and its seed.
    steps : int or None
        Number of steps; by default enough for ε = 1e-10 to escape.

    Returns
    -------
    escape : int array of shape (n,)
        The escape step, or -1 for runs that never left the saddle.
    traj : Trajectory
    """
    eps = np.atleast_1d(np.asarray(eps, dtype=float))
    if eps.ndim != 1 or np.any(~np.isfinite(eps) | (eps < 0) | (eps >= ESCAPE)):
        raise ValueError(f"eps must be numbers in [0, 1); got {eps}")
    steps = steps_needed(lr, 1e-10) if steps is None else steps
    x0 = np.c_[np.full(eps.size, X_START), eps]
    traj = optimize(saddle_surface(), x0, lr=lr, steps=steps, noise=noise, seed=seed)
    out = np.abs(traj.path[:, :, 1]) > ESCAPE
    escape = np.where(out.any(0), traj.t[out.argmax(0)], -1)
    return escape, traj


# The ε slider's positions (10^-10 ... 10^-1 in quarter decades); the demo
# runs them all at once, so that dragging ε only looks up a finished run.
EPS_STEP = 0.25
EPS_SLIDER = 10.0 ** np.arange(-10, -1 + EPS_STEP / 2, EPS_STEP)
EPS_MEASURED = np.flatnonzero(
    np.isin(np.round(np.log10(EPS_SLIDER), 6), np.log10(EPS_GRID))
)


ROUND_STEPS = (1.0, 1.5, 2.0, 3.0, 5.0, 7.0)  # limits snap to m × 10^k


def round_up(value: float) -> float:
    """Return the smallest 1, 1.5, 2, 3, 5 or 7 × 10^k that is >= value > 0."""
    return plotting.nice_ceiling(value, ROUND_STEPS)


@functools.lru_cache(maxsize=8)
def _escape_table(noise: float, lr: float, extra: tuple = ()):
    # One vectorised run from every slider position (and `extra` starts), then
    # ε = 0. A round number of steps: the loss axis then changes only when η
    # crosses a round value, not on every η (its tick labels are slow to draw).
    steps = int(round_up(steps_needed(lr, 1e-10)))
    starts = np.r_[EPS_SLIDER, extra, 0.0]
    return escape_steps(starts, lr=lr, noise=noise, steps=steps)


def escape_runs(eps: float, noise: float, lr: float):
    """Return (escape, traj, k): the escape demo's runs, run k starting at `eps`.

    escape[EPS_MEASURED] are the runs from EPS_GRID and escape[-1] the one
    from ε = 0; all share one noise draw.
    """
    near = np.flatnonzero(np.isclose(EPS_SLIDER, eps, rtol=1e-9, atol=0))
    if near.size:
        return (*_escape_table(noise, lr), int(near[0]))
    return (*_escape_table(noise, lr, (eps,)), EPS_SLIDER.size)


def ring_starts(count: int = 12, radius: float = 0.8) -> np.ndarray:
    """Return `count` starts on a circle round the saddle, shape (count, 2).

    The angles are offset so that no start lies exactly on the ridge y = 0.
    """
    angle = 2 * np.pi * (np.arange(count) + 0.3) / count
    return radius * np.c_[np.cos(angle), np.sin(angle)]


def newton_vs_gd(lr: float = 0.1, steps: int = 40):
    """Run gradient descent and Newton's method from the same ring of starts.

    Returns (gd, newton), two Trajectories on `saddle_surface()`.
    """
    surface, x0 = saddle_surface(), ring_starts()
    gd = optimize(surface, x0, lr=lr, steps=steps)
    newton = optimize(surface, x0, lr=lr, steps=steps, method="newton")
    return gd, newton


def at_saddle(points, radius: float = 0.05) -> np.ndarray:
    """Return True for points (..., 2) within `radius` of the saddle at 0."""
    return np.linalg.norm(points, axis=-1) < radius


NEWTON_MAX_STEPS = 100  # the newton demo's longest run


@functools.lru_cache(maxsize=8)
def _newton_table(rates: tuple):
    # Both methods from the ring of starts at every rate, in one run each:
    # runs k * 12 ... k * 12 + 11 have rate rates[k].
    surface, x0 = saddle_surface(), ring_starts()
    n = len(x0)
    lr = np.repeat(np.asarray(rates, dtype=float), n)[None]
    x0 = np.tile(x0, (len(rates), 1))
    return tuple(
        optimize(surface, x0, lr=lr, steps=NEWTON_MAX_STEPS, method=method)
        for method in ("gd", "newton")
    )


def newton_paths(rates: tuple, lr: float, steps: int):
    """Return ((path, diverged) for gd, the same for newton) after `steps` steps.

    Looked up in the runs for `rates` when `lr` is one of them; runs without
    noise are the same for their first `steps` steps however long they go on.
    """
    near = np.flatnonzero(np.isclose(rates, lr, rtol=1e-9, atol=0))
    rates, k = (rates, int(near[0])) if near.size else ((float(lr),), 0)
    n = len(ring_starts())
    out = []
    for traj in _newton_table(rates):
        runs = slice(k * n, (k + 1) * n)
        at = traj.diverged_at[runs]
        out.append((traj.path[: steps + 1, runs], (at >= 0) & (at <= steps)))
    return tuple(out)


ND_SHOWN = 25  # runs drawn one by one in the escape-in-d demo


# ------------------------------------------------------ a plateau in a network

# Initial scales the plateau demo offers: one vectorised run trains them all.
SCALES = np.round(10.0 ** np.linspace(-1.5, 0.0, 13), 4)
PLATEAU_SEEDS = 3
PLATEAU_STEPS = 3000
PLATEAU_LR = 0.2
PLATEAU_EVERY = 10


def _xor_net():
    X, y = datasets.xor()
    net = MLP([2, 4, 1])
    return net, net.landscape(X, y)


@functools.lru_cache(maxsize=1)
def plateau_runs():
    """Train the XOR network from every initial scale in SCALES, 3 seeds each.

    Returns
    -------
    t : int array of shape (rows,)
        Recorded steps (every 10th).
    loss, grad_norm : arrays of shape (rows, len(SCALES), 3)
        Loss and gradient length along each run.
    """
    net, surface = _xor_net()
    base = net.init(PLATEAU_SEEDS, seed=0)  # same directions, only the size varies
    w0 = (SCALES[:, None, None] * base[None]).reshape(-1, net.dim)
    traj = optimize(
        surface, w0, lr=PLATEAU_LR, steps=PLATEAU_STEPS, every=PLATEAU_EVERY
    )
    grad = np.linalg.norm(surface.grad(traj.path), axis=-1)
    shape = (traj.t.size, SCALES.size, PLATEAU_SEEDS)
    return traj.t, traj.loss.reshape(shape), grad.reshape(shape)


def plateau_length(t, loss, level: float = 0.2) -> np.ndarray:
    """Return the first recorded step with loss below `level` (-1 if never).

    `loss` has shape (rows, ...); the result has shape (...).
    """
    below = loss < level
    return np.where(below.any(0), np.asarray(t)[below.argmax(0)], -1)


# ------------------------------------------------------ three kinds of flat

FLAT_KINDS = ("strict saddle", "degenerate point", "drifting valley")
# The noise in one step, η·σ: the three problems are trained with different
# rates, and what moves the weights is the product.
STEP_NOISE = (1e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1.0)
FLAT_NOISY_STEPS = 1500  # steps with noise, then
FLAT_QUIET_STEPS = 300  # steps without, so that a run that left can settle
FLAT_RUNS = 20  # runs per noise level at the saddle and the degenerate point
FLAT_SCALE = 0.03  # the degenerate point's runs start from weights × 0.03
VALLEY_LR = 1.0  # notebook 03's stuck 2-2-1 XOR networks
VALLEY_STEPS = 600


class FlatKinds(NamedTuple):
    """Which runs left each kind of flat place, at each level of noise."""

    step_noise: np.ndarray  # (levels,) η·σ, a first level 0 (no noise)
    left: np.ndarray  # (3, levels) share that left: FLAT_KINDS in order
    worse: np.ndarray  # (levels,) share of valley runs thrown to a higher loss
    runs: np.ndarray  # (3,) runs per level of each kind


def _noise_schedule(lr: float, runs: int) -> np.ndarray:
    """σ for every step and run: each level of STEP_NOISE (and 0), then quiet."""
    sigma = np.repeat(np.r_[0.0, STEP_NOISE] / lr, runs)
    loud = np.broadcast_to(sigma, (FLAT_NOISY_STEPS, sigma.size))
    return np.r_[loud, np.zeros((FLAT_QUIET_STEPS, sigma.size))]


def _tiled(x0: np.ndarray) -> np.ndarray:
    return np.tile(x0, (len(STEP_NOISE) + 1, 1))


@functools.lru_cache(maxsize=1)
def flat_kinds() -> FlatKinds:
    """Start runs in each kind of flat place, add noise, count who leaves.

    - strict saddle: 5x² − y² from (1, 0), exactly on the ridge (η = 0.1);
      left if |y| > ESCAPE at the end;
    - degenerate point: the plateau network (2-4-1 on XOR, mean squared
      error, η = 0.2) from random weights × FLAT_SCALE; left if its loss is
      below 0.2 (the plateau is at 0.25);
    - drifting valley: the 2-2-1 XOR networks stuck after VALLEY_STEPS steps
      (cross-entropy, η = 1), from where they are stuck; left if the loss is
      below 0.1, worse if 0.05 or more above the loss it was stuck at.

    Each run gets Gaussian gradient noise (the model, ``noise=σ``) with η·σ
    at each level of STEP_NOISE (and none) for FLAT_NOISY_STEPS steps, then
    FLAT_QUIET_STEPS steps without.
    """
    steps = FLAT_NOISY_STEPS + FLAT_QUIET_STEPS
    levels = len(STEP_NOISE) + 1
    saddle = optimize(
        saddle_surface(),
        _tiled(np.tile([X_START, 0.0], (FLAT_RUNS, 1))),
        lr=0.1,
        steps=steps,
        noise=_noise_schedule(0.1, FLAT_RUNS),
        seed=1,
        every=steps,
    )
    net, surface = _xor_net()
    flat = optimize(
        surface,
        _tiled(FLAT_SCALE * net.init(FLAT_RUNS, seed=0)),
        lr=PLATEAU_LR,
        steps=steps,
        noise=_noise_schedule(PLATEAU_LR, FLAT_RUNS),
        seed=1,
        every=steps,
    )
    stuck_loss, valley_loss = _valley_runs(steps)
    left = np.stack(
        [
            (np.abs(saddle.final[:, 1]) > ESCAPE).reshape(levels, -1).mean(1),
            (flat.final_loss < 0.2).reshape(levels, -1).mean(1),
            (valley_loss < 0.1).reshape(levels, -1).mean(1),
        ]
    )
    # Worse: a loss clearly above the level the run was stuck at.
    worse = (valley_loss > np.tile(stuck_loss, levels) + 0.05).reshape(levels, -1)
    out = FlatKinds(
        np.r_[0.0, STEP_NOISE],
        left,
        worse.mean(1),
        np.array([FLAT_RUNS, FLAT_RUNS, stuck_loss.size]),
    )
    for array in out:
        array.setflags(write=False)
    return out


def _valley_runs(steps: int):
    """The stuck 2-2-1 XOR networks, noise added: (stuck losses, final losses)."""
    X, y = datasets.xor()
    block = WidthBlock((2,), X, y)
    (net,) = block.networks
    surface = net.landscape(X, y, loss="bce")
    first = optimize(
        block.landscape,
        block.pack([net.init(200, seed=0)]),
        lr=VALLEY_LR,
        steps=VALLEY_STEPS,
        every=VALLEY_STEPS,
    )
    before = surface.value(block.unpack(first.final)[0])
    stuck = first.final[before >= 0.1]
    runs = optimize(
        block.landscape,
        _tiled(stuck),
        lr=VALLEY_LR,
        steps=steps,
        noise=_noise_schedule(VALLEY_LR, len(stuck)),
        seed=1,
        every=steps,
    )
    return before[before >= 0.1], surface.value(block.unpack(runs.final)[0])


# ---------------------------------------------------- the straight line path

INTERP_SEEDS = 10
ALPHA = np.linspace(-0.5, 1.5, 201)


@functools.lru_cache(maxsize=1)
def _moons_training():
    X, y = datasets.moons(60, noise=0.15, seed=0)
    net = MLP([2, 8, 1])
    surface = net.landscape(X, y, loss="bce")
    w0 = np.concatenate([net.init(1, seed=s) for s in range(INTERP_SEEDS)])
    traj = optimize(surface, w0, lr=0.1, steps=1000, method="momentum", every=1000)
    return surface, w0, traj.final


def interpolation(seed: int = 0, alpha=ALPHA):
    """Return the loss along (1 − α)θ₀ + αθ* for the moons network of `seed`.

    θ₀ are the random first weights, θ* the weights after 1000 steps of
    momentum. Returns an array with the shape of `alpha`.
    """
    _check_seed(seed)
    surface, w0, w1 = _moons_training()
    alpha = np.asarray(alpha, dtype=float)
    points = (1 - alpha)[..., None] * w0[seed] + alpha[..., None] * w1[seed]
    return surface.value(points)


def _check_seed(seed) -> None:
    if not (isinstance(seed, (int, np.integer)) and 0 <= seed < INTERP_SEEDS):
        raise ValueError(f"seed must be a whole number in [0, {INTERP_SEEDS - 1}]")


@functools.lru_cache(maxsize=1)
def all_interpolations() -> np.ndarray:
    """Return `interpolation` for every seed at once, (INTERP_SEEDS, len(ALPHA))."""
    surface, w0, w1 = _moons_training()
    a = ALPHA[None, :, None]
    return surface.value((1 - a) * w0[:, None] + a * w1[:, None])


def largest_rise(values) -> float:
    """Return the largest climb along a curve: max over a < b of f(b) − f(a).

    Zero for a curve that never goes up.
    """
    values = np.asarray(values, dtype=float)
    return float(np.max(values - np.minimum.accumulate(values)))


def ring_valley() -> Landscape:
    """Return (x² + y² − 1)² − 0.3x: a curved valley round a hill.

    Descent from the left follows the ring to the minimum on the right; the
    straight line between the two crosses the hill in the middle.
    """
    tilt = 0.3

    def f(p):
        x, y = p[:, 0], p[:, 1]
        return (x**2 + y**2 - 1) ** 2 - tilt * x

    def df(p):
        x, y = p[:, 0], p[:, 1]
        r = x**2 + y**2 - 1
        return np.stack([4 * x * r - tilt, 4 * y * r], -1)

    def d2f(p):
        x, y = p[:, 0], p[:, 1]
        r = x**2 + y**2 - 1
        hxy = 8 * x * y
        return np.stack(
            [
                np.stack([4 * r + 8 * x**2, hxy], -1),
                np.stack([hxy, 4 * r + 8 * y**2], -1),
            ],
            -2,
        )

    return Landscape(
        name="ring valley",
        dim=2,
        bounds=(np.array([-1.5, -1.5]), np.array([1.5, 1.5])),
        minima=np.zeros((0, 2)),
        f=f,
        df=df,
        d2f=d2f,
        description="a ring-shaped valley round a hill, tilted towards +x",
    )


RING_START = np.array([-0.95, 0.35])


@functools.lru_cache(maxsize=1)
def ring_paths():
    """Return (descent path, straight line) on ring_valley(), each (201, 2)."""
    surface = ring_valley()
    traj = optimize(surface, RING_START, lr=0.02, steps=2000, every=10)
    path = traj.path[:, 0]
    a = np.linspace(0, 1, path.shape[0])[:, None]
    line = (1 - a) * path[0] + a * path[-1]
    return path, line


# ---------------------------------------------------------------- demos


def hessian_demo(lam1: float = 1.0, lam2: float = -1.0) -> widgets.Demo:
    """A quadratic ½(λ₁x² + λ₂y²) morphing between bowl, saddle, ridge and flat."""
    # About half a value per screen pixel, coloured here (256 shades, as
    # matplotlib does) and drawn without smoothing: matplotlib's own colouring
    # and smoothing of the image took a third of a frame.
    n = 173
    shades = (colormaps[plotting.SURFACE_CMAP](np.linspace(0, 1, 256)) * 255).round()
    shades = shades.astype(np.uint8)
    xs = np.linspace(-2, 2, n)
    X2, Y2 = np.meshgrid(xs**2, xs**2)
    q = np.linspace(-1.75, 1.75, 8)
    QX, QY = np.meshgrid(q, q)
    fig, (ax_map, ax_cut) = plotting.new_figure(10.0, 4.2, ncols=2)
    with plotting.style():
        image = ax_map.imshow(
            np.zeros((n, n)),
            extent=(-2, 2, -2, 2),
            origin="lower",
            cmap=plotting.SURFACE_CMAP,
            aspect="equal",
            zorder=plotting.IMAGE_ZORDER,
            interpolation="nearest",
        )
        # The map spreads each surface over the whole colour scale, lowest to
        # highest; the right panel has the numbers. A colour bar with numbers
        # would change on every frame (fast demos, rule 7).
        image.set_clim(0.0, 1.0)
        bar = fig.colorbar(image, ax=ax_map, shrink=0.85)
        bar.set_ticks([0.0, 1.0], labels=["lowest\nloss", "highest\nloss"])
        arrows = ax_map.quiver(
            QX,
            QY,
            np.zeros_like(QX),
            np.zeros_like(QY),
            color="white",
            angles="xy",
            scale_units="xy",
            scale=8,
            width=0.006,
        )
        ax_map.plot(0, 0, "o", color="white", mec=plotting.BLACK, ms=8)
        ax_map.set(xlabel="x (first eigenvector)", ylabel="y (second eigenvector)")
        map_title = ax_map.set_title(" ")
        (cut_x,) = ax_cut.plot(xs, 0 * xs, color=plotting.BLUE, label="along x: ½λ₁x²")
        (cut_y,) = ax_cut.plot(
            xs, 0 * xs, color=plotting.ORANGE, ls="--", label="along y: ½λ₂y²"
        )
        ax_cut.axhline(0, color=plotting.GREY, lw=0.8)
        ax_cut.set(xlim=(-2, 2), ylim=(-4.3, 4.3), xlabel="distance from the point")
        ax_cut.set_ylabel("loss")
        ax_cut.set_title("Cross-sections through the critical point")
        ax_cut.legend(loc="upper center")

    controls = {
        "lam1": widgets.float_slider("curvature λ₁ (along x)", lam1, -2.0, 2.0, 0.1),
        "lam2": widgets.float_slider("curvature λ₂ (along y)", lam2, -2.0, 2.0, 0.1),
    }

    def draw(lam1, lam2):
        Z = 0.5 * (lam1 * X2 + lam2 * Y2)
        low, high = Z.min(), Z.max()
        level = (Z - low) * (255.999 / (high - low)) if high > low else 127.5 + 0 * Z
        image.set_data(shades[level.astype(np.uint8)])
        arrows.set_UVC(-lam1 * QX, -lam2 * QY)
        cut_x.set_ydata(0.5 * lam1 * xs**2)
        cut_y.set_ydata(0.5 * lam2 * xs**2)
        kind = classify(np.sort([lam1, lam2]), tol=1e-6)
        # Just the kind (rule 4): the values are on the sliders and below.
        map_title.set_text(_KIND_TITLE[kind])
        return f"Eigenvalues {lam1:+.1f} and {lam2:+.1f}: {_KIND_TEXT[kind]}."

    # The opposite sign of λ₁ changes the map, the arrows, a cut and the title.
    return widgets.Demo(
        fig, controls, draw, alt=HESSIAN_ALT, exported=("lam2",)
    ).warm_up("lam1", -lam1 or 1.0)


HESSIAN_ALT = (
    "Two panels for L = ½(λ₁x² + λ₂y²) with the chosen curvatures. Left: a "
    "colour map of the loss around the critical point at the centre (white dot), "
    "dark for the lowest loss and light for the highest, with white arrows "
    "pointing downhill; its title names the kind of point. Right: two cross-"
    "sections through the point, the loss along x (solid blue, ½λ₁x²) and along "
    "y (dashed orange, ½λ₂y²): a curve opening upwards curves up, one opening "
    "downwards curves down, a flat one is flat."
)


def _from_zero(noise: float, escape: int) -> str:
    """Return what the run from ε = 0 did: `escape` is its escape step (or -1)."""
    if noise == 0:
        return "from ε = 0 exactly it never escapes"
    if escape >= 0:
        return f"from ε = 0 the noise frees it after {escape} steps"
    return "from ε = 0 it has not escaped yet"


def escape_demo(eps: float = 1e-4, noise: float = 0.0, lr: float = 0.1) -> widgets.Demo:
    """GD from (1, ε) on 5x² − y²: loss plateau, and escape time against ε."""
    surface = saddle_surface()
    fig, (ax_map, ax_loss, ax_esc) = plotting.new_figure(12.0, 4.0, ncols=3)
    with plotting.style():
        plotting.draw_surface(ax_map, surface)
        ax_map.plot(0, 0, "X", color="white", mec=plotting.BLACK, ms=10, zorder=7)
        (path_line,) = ax_map.plot([], [], ".-", color=plotting.ORANGE, ms=3, lw=1.2)
        ax_map.plot(X_START, 0, "o", color="white", mec=plotting.BLACK, ms=7, zorder=7)
        ax_map.set(xlabel="x", ylabel="y")
        ax_map.set_title("Start ε above the ridge y = 0")

        (loss_line,) = ax_loss.plot([], [], color=plotting.BLUE)
        escape_mark = ax_loss.axvline(0, color=plotting.VERMILION, ls=":", lw=1.5)
        ax_loss.axhline(0, color=plotting.GREY, lw=0.8)
        ax_loss.set(ylim=(-3.5, 5.5), xlabel="step", ylabel="loss")
        ax_loss.set_title("Loss: a plateau at the saddle, then a drop")

        eps_line = np.logspace(-10, -1, 50)
        (theory_line,) = ax_esc.semilogx(
            eps_line, eps_line, color=plotting.GREY, label="theory ln(1/ε)/ln(1+2η)"
        )
        (measured,) = ax_esc.semilogx(
            EPS_GRID, EPS_GRID, "o", color=plotting.BLUE, label="measured"
        )
        (current,) = ax_esc.semilogx(
            [eps],
            [0],
            "o",
            color=plotting.ORANGE,
            mec=plotting.BLACK,
            ms=10,
            label="your ε",
        )
        zero_line = ax_esc.axhline(
            0, color=plotting.VERMILION, ls="--", lw=1.5, label="ε = 0 with noise"
        )
        ax_esc.set(xlabel="distance from the ridge ε", ylabel="steps to reach |y| > 1")
        # A tick at every decade (where the measured points are), labelled
        # every other one, and no finer minor ticks: fewer ticks to draw when
        # η changes the height of this panel.
        ax_esc.set_xticks(10.0 ** np.arange(-10, 0, 2))
        ax_esc.xaxis.set_minor_locator(FixedLocator(10.0 ** np.arange(-9, 0, 2)))
        ax_esc.xaxis.set_minor_formatter(NullFormatter())
        ax_esc.set_title("Escape time grows like ln(1/ε)")
        ax_esc.legend(loc="upper right", fontsize=9)

    controls = {
        "eps": widgets.log_slider(
            "distance ε", eps, EPS_SLIDER[0], EPS_SLIDER[-1], step=EPS_STEP, fmt=".1e"
        ),
        "noise": widgets.noise_slider(noise, max=0.5, step=0.01),
        # η rescales both right-hand panels (their axes change): on release.
        "lr": widgets.lr_slider(
            lr, min=0.02, max=0.15, steps=20, continuous_update=False
        ),
    }

    def draw(eps, noise, lr):
        escape, traj, k = escape_runs(eps, noise, lr)
        mine = traj.path[:, k]
        path_line.set_data(mine[:, 0], mine[:, 1])
        loss_line.set_data(traj.t, traj.loss[:, k])
        steps_eps = escape[k]
        # NaN rather than hidden (fast demos, rule 6).
        escape_mark.set_xdata([steps_eps if steps_eps >= 0 else np.nan] * 2)
        current.set_data([eps], [steps_eps if steps_eps >= 0 else np.nan])
        # Limits only when η moves them: setting them marks the axis as changed.
        if ax_loss.get_xlim() != (0, traj.t[-1]):
            ax_loss.set_xlim(0, traj.t[-1])
        theory_line.set_ydata(escape_theory(eps_line, lr))
        grid = escape[EPS_MEASURED]
        measured.set_ydata(np.where(grid >= 0, grid, np.nan))
        zero_line.set_ydata([escape[-1] if escape[-1] >= 0 else np.nan] * 2)
        top = round_up(escape_theory(1e-10, lr) * 1.1)
        if ax_esc.get_ylim() != (0, top):
            ax_esc.set_ylim(0, top)
        return (
            f"ε = {eps:.1e}: escaped after {steps_eps} steps "
            f"(theory {escape_theory(eps, lr):.1f}); {_from_zero(noise, escape[-1])}."
        )

    # Every frame sets the same artists, so any other ε warms them all up.
    other = EPS_SLIDER[-1] if eps < EPS_SLIDER[-1] else EPS_SLIDER[0]
    return widgets.Demo(
        fig, controls, draw, alt=ESCAPE_ALT, exported=("eps", "noise")
    ).warm_up("eps", float(other))


ESCAPE_ALT = (
    "Three panels for gradient descent on 5x² − y² from (1, ε). Left: a contour "
    "map of the saddle (a white cross at the centre) with the run's orange path "
    "from the white start dot: straight in to the saddle along x, then slowly "
    "out along y to one of the two valleys. Middle: the loss against the step: "
    "flat at 0 (the plateau) until a dotted red line at the escape, then a drop. "
    "Right: the steps to reach |y| > 1 against ε on a log axis: blue dots "
    "measured at every power of ten, a grey line for the theory "
    "ln(1/ε)/ln(1 + 2η), a large orange dot for the chosen ε, and a dashed red "
    "line for the escape from ε = 0 with noise."
)


def newton_demo(lr: float = 0.1, steps: int = 40) -> widgets.Demo:
    """Same starts round the saddle: gradient descent escapes, Newton falls in."""
    surface = saddle_surface()
    starts = ring_starts()
    fig, axes = plotting.new_figure(10.0, 4.4, ncols=2)
    colours = (plotting.ORANGE, plotting.SKY)
    lines = []  # per panel, a line per run
    with plotting.style():
        for ax, name in zip(axes, ("gradient descent", "Newton's method"), strict=True):
            plotting.draw_surface(ax, surface)
            ax.plot(*starts.T, "o", color="white", mec=plotting.BLACK, ms=6, zorder=7)
            ax.plot(0, 0, "X", color=plotting.VERMILION, mec="white", ms=12, zorder=8)
            ax.set(xlabel="x", ylabel="y")
            # The counts go in the sentence below, not the title (rule 4).
            ax.set_title(name)
            lines.append(plotting.path_lines(ax, len(starts), lw=2.0))
    controls = {
        "lr": widgets.lr_slider(lr, min=0.02, max=0.15, steps=20),
        "steps": widgets.steps_slider(steps, min=1, max=NEWTON_MAX_STEPS),
    }
    # Every position of the η slider (and the starting η), run once for the
    # longest allowed time: moving either slider then only picks a prefix.
    rate = controls["lr"]
    grid = rate.base ** np.arange(rate.min, rate.max + rate.step / 2, rate.step)
    rates = grid if np.isclose(grid, lr, rtol=1e-9, atol=0).any() else np.r_[grid, lr]
    rates = tuple(float(r) for r in rates)

    def draw(lr, steps):
        paths = newton_paths(rates, lr, steps)
        stuck = []
        for (path, diverged), runs, colour in zip(paths, lines, colours, strict=True):
            plotting.set_paths(runs, path, diverged, color=colour)
            stuck.append(int(at_saddle(path[-1]).sum()))
        return (
            f"After {steps} steps with η = {lr:.3g}: gradient descent has "
            f"{stuck[0]} of {len(starts)} runs at the saddle, "
            f"Newton's method {stuck[1]}."
        )

    # Another η moves every path.
    other = float(grid[0] if lr > grid[0] else grid[-1])
    return widgets.Demo(fig, controls, draw, alt=NEWTON_ALT, exported=("lr",)).warm_up(
        "lr", other
    )


NEWTON_ALT = (
    "Two contour maps of the saddle 5x² − y², each with the same 12 white start "
    "dots on a circle round the saddle (a red cross). Left, gradient descent: "
    "orange paths run in towards the centre along x and then out along y to the "
    "two valleys above and below. Right, Newton's method: light blue paths run "
    "straight into the saddle. Paths of runs that diverged turn red."
)


def plateau_demo(scale: float = 0.1) -> widgets.Demo:
    """XOR network from small weights: a long plateau, then a sudden drop."""
    t, loss, grad = plateau_runs()
    fig, (ax_loss, ax_grad) = plotting.new_figure(10.0, 4.0, ncols=2)
    colours = (plotting.BLUE, plotting.ORANGE, plotting.GREEN)
    with plotting.style():
        loss_lines = [
            ax_loss.plot(t, loss[:, 0, k], color=c, label=f"network {k + 1}")[0]
            for k, c in enumerate(colours)
        ]
        ax_loss.axhline(0.25, color=plotting.GREY, ls="--", lw=1)
        ax_loss.text(
            t[-1],
            0.25,
            "plateau: predict the mean ",
            ha="right",
            va="bottom",
            color=plotting.GREY,
        )
        ax_loss.set(xlim=(0, t[-1]), xlabel="step")
        ax_loss.set_ylabel("loss (mean squared error)")
        loss_title = ax_loss.set_title(" ")
        ax_loss.legend(loc="upper right")
        grad_lines = [
            ax_grad.semilogy(t, np.ones_like(t, dtype=float), color=c)[0]
            for c in colours
        ]
        ax_grad.set(xlim=(0, t[-1]), ylim=(1e-8, 3), xlabel="step")
        ax_grad.set_ylabel("gradient length |∇L|")
        ax_grad.set_title("The slope on the plateau is tiny")

    controls = {
        "scale": widgets.log_slider(
            "initial scale",
            scale,
            SCALES[0],
            SCALES[-1],
            step=np.diff(np.log10(SCALES)).mean(),
            continuous_update=False,
        ),
    }

    def draw(scale):
        i = int(np.argmin(np.abs(np.log(SCALES) - np.log(scale))))
        for k in range(PLATEAU_SEEDS):
            loss_lines[k].set_ydata(loss[:, i, k])
            grad_lines[k].set_ydata(plotting.positive_floor(grad[:, i, k], 1e-8))
        # The runs start near 0.5 (output near 0) from small weights, higher
        # from large ones: the axis shows every start, and changes only then.
        top = max(0.55, plotting.nice_ceiling(1.05 * loss[:, i].max(), (1, 1.5, 2)))
        if ax_loss.get_ylim() != (-0.01, top):
            ax_loss.set_ylim(-0.01, top)
        length = plateau_length(t, loss[:, i])
        loss_title.set_text(f"4 hidden units on XOR, initial scale {SCALES[i]:.3g}")
        if np.all(length < 0):
            return (
                f"Initial scale {SCALES[i]:.3g}: still on the plateau after "
                f"{t[-1]} steps, although the loss is far from zero."
            )
        done = length[length >= 0]
        return (
            f"Initial scale {SCALES[i]:.3g}: {done.size} of {PLATEAU_SEEDS} networks "
            f"left the plateau, after {done.min()} to {done.max()} steps."
        )

    return widgets.Demo(fig, controls, draw, alt=PLATEAU_ALT, exported=("scale",))


PLATEAU_ALT = (
    "Two panels against the training step, 0 to 3,000, for three 2-4-1 networks "
    "on XOR started from the chosen initial scale (blue, orange and green). "
    "Left: the loss (mean squared error) starts near 0.5, falls within a few "
    "dozen steps to a dashed grey line at 0.25, the plateau where the network "
    "predicts the mean, stays there and then drops to zero. Right: the length of "
    "the gradient on a log axis, tiny while the loss is on the plateau."
)


def interpolation_demo(seed: int = 0) -> widgets.Demo:
    """Loss on the straight line from first to trained weights, and a counter-case."""
    fig, (ax_net, ax_map, ax_toy) = plotting.new_figure(12.5, 4.0, ncols=3)
    path, line = ring_paths()
    surface = ring_valley()
    with plotting.style():
        (net_line,) = ax_net.plot(ALPHA, ALPHA, color=plotting.BLUE)
        for a, label in ((0, "θ₀ first"), (1, "θ* trained")):
            ax_net.axvline(a, color=plotting.GREY, ls=":", lw=1)
            ax_net.text(
                a,
                1,
                f" {label}",
                color=plotting.GREY,
                transform=ax_net.get_xaxis_transform(),
                va="top",
            )
        # One height for every seed: the curves compare at a glance, and the
        # axis (and its tick labels) need not be drawn again for each seed.
        top = 1.05 * all_interpolations().max()
        ax_net.set(
            xlim=(ALPHA[0], ALPHA[-1]), ylim=(0, top), xlabel="α in (1 − α)θ₀ + αθ*"
        )
        ax_net.set_ylabel("loss (cross-entropy)")
        ax_net.set_title("Moons network: first → trained weights")

        # Our own levels: quantile levels would hide the hill among the steep
        # corners, and the hill is the point of this picture.
        X, Y, Z = plotting.grid(surface, 160)
        levels = np.linspace(-0.35, 1.25, 17)
        ax_map.contourf(
            X, Y, Z, levels=levels, cmap=plotting.SURFACE_CMAP, extend="both"
        )
        ax_map.contour(
            X, Y, Z, levels=levels[::2], colors="white", linewidths=0.5, alpha=0.5
        )
        ax_map.plot(*path.T, color=plotting.ORANGE, label="descent path")
        ax_map.plot(*line.T, "--", color="white", label="straight line")
        ax_map.plot(*path[0], "o", color="white", mec=plotting.BLACK, ms=7)
        ax_map.plot(*path[-1], "*", color="white", mec=plotting.BLACK, ms=13)
        ax_map.set(xlabel="x", ylabel="y")
        ax_map.set_title("Counter-example: a ring valley")
        ax_map.legend(loc="lower left", fontsize=9)

        s = np.linspace(0, 1, path.shape[0])
        ax_toy.plot(s, surface.value(path), color=plotting.ORANGE, label="descent path")
        ax_toy.plot(
            s, surface.value(line), "--", color=plotting.BLACK, label="straight line"
        )
        ax_toy.set(xlabel="progress from start (0) to end (1)", ylabel="loss")
        ax_toy.set_title("The straight line climbs a hill")
        ax_toy.legend(loc="upper right", fontsize=9)

    controls = {"seed": widgets.seed_slider(seed, max=INTERP_SEEDS - 1)}

    def draw(seed):
        _check_seed(seed)
        values = all_interpolations()[seed]  # all seeds computed at once
        net_line.set_ydata(values)
        inside = (ALPHA >= 0) & (ALPHA <= 1)
        rise = largest_rise(values[inside])
        drop = values[np.argmin(np.abs(ALPHA))] - values[np.argmin(np.abs(ALPHA - 1))]
        return (
            f"Seed {seed}: from α = 0 to 1 the loss falls by {drop:.3f}; the "
            f"largest climb on the way is {rise:.2g}."
        )

    return widgets.Demo(
        fig, controls, draw, alt=INTERPOLATION_ALT, exported=("seed",)
    ).warm_up("seed", (seed + 1) % INTERP_SEEDS)


INTERPOLATION_ALT = (
    "Three panels. Left: a blue curve of the moons network's loss along the "
    "straight line (1 − α) θ₀ + α θ* for α from −0.5 to 1.5, with dotted grey "
    "lines at α = 0 (first weights) and α = 1 (trained weights); between them it "
    "falls all the way. Middle: a contour map of a ring-shaped valley round a "
    "hill, with an orange descent path round the ring from a white dot to a "
    "white star and a dashed white straight line across the hill. Right: the "
    "loss along both, against progress from start to end: the orange descent "
    "path falls steadily, the dashed black straight line climbs over a hill."
)


def escape_in_d_demo(
    dim: int = 64, down: int = 1, curvature: float = 1.0, noise: float = 0.0
) -> widgets.Demo:
    """A saddle with k downhill directions out of d: escape time against d."""
    fig, (ax_run, ax_eps, ax_dim) = plotting.new_figure(12.5, 4.3, ncols=3)
    eps_line = np.logspace(-6.5, -1.5, 60)
    with plotting.style():
        art = _escape_in_d_panels(ax_run, ax_eps, ax_dim)
    controls = {
        "dim": widgets.log_slider(
            "dimension d",
            dim,
            ND_DIMS[0],
            ND_DIMS[-1],
            steps=len(ND_DIMS) - 1,
            fmt=".0f",
        ),
        "down": widgets.int_slider(
            "downhill directions k", down, 1, 8, continuous_update=False
        ),
        "curvature": widgets.float_slider(
            "downhill curvature μ", curvature, 0.5, 2.0, 0.25, continuous_update=False
        ),
        "noise": widgets.noise_slider(
            noise, max=0.05, step=0.005, continuous_update=False
        ),
    }
    shown = {}  # what the on-release controls last drew: moving d redraws less

    def draw(dim, down, curvature, noise):
        d = int(round(dim))
        k = min(down, d - 1)
        table = saddle_escape_table(k, curvature, noise)
        settings = (k, curvature, noise)
        if shown.get("settings") != settings:
            shown["settings"] = settings
            _draw_escape_settings(art, table, eps_line, *settings)
        runs = table[d]
        art["lines"].set_data(*_broken_lines(runs.distance[:, :ND_SHOWN]))
        art["mine"].set_offsets(np.c_[runs.eps, runs.escape])
        median = np.median(runs.escape)
        art["ring"].set_data([d], [median])
        return _escape_in_d_sentence(d, down, k, curvature, noise, runs)

    return widgets.Demo(
        fig, controls, draw, alt=ESCAPE_IN_D_ALT, exported=("dim", "noise")
    ).warm_up("dim")


ESCAPE_IN_D_ALT = (
    "Three panels about 100 runs of gradient descent from random starts 0.01 "
    "from a saddle in d dimensions. Left: for 25 of the runs, a blue line of the "
    "distance from the stable manifold (log axis) against the step; the lines "
    "rise straight until they cross a dashed red line at 1, the escape. Middle: "
    "each run as a dot, the steps it took to escape against how far its start "
    "was from the stable manifold (log axis): blue for the chosen d, grey for "
    "the other dimensions; a black line is the theory without noise and, with "
    "noise, a dashed orange line and band are the theory's median and 10 to 90% "
    "range. Right: the median escape time against d on a log axis, measured "
    "(blue dots without noise, orange squares with it) and the theory (lines); "
    "the chosen d is ringed in red."
)


def _escape_in_d_panels(ax_run, ax_eps, ax_dim) -> dict:
    """Lay out the three panels of `escape_in_d_demo`; return its artists."""
    art = {}
    # The runs as one line broken by NaNs: one artist to redraw, not 25.
    (art["lines"],) = ax_run.plot([], [], color=plotting.BLUE, lw=1, alpha=0.6)
    ax_run.axhline(ND_ESCAPE, color=plotting.VERMILION, ls="--", lw=1.2)
    plotting.log_axis(ax_run, "y", exponents=range(-6, 1))
    ax_run.set(
        ylim=(1e-6, 2), xlabel="step", ylabel="distance from the stable manifold"
    )
    ax_run.set_title("1. each run: ×(1 + ημ) a step")
    art["others"] = ax_eps.scatter([], [], s=9, lw=0, color=plotting.GREY, alpha=0.4)
    art["mine"] = ax_eps.scatter(
        [], [], s=18, color=plotting.BLUE, ec="white", lw=0.4, zorder=5
    )
    (art["theory"],) = ax_eps.plot(
        [], [], color=plotting.BLACK, lw=1, zorder=1.5, label="theory, no noise"
    )
    art["band"] = ax_eps.fill_between(
        [], [], [], color=plotting.ORANGE, alpha=0.25, lw=0
    )
    (art["noisy"],) = ax_eps.plot(
        [], [], "--", color=plotting.ORANGE, lw=2, label="with noise: median, 10–90%"
    )
    ax_eps.legend(loc="upper right", fontsize=9)
    plotting.log_axis(ax_eps, "x", exponents=range(-6, -1))
    ax_eps.set(
        xlim=(10**-6.5, 10**-1.5), xlabel="start's distance ε from the stable manifold"
    )
    ax_eps.set_ylabel("steps to escape")
    ax_eps.set_title("2. escape time depends on ε")
    (art["theory_d"],) = ax_dim.plot([], [], color=plotting.BLUE, lw=1.2)
    (art["measured_d"],) = ax_dim.plot(
        [], [], "o", color=plotting.BLUE, ms=5, label="no noise"
    )
    (art["theory_dn"],) = ax_dim.plot([], [], color=plotting.ORANGE, lw=1.2, ls="--")
    (art["measured_dn"],) = ax_dim.plot(
        [], [], "s", color=plotting.ORANGE, ms=5, label="with noise σ"
    )
    (art["ring"],) = ax_dim.plot(
        [], [], "o", ms=14, mfc="none", mec=plotting.VERMILION, mew=2.5, zorder=6
    )
    plotting.log_axis(ax_dim, "x", exponents=range(0, 4))
    ax_dim.set(xlim=(1.4, 1500), xlabel="dimension d", ylabel="median steps to escape")
    ax_dim.set_title("3. and on d only through ε")
    ax_dim.legend(loc="upper left", fontsize=9)
    return art


def _broken_lines(distance: np.ndarray):
    """Return (x, y) drawing each column of `distance` against the step."""
    rows, runs = distance.shape
    steps = np.r_[np.arange(rows, dtype=float), np.nan]
    x = np.tile(steps, runs)
    y = np.r_[distance, np.full((1, runs), np.nan)].T.ravel()
    return x, y


def _draw_escape_settings(art, table, eps_line, down, curvature, noise) -> None:
    """Redraw what k, μ and σ set: limits, grey dots, theory, medians by d."""
    top = plotting.nice_ceiling(max(r.escape.max() for r in table.values()) * 1.1)
    art["lines"].axes.set_xlim(0, top)
    for ax in (art["mine"].axes, art["ring"].axes):
        ax.set_ylim(0, top)
    art["others"].set_offsets(
        np.concatenate([np.c_[r.eps, r.escape] for r in table.values()])
    )
    art["theory"].set_data(eps_line, first_step_after(eps_line, curvature, ND_LR))
    dims = np.array(list(table))
    measured = [np.median(r.escape) for r in table.values()]
    quiet = saddle_escape_table(down, curvature, 0.0)
    art["measured_d"].set_data(dims, [np.median(r.escape) for r in quiet.values()])
    art["theory_d"].set_data(dims, escape_median_by_dim(dims, down, curvature, 0.0))
    if noise:
        low, mid, high = escape_time_quantiles(eps_line, down, curvature, noise)
        art["noisy"].set_data(eps_line, mid)
        art["band"].set_verts(
            [np.r_[np.c_[eps_line, low], np.c_[eps_line, high][::-1]]]
        )
        art["measured_dn"].set_data(dims, measured)
        art["theory_dn"].set_data(
            dims, escape_median_by_dim(dims, down, curvature, noise)
        )
    else:
        for key in ("noisy", "measured_dn", "theory_dn"):
            art[key].set_data([np.nan], [np.nan])
        art["band"].set_verts([np.full((1, 2), np.nan)])


def _escape_in_d_sentence(d, down, k, curvature, noise, runs) -> str:
    theory = first_step_after(runs.eps, curvature, ND_LR) if not noise else None
    text = f"d = {d}, k = {k}" + (f" (at most d − 1, not {down})" if k < down else "")
    text += f": median escape after {np.median(runs.escape):.0f} steps"
    if theory is not None:
        hits = int(np.sum(runs.escape == theory))
        return (
            f"{text}; {hits} of {len(runs.escape)} runs escaped at the first whole "
            f"step after ln(1/ε)/ln(1 + {ND_LR:g}·{curvature:g}), as predicted."
        )
    quiet = np.median(saddle_escape_table(k, curvature, 0.0)[d].escape)
    return (
        f"{text} with noise σ = {noise:g}, against {quiet:.0f} without; the "
        f"noise alone puts a run {noise_distance(k, curvature, noise):.1e} from the "
        "stable manifold."
    )


def kinds_demo(step_noise: float = 0.01) -> widgets.Demo:
    """How many runs leave each kind of flat place, against the noise."""
    kinds = flat_kinds()
    fig, (ax,) = plotting.new_figure(8.5, 4.2)
    # No noise sits one decade left of the smallest level, labelled "0".
    x = np.r_[STEP_NOISE[0] / 10, STEP_NOISE]
    styles = (
        (plotting.BLUE, "o-"),
        (plotting.ORANGE, "D-"),
        (plotting.VERMILION, "s-"),
    )
    with plotting.style():
        for name, share, (colour, fmt) in zip(
            FLAT_KINDS, kinds.left, styles, strict=True
        ):
            ax.plot(x, share, fmt, color=colour, label=f"{name}: left")
        ax.plot(
            x,
            kinds.worse,
            "s:",
            color=plotting.VERMILION,
            mfc="white",
            label="drifting valley: thrown to a worse loss",
        )
        (cursor,) = ax.plot([], [], color=plotting.BLACK, lw=1, zorder=6)
        ax.set_xscale("log")
        ax.set_xticks(
            [1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1.0],
            ["0", "10⁻⁴", "10⁻³", "10⁻²", "10⁻¹", "1"],
        )
        ax.xaxis.set_minor_locator(FixedLocator([]))
        ax.set(xlim=(5e-6, 2), ylim=(-0.03, 1.03), xlabel="noise in one step, η·σ")
        ax.set_ylabel("share of runs")
        ax.set_title("Gaussian noise for 1,500 steps, then 300 steps without")
        ax.legend(loc="center left", fontsize=9)
    levels = {("none" if v == 0 else f"{v:g}"): float(v) for v in kinds.step_noise}
    controls = {
        "step_noise": widgets.choice("noise in one step η·σ", levels, step_noise)
    }

    def draw(step_noise):
        i = int(np.argmin(np.abs(kinds.step_noise - step_noise)))
        cursor.set_data([x[i]] * 2, [-0.03, 1.03])
        return _kinds_sentence(kinds, i)

    return widgets.Demo(fig, controls, draw, alt=KINDS_ALT, exported=("step_noise",))


KINDS_ALT = (
    "One panel: the share of runs that left a flat place (0 to 1) against the "
    "noise added in each step, η times σ, on a log axis from none to 1. Blue: a "
    "strict saddle, no run leaves without noise and every run leaves with any "
    "noise at all. Orange: a degenerate point, runs leave once the noise is about "
    "0.003 or more, and fewer again when it is very large. Red: a drifting "
    "valley, no run leaves until the noise reaches about 0.1, a share leaves "
    "near 0.3; a dotted red line with open squares shows the valley's runs thrown "
    "to a worse loss, rising at the largest noise. A black vertical line marks "
    "the chosen noise."
)


def _kinds_sentence(kinds: FlatKinds, i: int) -> str:
    level = kinds.step_noise[i]
    counts = np.round(kinds.left[:, i] * kinds.runs).astype(int)
    parts = [
        f"the {name} {count} of {runs}"
        for name, count, runs in zip(FLAT_KINDS, counts, kinds.runs, strict=True)
    ]
    worse = int(round(kinds.worse[i] * kinds.runs[2]))
    head = "No noise" if level == 0 else f"η·σ = {level:g}"
    return (
        f"{head}: runs that left {parts[0]}, {parts[1]}, {parts[2]} ({worse} valley "
        "runs thrown to a worse loss)."
    )


# ------------------------------------------------------- predict first


def predict_hessian() -> Prediction:
    """Ask, before the Hessian demo: where does a ball near a saddle roll?"""
    return Prediction(
        {
            "Into the middle, and it stays": (
                "That is a minimum, where both eigenvalues are positive. With "
                "λ₂ = −1 the surface curves down along y."
            ),
            "In along x, then away along y": "",
            "Away in every direction": (
                "That is a maximum, where both are negative; along x (λ₁ = 1) the "
                "surface still curves up."
            ),
        },
        answer="In along x, then away along y",
        explanation=(
            "Along each eigenvector the sign of its eigenvalue decides: λ₁ > 0 "
            "pulls the ball in along x, λ₂ < 0 pushes it out along y. With λ₂ = 0 "
            "the y-direction is flat and the Hessian alone cannot say."
        ),
        prompt="With λ₁ = 1 and λ₂ = −1, where does a ball placed near the middle "
        "roll?",
    )


def predict_escape() -> Prediction:
    """Ask, before the escape demo: how does the stall grow as ε shrinks?"""
    return Prediction(
        {
            "About the same time": (
                "Near the saddle the slope along y is proportional to y itself, so "
                "a start closer to the ridge is slower to get going."
            ),
            "A fixed number of steps more": "",
            "Ten times as long": (
                "That would be so if y grew by a fixed amount each step. It grows "
                "by a fixed factor, so each factor of ten costs the same steps."
            ),
        },
        answer="A fixed number of steps more",
        explanation=(
            "Each step multiplies y by 1 + 2η, so ten times closer costs "
            "ln 10 / ln(1 + 2η) more steps: 12.6 at η = 0.1. Meanwhile the loss "
            "sits on a plateau that looks like convergence."
        ),
        prompt="Start ten times closer to the ridge. Escaping takes ...",
    )


def predict_dimension() -> Prediction:
    """Ask, before the d-dimensional demo: does escaping take longer in high d?"""
    return Prediction(
        {
            "About 500 times as long: one way out among 1,024 directions": (
                "The other directions do not slow the downhill one down: along "
                "the Hessian's eigenvectors each direction moves on its own."
            ),
            "A few dozen steps longer": "",
            "Exactly as long": (
                "Nearly: the dimension does not enter the escape itself, but a "
                "random start in 1,024 dimensions lies closer to the stable "
                "manifold, and closer costs steps."
            ),
            "Shorter: more directions to leave by": (
                "Only the downhill directions lead out, and there is one of them "
                "in both cases (k = 1)."
            ),
        },
        answer="A few dozen steps longer",
        explanation=(
            "The escape takes ln(1/ε) / ln(1 + ημ) steps whatever d is; d enters "
            "only through ε, the start's distance from the stable manifold, which "
            "for a random start shrinks like √(k/d): about 3.6 more steps for each "
            "doubling of d, 52 steps at d = 2 and 89 at d = 1,024 (medians)."
        ),
        prompt="One downhill direction among 1,024 weights instead of among 2: "
        "from a random start 0.01 away, escaping takes ...",
    )


def predict_newton() -> Prediction:
    """Ask, before the Newton demo: where do the two methods end?"""
    return Prediction(
        {
            "Both at the saddle": (
                "Gradient descent only ever goes downhill, and the saddle pushes "
                "it away along y."
            ),
            "Both in the valleys": (
                "Newton divides by the curvature; where it is negative, the step "
                "points uphill, towards the saddle."
            ),
            "Gradient descent in the valleys, Newton at the saddle": "",
            "Newton in the valleys, gradient descent at the saddle": (
                "It is the other way round: Newton's step −g/λ climbs wherever λ is "
                "negative."
            ),
        },
        answer="Gradient descent in the valleys, Newton at the saddle",
        explanation=(
            "Newton's method looks for any point where the gradient vanishes, and "
            "here the saddle is the nearest; gradient descent follows −∇L, always "
            "downhill, and leaves along y."
        ),
        prompt="From the same 12 starts round the saddle, where do the two "
        "methods end?",
    )


def predict_plateau() -> Prediction:
    """Ask, before the plateau demo: do smaller first weights train faster?"""
    return Prediction(
        {
            "Faster: less to undo": (
                "Small weights start close to a flat critical point, where the "
                "gradient is tiny: there is little to undo, and little to push."
            ),
            "Slower: a longer plateau": "",
            "No difference": (
                "The initial scale changes the waiting time a lot: ten times "
                "smaller weights wait about twenty times longer."
            ),
        },
        answer="Slower: a longer plateau",
        explanation=(
            "The network waits on the plateau at loss 0.25 with a tiny gradient, "
            "and the smaller the weights, the longer: from a scale of 0.03 it is "
            "still waiting after 3,000 steps."
        ),
        prompt="With a smaller initial scale, does training start faster or slower?",
    )


def predict_kinds() -> Prediction:
    """Ask, before the three kinds of flat: which needs the most noise?"""
    return Prediction(
        {
            "The strict saddle": (
                "At a strict saddle descent itself amplifies any offset along the "
                "downhill direction: the smallest noise is enough."
            ),
            "The degenerate point": (
                "The degenerate point needs more noise than the saddle, but far "
                "less than the valley."
            ),
            "The drifting valley": "",
        },
        answer="The drifting valley",
        explanation=(
            "The valley is no critical point: there is no downhill direction for "
            "noise to find, only steep walls. Small noise frees none of its runs; "
            "very large noise frees some and throws others to a worse loss."
        ),
        prompt="The same noise in every step, from tiny to large: which kind of "
        "flat place needs the most noise before its runs leave?",
    )


def predict_interpolation() -> Prediction:
    """Ask, before the interpolation demo: is the straight line downhill?"""
    return Prediction(
        {
            "Yes: it climbs over hills on the way": (
                "That is what a surface full of obstacles would suggest, and what "
                "the made-up ring valley does; the real network does not."
            ),
            "No: it falls all the way": "",
            "It stays flat, then drops at the end": (
                "The first weights are far from any plateau here; the loss starts "
                "falling at once."
            ),
        },
        answer="No: it falls all the way",
        explanation=(
            "For every seed the loss along the straight line falls from α = 0 to "
            "α = 1, within 1% of the drop, although training itself took a curved "
            "path (Goodfellow, Vinyals & Saxe 2015)."
        ),
        prompt="Between α = 0 and α = 1, does the network's loss ever go up?",
    )


# ---------------------------------------------------------------- exercises


def ex04_classify(answer, lam1: float = 3.0, lam2: float = -0.5) -> Feedback:
    """Check the kind of critical point for Hessian eigenvalues (λ₁, λ₂)."""
    expected = classify(np.sort([lam1, lam2]))
    return check_choice(
        answer,
        expected,
        ("minimum", "maximum", "saddle", "degenerate"),
        aliases={"saddle point": "saddle", "degenerate point": "degenerate"},
        hint="Look at the signs: all positive curve up everywhere, all negative "
        "curve down, mixed signs go up one way and down another, a zero "
        "cannot decide.",
        why=f"Eigenvalues {lam1:g} and {lam2:g}: {_KIND_TEXT[expected]}.",
        feedback={
            "minimum": "A minimum needs every eigenvalue positive; one that is "
            "negative curves down, so there is a way down.",
            "maximum": "A maximum needs every eigenvalue negative; a positive one "
            "still curves up.",
            "saddle": "A saddle needs eigenvalues of both signs.",
            "degenerate": "Degenerate means an eigenvalue is exactly zero (a flat "
            "direction); a small eigenvalue is not zero, its sign still counts.",
        },
    )


ESCAPE_EPS, ESCAPE_LR = 2e-5, 0.125  # exercise 2: off the demo's sliders


def ex04_escape_steps(
    answer, eps: float = ESCAPE_EPS, lr: float = ESCAPE_LR
) -> Feedback:
    """Check the first step with |y| > 1 from (1, ε) on 5x² − y² (exact)."""
    value = as_number(answer)
    if isinstance(value, Feedback):
        return value
    expected = int(escape_steps([eps], lr=lr)[0][0])
    if value == expected:
        return Feedback(
            True,
            f"After {expected} steps |y| = {_y_after(eps, lr, expected):.2f}, after "
            f"{expected - 1} only {_y_after(eps, lr, expected - 1):.2f}.",
        )
    if value != int(value):
        return Feedback(
            False,
            f"{value:g} is not a whole number of steps.",
            "T = ln(1/ε) / ln(1 + 2η) is not a whole number: the walk leaves at "
            "the first whole step after it.",
        )
    if value == math.ceil(math.log(1 / eps) / math.log1p(lr)):
        return Feedback(
            False,
            f"{int(value)} is what a factor (1 + η) per step would give.",
            "The gradient of −y² is −2y, so each step multiplies y by 1 + 2η.",
        )
    steps = int(value)
    if 0 <= steps < expected:
        return Feedback(
            False,
            f"After {steps} steps |y| is only {_y_after(eps, lr, steps):.3g}: "
            "still below 1.",
            "Each step multiplies y by (1 + 2η); how many factors take ε past 1?",
        )
    return Feedback(
        False,
        f"{steps} steps are too many: already after {expected} |y| = "
        f"{_y_after(eps, lr, expected):.2f} > 1.",
        "The question asks for the first step with |y| > 1.",
    )


def _y_after(eps: float, lr: float, steps: int) -> float:
    return eps * (1 + 2 * lr) ** steps


def ex04_attracted(answer) -> Feedback:
    """Check which method is drawn into the saddle: 'newton' or 'gradient descent'."""
    return check_choice(
        answer,
        "newton",
        ("newton", "gradient descent"),
        hint="Which method divides the step by the curvature, so that a negative "
        "curvature turns a downhill step into an uphill one?",
        why="Newton's step −H⁻¹∇L moves towards the critical point along every "
        "eigenvector, including the ones that curve down.",
        feedback={
            "gradient descent": "Gradient descent steps along −∇L, which always "
            "points downhill: near a saddle it slides away along the direction "
            "that curves down.",
        },
        aliases={
            "newton method": "newton",
            "newtons method": "newton",
            "newton's": "newton",
            "newton raphson": "newton",
            "gd": "gradient descent",
            "steepest descent": "gradient descent",
        },
    )


def noisy_step(x, y, lr, sigma, xi):
    """Return one step of gradient descent with noise on 5x² − y²: (x, y) new.

    The gradient (10x, −2y) plus sigma · xi (a pair of standard normal
    numbers), times lr, subtracted from (x, y).
    """
    xi = np.asarray(xi, dtype=float)
    gx, gy = 10 * x + sigma * xi[..., 0], -2 * y + sigma * xi[..., 1]
    return np.array([x - lr * gx, y - lr * gy])


def _step_cases() -> list:
    """Arguments the notebook never shows: (x, y, lr, sigma, xi)."""
    rng = generator(11, allow_none=False)
    cases = [(0.3, -0.2, 0.05, 0.0, np.array([0.7, -1.1]))]  # no noise
    for _ in range(5):
        x, y = rng.uniform(-1, 1, 2)
        lr, sigma = rng.uniform(0.01, 0.15), rng.uniform(0.01, 2)
        cases.append(
            (float(x), float(y), float(lr), float(sigma), rng.standard_normal(2))
        )
    return cases


def _step_mistake(got, expected, args) -> str:
    """Name the likely mistake in a noisy gradient step."""
    x, y, lr, sigma, xi = args
    got = np.asarray(got, dtype=float).ravel()
    tries = {
        "The noise is added to the gradient, so it is multiplied by lr too: "
        "x − lr·(∇L + σξ), not x − lr·∇L + σξ.": (
            x - lr * 10 * x + sigma * xi[0],
            y + lr * 2 * y + sigma * xi[1],
        ),
        "Subtract the step: x − lr·(gradient + noise), not plus.": (
            x + lr * (10 * x + sigma * xi[0]),
            y + lr * (-2 * y + sigma * xi[1]),
        ),
        "The gradient of 5x² − y² is (10x, −2y): check the factor 2 from each "
        "square.": (x - lr * (5 * x + sigma * xi[0]), y - lr * (-y + sigma * xi[1])),
        "Add the noise, σ·ξ, to the gradient; it is missing.": (
            x - lr * 10 * x,
            y + lr * 2 * y,
        ),
        "Your function returns (x, y) unchanged: compute the step and return "
        "the new position.": (x, y),
        "The gradient of −y² is −2y: a minus sign has been lost.": (
            x - lr * (10 * x + sigma * xi[0]),
            y - lr * (2 * y + sigma * xi[1]),
        ),
    }
    for why, value in tries.items():
        if got.size == 2 and np.allclose(got, value, rtol=1e-6, atol=1e-9):
            return why
    return ""


def ex04_noisy_step(fn) -> Feedback:
    """Check a learner's `noisy_step(x, y, lr, sigma, xi)` on unseen arguments."""
    return check_function(
        fn,
        noisy_step,
        _step_cases(),
        name="noisy_step",
        diagnose=_step_mistake,
    )


DEMOS = {
    "hessian": hessian_demo,
    "escape": escape_demo,
    "newton": newton_demo,
    "plateau": plateau_demo,
    "interpolation": interpolation_demo,
    "escape_in_d": escape_in_d_demo,
    "kinds": kinds_demo,
}
