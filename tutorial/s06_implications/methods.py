"""Momentum and Adam against plain gradient descent, over a range of learning rates."""

from __future__ import annotations

import numpy as np
from matplotlib.colors import ListedColormap

from .. import plotting, widgets
from ..sections import returns_inf
from ._common import IN_BUDGET, STEPS, STUCK, _floor, _loss_axis, lr_sweep

METHOD_LRS = np.geomspace(0.003, 3.0, 11)
# Short names: they share one row of a legend (momentum has β = 0.9).
METHODS = {"gd": "GD", "momentum": "momentum", "adam": "Adam"}


@returns_inf("as lr_sweep")
def method_sweep(lrs=METHOD_LRS, n: int = 20, seed: int = 0, steps: int = STEPS):
    """Run `lr_sweep` for gradient descent, momentum and Adam on the same starts.

    Returns {method: lr_sweep result}.
    """
    return {m: lr_sweep(lrs, n, seed, method=m, steps=steps) for m in METHODS}


def stuck_starts(sweeps: dict) -> dict:
    """Return, per method, which starts fail at that method's best rate.

    `sweeps` is a `method_sweep` result. Returns {method: bool array (n,)}.
    """
    return {m: ~r["solved"][int(np.argmax(r["learned"]))] for m, r in sweeps.items()}


def _methods_panels(n: int):
    # Blue and orange are kept for the outcome grid (learned, failed), as in
    # the first demo, so no colour means two things in one figure.
    colours = {
        "gd": plotting.BLACK,
        "momentum": plotting.PURPLE,
        "adam": plotting.GREEN,
    }
    fig, (ax_f, ax_c, ax_g) = plotting.new_figure(12.5, 3.9, ncols=3)
    with plotting.style():
        sweeps, curves = {}, {}
        for m, label in METHODS.items():
            (sweeps[m],) = ax_f.semilogx([], [], "o-", color=colours[m], label=label)
            (curves[m],) = ax_c.plot([], [], color=colours[m], label=label)
        # Headroom above 1 for the legend, which covers no line there.
        ax_f.set(
            xlim=(METHOD_LRS[0], METHOD_LRS[-1]),
            ylim=(0, 1.3),
            yticks=np.linspace(0, 1, 6),
            xlabel="learning rate η",
            ylabel="share that learned XOR",
        )
        ax_f.set_title(f"1. same {n} starts, three optimizers")
        ax_f.legend(
            loc="upper center",
            ncols=3,
            columnspacing=0.8,
            handlelength=1.2,
            borderaxespad=0.2,
        )
        _loss_axis(ax_c, "2. median loss, each at its best η")
        # The first demo's colours: blue learned XOR, orange did not.
        outcome = ListedColormap([STUCK, IN_BUDGET])
        grid = ax_g.imshow(
            np.zeros((len(METHODS), n)),
            cmap=outcome,
            vmin=0,
            vmax=1,
            aspect="auto",
            zorder=plotting.IMAGE_ZORDER,
        )
        # White lines between the cells, over the picture.
        ax_g.vlines(np.arange(0.5, n - 1), -0.5, 2.5, color="white", lw=1)
        ax_g.hlines([0.5, 1.5], -0.5, n - 0.5, color="white", lw=2)
        ax_g.set_yticks(range(3), ["GD", "momentum", "Adam"])
        ax_g.set_xticks(range(0, n, 5))
        ax_g.set(xlabel="start")
        ax_g.set_title("3. which starts fail (orange)")
    return fig, sweeps, curves, grid


def methods_demo(steps: int = STEPS, seed: int = 0):
    """Share learned vs rate | median loss at the best rate | which starts fail."""
    n = 20
    fig, sweeps, curves, grid = _methods_panels(n)
    ax_c = next(iter(curves.values())).axes
    controls = {
        "steps": widgets.steps_slider(steps, min=100, max=800, step=100),
        "seed": widgets.seed_slider(seed),
    }

    def draw(steps, seed):
        results = method_sweep(METHOD_LRS, n, seed, steps=steps)
        words = []
        for m, res in results.items():
            sweeps[m].set_data(res["lrs"], res["learned"])
            best = int(np.argmax(res["learned"]))
            curves[m].set_data(res["t"], _floor(res["median_curve"][:, best]))
            words.append(
                f"{m} {res['learned'][best]:.0%} at η = {METHOD_LRS[best]:.2g}"
            )
        stuck = stuck_starts(results)
        grid.set_data(np.stack([~stuck[m] for m in METHODS]).astype(float))
        ax_c.set_xlim(0, steps)
        everywhere = int(np.logical_and.reduce(list(stuck.values())).sum())
        return (
            f"Best share learned in {steps} steps: "
            + "; ".join(words)
            + f". {everywhere} of {n} starts fail for all three."
        )

    alt = (
        "Three panels for plain gradient descent (GD, black), momentum (β = 0.9, "
        "purple) and "
        f"Adam (green) from the same {n} starts. 1: share that learned XOR against "
        "the learning rate (log axis). 2: median loss against step, each at its "
        "best rate. 3: a grid with one row per optimizer and one column per start: "
        "blue where that start learned XOR at the optimizer's best rate, orange "
        "where it did not."
    )
    return widgets.Demo(fig, controls, draw, manual=True, alt=alt)
