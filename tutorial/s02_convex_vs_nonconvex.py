"""Notebook 02, convex vs non-convex: bowls, hills and valleys, and hard cases.

On a convex surface every downhill walk ends at the same bottom; on a
non-convex one where you end depends on where you start. The chord test shows
what convexity means; a quadratic shows the exact learning-rate limit
η < 2/λmax; and a count of grid points shows why trying every weight setting is
hopeless.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from . import datasets, landscapes, plotting, widgets
from .checks import Feedback, as_number, check_choice, check_function, check_number
from .landscapes import Landscape
from .nn import MLP
from .optimizers import optimize
from .predict import Prediction

__all__ = [
    "SURFACES",
    "surface",
    "swap_hidden_units",
    "xor_loss",
    "start_grid",
    "end_points",
    "descend",
    "settled",
    "minimum_edges",
    "one_unit_xor_losses",
    "ONE_UNIT_XOR_BOUND",
    "chord_gap",
    "chord_rise",
    "valley",
    "contraction",
    "largest_stable_lr",
    "EVALS_PER_SECOND",
    "brute_force_seconds",
    "human_time",
    "loss_after",
    "many_starts_demo",
    "chord_demo",
    "lr_limit_demo",
    "brute_force_demo",
    "predict_starts",
    "predict_chord",
    "predict_zigzag",
    "predict_brute_force",
    "ex02_largest_lr",
    "ex02_chord_rise",
    "ex02_convex",
    "ex02_brute_force_hours",
    "DEMOS",
]

# Label shown in the menus -> surface key.
SURFACES = {
    "round bowl (convex)": "bowl",
    "narrow valley (convex)": "valley",
    "Himmelblau (four minima)": "himmelblau",
    "six-hump camel (six minima)": "six_hump_camel",
    "tiny network (two of its weights)": "network",
}
CONVEX = ("bowl", "valley")

# The tiny network: 2-2-1 tanh on XOR with cross-entropy. All weights are held
# at a solution of XOR except the two weights into the first hidden unit,
# which span the picture. Layout: W1 (2x2, row-major), b1, W2 (2x1), b2.
NET_REFERENCE = np.array([-4.0, -3.8, 3.9, 3.9, -1.9, 1.8, 6.9, -6.9, 6.4])
NET_AXES = (0, 2)  # x1 -> h1 and x2 -> h1
NET_BOX = (np.array([-8.0, -8.0]), np.array([8.0, 8.0]))

STEPS = 300  # enough for every convex run to reach its bottom at the default η


# ------------------------------------------------------------------ surfaces


def _network_slice() -> Landscape:
    """Return the XOR loss of the 2-2-1 network over two of its weights."""
    X, y = datasets.xor()
    full = MLP([2, 2, 1]).landscape(X, y, loss="bce")
    i, j = NET_AXES

    def lift(p):
        w = np.broadcast_to(NET_REFERENCE, (len(p), full.dim)).copy()
        w[:, i], w[:, j] = p[:, 0], p[:, 1]
        return w

    def fdf(p):
        value, grad = full.fdf(lift(p))
        return value, grad[:, [i, j]]

    return Landscape(
        name="network",
        dim=2,
        bounds=NET_BOX,
        minima=np.zeros((0, 2)),
        f=lambda p: fdf(p)[0],
        df=lambda p: fdf(p)[1],
        d2f=lambda p: full.hessian(lift(p))[:, [i, j]][:, :, [i, j]],
        description=(
            "XOR loss of a 2-2-1 network along the two weights into one hidden unit"
        ),
        fdf=fdf,
    )


def swap_hidden_units(w) -> np.ndarray:
    """Return the 2-2-1 weights with the two hidden units swapped, shape (..., 9).

    The swapped network computes exactly the same function, so it has the
    same loss: every solution comes with a twin elsewhere in weight space.
    """
    w = np.asarray(w, dtype=float)
    if w.shape[-1:] != (9,):
        raise ValueError(f"w must have shape (..., 9); got {w.shape}")
    return w[..., [1, 0, 3, 2, 5, 4, 7, 6, 8]]


def xor_loss(w) -> np.ndarray:
    """Return the cross-entropy of 2-2-1 networks on XOR, w of shape (..., 9)."""
    X, y = datasets.xor()
    return MLP([2, 2, 1]).landscape(X, y, loss="bce").value(w)


def _scaled(base: Landscape, scale: float) -> Landscape:
    """Return base / scale: same shape, same minima, gentler slopes."""

    def fdf(p):
        value, grad = base.fdf(p) if base.fdf is not None else (base.f(p), base.df(p))
        return value / scale, grad / scale

    return Landscape(
        name=base.name,
        dim=base.dim,
        bounds=base.bounds,
        minima=base.minima,
        f=lambda p: base.f(p) / scale,
        df=lambda p: base.df(p) / scale,
        d2f=lambda p: base.d2f(p) / scale,
        description=base.description,
        fdf=fdf,
    )


def _steepest_curvature(base: Landscape) -> float:
    """Return the largest Hessian eigenvalue at the known minima.

    Without known minima (the network), take the largest over a grid of the
    box instead, so that η < 2 is stable everywhere in the picture.
    """
    if len(base.minima):
        points = base.minima
    else:
        X, Y, _ = plotting.grid(base, 121)  # fine: the ridges are sharp
        points = np.stack([X.ravel(), Y.ravel()], -1)
    return float(np.linalg.eigvalsh(base.hessian(points)).max())


@functools.cache
def surface(key: str = "bowl") -> Landscape:
    """Return a surface of this notebook, scaled so that λmax ≈ 1 at its bottom.

    Dividing a surface by a constant changes neither its shape nor its minima,
    only its steepness; with every surface scaled so that its steepest
    curvature at its lowest point is about 1, one range of learning rates
    suits them all, and η < 2 is the stable range near the bottom.

    Parameters
    ----------
    key : str
        One of the values of `SURFACES`.
    """
    if key not in SURFACES.values():
        raise ValueError(
            f"key must be one of {', '.join(SURFACES.values())}; got {key!r}"
        )
    base = _network_slice() if key == "network" else landscapes.get(key)
    return _scaled(base, _steepest_curvature(base))


def start_grid(landscape: Landscape, per_side: int = 7) -> np.ndarray:
    """Return per_side² starting points on an even grid inside the box, (n, 2)."""
    low, high = landscape.bounds
    # Slightly off-centre, so that no start sits exactly on a symmetric
    # stationary point such as the saddle at the middle of the camel.
    frac = np.linspace(0.1, 0.9, per_side) + 0.013
    gx, gy = np.meshgrid(frac, frac)
    return low + (high - low) * np.stack([gx.ravel(), gy.ravel()], -1)


def descend(key: str, lr: float = 0.5, noise: float = 0.0, seed: int = 0, every=3):
    """Run gradient descent from every point of `start_grid`; return a Trajectory."""
    land = surface(key)
    return optimize(
        land,
        start_grid(land),
        lr=lr,
        steps=STEPS,
        noise=noise,
        seed=seed,
        every=every,
    )


def settled(traj, tol: float = 1e-3) -> np.ndarray:
    """Return which runs have come to rest: moved less than `tol` at the end.

    The last two recorded points are compared; a run that bounces between
    places (a rate too large for the minimum it is near) has not settled.
    """
    if traj.path.shape[0] < 2:
        return np.zeros(traj.path.shape[1], dtype=bool)
    moved = np.linalg.norm(traj.path[-1] - traj.path[-2], axis=-1)
    return (moved < tol) & ~traj.diverged


def minimum_edges(key: str) -> np.ndarray:
    """Return 2/λmax at each known minimum of a surface, sorted, shape (k,).

    Near a minimum, gradient descent can settle there only if η is below its
    edge; the surfaces are scaled so that the smallest edge is 2.
    """
    land = surface(key)
    if not len(land.minima):
        raise ValueError(f"key: the {key!r} surface has no known minima")
    lam = np.linalg.eigvalsh(land.hessian(land.minima))[:, -1]
    return np.sort(2.0 / lam)


# A tanh unit of a linear function splits the plane with one straight line, so
# a network with one hidden unit treats XOR like a linear classifier: at best it
# separates one corner from the other three and says 2/3 for those three. Its
# cross-entropy is then 3/4 · H(2/3), the least any 2-1-1 network can reach.
ONE_UNIT_XOR_BOUND = 0.75 * (np.log(3) - 2 / 3 * np.log(2))


ONE_UNIT_STARTS, ONE_UNIT_STEPS = 200, 5000


@functools.lru_cache(maxsize=1)
def one_unit_xor_losses() -> np.ndarray:
    """Return the final XOR losses of 2-1-1 networks trained from random starts.

    What the halfway point between a 2-2-1 solution and its twin is: two
    identical hidden units act as one. ONE_UNIT_STARTS starts, ONE_UNIT_STEPS
    steps each; read-only array of shape (ONE_UNIT_STARTS,).
    """
    starts, steps = ONE_UNIT_STARTS, ONE_UNIT_STEPS
    X, y = datasets.xor()
    land = MLP([2, 1, 1]).landscape(X, y, loss="bce")
    x0 = np.random.default_rng(0).normal(0.0, 2.0, (starts, land.dim))
    traj = optimize(land, x0, lr=0.5, steps=steps, every=steps)
    losses = traj.final_loss.copy()
    losses.setflags(write=False)
    return losses


def end_points(final: np.ndarray, landscape: Landscape, tol: float = 0.02):
    """Return the distinct end points of many runs, shape (k, 2).

    Two runs end at the same point if they are closer than `tol` times the
    size of the box.
    """
    cell = tol * landscape.span
    keys = np.round(final / cell).astype(np.int64)
    # Neighbouring cells can split one point; merge by greedy distance instead.
    order = np.lexsort(keys.T[::-1])
    reps: list[np.ndarray] = []
    for p in final[order]:
        if not any(np.all(np.abs(p - r) <= cell) for r in reps):
            reps.append(p)
    return np.array(reps).reshape(-1, final.shape[1])


def chord_gap(landscape: Landscape, a, b, count: int = 101):
    """Return t, the surface and the chord along the segment from a to b.

    Convexity means f((1 − t)a + t b) <= (1 − t) f(a) + t f(b) for every t in
    [0, 1]: the surface never rises above the chord.

    Returns
    -------
    t, along, chord : arrays of shape (count,)
    """
    a, b = np.asarray(a, float), np.asarray(b, float)
    t = np.linspace(0.0, 1.0, count)
    points = (1 - t)[:, None] * a + t[:, None] * b
    along = landscape.value(points)
    chord = (1 - t) * along[0] + t * along[-1]
    return t, along, chord


def chord_rise(f, a, b, count: int = 101) -> float:
    """Return how far `f` rises above the chord from a to b, at most.

    The reference answer of the coding exercise. `f` maps points of shape
    (n, 2) to losses (n,); the segment is sampled at `count` evenly spaced t.
    A result above 0 proves that `f` is not convex; 0 means no point of this
    segment rose above the chord (the ends always lie on it).
    """
    a, b = np.asarray(a, float), np.asarray(b, float)
    t = np.linspace(0.0, 1.0, count)
    along = np.asarray(f((1 - t)[:, None] * a + t[:, None] * b), dtype=float)
    chord = (1 - t) * along[0] + t * along[-1]
    return float(np.max(along - chord))


# ------------------------------------------------------------ the η limit


def valley(kappa: float) -> Landscape:
    """Return a tilted quadratic valley with curvatures 1/κ and 1 (λmax = 1)."""
    if not (np.isfinite(kappa) and kappa >= 1):
        raise ValueError(f"kappa must be a finite number >= 1; got {kappa}")
    return landscapes.quadratic([1.0 / kappa, 1.0], angle=np.pi / 6)


def contraction(lr: float, eigenvalues) -> float:
    """Return max |1 − η λ|: how much one step shrinks (< 1) or grows the error."""
    lam = np.asarray(eigenvalues, dtype=float)
    return float(np.max(np.abs(1 - lr * lam)))


def largest_stable_lr(eigenvalues) -> float:
    """Return 2/λmax: gradient descent on a quadratic converges iff η < 2/λmax."""
    lam = np.asarray(eigenvalues, dtype=float)
    if lam.size == 0 or not np.all(np.isfinite(lam)) or lam.max() <= 0:
        raise ValueError("eigenvalues must be finite with a positive largest one")
    return 2.0 / float(lam.max())


# ------------------------------------------------------------ brute force

EVALS_PER_SECOND = 1e9  # a generous single machine: a billion losses a second
_UNITS = (
    ("second", 1.0),
    ("minute", 60.0),
    ("hour", 3600.0),
    ("day", 86400.0),
    ("year", 365.25 * 86400.0),
    ("thousand years", 1e3 * 365.25 * 86400.0),
    ("million years", 1e6 * 365.25 * 86400.0),
    ("age of the universe", 13.8e9 * 365.25 * 86400.0),
)
AGE_OF_UNIVERSE_S = _UNITS[-1][1]


def brute_force_seconds(points_per_weight: int, dim: int, rate=EVALS_PER_SECOND):
    """Return the time to evaluate every point of a k^dim grid, in seconds."""
    for name, value in (("points_per_weight", points_per_weight), ("dim", dim)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
            raise ValueError(f"{name} must be a whole number >= 1; got {value!r}")
        if value < 1:
            raise ValueError(f"{name} must be >= 1; got {value}")
    if not (np.isfinite(rate) and rate > 0):
        raise ValueError(f"rate must be a positive number per second; got {rate}")
    return float(points_per_weight) ** dim / rate


def human_time(seconds: float) -> str:
    """Return a duration in the largest unit that fits, e.g. '3.2 years'."""
    if not (np.isfinite(seconds) and seconds >= 0):
        return "longer than numbers can say"
    if seconds < 1:
        for name, size in (("millisecond", 1e-3), ("microsecond", 1e-6)):
            if seconds >= size:
                shown = f"{seconds / size:.3g}"
                return f"{shown} {name}" + ("" if shown == "1" else "s")
        shown = f"{seconds / 1e-9:.3g}"
        return f"{shown} nanosecond" + ("" if shown == "1" else "s")
    name, size = max((u for u in _UNITS if seconds >= u[1]), key=lambda u: u[1])
    count = seconds / size
    if name == "age of the universe":
        plural = "ages of the universe"
    else:
        plural = name if name.endswith("years") else name + "s"
    if count < 1000:
        shown = f"{count:.3g}"
        return f"{shown} {name if shown == '1' else plural}"
    exponent = int(math.floor(math.log10(count)))
    mantissa = count / 10**exponent
    return f"{mantissa:.1f} × 10^{exponent} {plural}"


# ---------------------------------------------------------------- demos


def _layer_surfaces(ax, keys):
    """Draw every surface once into `ax`; return key -> its artists.

    A chooser then only switches which layer is visible, so the figure is
    updated in place and the costly contours are drawn a single time.
    """
    layers = {}
    for key in keys:
        before = set(ax.get_children())
        plotting.draw_surface(ax, surface(key))
        layers[key] = [a for a in ax.get_children() if a not in before]
    return layers


def _show_layer(ax, layers, key):
    for name, artists in layers.items():
        for artist in artists:
            artist.set_visible(name == key)
    low, high = surface(key).bounds
    ax.set_xlim(low[0], high[0])
    ax.set_ylim(low[1], high[1])


def _axis_labels(ax, key):
    if key == "network":
        ax.set(xlabel="weight x₁ → hidden unit 1", ylabel="weight x₂ → hidden unit 1")
    else:
        ax.set(xlabel="weight w₁", ylabel="weight w₂")


def many_starts_demo(
    surface_key: str = "bowl", lr: float = 0.5, noise: float = 0.0
) -> widgets.Demo:
    """49 starts at once: where do they end on a convex and a non-convex surface?"""
    keys = list(SURFACES.values())
    fig, (ax_map, ax_end) = plotting.new_figure(10.5, 4.3, ncols=2)
    with plotting.style():
        layers = _layer_surfaces(ax_map, keys)
        n = len(start_grid(surface(keys[0])))
        lines = plotting.path_lines(ax_map, n, color="white", alpha=0.8, lw=1.0)
        starts = ax_map.scatter(
            [], [], s=12, color="white", ec=plotting.BLACK, lw=0.5, zorder=7
        )
        ends = ax_map.scatter(
            [],
            [],
            s=40,
            color=plotting.ORANGE,
            ec=plotting.BLACK,
            zorder=8,
            label="where runs end",
        )
        ax_map.legend(loc="upper right", framealpha=0.9)
        (dots,) = ax_end.plot([], [], "o", color=plotting.BLUE, ms=5)
        ax_end.set(xlabel="run (sorted by final loss)", ylabel="final loss")
        ax_end.set_title("2. final loss of each run")

    controls = {
        "surface_key": widgets.choice("surface", SURFACES, surface_key),
        # 49 paths, their end points and a loss panel per update: on release.
        "lr": widgets.lr_slider(lr, min=0.01, max=3.0, continuous_update=False),
        "noise": widgets.noise_slider(
            noise, max=2.0, step=0.1, continuous_update=False
        ),
    }

    def draw(surface_key, lr, noise):
        land = surface(surface_key)
        _show_layer(ax_map, layers, surface_key)
        _axis_labels(ax_map, surface_key)
        traj = descend(surface_key, lr, noise)
        plotting.set_paths(lines, traj.path, traj.diverged, color="white")
        starts.set_offsets(traj.path[0])
        ok = ~traj.diverged
        ends.set_offsets(traj.final[ok] if ok.any() else np.zeros((0, 2)))
        label = next(k for k, v in SURFACES.items() if v == surface_key)
        ax_map.set_title(f"1. {label}: {n} starts, {STEPS} steps")
        loss = np.sort(traj.final_loss[ok])
        dots.set_data(np.arange(loss.size), loss)
        ax_end.set_xlim(-1, n)
        if loss.size:
            pad = max(0.05 * np.ptp(loss), 0.02 * max(abs(loss.max()), 1e-3), 1e-3)
            ax_end.set_ylim(loss.min() - pad, loss.max() + pad)
        if not ok.any():
            return f"η = {lr:.3g}: every run diverged; take smaller steps."
        k = len(end_points(traj.final[ok], land))
        where = "the same point" if k == 1 else f"{k} different points"
        text = (
            f"{ok.sum()} runs ended at {where}; final losses "
            f"{loss.min():.3f} to {loss.max():.3f}."
        )
        if traj.diverged.any():
            text += f" {traj.diverged.sum()} runs diverged (red)."
        elif lr > 2 and surface_key not in CONVEX:
            moving = int((~settled(traj)).sum())
            if moving:
                text += f" {moving} runs still bounce around, neither settling nor "
                text += "flying off."
        return text

    alt = (
        "Two panels. Left: the chosen surface seen from above, dark where the "
        "loss is low, with 49 starting points on an even grid (small white dots), "
        "the path of gradient descent from each (white lines; red when a run "
        "diverged) and where each run ended (orange dots). Right: the final loss "
        "of every run, sorted from lowest to highest (blue dots)."
    )
    # The prediction asks about the bowl and Himmelblau: the menu.
    return widgets.Demo(fig, controls, draw, alt=alt, exported=("surface_key",))


CHORD_ALT = (
    "Two panels. Left: the chosen surface from above, dark where low, with "
    "point A (white circle), point B (white square) and the straight segment "
    "between them (white; red where the surface rises above the chord). "
    "Right: the loss along the segment from A to B (blue; red where it rises "
    "above the chord) and the chord joining its ends (black dashed)."
)


def chord_demo(
    surface_key: str = "himmelblau",
    a_across: float = 0.85,
    a_up: float = 0.7,
    b_across: float = 0.2,
    b_up: float = 0.8,
) -> widgets.Demo:
    """Pick two points A and B; does the surface rise above the chord AB?"""
    keys = list(SURFACES.values())
    fig, (ax_map, ax_cut) = plotting.new_figure(10.5, 4.3, ncols=2)
    with plotting.style():
        layers = _layer_surfaces(ax_map, keys)
        (segment,) = ax_map.plot([], [], "-", color="white", lw=2.5, zorder=7)
        (bad_segment,) = ax_map.plot(
            [], [], "-", color=plotting.VERMILION, lw=3.5, zorder=8
        )
        (a_dot,) = ax_map.plot([], [], "o", color="white", mec="black", ms=10, zorder=9)
        (b_dot,) = ax_map.plot([], [], "s", color="white", mec="black", ms=9, zorder=9)
        a_text = ax_map.text(
            0, 0, " A", fontsize=13, fontweight="bold", zorder=9, color="white"
        )
        b_text = ax_map.text(
            0, 0, " B", fontsize=13, fontweight="bold", zorder=9, color="white"
        )
        (curve,) = ax_cut.plot([], [], color=plotting.BLUE, label="surface along AB")
        (above,) = ax_cut.plot(
            [], [], color=plotting.VERMILION, lw=4, label="surface above the chord"
        )
        (chord,) = ax_cut.plot([], [], "--", color=plotting.BLACK, label="chord")
        ax_cut.set(
            xlim=(0, 1),
            xlabel="position t along the segment (A = 0, B = 1)",
            ylabel="loss",
        )
        ax_cut.set_xticks([0, 0.5, 1], ["A", "0.5", "B"])
        ax_cut.legend(loc="upper left", framealpha=0.9)

    def frac(name, value):
        # Both panels change with every point: redraw when the slider is released.
        return widgets.float_slider(
            name, value, 0.0, 1.0, 0.01, fmt=".2f", continuous_update=False
        )

    controls = {
        "surface_key": widgets.choice("surface", SURFACES, surface_key),
        "a_across": frac("A: across", a_across),
        "a_up": frac("A: up", a_up),
        "b_across": frac("B: across", b_across),
        "b_up": frac("B: up", b_up),
    }

    def draw(surface_key, a_across, a_up, b_across, b_up):
        land = surface(surface_key)
        _show_layer(ax_map, layers, surface_key)
        _axis_labels(ax_map, surface_key)
        low, span = land.bounds[0], land.span
        a = low + span * np.array([a_across, a_up])
        b = low + span * np.array([b_across, b_up])
        t, along, line = chord_gap(land, a, b)
        gap = along - line
        tol = 1e-9 * (1 + np.abs(along).max())
        rises = gap > tol
        points = (1 - t)[:, None] * a + t[:, None] * b
        segment.set_data(*points.T)
        bad = np.where(rises[:, None], points, np.nan)
        bad_segment.set_data(*bad.T)
        a_dot.set_data([a[0]], [a[1]])
        b_dot.set_data([b[0]], [b[1]])
        a_text.set_position(a)
        b_text.set_position(b)
        curve.set_data(t, along)
        chord.set_data(t, line)
        above.set_data(t, np.where(rises, along, np.nan))
        lo, hi = min(along.min(), line.min()), max(along.max(), line.max())
        pad = 0.08 * (hi - lo) + 1e-3
        ax_cut.set_ylim(lo - pad, hi + pad)
        label = next(k for k, v in SURFACES.items() if v == surface_key)
        ax_map.set_title(f"1. {label}: segment AB")
        if rises.any():
            ax_cut.set_title("2. the surface rises above the chord: not convex")
            k = int(np.argmax(gap))
            return (
                f"Not convex: at t = {t[k]:.2f} the surface is {gap[k]:.3g} above "
                "the chord. One such chord is proof."
            )
        ax_cut.set_title("2. the chord stays above the surface")
        return (
            "The chord stays on or above the surface here. Convex surfaces pass "
            "this test for every A and B; try other points."
        )

    return widgets.Demo(fig, controls, draw, alt=CHORD_ALT, exported=("a_across",))


LR_START = np.array([-1.8, 1.2])
LR_STEPS = 60
LR_GRID = np.geomspace(0.01, 3.0, 240)  # the η axis of the third panel


@functools.lru_cache(maxsize=32)
def loss_after(kappa: float) -> np.ndarray:
    """Return the loss after LR_STEPS steps for every η of LR_GRID (one run)."""
    runs = optimize(
        valley(kappa),
        np.broadcast_to(LR_START, (LR_GRID.size, 2)),
        lr=LR_GRID[None, :],
        steps=LR_STEPS,
        every=LR_STEPS,
    )
    # A diverged run keeps its last sane loss; show it as off the chart.
    return np.where(runs.diverged, np.inf, runs.final_loss)


def _level_set(lam, level: float, theta) -> tuple[np.ndarray, np.ndarray]:
    """Return (x, y) of `valley`'s level set at `level`, at the angles `theta`.

    Level sets of ½ Σ λᵢ zᵢ² are ellipses with half-axes √(2c/λᵢ), turned by
    the valley's angle (π/6).
    """
    c, s = np.cos(np.pi / 6), np.sin(np.pi / 6)
    u = np.sqrt(2 * level / lam[0]) * np.cos(theta)
    v = np.sqrt(2 * level / lam[1]) * np.sin(theta)
    return c * u - s * v, s * u + c * v


def lr_limit_demo(lr: float = 1.8, kappa: int = 10) -> widgets.Demo:
    """A quadratic valley: zig-zag, and the sharp edge of divergence at 2/λmax."""
    fig, (ax_map, ax_loss, ax_lr) = plotting.new_figure(11.5, 3.9, ncols=3)
    xs = np.linspace(-2, 2, 120)
    grid_pts = np.stack(np.meshgrid(xs, xs), -1)
    theta = np.linspace(0, 2 * np.pi, 100)
    levels = [0.005, 0.02, 0.08, 0.3, 1.0, 3.0]
    with plotting.style():
        image = ax_map.imshow(
            np.zeros((xs.size, xs.size)),
            extent=(-2, 2, -2, 2),
            origin="lower",
            cmap=plotting.SURFACE_CMAP,
            vmin=-3.5,
            vmax=1,
            aspect="auto",
            zorder=plotting.IMAGE_ZORDER,
        )
        rings = [
            ax_map.plot([], [], color="white", lw=0.7, alpha=0.7)[0] for _ in levels
        ]
        (path_line,) = ax_map.plot([], [], ".-", color=plotting.ORANGE, ms=4, lw=1.3)
        ax_map.plot(*LR_START, "o", color="white", mec="black", ms=7, zorder=7)
        ax_map.plot(0, 0, "*", color="white", mec="black", ms=13, zorder=7)
        ax_map.set(xlim=(-2, 2), ylim=(-2, 2), xlabel="weight w₁", ylabel="weight w₂")
        # A fixed title (fast demos, rule 4): κ and η are on the sliders.
        ax_map.set_title("1. the valley and the descent")

        (loss_line,) = ax_loss.semilogy([], [], color=plotting.BLUE)
        ax_loss.set(xlim=(0, LR_STEPS), ylim=(1e-8, 1e4), xlabel="step", ylabel="loss")
        ax_loss.set_title("2. loss during descent")

        (sweep,) = ax_lr.loglog([], [], color=plotting.BLUE)
        ax_lr.axvline(2.0, color=plotting.VERMILION, ls="--", lw=1.5)
        ax_lr.text(
            2.0, 2e3, "2/λmax ", color=plotting.VERMILION, ha="right", fontsize=11
        )
        ax_lr.axvspan(2.0, LR_GRID[-1], color=plotting.VERMILION, alpha=0.12)
        (here,) = ax_lr.plot([], [], "o", color=plotting.ORANGE, mec="black", ms=9)
        ax_lr.set(
            xlim=(LR_GRID[0], LR_GRID[-1]),
            ylim=(1e-8, 1e4),
            xlabel="learning rate η",
            ylabel=f"loss after {LR_STEPS} steps",
        )
        ax_lr.set_title("3. every η at once")

    controls = {
        "lr": widgets.lr_slider(lr, min=0.01, max=3.0),
        # A new κ redraws the map and sweeps 240 learning rates: on release.
        "kappa": widgets.int_slider(
            "condition number κ", kappa, 1, 100, continuous_update=False
        ),
    }

    shown = {"kappa": None}  # the valley drawn now: the lr slider leaves it be

    def draw(lr, kappa):
        land = valley(float(kappa))
        lam = np.array([1.0 / kappa, 1.0])
        if shown["kappa"] != kappa:
            shown["kappa"] = kappa
            z = land.value(grid_pts)
            image.set_data(np.log10(z + 1e-4))
            for ring, level in zip(rings, levels, strict=True):
                ring.set_data(*_level_set(lam, level, theta))
            after = loss_after(float(kappa))
            sweep.set_data(
                LR_GRID, plotting.positive_floor(np.minimum(after, 1e5), 1e-8)
            )
        traj = optimize(land, LR_START, lr=lr, steps=LR_STEPS)
        path_line.set_data(traj.path[:, 0, 0], traj.path[:, 0, 1])
        grows = contraction(lr, lam) > 1
        path_line.set_color(plotting.DIVERGED if grows else plotting.ORANGE)
        loss_line.set_data(traj.t, plotting.positive_floor(traj.loss[:, 0], 1e-8))
        loss_line.set_color(plotting.DIVERGED if grows else plotting.BLUE)
        here_loss = traj.final_loss[0] if not traj.diverged[0] else 1e4
        here.set_data([lr], [np.clip(here_loss, 1e-8, 1e4)])
        factor = contraction(lr, lam)
        edge = largest_stable_lr(lam)
        here_text = f"κ = {kappa}, η = {lr:.3g}"
        if grows:
            return (
                f"{here_text} > 2/λmax = {edge:.0f}: each step multiplies the "
                f"error by up to {factor:.3g}, so descent diverges."
            )
        return (
            f"{here_text} < 2/λmax = {edge:.0f}: each step multiplies the error "
            f"by at most {factor:.3g}; the slowest direction sets the pace."
        )

    alt = (
        "Three panels for a quadratic valley with λmax = 1. Left: the valley "
        "from above (dark is low, white rings are contours), the start (white "
        "dot), the bottom (white star) and the path of gradient descent "
        "(orange; red when it diverges). Middle: the loss at each step, log "
        "scale (blue; red when it grows). Right: the loss after 60 steps for 240 "
        "learning rates at once (blue, log-log), the edge 2/λmax as a red dashed "
        "line with the diverging side shaded, and the chosen η as an orange dot."
    )
    # The largest η diverges: every artist the η slider can change, changes.
    return widgets.Demo(fig, controls, draw, alt=alt, exported=("lr",)).warm_up("lr")


BF_DIMS = np.arange(1, 61)
BF_YLIM = (1e-9, 1e70)


def _time_ticks():
    """Return tick positions (s) and labels in human units for the time axis."""
    ticks = [
        (1e-6, "1 microsecond"),
        (1.0, "1 second"),
        (3600.0, "1 hour"),
        (_UNITS[4][1], "1 year"),
        (_UNITS[6][1], "1 million years"),
        (AGE_OF_UNIVERSE_S, "age of the universe"),
    ]
    for exponent in range(10, 60, 10):
        label = f"$10^{{{exponent}}}$ × that age"
        ticks.append((AGE_OF_UNIVERSE_S * 10.0**exponent, label))
    return zip(*[(t, label) for t, label in ticks if t < BF_YLIM[1]], strict=True)


def brute_force_demo(dim: int = 9, points_per_weight: int = 10) -> widgets.Demo:
    """Try every weight setting on a grid: how long would it take?"""
    fig, (ax,) = plotting.new_figure(9.0, 4.6)
    with plotting.style():
        (curve,) = ax.semilogy([], [], color=plotting.BLUE, lw=2.5)
        (here,) = ax.plot(
            [], [], "o", color=plotting.ORANGE, mec="black", ms=11, zorder=5
        )
        ax.axhspan(AGE_OF_UNIVERSE_S, BF_YLIM[1], color=plotting.VERMILION, alpha=0.1)
        positions, labels = _time_ticks()
        ax.set_yticks(positions, labels)
        ax.minorticks_off()
        ax.grid(axis="y", color=plotting.GREY, lw=0.5, alpha=0.5)
        ax.set(
            xlim=(1, BF_DIMS[-1]),
            ylim=BF_YLIM,
            xlabel="number of weights d",
            ylabel="time to try every setting",
        )
        ax.set_title(
            "Try every weight setting: k^d grid points at 10⁹ evaluations per second"
        )

    controls = {
        "dim": widgets.dim_slider(dim, min=1, max=BF_DIMS[-1]),
        "points_per_weight": widgets.int_slider(
            "values per weight k", points_per_weight, 2, 20
        ),
    }

    def draw(dim, points_per_weight):
        k = points_per_weight
        curve.set_data(BF_DIMS, float(k) ** BF_DIMS / EVALS_PER_SECOND)
        now = brute_force_seconds(k, dim)
        here.set_data([dim], [now])
        return (
            f"{k} values for each of {dim} weights: {k}^{dim} ≈ {float(k) ** dim:.3g} "
            f"settings, which take {human_time(now)}."
        )

    alt = (
        "The time to try every weight setting (up, log scale, labelled in "
        "seconds, hours, years and ages of the universe) against the number of "
        "weights d from 1 to 60 (across), for k values per weight: a straight "
        "blue line on this scale. An orange dot marks the chosen d; the band "
        "longer than the age of the universe is shaded red."
    )
    return widgets.Demo(fig, controls, draw, alt=alt, exported=("dim",)).warm_up("dim")


# ---------------------------------------------------------------- exercises


def ex02_largest_lr(answer) -> Feedback:
    """Check 2/λmax for the "valley" surface (curvatures 0.5 and 10).

    The edge is 0.2 exactly: accepted within 1% below it (a rate just under
    the edge still converges), never above it (that diverges).
    """
    value = as_number(answer)
    if isinstance(value, Feedback):
        return value
    valley = landscapes.get("valley")
    lam = np.linalg.eigvalsh(valley.hessian(np.zeros(2)))
    edge = 2.0 / lam.max()
    if edge * 0.99 <= value <= edge * (1 + 1e-9):
        return Feedback(True, f"{value:.4g} is right: 2/λmax = 2/{lam.max():.3g}.")
    slips = {
        2.0 / lam.min(): "That is 2/λmin: the steepest direction, not the "
        "flattest, sets the limit.",
        1.0 / lam.max(): "That is 1/λmax, the rate of no zig-zag; descent still "
        "converges up to twice that.",
    }
    for slip, message in slips.items():
        if abs(value - slip) <= 0.01 * slip:
            return Feedback(False, f"{value:.4g} is not it. {message}")
    if value > edge:
        return Feedback(
            False,
            f"{value:.4g} is too large: past 2/λmax the steep direction grows "
            "every step.",
            "The limit is set by the steepest curvature: η < 2/λmax.",
        )
    return Feedback(
        False,
        f"{value:.4g} converges, but it is not the largest rate that does.",
        "The limit is set by the steepest curvature: η < 2/λmax. "
        "Use np.linalg.eigvalsh on the Hessian.",
    )


def _diagnose_chord(got, expected, args):
    """Name a likely mistake in a learner's `chord_rise`."""
    f, a, b = args
    below = -chord_rise(lambda p: -np.asarray(f(p)), a, b)  # min of f − chord
    if np.isclose(float(got), -below):
        return (
            "You measured how far the chord is above the surface; convexity "
            "fails where the surface is above the chord: f − chord."
        )
    mid = np.asarray(f(((np.asarray(a) + np.asarray(b)) / 2)[None]))[0]
    ends = np.asarray(f(np.array([a, b], dtype=float)))
    if np.isclose(float(got), mid - ends.mean()):
        return "You looked at the middle only; take the largest gap over all t."
    return ""


def ex02_chord_rise(fn) -> Feedback:
    """Check a learner's `chord_rise(f, a, b)` on surfaces it has not seen."""

    def bowl(p):
        return (p**2).sum(-1)

    def wave(p):
        return np.sin(3 * p[:, 0]) + 0.5 * p[:, 1] ** 2

    def ridge(p):
        return np.exp(-((p[:, 0] - 0.3) ** 2) - p[:, 1] ** 2)

    rosen = landscapes.get("rosenbrock").value
    cases = [
        (bowl, np.array([-1.0, 0.5]), np.array([2.0, -1.0])),
        (wave, np.array([-1.0, 0.0]), np.array([1.5, 1.0])),
        (ridge, np.array([-2.0, -0.5]), np.array([2.0, 0.5])),
        (rosen, np.array([0.0, 0.0]), np.array([1.0, 0.0])),
        (rosen, np.array([-1.2, 1.4]), np.array([1.1, 1.2])),
    ]
    return check_function(
        fn,
        chord_rise,
        cases,
        name="chord_rise",
        rtol=1e-3,
        atol=1e-6,
        diagnose=_diagnose_chord,
    )


def ex02_convex(answer, name: str = "rosenbrock") -> Feedback:
    """Check a verdict on convexity, with proof: two points whose chord it beats.

    `answer` is "yes" (convex), or two points (A, B), each (x, y), between which
    the surface rises above the chord: the proof that it is not convex. A bare
    "no" is the right verdict but not yet a proof.
    """
    land = landscapes.get(name)
    low, high = land.bounds
    xs = np.linspace(low[0], high[0], 41)
    ys = np.linspace(low[1], high[1], 41)
    points = np.stack(np.meshgrid(xs, ys), -1).reshape(-1, 2)
    convex = np.linalg.eigvalsh(land.hessian(points))[:, 0].min() >= -1e-9
    if isinstance(answer, str):
        verdict = check_choice(
            answer,
            "yes" if convex else "no",
            ("yes", "no"),
            feedback={
                "yes": "Its valley bends along the curve y = x². A chord between "
                "two points on that curve cuts across the bend, and the surface "
                "there is far above it.",
                "no": "The surface is convex: every chord lies on or above it.",
            },
        )
        if verdict and not convex:
            return Feedback(
                False,
                '"no" is the right verdict; now prove it.',
                "Pass two points (A, B), each (x, y), whose chord the surface "
                "rises above: checks.ex02_convex(((x_A, y_A), (x_B, y_B))).",
            )
        return verdict
    try:
        with np.errstate(all="ignore"):
            ab = np.asarray(answer, dtype=float)
    except (TypeError, ValueError, OverflowError):
        ab = np.zeros(0)
    if ab.shape != (2, 2) or not np.all(np.isfinite(ab)):
        return Feedback(
            False,
            'Please answer "yes", or with two points as ((x_A, y_A), (x_B, y_B)).',
        )
    rise = chord_rise(land.value, ab[0], ab[1])
    if rise > 1e-9 * (1 + np.abs(land.value(ab)).max()):
        return Feedback(
            True,
            f"Proof: between A and B the surface rises {rise:.3g} above the chord, "
            f"so the {name} surface is not convex.",
        )
    return Feedback(
        False,
        "Along this segment the surface stays on or below the chord: no proof.",
        "The valley floor follows y = x²; join two points on it that lie on "
        "either side of its bend.",
    )


def ex02_brute_force_hours(answer) -> Feedback:
    """Check the hours needed to try 10 values for each weight of a 2-3-1 net."""
    dim = MLP([2, 3, 1]).dim
    value = as_number(answer)
    if isinstance(value, Feedback):
        return value
    slips = {
        brute_force_seconds(10, 2 * 3 + 3 * 1) / 3600: "That counts the weights "
        "but not the 4 biases.",
        brute_force_seconds(10, dim): "That is in seconds; divide by 3600.",
        brute_force_seconds(10, dim - 1) / 3600: "One weight too few.",
        brute_force_seconds(10, dim + 1) / 3600: "One weight too many.",
    }
    for slip, message in slips.items():
        if abs(value - slip) <= 0.02 * slip:
            return Feedback(False, f"{value:.4g} hours is not it. {message}")
    return check_number(
        answer,
        brute_force_seconds(10, dim) / 3600,
        rel=0.02,
        unit=" hours",
        hint="Count the weights and biases: 2·3 + 3 + 3·1 + 1. Then 10^d "
        "evaluations at 10⁹ per second, divided by 3600.",
    )


# ---------------------------------------------------------------- predictions


def predict_starts() -> Prediction:
    """Ask, before the many-starts demo: in how many places do the runs end?"""
    return Prediction(
        {
            "One place on the bowl, four on Himmelblau": "",
            "One place on each": (
                "Only a convex surface promises one bottom; Himmelblau's has "
                "four minima, and each start rolls into the one whose basin it "
                "is in."
            ),
            "Many places on both: each start ends near where it began": (
                "300 steps at η = 0.5 are enough to reach a bottom: the runs do "
                "not stop half-way."
            ),
            "Four places on both, since the grid of starts is symmetric": (
                "Where runs end depends on the surface, not on the grid: a bowl "
                "has a single bottom."
            ),
        },
        answer="One place on the bowl, four on Himmelblau",
        explanation=(
            "On the bowl every run goes to its single bottom. Himmelblau's "
            "surface has four minima; each start ends at the one whose basin "
            "it starts in, so the 49 runs end at four places."
        ),
    )


def predict_chord() -> Prediction:
    """Ask, before the chord demo: must the surface rise between two minima?"""
    return Prediction(
        {
            "Yes, always: a convex surface cannot have two separate minima": "",
            "Only if the two minima have different heights": (
                "With equal heights the chord is level, and the surface, which "
                "climbs out of each minimum, must be above it somewhere."
            ),
            "No: the surface between them can stay on or below the chord": (
                "Leaving a minimum the surface goes up in every direction, "
                "towards the other minimum too, while the chord changes only "
                "linearly: near one of the two ends it is beaten."
            ),
        },
        answer="Yes, always: a convex surface cannot have two separate minima",
        explanation=(
            "Leaving either minimum, the surface climbs, and the straight chord "
            "cannot follow it at both ends: somewhere the surface is above it. "
            "So a surface with two separate minima is never convex."
        ),
    )


def predict_zigzag() -> Prediction:
    """Ask, before the learning-rate demo: η = 1.9 and η = 2.1 at κ = 10."""
    return Prediction(
        {
            "1.9 zig-zags but converges; 2.1 diverges": "",
            "Both converge; 2.1 just takes longer": (
                "Past 2/λmax the factor 1 − ηλmax is below −1: every step "
                "enlarges the error along the steepest direction."
            ),
            "Both diverge: 1.9 is already too close to the edge": (
                "Close to the edge is still inside it: |1 − 1.9| = 0.9 < 1, so "
                "the error shrinks, slowly, while changing sign each step."
            ),
            "1.9 creeps smoothly; 2.1 zig-zags but converges": (
                "Any η above 1/λmax = 1 overshoots, so 1.9 already zig-zags; "
                "and 2.1 is past the edge 2/λmax."
            ),
        },
        answer="1.9 zig-zags but converges; 2.1 diverges",
        explanation=(
            "Along the steepest direction one step multiplies the error by "
            "1 − ηλmax: −0.9 at η = 1.9 (it changes sign and shrinks) and −1.1 "
            "at η = 2.1 (it changes sign and grows)."
        ),
    )


def predict_brute_force() -> Prediction:
    """Ask, before the brute-force demo: how many weights in a day?"""
    return Prediction(
        {
            "about 5": (
                "10⁵ settings take a ten-thousandth of a second at 10⁹ per "
                "second: far less than a day."
            ),
            "about 13": "",
            "about 100": (
                "Each weight multiplies the time by 10; 100 weights need 10¹⁰⁰ "
                "settings, far more than any computer can try."
            ),
            "about 1,000": (
                "Time grows as 10^d, not in proportion to d: each extra weight "
                "multiplies it by 10."
            ),
        },
        answer="about 13",
        explanation=(
            "A day has 86,400 seconds, about 10¹⁴ evaluations at 10⁹ per second: "
            "10¹³ settings (13 weights) fit, 10¹⁴ do not quite."
        ),
    )


DEMOS = {
    "many_starts": many_starts_demo,
    "chord": chord_demo,
    "lr_limit": lr_limit_demo,
    "brute_force": brute_force_demo,
}
