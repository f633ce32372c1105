"""Notebook 05, high dimensionality: what changes when there are many weights.

Grids become impossible, volume hides in corners and distances all look alike
(the curse of dimensionality). Critical points are mostly saddles: a random
symmetric Hessian is almost never positive definite, and among the critical
points of a real network, the higher the loss, the more directions lead down
(Dauphin et al. 2014). A model whose number of weights a slider sets, the
spherical spin glass (`tutorial.spin_glass`), is trained from many starts: its
runs end alike as it grows, and at its critical points the loss sets the
index. A 2-D slice through a trained network's loss shows what the surface
looks like near a solution (Li et al. 2018).
"""

from __future__ import annotations

import functools
import math

import matplotlib.colors as mcolors
import numpy as np

from . import datasets, plotting, spin_glass, widgets
from .checks import Feedback, as_number, check_choice, check_function, check_number
from .nn import MLP
from .optimizers import optimize
from .predict import Prediction
from .seeding import generator

__all__ = [
    "grid_points",
    "ball_share",
    "pairwise_distances",
    "distance_spread",
    "fraction_of_minima",
    "goe_eigenvalues",
    "semicircle",
    "spectrum_histograms",
    "fit_decay",
    "spearman",
    "critical_points",
    "filter_normalized_directions",
    "loss_slice",
    "REAL_NETWORKS",
    "distance_curves",
    "sine_net",
    "trained_moons",
    "curse_demo",
    "goe_demo",
    "index_demo",
    "slice_demo",
    "LARGE_D_RATE",
    "large_d_law",
    "wilson_interval",
    "minima_share",
    "valley_profile",
    "spin_sweep",
    "spin_critical_points",
    "spin_ends_demo",
    "spin_index_demo",
    "predict_ball_share",
    "predict_minima_share",
    "predict_index",
    "predict_slice",
    "predict_spin_ends",
    "predict_spin_index",
    "shell_share",
    "share_of_minima",
    "ex05_ball_share",
    "ex05_shell_share",
    "ex05_grid_points",
    "ex05_typical_point",
    "ex05_share_of_minima",
    "DEMOS",
]

MAX_DIM = 10_000


def _dim(dim, name: str = "dim", high: int = MAX_DIM) -> int:
    if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)):
        raise ValueError(f"{name} must be a whole number in [1, {high}]; got {dim!r}")
    if not 1 <= dim <= high:
        raise ValueError(f"{name} must be in [1, {high}]; got {dim}")
    return int(dim)


# ------------------------------------------------- the curse of dimensionality


def grid_points(k: int, dim: int) -> int:
    """Return k**dim: points in a grid with k values along each of dim axes."""
    return _dim(k, "k", 10**6) ** _dim(dim)


def ball_share(dim: int) -> float:
    """Return the share of the cube [−1, 1]^d inside its inscribed unit ball.

    π^{d/2} / (Γ(d/2 + 1) 2^d), computed with logarithms so it stays finite.
    """
    d = _dim(dim)
    log = 0.5 * d * math.log(math.pi) - math.lgamma(0.5 * d + 1) - d * math.log(2)
    return math.exp(log)


def pairwise_distances(dim: int, n_points: int = 150, seed: int = 0) -> np.ndarray:
    """Return the n(n−1)/2 distances among n uniform random points in [0, 1]^d."""
    d, n = _dim(dim), _dim(n_points, "n_points", 5000)
    if n < 2:
        raise ValueError(f"n_points must be at least 2; got {n}")
    pts = generator(seed, allow_none=False).random((n, d))
    sq = (pts * pts).sum(1)
    # |a − b|² = |a|² + |b|² − 2a·b, one matrix product for all pairs.
    d2 = sq[:, None] + sq[None, :] - 2 * pts @ pts.T
    upper = np.triu_indices(n, 1)
    return np.sqrt(np.maximum(d2[upper], 0.0))


def distance_spread(dim: int, n_points: int = 150, seed: int = 0) -> float:
    """Return (max − min) / min of the distances among random points in [0, 1]^d.

    Large in low dimension (near and far neighbours differ a lot), small in
    high dimension (every point is about as far from every other).
    """
    dist = pairwise_distances(dim, n_points, seed)
    return float((dist.max() - dist.min()) / dist.min())


# ------------------------------------------------ random Hessians (the GOE)


def goe_eigenvalues(dim: int, n_samples: int, seed: int = 0) -> np.ndarray:
    """Return eigenvalues of n random symmetric matrices, shape (n_samples, dim).

    Each matrix is (A + Aᵀ)/2 with A of independent standard normal entries
    (the Gaussian orthogonal ensemble): diagonal entries have variance 1,
    off-diagonal ones ½. Eigenvalues are sorted, smallest first.
    """
    d = _dim(dim, high=200)
    n = _dim(n_samples, "n_samples", 10**6)
    if n * d * d > 5 * 10**7:
        raise ValueError(
            f"n_samples × dim² must stay below 5e7 (memory); got {n} × {d}²"
        )
    a = generator(seed, allow_none=False).standard_normal((n, d, d))
    return np.linalg.eigvalsh((a + np.swapaxes(a, 1, 2)) / 2)


def fraction_of_minima(dim: int, n_samples: int = 20_000, seed: int = 0) -> float:
    """Return the share of random symmetric Hessians with all eigenvalues > 0.

    A critical point whose Hessian is such a matrix is a minimum; any negative
    eigenvalue makes it a saddle (or a maximum). Exact values: ½ at d = 1,
    (2 − √2)/4 ≈ 0.146 at d = 2; then it falls roughly like exp(−c d²).
    """
    return float((goe_eigenvalues(dim, n_samples, seed)[:, 0] > 0).mean())


def semicircle(x) -> np.ndarray:
    """Return Wigner's semicircle density (2/π)√(1 − x²) on [−1, 1], 0 outside."""
    x = np.asarray(x, dtype=float)
    return np.where(np.abs(x) < 1, 2 / np.pi * np.sqrt(np.clip(1 - x * x, 0, None)), 0)


MEASURED_DIMS = np.arange(1, 7)
GOE_SAMPLES = 20_000


@functools.lru_cache(maxsize=1)
def measured_fractions() -> np.ndarray:
    """Return fraction_of_minima(d, 20000) for d = 1..6 (zero when none was seen)."""
    return np.array([fraction_of_minima(int(d), GOE_SAMPLES) for d in MEASURED_DIMS])


def fit_decay(dims, fractions) -> tuple[float, float]:
    """Fit ln p = a − c d² to the positive fractions by least squares; return (a, c)."""
    dims, p = np.asarray(dims, dtype=float), np.asarray(fractions, dtype=float)
    keep = p > 0
    if keep.sum() < 2:
        raise ValueError("fit_decay needs at least two positive fractions")
    design = np.c_[np.ones(keep.sum()), -(dims[keep] ** 2)]
    a, c = np.linalg.lstsq(design, np.log(p[keep]), rcond=None)[0]
    return float(a), float(c)


LARGE_D_RATE = math.log(3) / 4  # Dean & Majumdar (2006): ln p ≈ −(ln 3/4) d²


def large_d_law(dim) -> np.ndarray:
    """Return e^(−(ln 3/4) d²), the leading large-d law of the share of minima.

    Dean & Majumdar (2006) found that the chance that a large random symmetric
    matrix has no negative eigenvalue falls like exp(−(ln 3/4) d²). That is
    the rate only: factors that grow or shrink more slowly than e^(d²) are
    left out, so at small d it is not the measured share.
    """
    d = np.asarray(dim, dtype=float)
    return np.exp(-LARGE_D_RATE * d**2)


def wilson_interval(k, n, z: float = 1.96):
    """Return the 95 % Wilson interval (low, high) of a share k/n."""
    k, n = np.asarray(k, dtype=float), np.asarray(n, dtype=float)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def minima_share(dim: int) -> tuple[float, str]:
    """Return the goe demo's share of minima at `dim` and where it comes from.

    Measured (20,000 matrices) where any minimum was seen, d <= 5; beyond,
    the large-d law (`large_d_law`), labelled as such.
    """
    d = _dim(dim, high=200)
    measured = measured_fractions()
    if d <= MEASURED_DIMS[-1] and measured[d - 1] > 0:
        return float(measured[d - 1]), "measured"
    return float(large_d_law(d)), "large-d law"


# ---------------------------------------------- critical points of a network


def spearman(a, b) -> float:
    """Return Spearman's rank correlation of a and b (ties get average ranks)."""

    def ranks(v):
        v = np.asarray(v, dtype=float)
        _, inverse, counts = np.unique(v, return_inverse=True, return_counts=True)
        start = np.cumsum(counts) - counts
        return (start + (counts - 1) / 2)[inverse]

    ra, rb = ranks(a), ranks(b)
    if ra.shape != rb.shape or ra.size < 2:
        raise ValueError("a and b must be two sequences of the same length >= 2")
    if ra.std() == 0 or rb.std() == 0:
        return 0.0
    return float(np.corrcoef(ra, rb)[0, 1])


def sine_net():
    """Return (net, loss surface): a 1-3-1 tanh network fitting sin 2x at 16 x."""
    X = np.linspace(-2, 2, 16)[:, None]
    y = np.sin(2 * X[:, 0])
    net = MLP([1, 3, 1])
    return net, net.landscape(X, y)


CRITICAL_STARTS = 240  # 200 random weights + 40 ends of training runs
NEGATIVE = -1e-5  # an eigenvalue below this counts as a downhill direction


@functools.lru_cache(maxsize=1)
def critical_points():
    """Find critical points of a 1-3-1 tanh network fitting sin 2x (16 points).

    Minimises ½|∇L|² from 240 starts at once (200 random weight vectors and
    the ends of 40 short training runs, so minima are among them). Its
    gradient is H∇L; we take Levenberg–Marquardt steps
    Δ = −(H² + μI)⁻¹ H∇L, accepted only when |∇L| shrinks, which converge to
    a critical point of any kind: minimum or saddle.

    Returns
    -------
    dict
        ``w`` (240, 10): where each search ended; arrays of shape (240,):
        ``loss``, ``index`` (share of Hessian eigenvalues below −1e-5),
        ``grad_norm`` (|∇L| at the end).
    """
    net, surface = sine_net()
    trained = optimize(
        surface,
        net.init(40, seed=1),
        lr=0.1,
        steps=2000,
        method="momentum",
        every=2000,
    ).final
    w = np.r_[net.init(CRITICAL_STARTS - 40, seed=0, scale=1.5), trained]
    n, dim = w.shape
    mu = np.full(n, 1e-2)
    g = surface.grad(w)
    gn = (g * g).sum(1)
    eye = np.eye(dim)
    with np.errstate(all="ignore"):
        for _ in range(40):
            H = surface.hessian(w)
            rhs = np.einsum("nij,nj->ni", H, g)[..., None]
            step = np.linalg.solve(H @ H + mu[:, None, None] * eye, rhs)[..., 0]
            g_new = surface.grad(w - step)
            gn_new = (g_new * g_new).sum(1)
            better = np.isfinite(gn_new) & (gn_new < gn)
            w = np.where(better[:, None], w - step, w)
            g = np.where(better[:, None], g_new, g)
            gn = np.where(better, gn_new, gn)
            # Trust the quadratic model more after a success, less after a miss.
            mu = np.clip(np.where(better, mu / 3, mu * 4), 1e-12, 1e8)
    evals = np.linalg.eigvalsh(surface.hessian(w))
    return {
        "w": w,
        "loss": surface.value(w),
        "index": (evals < NEGATIVE).mean(1),
        "grad_norm": np.sqrt(gn),
    }


# ---------------------------------------------------- a slice through a network

SLICE_GRID = 41
SLICE_SPAN = 1.0
SLICE_WIDTHS = (2, 4, 8, 16, 32)
# The cuts' loss axis, the same for every width: the slices of all five
# networks lie inside it (a test checks), the widths can be compared at a
# glance, and choosing another width does not redraw the whole log axis.
SLICE_LOSS_RANGE = (1e-4, 1e2)


@functools.lru_cache(maxsize=8)
def trained_moons(width: int):
    """Return (net, surface, w*): a 2-width-1 network trained on moons (Adam)."""
    X, y = datasets.moons(60, noise=0.15, seed=0)
    net = MLP([2, width, 1])
    surface = net.landscape(X, y, loss="bce")
    traj = optimize(
        surface, net.init(1, seed=0), lr=0.05, steps=600, method="adam", every=600
    )
    return net, surface, traj.final[0]


def filter_normalized_directions(net: MLP, w, seed: int = 0) -> np.ndarray:
    """Return two random directions, shape (2, dim), scaled neuron by neuron.

    Li et al. (2018): each unit's incoming weights in a direction are rescaled
    to the length of that unit's incoming weights in `w`, so a step of 1
    changes every unit by as much as its own size, whatever the scale of
    its layer. Biases are left out (zero in both directions).
    """
    w = np.asarray(w, dtype=float)
    if w.shape != (net.dim,):
        raise ValueError(f"w must have shape ({net.dim},); got {w.shape}")
    d = generator(seed, allow_none=False).standard_normal((2, net.dim))
    out = np.zeros_like(d)
    for fan_in, fan_out, ws, _ in net.layers:
        W = w[ws].reshape(fan_in, fan_out)
        D = d[:, ws].reshape(2, fan_in, fan_out)
        scale = np.linalg.norm(W, axis=0) / np.linalg.norm(D, axis=1)
        out[:, ws] = (D * scale[:, None, :]).reshape(2, -1)
    return out


@functools.lru_cache(maxsize=8)
def loss_slice(width: int = 8, seed: int = 0):
    """Return (a, L) for the trained moons network of `width` hidden units.

    L[i, j] is the loss at w* + a[j]·δ₁ + a[i]·δ₂ on a 41 × 41 grid, all
    points evaluated in one vectorised call; shape (41, 41).
    """
    width = _dim(width, "width", 256)
    net, surface, w = trained_moons(width)
    d = filter_normalized_directions(net, w, seed)
    a = np.linspace(-SLICE_SPAN, SLICE_SPAN, SLICE_GRID)
    A, B = np.meshgrid(a, a)
    points = w + A[..., None] * d[0] + B[..., None] * d[1]
    return a, surface.value(points)


VALLEY_RISE = (
    0.05  # the valley's width: how far the loss stays within this of its floor
)


def valley_profile(width: int = 8) -> dict:
    """Return how deep and how wide the slice's valley is for `width` hidden units.

    Returns
    -------
    dict
        ``floor``: the loss at the trained weights (the slice's centre);
        ``reach``: the mean, over the four half-axes of the slice, of the
        first step at which the loss is more than VALLEY_RISE above the
        floor (in filter-normalised units, so widths compare);
        ``edge_ratio``: the slice's highest loss over its floor.
    """
    a, L = loss_slice(width)
    mid = len(a) // 2
    floor = float(L[mid, mid])
    reach = []
    for half in (L[mid, mid:], L[mid, mid::-1], L[mid:, mid], L[mid::-1, mid]):
        above = np.flatnonzero(half > floor + VALLEY_RISE)
        reach.append(a[mid + above[0]] if above.size else SLICE_SPAN)
    return {
        "floor": floor,
        "reach": float(np.mean(reach)),
        "edge_ratio": float(L.max() / floor),
    }


# ------------------------------------------------------------ real networks

# (name, year, paper, weights): counts as stated in (or widely cited from) the
# papers that introduced them.
REAL_NETWORKS = (
    ("LeNet-5", 1998, "Gradient-based learning applied to document recognition", 60e3),
    (
        "AlexNet",
        2012,
        "ImageNet classification with deep convolutional neural networks",
        60e6,
    ),
    (
        "VGG-16",
        2015,
        "Very deep convolutional networks for large-scale image recognition",
        138e6,
    ),
    ("ResNet-50", 2016, "Deep residual learning for image recognition", 25e6),
    (
        "BERT-base",
        2019,
        "BERT: pre-training of deep bidirectional transformers "
        "for language understanding",
        110e6,
    ),
    ("GPT-2", 2019, "Language models are unsupervised multitask learners", 1.5e9),
    ("GPT-3", 2020, "Language models are few-shot learners", 175e9),
)


# ---------------------------------------------------------------- demos


DISTANCE_EDGES = np.linspace(0, 2, 41)  # bins of distance / mean distance


@functools.lru_cache(maxsize=1)
def distance_curves(max_dim: int):
    """Return dims, distance spread and histogram densities for d = 1 .. max_dim.

    All computed once (as distance_spread does, 150 points, seed 0), so the
    slider only looks them up.
    """
    dims = np.arange(1, max_dim + 1)
    spread = np.empty(max_dim)
    density = np.empty((max_dim, len(DISTANCE_EDGES) - 1))
    for d in dims:  # one vectorised call per dimension
        dist = pairwise_distances(int(d))
        spread[d - 1] = (dist.max() - dist.min()) / dist.min()
        density[d - 1] = np.histogram(
            dist / dist.mean(), bins=DISTANCE_EDGES, density=True
        )[0]
    return dims, spread, density


def curse_demo(dim: int = 2) -> widgets.Demo:
    """Grid size, ball share and distance spread against the dimension."""
    max_dim = 100
    dims, spread, densities = distance_curves(max_dim)
    shares = np.array([ball_share(int(d)) for d in dims])
    fig, (ax_grid, ax_ball, ax_dist) = plotting.new_figure(12.5, 4.0, ncols=3)
    with plotting.style():
        ax_grid.semilogy(dims, 10.0**dims, color=plotting.BLUE)
        ax_grid.axhline(1e80, color=plotting.GREY, ls="--", lw=1)
        ax_grid.text(
            1,
            1e80,
            "atoms in the visible universe, ~10^80",
            va="bottom",
            color=plotting.GREY,
        )
        (grid_dot,) = ax_grid.semilogy(
            [dim], [10.0**dim], "o", color=plotting.ORANGE, mec=plotting.BLACK, ms=10
        )
        ax_grid.set(xlabel="dimension d", ylabel="points in the grid")
        plotting.log_axis(ax_grid, "y", range(0, 101, 25))
        # Fixed titles, short values that change (fast demos, rule 4).
        ax_grid.set_title("A grid of 10 values per axis")
        value = {
            "ha": "left",
            "va": "top",
            "fontsize": 13,
            "color": plotting.ORANGE,
            "fontweight": "bold",
        }
        grid_note = ax_grid.text(0.03, 0.97, "", transform=ax_grid.transAxes, **value)

        ax_ball.semilogy(dims, shares, color=plotting.BLUE)
        (ball_dot,) = ax_ball.semilogy(
            [dim], [1.0], "o", color=plotting.ORANGE, mec=plotting.BLACK, ms=10
        )
        ax_ball.set(xlabel="dimension d", ylabel="share of the cube inside the ball")
        plotting.log_axis(ax_ball, "y", range(0, -71, -20))
        ax_ball.set_title("The cube's share inside its ball")
        ball_note = ax_ball.text(
            0.97, 0.97, "", transform=ax_ball.transAxes, **{**value, "ha": "right"}
        )

        stairs = ax_dist.stairs(
            np.zeros(40), DISTANCE_EDGES, fill=True, color=plotting.SKY, alpha=0.8
        )
        ax_dist.set(xlim=(0, 2), ylim=(0, 8), xlabel="distance / mean distance")
        ax_dist.set_ylabel("density of pairs")
        ax_dist.set_title("Distances among 150 random points")
        ax_dist.text(
            0.97,
            0.97,
            "(max − min) / min",
            transform=ax_dist.transAxes,
            ha="right",
            va="top",
            fontsize=12,
        )
        dist_note = ax_dist.text(
            0.97, 0.88, "", transform=ax_dist.transAxes, **{**value, "ha": "right"}
        )

    controls = {"dim": widgets.dim_slider(dim, min=1, max=max_dim)}

    def draw(dim):
        grid_dot.set_data([dim], [10.0**dim])
        grid_note.set_text(f"{plotting.power_of_ten(dim)} points")
        share = shares[dim - 1]
        ball_dot.set_data([dim], [share])
        ball_note.set_text(f"{share:.2g}")
        stairs.set_data(densities[dim - 1], DISTANCE_EDGES)
        ratio = spread[dim - 1]
        shown = f"{ratio:.2f}" if ratio < 10 else f"{ratio:.3g}"
        dist_note.set_text(shown)
        return (
            f"d = {dim}: a 10-point grid needs 10^{dim} points; "
            f"{share:.3g} of the cube lies in its ball; the farthest pair of "
            f"points is {ratio + 1:.3g} times as far apart as the nearest."
        )

    alt = (
        "Three panels against the dimension d. Left: the points a grid of 10 "
        "values per axis needs, 10^d, on a log scale, with a grey dashed line at "
        "10^80 (atoms in the visible universe). Middle: the share of the cube "
        "[−1, 1]^d inside its ball, on a log scale, falling faster than any "
        "exponential. On both an orange dot marks the chosen d, its value "
        "written in orange. Right: a histogram (light blue) of the distances "
        "among 150 random points in the unit cube, divided by their mean; it "
        "narrows around 1 as d grows, and the ratio (max − min) / min is "
        "written in orange."
    )
    demo = widgets.Demo(fig, controls, draw, alt=alt, exported=("dim",))
    return demo.warm_up("dim")


GOE_EDGES = np.linspace(-1.6, 1.6, 41)  # bins of the demo's eigenvalue histogram


@functools.lru_cache(maxsize=2)
def spectrum_histograms(max_dim: int = 30):
    """Return the demo's eigenvalue histograms for d = 1 .. max_dim, all at once.

    For each d: 20,000 eigenvalues (at least 200 matrices) of random d × d
    symmetric matrices (seed 1), scaled by 1/√(2d) so that the spectrum fills
    [−1, 1] for large d. Computed once for the whole slider, so that moving it
    costs no eigenvalues at all.

    Returns
    -------
    density : array of shape (max_dim, 40)
        Histogram densities over GOE_EDGES.
    negative : array of shape (max_dim,)
        Share of the eigenvalues below zero.
    """
    max_dim = _dim(max_dim, "max_dim", high=200)
    density = np.empty((max_dim, len(GOE_EDGES) - 1))
    negative = np.empty(max_dim)
    for d in range(1, max_dim + 1):  # one vectorised call per dimension
        evals = goe_eigenvalues(d, max(20_000 // d, 200), seed=1) / np.sqrt(2 * d)
        density[d - 1] = np.histogram(evals, bins=GOE_EDGES, density=True)[0]
        negative[d - 1] = (evals < 0).mean()
    return density, negative


def _goe_share_panel(ax, max_dim):
    """Draw the measured shares, the large-d law and the ring; return the ring."""
    measured = measured_fractions()
    counts = np.round(measured * GOE_SAMPLES)
    seen = counts > 0
    dims = MEASURED_DIMS
    dd = np.arange(1, max_dim + 1)
    ax.semilogy(
        dd,
        large_d_law(dd),
        "--",
        color=plotting.GREY,
        label="large-d law e^(−d² ln3/4), rate only",
    )
    low, high = wilson_interval(counts, GOE_SAMPLES)
    ax.plot(
        *plotting.vertical_segments(dims[seen], low[seen], high[seen]),
        color=plotting.BLUE,
    )
    ax.semilogy(
        dims[seen],
        measured[seen],
        "o",
        color=plotting.BLUE,
        ms=7,
        label=f"measured ({GOE_SAMPLES:,} matrices, 95 %)",
    )
    ax.semilogy(
        dims[~seen],
        high[~seen],
        "v",
        color=plotting.BLUE,
        mfc="none",
        ms=8,
        label="none seen: below this (95 %)",
    )
    ax.semilogy(
        [1, 2],
        [0.5, (2 - np.sqrt(2)) / 4],
        "x",
        color=plotting.BLACK,
        ms=10,
        mew=2,
        label="exact: ½ and (2 − √2)/4",
    )
    # A ring on the curve, not a line across the axes: it never crosses
    # the legend (rule 2), and the axis reaches d = max_dim.
    (ring,) = ax.semilogy(
        [], [], "o", ms=14, mfc="none", mec=plotting.ORANGE, mew=2.5, label="your d"
    )
    ring.set_zorder(5)
    ax.set(xlim=(0, max_dim + 1), ylim=(1e-110, 5), xlabel="dimension d")
    plotting.log_axis(ax, "y", range(0, -111, -20))
    ax.set_ylabel("share of critical points that are minima")
    ax.legend(loc="lower left")
    return ring


def goe_demo(dim: int = 3) -> widgets.Demo:
    """Share of random Hessians that are minima, and their eigenvalue histogram."""
    max_dim = 30
    densities, negatives = spectrum_histograms(max_dim)
    fig, (ax_frac, ax_hist) = plotting.new_figure(12.0, 4.4, ncols=2)
    with plotting.style():
        ring = _goe_share_panel(ax_frac, max_dim)
        ax_frac.set_title("Random Hessians with no way down")
        share_note = ax_frac.text(
            0.97,
            0.97,
            "",
            transform=ax_frac.transAxes,
            ha="right",
            va="top",
            fontsize=13,
            color=plotting.ORANGE,
            fontweight="bold",
        )
        stairs = ax_hist.stairs(
            np.zeros(40),
            GOE_EDGES,
            fill=True,
            color=plotting.SKY,
            alpha=0.8,
            label="eigenvalues",
        )
        x = np.linspace(-1.2, 1.2, 300)
        ax_hist.plot(
            x, semicircle(x), color=plotting.VERMILION, label="Wigner semicircle"
        )
        zero = ax_hist.axvline(0, color=plotting.BLACK, lw=1)
        zero.set_zorder(3)
        ax_hist.set(xlim=(-1.6, 1.6), ylim=(0, 1.0))
        ax_hist.set_xlabel("eigenvalue / √(2d)   (negative = a way down)")
        ax_hist.set_ylabel("density")
        ax_hist.set_title("Eigenvalues of random d × d Hessians")
        ax_hist.legend(loc="upper right")

    controls = {"dim": widgets.dim_slider(dim, min=1, max=max_dim)}

    def draw(dim):
        share, how = minima_share(dim)
        ring.set_data([dim], [share])
        share_note.set_text(f"d = {dim}: {share:.2g} ({how})")
        stairs.set_data(densities[dim - 1], GOE_EDGES)
        return (
            f"d = {dim}: {negatives[dim - 1]:.0%} of eigenvalues are negative; "
            f"a share {share:.2g} of random critical points have none ({how})."
        )

    alt = (
        "Left: the share of random symmetric d × d matrices with no negative "
        "eigenvalue (a minimum) against d, on a log scale from 1 down to 10⁻¹¹⁰. "
        "Blue dots with 95 % bars are measured from 20,000 matrices for d = 1 to 5; "
        "an open blue triangle at d = 6, where none was seen, marks the upper end "
        "of the 95 % interval; black crosses mark the exact values ½ and "
        "(2 − √2)/4; a grey dashed curve is the large-d law e^(−d² ln 3/4) of "
        "Dean and Majumdar, which gives the rate only; an orange ring marks the "
        "chosen d (on a measured point where there is one, on the law beyond). "
        "Right: a histogram (light blue) of the eigenvalues of random d × d "
        "matrices, scaled by √(2d), with Wigner's semicircle in vermilion and a "
        "black line at zero."
    )
    demo = widgets.Demo(fig, controls, draw, alt=alt, exported=("dim",))
    return demo.warm_up("dim")


def index_demo(tol: float = 1e-6, starts: int = CRITICAL_STARTS) -> widgets.Demo:
    """Critical points of a small network: loss against share of ways down."""
    found = critical_points()
    fig, (ax_pts, ax_tol) = plotting.new_figure(11.0, 4.2, ncols=2)
    with plotting.style():
        dots = ax_pts.scatter(
            [], [], s=[], color=plotting.BLUE, alpha=0.7, edgecolor=plotting.BLACK
        )
        ax_pts.set(xlim=(-0.03, 0.45), ylim=(-0.03, 0.6))
        ax_pts.set_xlabel("index: share of Hessian eigenvalues < 0")
        ax_pts.set_ylabel("loss at the critical point")
        ax_pts.text(
            0.99,
            0.02,
            "dot area: how many searches ended there",
            transform=ax_pts.transAxes,
            ha="right",
            color=plotting.GREY,
        )
        # A fixed title, a short count that changes (rule 4).
        ax_pts.set_title("Critical points: loss against index")
        kept_note = ax_pts.text(
            0.02, 0.97, "", transform=ax_pts.transAxes, ha="left", va="top", fontsize=12
        )

        edges = np.logspace(-16, 1, 35)
        stairs = ax_tol.stairs(np.zeros(34), edges, fill=True, color=plotting.SKY)
        ax_tol.set_xscale("log")
        tol_line = ax_tol.axvline(
            tol, color=plotting.VERMILION, lw=2, label="tolerance"
        )
        ax_tol.set(xlim=(1e-16, 10), ylim=(0, CRITICAL_STARTS * 0.6))
        plotting.log_axis(ax_tol, "x", range(-16, 1, 4))
        ax_tol.set_xlabel("|∇L| where the search stopped")
        ax_tol.set_ylabel("starts")
        ax_tol.set_title("Kept: left of the red line")
        ax_tol.legend(loc="upper right")

    controls = {
        "tol": widgets.log_slider(
            "gradient tolerance", tol, 1e-12, 1e-1, steps=22, fmt=".0e"
        ),
        "starts": widgets.restarts_slider(starts, min=20, max=CRITICAL_STARTS),
    }

    shown = {}  # the number of starts whose histogram is drawn

    def draw(tol, starts):
        loss = found["loss"][:starts]
        index = found["index"][:starts]
        gnorm = found["grad_norm"][:starts]
        keep = gnorm < tol
        # Many starts land on the same point (the network's symmetries): draw
        # each (index, loss) pair once, its area growing with the count.
        pairs = np.round(np.c_[index[keep], loss[keep]], 3)
        uniq, counts = (
            np.unique(pairs, axis=0, return_counts=True)
            if keep.any()
            else (np.zeros((0, 2)), np.zeros(0))
        )
        dots.set_offsets(uniq)
        dots.set_sizes(30 + 250 * counts / max(counts.max(initial=0), 1))
        if shown.get("starts") != starts:  # the tolerance leaves it as it is
            shown["starts"] = starts
            counts_by_bin = np.histogram(np.clip(gnorm, 1e-16, 9), bins=edges)[0]
            stairs.set_data(counts_by_bin, edges)
        tol_line.set_xdata([tol, tol])
        rho = spearman(loss[keep], index[keep]) if keep.sum() >= 2 else 0.0
        kept_note.set_text(f"{keep.sum()} of {starts} kept")
        return (
            f"Tolerance {tol:.0e}: {keep.sum()} critical points kept, "
            f"{len(uniq)} distinct; rank correlation of loss and index "
            f"ρ = {rho:.2f}."
        )

    alt = (
        "Left: critical points of a 1-3-1 tanh network fitting sin 2x, as blue "
        "dots, their index (share of Hessian eigenvalues below zero) across and "
        "their loss up; a dot's area grows with how many searches ended there; "
        "only points whose gradient is below the tolerance are shown. Right: a "
        "histogram of the gradient norm where each search stopped, on a log "
        "scale, with a vermilion line at the tolerance: the searches left of it "
        "are kept."
    )
    demo = widgets.Demo(fig, controls, draw, alt=alt, exported=("tol",))
    return demo.warm_up("tol")


def slice_demo(width: int = 8) -> widgets.Demo:
    """A filter-normalised 2-D slice of a trained network's loss."""
    fig, (ax_map, ax_cut) = plotting.new_figure(10.5, 4.2, ncols=2)
    a = np.linspace(-SLICE_SPAN, SLICE_SPAN, SLICE_GRID)
    with plotting.style():
        image = ax_map.imshow(
            np.zeros((SLICE_GRID, SLICE_GRID)),
            origin="lower",
            extent=(-SLICE_SPAN, SLICE_SPAN, -SLICE_SPAN, SLICE_SPAN),
            cmap=plotting.SURFACE_CMAP,
            aspect="equal",
            interpolation="bilinear",
            zorder=plotting.IMAGE_ZORDER,
        )
        fig.colorbar(image, ax=ax_map, label="log₁₀ loss (dark is low)", shrink=0.85)
        ax_map.plot(0, 0, "*", color="white", mec=plotting.BLACK, ms=14)
        ax_map.set(xlabel="direction δ₁", ylabel="direction δ₂")
        map_title = ax_map.set_title(" ")
        (cut1,) = ax_cut.semilogy(
            a, np.ones_like(a), color=plotting.BLUE, label="along δ₁"
        )
        (cut2,) = ax_cut.semilogy(
            a, np.ones_like(a), "--", color=plotting.ORANGE, label="along δ₂"
        )
        ax_cut.set(
            xlim=(-SLICE_SPAN, SLICE_SPAN),
            ylim=SLICE_LOSS_RANGE,
            xlabel="step along the direction",
        )
        ax_cut.set_ylabel("loss (cross-entropy)")
        plotting.log_axis(ax_cut, "y", range(-4, 3))
        ax_cut.set_title("Two cuts through the trained weights")
        ax_cut.legend(loc="upper center")

    controls = {"width": widgets.choice("hidden units", list(SLICE_WIDTHS), width)}
    slices = {}  # width -> loss_slice(width): five choices, each a training

    def draw(width):
        if width not in slices:
            slices[width] = loss_slice(width)
        _, L = slices[width]
        logL = np.log10(L)
        image.set_data(logL)
        image.set_clim(logL.min(), logL.max())
        mid = SLICE_GRID // 2
        cut1.set_ydata(L[mid])
        cut2.set_ydata(L[:, mid])
        dim = MLP([2, width, 1]).dim
        map_title.set_text(f"2-{width}-1 network ({dim} weights) on moons")
        return (
            f"{width} hidden units, {dim} weights: loss {L[mid, mid]:.3f} at the "
            f"trained weights, up to {L.max():.2f} at the edge of the slice."
        )

    alt = (
        "Left: a map of the log of the loss of a network trained on the two "
        "moons, on a 2-D slice through its trained weights (a white star at the "
        "centre) along two filter-normalised random directions; dark is low. "
        "Right: the loss on a log scale along the two axes of the slice through "
        "the star, a blue line along the first direction and a dashed orange "
        "line along the second."
    )
    demo = widgets.Demo(fig, controls, draw, alt=alt, exported=("width",))
    return demo


# --------------------------------- a trained model whose size a slider sets

SPIN_DIMS = (4, 8, 12, 16, 20, 24, 28, 32)  # weights N of the spin-glass demo
SPIN_LOSS_RANGE = (-2.0, -0.4)  # loss per weight shown in the strip of ends


@functools.lru_cache(maxsize=32)
def spin_sweep(lr: float = 0.15, noise: float = 0.0) -> dict:
    """Train the spin-glass demo's runs for every N of SPIN_DIMS.

    Six problems (draws of the couplings) per N, 25 restarts each, 100 steps
    of gradient descent (`spin_glass.train_ends`).

    Returns
    -------
    dict of arrays
        ``loss`` and ``poor`` (dims, 25, 6): each run's end (loss per weight,
        NaN if diverged) and whether it is poor (`spin_glass.poor_ends`);
        ``spread`` (dims, 6): the standard deviation of each problem's ends;
        ``poor_share`` (dims, 6): each problem's share of poor ends;
        ``diverged`` (dims,): runs that diverged at each N.
    """
    loss, poor, diverged = [], [], []
    for dim in SPIN_DIMS:
        ends, div = spin_glass.train_ends(dim, lr=lr, noise=noise)
        loss.append(ends)
        poor.append(spin_glass.poor_ends(ends, div))
        diverged.append(int(div.sum()))
    loss, poor = np.array(loss), np.array(poor)
    finite = np.isfinite(loss)
    count = np.maximum(finite.sum(axis=1), 1)
    mean = np.where(finite, loss, 0.0).sum(axis=1) / count
    spread = np.sqrt((np.where(finite, loss - mean[:, None], 0.0) ** 2).sum(1) / count)
    spread[finite.sum(axis=1) == 0] = np.nan  # every run diverged
    out = {
        "loss": loss,
        "poor": poor,
        "spread": spread,
        "poor_share": poor.mean(axis=1),
        "diverged": np.array(diverged),
    }
    for value in out.values():
        value.flags.writeable = False
    return out


def _mean_of_finite(values, axis=None):
    """Return the mean over `axis` of the finite values (NaN where there are none)."""
    values = np.asarray(values, dtype=float)
    finite = np.isfinite(values)
    total = np.where(finite, values, 0.0).sum(axis=axis)
    count = finite.sum(axis=axis)
    return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def _trend_panel(ax, ylabel, ylim, colour):
    """Lay out one 'against N' panel; return its dots, mean line and ring."""
    dims = np.array(SPIN_DIMS)
    dots = ax.scatter(
        np.repeat(dims, 6),
        np.zeros(dims.size * 6),
        s=16,
        color=plotting.GREY,
        label="each problem",
        zorder=5,
    )
    (line,) = ax.plot([], [], "o-", color=colour, label="mean of 6", zorder=6)
    (ring,) = ax.plot(
        [],
        [],
        "o",
        ms=15,
        mfc="none",
        mec=plotting.ORANGE,
        mew=2.5,
        label="your N",
        zorder=7,
    )
    ax.set(xlim=(2, 34), ylim=ylim, xlabel="weights N", ylabel=ylabel)
    ax.set_xticks([4, 8, 16, 24, 32])
    ax.legend(loc="upper right")
    return dots, line, ring


def _spin_sentence(dim, sweep, i):
    poor = sweep["poor_share"][i].mean()
    spread = _mean_of_finite(sweep["spread"][i])
    text = (
        f"N = {dim}: {poor:.0%} of runs end more than {spin_glass.POOR_GAP} "
        f"above their problem's best; spread of the ends {spread:.3f}"
    )
    if sweep["diverged"][i]:
        text += f"; {sweep['diverged'][i]} of 150 runs diverged"
    return text + "."


def spin_ends_demo(dim: int = 8, lr: float = 0.15, noise: float = 0.0):
    """Where gradient-descent runs end on the spin glass, against its size N."""
    fig, (ax_strip, ax_spread, ax_poor) = plotting.new_figure(12.5, 4.4, ncols=3)
    lo, hi = SPIN_LOSS_RANGE
    jitter = np.random.default_rng(0).uniform(-0.3, 0.3, (25, 6))
    rows = (np.arange(6)[None, :] + jitter).ravel()
    blue, red = mcolors.to_rgba(plotting.BLUE), mcolors.to_rgba(plotting.VERMILION)
    with plotting.style():
        ax_strip.axvspan(
            -spin_glass.ground_state(),
            -spin_glass.THRESHOLD,
            color=plotting.GREEN,
            alpha=0.5,
            lw=0,
            label="minima for large N",
        )
        ends = ax_strip.scatter(np.full(rows.size, lo), rows, s=14, lw=0, zorder=5)
        (bests,) = ax_strip.plot(
            [],
            [],
            "|",
            color=plotting.BLACK,
            ms=14,
            mew=2,
            label="best run",
            zorder=6,
        )
        ax_strip.scatter([], [], s=14, color=plotting.BLUE, label="near the best")
        ax_strip.scatter([], [], s=14, color=plotting.VERMILION, label="poor end")
        ax_strip.set(xlim=(lo, hi), ylim=(-0.6, 8.4))
        ax_strip.set_xlabel("loss per weight at the end")
        ax_strip.set_yticks(range(6), [str(k + 1) for k in range(6)])
        ax_strip.set_ylabel("problem")
        ax_strip.legend(loc="upper right", ncols=2)
        ax_strip.set_title("Where 25 runs end")
        spread_art = _trend_panel(
            ax_spread, "spread of the ends", (0, 0.45), plotting.BLUE
        )
        ax_spread.set_title("Ends become alike")
        poor_art = _trend_panel(
            ax_poor, "share of poor ends", (-0.02, 1.0), plotting.VERMILION
        )
        ax_poor.set_title("Poor ends become rare")
    controls = {
        "dim": widgets.int_slider("weights N", dim, SPIN_DIMS[0], SPIN_DIMS[-1], 4),
        "lr": widgets.lr_slider(
            lr, min=0.02, max=0.3, steps=20, continuous_update=False
        ),
        "noise": widgets.noise_slider(
            noise, max=4.0, step=0.5, continuous_update=False
        ),
    }
    dims = np.array(SPIN_DIMS)

    def draw(dim, lr, noise):
        sweep = spin_sweep(round(float(lr), 6), round(float(noise), 6))
        i = SPIN_DIMS.index(dim)
        for (dots, line, ring), key in (
            (spread_art, "spread"),
            (poor_art, "poor_share"),
        ):
            values = sweep[key]
            dots.set_offsets(np.c_[np.repeat(dims, 6), values.ravel()])
            line.set_data(dims, _mean_of_finite(values, axis=1))
            ring.set_data([dim], [line.get_ydata()[i]])
        loss = sweep["loss"][i]
        ends.set_offsets(
            np.c_[np.clip(np.nan_to_num(loss, nan=hi), lo, hi).ravel(), rows]
        )
        ends.set_facecolor(np.where(sweep["poor"][i].ravel()[:, None], red, blue))
        best = np.where(np.isnan(loss), np.inf, loss).min(axis=0)
        bests.set_data(np.clip(best, lo, hi), np.arange(6))
        return _spin_sentence(dim, sweep, i)

    alt = (
        "Three panels about gradient descent on the spherical 3-spin glass, six "
        "random problems of N weights, 25 runs each. Left: a strip for each "
        "problem of the loss per weight where each run ended; blue dots end "
        "within 0.3 of their problem's best run (a black tick), vermilion dots "
        "are poor ends, and a green band marks where minima lie for large N. "
        "Middle: the spread (standard deviation) of the ends against N, a grey "
        "dot per problem and a blue line for the mean. Right: the share of poor "
        "ends against N, grey dots per problem and a vermilion line for the "
        "mean. An orange ring marks the chosen N on both."
    )
    demo = widgets.Demo(fig, controls, draw, alt=alt, exported=("dim",))
    return demo.warm_up("dim")


SEARCH_DIMS = (8, 16, 24, 32)  # N of the critical-point demo


@functools.lru_cache(maxsize=4)
def spin_critical_points(dim: int = 16) -> dict:
    """Return `spin_glass.critical_points(dim)` (cached), arrays read-only."""
    found = spin_glass.critical_points(dim)
    for key in ("loss", "index", "curvatures"):
        found[key].flags.writeable = False
    return found


def spin_index_demo(dim: int = 16):
    """Critical points of one spin glass: index against loss, with the theory."""
    fig, (ax_pts, ax_eig) = plotting.new_figure(11.5, 4.4, ncols=2)
    e0 = spin_glass.ground_state()
    u = np.linspace(-e0 - 0.1, e0 + 0.1, 300)
    edges = np.linspace(-1.6, 1.6, 33)
    scale = 2 * math.sqrt(6)  # the semicircle's radius for p = 3
    with plotting.style():
        ax_pts.plot(
            spin_glass.index_at_loss(u),
            u,
            color=plotting.BLACK,
            lw=1.5,
            label="large-N theory",
        )
        ax_pts.axvline(
            0.5,
            color=plotting.GREY,
            ls="--",
            lw=1.5,
            label="random Hessian, blind to loss",
        )
        dots = ax_pts.scatter(
            [],
            [],
            s=30,
            color=plotting.BLUE,
            alpha=0.7,
            edgecolor=plotting.BLACK,
            lw=0.5,
            label="critical points found",
            zorder=5,
        )
        ax_pts.set(xlim=(-0.03, 1.03), ylim=(-1.9, 1.9))
        ax_pts.set_xlabel("index: share of curvatures < 0")
        ax_pts.set_ylabel("loss per weight")
        ax_pts.legend(loc="upper left")
        ax_pts.set_title("Index against loss")
        raw = ax_eig.stairs(
            np.zeros(64),
            np.linspace(-3.2, 3.2, 65),
            color=plotting.GREY,
            lw=1.5,
            label="as found",
            zorder=5,
        )
        shifted = ax_eig.stairs(
            np.zeros(32),
            edges,
            fill=True,
            color=plotting.SKY,
            alpha=0.8,
            label="shifted by 3 × loss",
        )
        x = np.linspace(-1.2, 1.2, 300)
        ax_eig.plot(
            x,
            semicircle(x),
            color=plotting.VERMILION,
            label="Wigner semicircle",
            zorder=6,
        )
        ax_eig.set(xlim=(-3.2, 3.2), ylim=(0, 1.0))
        ax_eig.set_xlabel("curvature / (2√6)")
        ax_eig.set_ylabel("density")
        ax_eig.legend(loc="upper right")
        ax_eig.set_title("One semicircle, moved by the loss")
    controls = {
        "dim": widgets.int_slider(
            "weights N",
            dim,
            SEARCH_DIMS[0],
            SEARCH_DIMS[-1],
            8,
            continuous_update=False,
        ),
    }
    wide = np.linspace(-3.2, 3.2, 65)

    def draw(dim):
        found = spin_critical_points(dim)
        loss, index, curv = found["loss"], found["index"], found["curvatures"]
        dots.set_offsets(np.c_[index, loss])
        raw.set_data(np.histogram(curv / scale, wide, density=True)[0], wide)
        moved = (curv + 3 * loss[:, None]) / scale
        shifted.set_data(np.histogram(moved, edges, density=True)[0], edges)
        return _index_sentence(dim, found)

    alt = (
        "Left: critical points of one spherical 3-spin glass with N weights, "
        "found from 208 starts; each blue dot is one point, its index (share of "
        "curvatures below zero) across, its loss per weight up. A black curve is "
        "the large-N theory (Auffinger, Ben Arous and Černý), a grey dashed line "
        "the random-matrix model of the section above, which puts half the "
        "directions downhill at any loss. Right: histograms of all the points' "
        "curvatures, as found (grey outline) and each point's shifted by three "
        "times its loss per weight (light blue), with Wigner's semicircle in "
        "vermilion."
    )
    # No warm-up: its one control acts on release, and every other N is a
    # fresh search (up to a second), not worth making while the cell runs.
    demo = widgets.Demo(fig, controls, draw, alt=alt, exported=("dim",))
    return demo


def _index_sentence(dim, found) -> str:
    loss, index = found["loss"], found["index"]
    minima = index == 0
    gap = np.abs(index - spin_glass.index_at_loss(loss)).mean()
    return (
        f"N = {dim}: {len(loss)} of {found['starts']} searches reached a critical "
        f"point; {minima.sum()} are minima, at loss per weight "
        f"{loss[minima].min():.2f} to {loss[minima].max():.2f}; the index differs "
        f"from the large-N theory by {gap:.3f} on average."
    )


# ----------------------------------------------------- predict first


def predict_ball_share() -> Prediction:
    """Predict first: the share of the 50-D cube inside its ball."""
    return Prediction(
        {
            "about half": "Close to the truth in 2-D (0.785) and 3-D (0.52), but "
            "every added dimension cuts the share further: it never levels off.",
            "about 1 %": "Closer, but the share falls faster than any "
            "exponential: at d = 50 it is far below 1 %.",
            "less than one in a trillion": "Yes: the corners take almost all of "
            "the volume.",
            "exactly zero": "The ball never has zero volume: the share is tiny "
            "but positive for every d.",
        },
        answer="less than one in a trillion",
        explanation="At d = 50 the share is about 1.5 × 10⁻²⁸: almost all of "
        "the cube's volume lies in its corners, outside the ball.",
        prompt="At d = 50, what share of the cube lies inside its ball?",
    )


def predict_minima_share() -> Prediction:
    """Predict first: the share of random 10 × 10 Hessians that are minima."""
    return Prediction(
        {
            "about ½, as in 1-D": "In 1-D a single eigenvalue is a coin flip; a "
            "minimum in d dimensions needs all d of them positive at once.",
            "about 1/1,000 (2⁻¹⁰: ten coin flips)": "That would hold if the ten "
            "eigenvalues were independent coins. They are not: eigenvalues of a "
            "random symmetric matrix repel each other, so all ten on one side "
            "is far rarer.",
            "less than 1/10,000": "Yes: already at d = 6 not one of 20,000 "
            "matrices was a minimum.",
        },
        answer="less than 1/10,000",
        explanation="At d = 5 one in 10,000 random Hessians had no negative "
        "eigenvalue, at d = 6 none of 20,000, and the share only falls from "
        "there: for large d like e^(−0.27 d²).",
        prompt="At d = 10, what share of random Hessians are minima?",
    )


def predict_index() -> Prediction:
    """Predict first: ways down at a network's critical points with a high loss."""
    return Prediction(
        {
            "few: a high point is a trap": "A trap would be a minimum, with no "
            "way down at all; the high critical points here have the most.",
            "many": "Yes: the higher the loss, the more directions lead down.",
            "no pattern": "There is one: loss and index rise together (their "
            "rank correlation is printed under the picture).",
        },
        answer="many",
        explanation="The higher the loss of a critical point, the larger its "
        "index: high critical points are saddles with many ways down, and the "
        "minima sit at the bottom.",
        prompt="At a critical point with a high loss, how many directions lead down?",
    )


def predict_slice() -> Prediction:
    """Predict first: how the valley around trained weights changes with width."""
    return Prediction(
        {
            "wider and shallower": "Not shallower: the floor falls from 0.23 "
            "(2 units) to 0.0002 (32 units).",
            "about as wide, much deeper": "Yes, in this slice: the floor falls "
            "a thousandfold while the valley's width hardly moves.",
            "narrower and deeper": "Deeper, yes; but measured by how far you can "
            "step before the loss rises by 0.05, the valley keeps its width.",
        },
        answer="about as wide, much deeper",
        explanation="Wider networks reach a far lower floor, and in "
        "filter-normalised units the loss rises by 0.05 within 0.2 to 0.3 of a "
        "step at every width.",
        prompt="With more hidden units, what happens to the valley?",
    )


def predict_spin_ends() -> Prediction:
    """Predict first: where training runs end as the spin glass grows."""
    return Prediction(
        {
            "they spread out: more weights, more bad minima": "There are indeed "
            "far more minima with more weights, but almost all of them lie in a "
            "thin band of nearly equal loss.",
            "they crowd together near the best": "Yes: drag N and watch the "
            "spread and the share of poor ends fall.",
            "nothing changes": "Drag N: the spread of the ends and the share of "
            "poor ends both fall.",
        },
        answer="they crowd together near the best",
        explanation="With more weights the runs end alike, at nearly the same "
        "loss per weight, and a run that ends far above its problem's best "
        "becomes rare.",
        prompt="As N grows from 4 to 32, where do the runs end?",
    )


def predict_spin_index() -> Prediction:
    """Predict first: what sets the share of ways down at a critical point."""
    return Prediction(
        {
            "chance: about half, at any loss": "That is the random-matrix model "
            "of the section above; it leaves out how the Hessian depends on "
            "the loss.",
            "the loss: the lower, the fewer ways down": "Yes: the points line "
            "up on one curve.",
            "always exactly one way down": "That describes only the saddles "
            "nearest the minima; high critical points have many ways down.",
        },
        answer="the loss: the lower, the fewer ways down",
        explanation="At a critical point of the spin glass the Hessian is a "
        "random matrix shifted by three times the loss per weight, so the loss "
        "sets how many eigenvalues fall below zero.",
        prompt="At a critical point of the spin glass, what sets the share of "
        "ways down?",
    )


# ---------------------------------------------------------------- exercises


def ex05_ball_share(answer, dim: int = 3) -> Feedback:
    """Check the share of the cube [−1, 1]^d inside its inscribed ball."""
    return check_number(
        answer,
        ball_share(dim),
        rel=0.02,
        hint="The unit ball in 3-D has volume 4π/3; the cube [−1, 1]³ has volume 8.",
    )


def shell_share(dim: int, thickness: float = 0.01) -> float:
    """Return the share of a d-ball's volume within `thickness` of its surface.

    The inner ball of radius 1 − thickness holds (1 − thickness)^d of the
    volume, so the shell holds the rest.
    """
    d = _dim(dim)
    if not (isinstance(thickness, (int, float)) and 0 < thickness < 1):
        raise ValueError(f"thickness must be a number in (0, 1); got {thickness!r}")
    return 1.0 - (1.0 - thickness) ** d


def ex05_shell_share(answer, dim: int = 100) -> Feedback:
    """Check the share of a 100-D ball's volume within 1 % of its surface."""
    value = as_number(answer)
    if isinstance(value, Feedback):
        return value
    expected = shell_share(dim)  # 0.634 for d = 100
    if abs(value - expected) <= 0.005:
        return Feedback(
            True,
            f"{value:.3g} is right: 1 − 0.99^{dim} = {expected:.3f}. Nearly two "
            "thirds of the volume lies in a skin 1 % thick.",
        )
    hint = f"Volume grows like r^{dim}: what share lies inside radius 0.99?"
    wrong = {
        1 - expected: "is the share inside radius 0.99, the core, not the shell. "
        "Subtract it from 1.",
        0.01: "is the shell's share of the radius; volume grows much faster.",
        100 * expected: "looks like a percentage: give a share between 0 and 1.",
        0.01 * dim: f"is 1 % × {dim}: that adds the dimensions instead of "
        "multiplying the factors 0.99.",
    }
    for near, why in wrong.items():
        if abs(value - near) <= 0.005 * max(1.0, abs(near)):
            return Feedback(False, f"{value:.3g} {why}", hint)
    return Feedback(False, f"{value:.3g} is not it.", hint)


def ex05_grid_points(answer, k: int = 10, dim: int = 17) -> Feedback:
    """Check how many points a grid of k values per weight needs in dim weights."""
    value = as_number(answer)
    if isinstance(value, Feedback):
        return value
    expected = grid_points(k, dim)
    hint = f"With {k} values for each of {dim} weights, every combination is a point."
    if not value > 0:
        return Feedback(False, f"{value:.3g} is not a number of points.", hint)
    off = math.log10(value) - math.log10(expected)
    if abs(off) < 0.01:
        return Feedback(True, f"{k}^{dim} = {expected:.3g} points.")
    if abs(value - k * dim) < 0.5:
        return Feedback(False, f"{value:.3g} = {k} × {dim}: a grid multiplies.", hint)
    if abs(math.log10(value) - k * math.log10(dim)) < 0.01:
        return Feedback(
            False, f"{value:.3g} = {dim}^{k}: base and exponent swapped.", hint
        )
    if abs(abs(off) - 1) < 0.01:
        return Feedback(
            False, f"{value:.3g} is off by a factor of {k}: count the weights.", hint
        )
    return Feedback(False, f"{value:.3g} is not it.", hint)


def ex05_typical_point(answer) -> Feedback:
    """Check what a critical point with a high loss in a big network most likely is."""
    return check_choice(
        answer,
        "saddle",
        ("minimum", "maximum", "saddle"),
        feedback={
            "minimum": "A minimum needs every one of its million curvatures "
            "positive at once; at a high loss that is the rarest kind of all "
            "(the spin glass above had none there).",
            "maximum": "A maximum needs every curvature negative, as rare as a "
            "minimum: high critical points have many ways down, but keep some "
            "ways up.",
        },
        aliases={
            "saddle point": "saddle",
            "local minimum": "minimum",
            "local maximum": "maximum",
        },
        why="With a million curvatures some are almost surely negative and some "
        "positive; and the higher the loss, the more of them lead down.",
    )


def share_of_minima(dim: int, shift: float, n: int, seed: int) -> float:
    """Return the share of n random symmetric matrices + shift·I with no eigenvalue < 0.

    The reference for exercise 4: A with independent standard normal entries,
    H = (A + Aᵀ)/2 + shift·I, a minimum when every eigenvalue of H is > 0.
    """
    rng = generator(seed, allow_none=False)
    a = rng.standard_normal((_dim(n, "n", 10**5), _dim(dim, high=50), dim))
    h = (a + np.swapaxes(a, 1, 2)) / 2 + shift * np.eye(dim)
    return float((np.linalg.eigvalsh(h)[:, 0] > 0).mean())


# Cases the notebook never shows: other sizes, shifts of both signs, other seeds.
SHARE_CASES = (
    (2, 0.0, 20_000, 3),
    (3, 1.5, 20_000, 11),
    (6, 3.0, 20_000, 5),
    (1, -0.5, 20_000, 2),
    (4, 2.0, 20_000, 7),
)
# A learner's own draws differ from ours: two estimates from 20,000 draws
# differ by at most √(2 × 0.25 / 20,000) = 0.005 (one standard deviation), so
# 0.025 is five standard deviations: a right answer fails one of the five
# cases with probability below 3e-6. The nearest wrong answers (shift left
# out, subtracted, or one eigenvalue > 0 instead of all) are off by 0.1 or
# more in some case (tests/test_s05_high_dimensionality.py checks).
SHARE_ATOL = 0.025


def _share_mistake(got, expected, args) -> str:
    dim, shift, n, seed = args
    got = np.asarray(got, dtype=float)
    if got.size != 1:
        return "Return one number: the share, between 0 and 1."
    got = float(got.ravel()[0])
    if got > 1:
        return "Return the share (a count divided by n), not the count."
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((n, dim, dim))
    sym = (a + np.swapaxes(a, 1, 2)) / 2
    guesses = {
        "Did you leave the shift out?": share_of_minima(dim, 0.0, n, seed),
        "Did you subtract the shift?": share_of_minima(dim, -shift, n, seed),
        "A minimum needs every eigenvalue positive, not only the largest.": float(
            (np.linalg.eigvalsh(sym + shift * np.eye(dim))[:, -1] > 0).mean()
        ),
    }
    message, value = min(guesses.items(), key=lambda item: abs(got - item[1]))
    if abs(got - value) < SHARE_ATOL < abs(expected - value):
        return message
    return (
        "Draw A with rng.standard_normal((n, dim, dim)), symmetrise it, add "
        "shift × identity, and count the matrices whose smallest eigenvalue is > 0."
    )


def ex05_share_of_minima(fn) -> Feedback:
    """Check the learner's Monte Carlo estimate of the share of minima."""
    return check_function(
        fn,
        share_of_minima,
        SHARE_CASES,
        name="share_of_minima",
        rtol=0.0,
        atol=SHARE_ATOL,
        diagnose=_share_mistake,
    )


DEMOS = {
    "curse": curse_demo,
    "goe": goe_demo,
    "index": index_demo,
    "slice": slice_demo,
    "spin_ends": spin_ends_demo,
    "spin_index": spin_index_demo,
}
