"""Bowls, hills and valleys: many starts on each surface, where they end, and the
demo.
"""

from __future__ import annotations

import functools

import numpy as np

from .. import datasets, plotting, widgets
from ..landscapes import Landscape
from ..nn import MLP
from ..optimizers import optimize
from ._common import (
    CONVEX,
    STEPS,
    SURFACES,
    _axis_labels,
    _layer_surfaces,
    _show_layer,
    descend,
    settled,
    start_grid,
    surface,
)

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
