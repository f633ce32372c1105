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

import numpy as np
from matplotlib import colormaps
from matplotlib.ticker import FixedLocator, NullFormatter

from . import datasets, plotting, widgets
from .checks import Feedback, check_choice, check_number
from .landscapes import Landscape
from .nn import MLP
from .optimizers import optimize

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
    "hessian_demo",
    "escape_demo",
    "newton_demo",
    "plateau_demo",
    "interpolation_demo",
    "ex04_classify",
    "ex04_escape_steps",
    "ex04_attracted",
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
    return widgets.Demo(fig, controls, draw).warm_up("lam1", -lam1 or 1.0)


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
    return widgets.Demo(fig, controls, draw).warm_up("eps", float(other))


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
    return widgets.Demo(fig, controls, draw).warm_up("lr", other)


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
        ax_loss.set(xlim=(0, t[-1]), ylim=(-0.01, 0.4), xlabel="step")
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

    return widgets.Demo(fig, controls, draw)


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

    return widgets.Demo(fig, controls, draw).warm_up("seed", (seed + 1) % INTERP_SEEDS)


# ---------------------------------------------------------------- exercises


def ex04_classify(answer, lam1: float = 3.0, lam2: float = -0.5) -> Feedback:
    """Check the kind of critical point for Hessian eigenvalues (λ₁, λ₂)."""
    expected = classify(np.sort([lam1, lam2]))
    return check_choice(
        answer,
        expected,
        ("minimum", "maximum", "saddle", "degenerate"),
        hint="Look at the signs: all positive curve up everywhere, all negative "
        "curve down, mixed signs go up one way and down another, a zero "
        "cannot decide.",
        why=f"Eigenvalues {lam1:g} and {lam2:g}: {_KIND_TEXT[expected]}.",
    )


def ex04_escape_steps(answer, eps: float = 1e-6, lr: float = 0.1) -> Feedback:
    """Check the number of steps GD needs to leave the saddle from ε (±1 step)."""
    expected = int(escape_steps([eps], lr=lr)[0][0])
    return check_number(
        answer,
        expected,
        rel=1.01 / expected,
        hint="Each step multiplies y by (1 + 2η); how many factors take ε "
        "past 1? Take logarithms.",
    )


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
    )


DEMOS = {
    "hessian": hessian_demo,
    "escape": escape_demo,
    "newton": newton_demo,
    "plateau": plateau_demo,
    "interpolation": interpolation_demo,
}
