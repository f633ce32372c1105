"""Basins of attraction: where each start on Himmelblau's surface ends, and the demo."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from matplotlib.colors import to_rgb

from .. import landscapes, plotting, widgets
from ..landscapes import Landscape
from ..optimizers import optimize
from ._common import UNSETTLED

BASIN_GRID = 90  # starts per side: 8,100 runs in one call
BASIN_STEPS = 120
BASIN_COLOURS = [plotting.BLUE, plotting.ORANGE, plotting.GREEN, plotting.PURPLE]


LIGHT = 0.6  # runs near a minimum but still moving: its colour, 60% towards white
SETTLED_STEP = 1e-3  # a run whose last step is shorter than this has settled


def basin_labels(landscape: Landscape, final: np.ndarray, tol: float = 0.05):
    """Return, for each end point, the index of the known minimum it reached.

    Parameters
    ----------
    landscape : Landscape
        A surface with known `minima` of shape (k, dim).
    final : array of shape (n, dim)
        End points of n runs.
    tol : float
        A run has reached a minimum if it ends closer than `tol` to it.

    Returns
    -------
    int array of shape (n,)
        Index into `landscape.minima`, or -1 for runs that reached none.
    """
    dist = np.linalg.norm(final[:, None, :] - landscape.minima[None], axis=-1)
    nearest = dist.argmin(1)
    return np.where(dist.min(1) < tol, nearest, -1)


class BasinMap(NamedTuple):
    """Where descent from each start of a grid ends (see `basin_map`)."""

    labels: np.ndarray  # (n, n) int: the minimum reached, -1 for none
    moving: np.ndarray  # (n, n) bool: near that minimum but still moving
    extent: tuple  # (left, right, bottom, top) of the grid, for `imshow`


def basin_map(lr: float = 0.01, noise: float = 0.0, n: int = BASIN_GRID, seed: int = 0):
    """Run descent on Himmelblau's surface from every point of an n × n grid.

    A run ends *near* a minimum if it is within 0.5 of it after BASIN_STEPS
    steps; it has *settled* there if its last step was shorter than
    SETTLED_STEP. Runs near a minimum that have not settled are still on
    their way, bouncing round it (a step too large for its curvature), or
    kicked about by the noise.

    Returns
    -------
    BasinMap
        ``labels`` (n, n): the minimum each start ends near (-1: none, or
        diverged); ``moving`` (n, n): True where that run has not settled;
        ``extent``.
    """
    land = landscapes.get("himmelblau")
    low, high = land.bounds
    xs = np.linspace(low[0], high[0], n)
    ys = np.linspace(low[1], high[1], n)
    starts = np.stack(np.meshgrid(xs, ys), -1).reshape(-1, 2)
    # Rows 0, BASIN_STEPS - 1 and BASIN_STEPS: the last step's length.
    runs = optimize(
        land,
        starts,
        lr=lr,
        steps=BASIN_STEPS,
        noise=noise,
        seed=seed,
        every=BASIN_STEPS - 1,
    )
    labels = basin_labels(land, runs.final, tol=0.5)
    labels[runs.diverged] = -1
    last_step = np.linalg.norm(runs.path[-1] - runs.path[-2], axis=-1)
    moving = (labels >= 0) & ~(last_step < SETTLED_STEP)
    return BasinMap(
        labels.reshape(n, n), moving.reshape(n, n), (low[0], high[0], low[1], high[1])
    )


def _basin_palette() -> np.ndarray:
    """Return the colours of `_rgb`: settled, then light (moving), then none."""
    solid = np.array([to_rgb(c) for c in BASIN_COLOURS])
    light = solid + LIGHT * (1 - solid)  # the same hue, mixed with white
    return np.r_[solid, light, [to_rgb(UNSETTLED)]]


def _rgb(labels: np.ndarray, moving: np.ndarray) -> np.ndarray:
    k = len(BASIN_COLOURS)
    index = np.where(labels < 0, 2 * k, labels + k * moving)
    return _basin_palette()[index]


def basins_demo(lr: float = 0.01, noise: float = 0.0) -> widgets.Demo:
    """Colour every start by the minimum that descent reaches from it."""
    land = landscapes.get("himmelblau")
    fig, (ax_map, ax_bar) = plotting.new_figure(
        10.5, 4.5, ncols=2, width_ratios=[1.4, 1]
    )
    X, Y, Z = plotting.grid(land, 160)
    levels = plotting.contour_levels(Z)
    k = len(land.minima)
    palette = _basin_palette()
    with plotting.style():
        first = basin_map(lr, noise)
        image = ax_map.imshow(
            _rgb(first.labels, first.moving),
            extent=first.extent,
            origin="lower",
            aspect="auto",
            interpolation="nearest",
            zorder=plotting.IMAGE_ZORDER,
        )
        ax_map.contour(
            X, Y, Z, levels=levels[::2], colors="white", linewidths=0.6, alpha=0.6
        )
        for i, m in enumerate(land.minima):
            ax_map.plot(*m, "*", color="white", mec="black", ms=16, zorder=5)
            ax_map.text(
                m[0],
                m[1] + 0.35,
                f"{i + 1}",
                ha="center",
                fontsize=12,
                fontweight="bold",
                color="white",
                zorder=5,
            )
        ax_map.set(xlabel="starting weight w₁", ylabel="starting weight w₂")
        ax_map.set_title("1. each start, coloured by where descent ends")
        names = [f"{i + 1}" for i in range(k)] + ["none"]
        settled_bars = ax_bar.bar(
            names, np.zeros(k + 1), color=list(palette[:k]) + [palette[-1]], ec="black"
        )
        moving_bars = ax_bar.bar(
            names[:k], np.zeros(k), color=palette[k : 2 * k], ec="black", hatch="//"
        )
        bar_text = [
            ax_bar.text(i, 0, "", ha="center", va="bottom", fontsize=11)
            for i in range(k + 1)
        ]
        ax_bar.set(
            ylim=(0, 100), xlabel="minimum reached", ylabel="share of starts (%)"
        )
        ax_bar.set_title("2. size of each basin")
        ax_bar.legend(
            [settled_bars[0], moving_bars[0]],
            ["settled", "still moving"],
            loc="upper right",
            fontsize=9,
        )

    controls = {
        "lr": widgets.lr_slider(lr, min=0.001, max=0.02, continuous_update=False),
        "noise": widgets.noise_slider(
            noise, max=20.0, step=1.0, continuous_update=False
        ),
    }

    def draw(lr, noise):
        found = basin_map(lr, noise)
        image.set_data(_rgb(found.labels, found.moving))
        near = np.array([np.mean(found.labels == i) for i in range(k)] + [0.0]) * 100
        near[-1] = 100 * np.mean(found.labels < 0)
        moving = 100 * np.array(
            [np.mean((found.labels == i) & found.moving) for i in range(k)]
        )
        for i, (bar, text) in enumerate(zip(settled_bars, bar_text, strict=True)):
            low = near[i] - (moving[i] if i < k else 0.0)
            bar.set_height(low)
            if i < k:
                moving_bars[i].set_y(low)
                moving_bars[i].set_height(moving[i])
            text.set_position((bar.get_x() + bar.get_width() / 2, near[i] + 1))
            text.set_text(f"{near[i]:.0f}%")
        return _basins_sentence(near, moving)

    return widgets.Demo(fig, controls, draw, alt=BASINS_ALT, exported=("lr",))


BASINS_ALT = (
    "Left: a square map of starting points on Himmelblau's surface, with its four "
    "minima marked by numbered white stars and white contour lines; each start is "
    "coloured by the minimum its run of gradient descent ends near (blue 1, orange "
    "2, green 3, pink 4): a full colour if the run has settled there, a light tint "
    "if it is still moving, grey if it ends near none. Right: a bar for each "
    "minimum and one for none, the share of starts in percent; the hatched, light "
    "top of a bar is the share still moving."
)


def _basins_sentence(near, moving) -> str:
    text = "Basin sizes: " + ", ".join(f"{s:.0f}%" for s in near[:-1]) + "."
    if moving.sum() > 0.5:
        text += (
            f" {moving.sum():.0f}% of all starts end near a minimum but are still "
            "moving (light): on their way, bouncing round it or kicked by noise."
        )
    if near[-1] > 0.5:
        text += f" {near[-1]:.0f}% end near no minimum (grey)."
    return text
