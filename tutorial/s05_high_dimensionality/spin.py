"""A trained model whose size a slider sets (the spherical spin glass): where
training ends, its critical points, and the two demos.
"""

from __future__ import annotations

import functools
import math

import matplotlib.colors as mcolors
import numpy as np

from .. import plotting, spin_glass, widgets
from ._common import semicircle

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
