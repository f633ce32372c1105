"""Newton's method is drawn to saddles: paths of Newton and of gradient descent from
a ring of starts, and the demo.
"""

from __future__ import annotations

import functools

import numpy as np

from .. import plotting, widgets
from ..optimizers import optimize
from ._common import saddle_surface


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
