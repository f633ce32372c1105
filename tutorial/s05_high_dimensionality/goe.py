"""Saddles outnumber minima: random Hessians (the GOE), the share of minima by
dimension, and the demo.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from .. import plotting, widgets
from ..intervals import wilson_interval
from ..seeding import generator
from ._common import _dim, semicircle


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
