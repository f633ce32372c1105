"""Notebook 05, high dimensionality: what changes when there are many weights.

Grids become impossible, volume hides in corners and distances all look alike
(the curse of dimensionality). Critical points are mostly saddles: a random
symmetric Hessian is almost never positive definite, and among the critical
points of a real network, the higher the loss, the more directions lead down
(Dauphin et al. 2014). A 2-D slice through a trained network's loss shows
what the surface looks like near a solution (Li et al. 2018).
"""

from __future__ import annotations

import functools
import math

import numpy as np

from . import datasets, plotting, widgets
from .checks import Feedback, as_number, check_choice, check_number
from .nn import MLP
from .optimizers import optimize
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
    "ex05_ball_share",
    "ex05_grid_points",
    "ex05_typical_point",
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


# ------------------------------------------------------------ real networks

# (name, year, paper, weights): counts as stated in (or widely cited from) the
# papers that introduced them.
REAL_NETWORKS = (
    ("LeNet-5", 1998, "Gradient-based learning applied to document recognition",
     60e3),
    ("AlexNet", 2012, "ImageNet classification with deep convolutional neural "
     "networks", 60e6),
    ("VGG-16", 2015, "Very deep convolutional networks for large-scale image "
     "recognition", 138e6),
    ("ResNet-50", 2016, "Deep residual learning for image recognition", 25e6),
    ("BERT-base", 2019, "BERT: pre-training of deep bidirectional transformers "
     "for language understanding", 110e6),
    ("GPT-2", 2019, "Language models are unsupervised multitask learners", 1.5e9),
    ("GPT-3", 2020, "Language models are few-shot learners", 175e9),
)  # fmt: skip


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

    return widgets.Demo(fig, controls, draw).warm_up("dim")


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


def goe_demo(dim: int = 3) -> widgets.Demo:
    """Share of random Hessians that are minima, and their eigenvalue histogram."""
    measured = measured_fractions()
    a, c = fit_decay(MEASURED_DIMS, measured)
    max_dim = 30
    densities, negatives = spectrum_histograms(max_dim)
    fig, (ax_frac, ax_hist) = plotting.new_figure(11.0, 4.2, ncols=2)
    with plotting.style():
        dd = np.linspace(1, 12, 100)
        ax_frac.semilogy(
            dd,
            np.exp(a - c * dd**2),
            color=plotting.GREY,
            label=f"fit exp({a:.2f} − {c:.2f}·d²)",
        )
        seen = measured > 0
        ax_frac.semilogy(
            MEASURED_DIMS[seen],
            measured[seen],
            "o",
            color=plotting.BLUE,
            ms=8,
            label="measured (20,000 matrices)",
        )
        ax_frac.semilogy(
            [1, 2],
            [0.5, (2 - np.sqrt(2)) / 4],
            "x",
            color=plotting.BLACK,
            ms=10,
            mew=2,
            label="exact: ½ and (2 − √2)/4",
        )
        # A ring on the curve, not a line across the axes: it never crosses
        # the legend (rule 2).
        (marker,) = ax_frac.semilogy(
            [], [], "o", ms=14, mfc="none", mec=plotting.ORANGE, mew=2.5, label="your d"
        )
        ax_frac.set(xlim=(0.5, 12.5), ylim=(1e-18, 1), xlabel="dimension d")
        plotting.log_axis(ax_frac, "y", range(0, -19, -3))
        ax_frac.set_ylabel("share of critical points that are minima")
        frac_title = ax_frac.set_title(" ")
        ax_frac.legend(loc="lower left", fontsize=9)

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
        ax_hist.legend(loc="upper right", fontsize=9)

    controls = {"dim": widgets.dim_slider(dim, min=1, max=max_dim)}

    def draw(dim):
        if dim <= MEASURED_DIMS[-1] and measured[dim - 1] > 0:
            share = measured[dim - 1]
            how = "measured"
        else:
            share = float(np.exp(a - c * dim**2))
            how = "from the fit"
        marker.set_data([dim], [share])
        frac_title.set_text(f"d = {dim}: {share:.2g} are minima ({how})")
        stairs.set_data(densities[dim - 1], GOE_EDGES)
        negative = negatives[dim - 1]
        return (
            f"d = {dim}: {negative:.0%} of eigenvalues are negative, and only "
            f"{share:.2g} of random critical points have none ({how})."
        )

    return widgets.Demo(fig, controls, draw).warm_up("dim")


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

    return widgets.Demo(fig, controls, draw).warm_up("tol")


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

    return widgets.Demo(fig, controls, draw)


# ---------------------------------------------------------------- exercises


def ex05_ball_share(answer, dim: int = 3) -> Feedback:
    """Check the share of the cube [−1, 1]^d inside its inscribed ball."""
    return check_number(
        answer,
        ball_share(dim),
        rel=0.02,
        hint="The unit ball in 3-D has volume 4π/3; the cube [−1, 1]³ has volume 8.",
    )


def ex05_grid_points(answer, k: int = 10, dim: int = 17) -> Feedback:
    """Check how many points a grid of k values per weight needs in dim weights."""
    value = as_number(answer)
    if isinstance(value, Feedback):
        return value
    expected = grid_points(k, dim)
    if value > 0 and abs(math.log10(value) - math.log10(expected)) < 0.01:
        return Feedback(True, f"{k}^{dim} = {expected:.3g} points.")
    return Feedback(
        False,
        f"{value:.3g} is not it.",
        f"With {k} values for each of {dim} weights, every combination is a point.",
    )


def ex05_typical_point(answer) -> Feedback:
    """Check what a random critical point of a big network most likely is."""
    return check_choice(
        answer,
        "saddle",
        ("minimum", "maximum", "saddle"),
        hint="Look at the share of random Hessians with no negative eigenvalue "
        "at d = 10, and imagine d = 10⁶.",
        why="With many weights, some of the many curvatures are almost surely "
        "negative and some positive.",
    )


DEMOS = {
    "curse": curse_demo,
    "goe": goe_demo,
    "index": index_demo,
    "slice": slice_demo,
}
