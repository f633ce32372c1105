"""The curse of dimensionality: grids, the ball in the cube, and distances that all
look alike; and the demo.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from .. import plotting, widgets
from ..seeding import generator
from ._common import _dim


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
            f"atoms in the universe ≈ {plotting.power_of_ten(80)}",
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
