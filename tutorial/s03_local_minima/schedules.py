"""Noise early, then less: runs under three noise schedules, and the demo."""

from __future__ import annotations

import numpy as np
from matplotlib.colors import to_rgba
from matplotlib.lines import Line2D

from .. import landscapes, plotting, widgets
from ..optimizers import optimize
from ..seeding import generator
from ._common import UNSETTLED

SCHEDULE_STEPS = 500
SCHEDULE_RUNS = 300
SCHEDULE_LR = 0.05
SCHEDULES = ("no noise", "constant noise", "noise that fades")


def noise_schedules(start: float, steps: int = SCHEDULE_STEPS) -> np.ndarray:
    """Return the three noise schedules, shape (3, steps).

    No noise; constant σ = `start`; and σ falling linearly from `start` to
    zero over the first 80 % of the steps, so the last 20 % can settle.
    """
    if not (np.isfinite(start) and start >= 0):
        raise ValueError(f"start must be a finite number >= 0; got {start}")
    t = np.arange(steps)
    fade = start * np.clip(1 - t / (0.8 * steps), 0, None)
    return np.stack([np.zeros(steps), np.full(steps, float(start)), fade])


def schedule_runs(start: float = 6.0, lr: float = SCHEDULE_LR, seed: int = 0):
    """Run the three schedules from the same SCHEDULE_RUNS starts (one call).

    The surface is the tilted double well: a deep valley on the left and a
    shallower one on the right.

    Returns
    -------
    final : array of shape (3, SCHEDULE_RUNS, 2)
        End points for each schedule.
    diverged : bool array of shape (3, SCHEDULE_RUNS)
    """
    land = landscapes.get("double_well")
    starts = schedule_starts(seed)
    sched = noise_schedules(start)  # (3, steps)
    noise = np.repeat(sched.T, SCHEDULE_RUNS, axis=1)  # (steps, 3 * runs)
    runs = optimize(
        land,
        np.tile(starts, (3, 1)),
        lr=lr,
        steps=SCHEDULE_STEPS,
        noise=noise,
        seed=seed + 1,
        every=SCHEDULE_STEPS,
    )
    return (
        runs.final.reshape(3, SCHEDULE_RUNS, 2),
        runs.diverged.reshape(3, SCHEDULE_RUNS),
    )


def schedule_endings(final: np.ndarray, diverged: np.ndarray, tol: float = 0.05):
    """Return how each run ended: 0 deep minimum, 1 shallow minimum, 2 neither.

    A run has ended in a minimum if it is within `tol` of it: settled, not
    merely passing by.

    Returns
    -------
    int array of the shape of `diverged`
    """
    minima = landscapes.get("double_well").minima
    dist = np.linalg.norm(final[..., None, :] - minima, axis=-1)
    kind = np.where(dist.min(-1) < tol, dist.argmin(-1), 2)
    return np.where(diverged, 2, kind)


def schedule_starts(seed: int = 0) -> np.ndarray:
    """Return SCHEDULE_RUNS starts spread evenly at random over the double well."""
    low, high = landscapes.get("double_well").bounds
    rng = generator(seed, allow_none=False)
    return low + (high - low) * rng.random((SCHEDULE_RUNS, 2))


def noise_schedule_demo(start: float = 6.0) -> widgets.Demo:
    """Same starts, three noise schedules: which starts end in the deep valley?"""
    land = landscapes.get("double_well")
    fig, axes = plotting.new_figure(12.0, 4.0, ncols=4, width_ratios=[1, 1, 1, 0.9])
    maps, ax_bar = axes[:3], axes[3]
    starts = schedule_starts()
    outcome_colours = np.array(
        [to_rgba(c) for c in (plotting.BLUE, plotting.ORANGE, UNSETTLED)]
    )
    with plotting.style():
        dots = []
        for ax, name in zip(maps, SCHEDULES, strict=True):
            # A faded surface, so that the dots' colours stand out.
            plotting.draw_surface(ax, land, n=120).set_alpha(0.4)
            dots.append(
                ax.scatter(
                    *starts.T, s=18, color=UNSETTLED, ec="black", lw=0.5, zorder=6
                )
            )
            ax.set(xlabel="starting weight w₁", title=name)
        maps[0].set_ylabel("starting weight w₂")
        handles = [
            Line2D([], [], ls="", marker="o", mfc=c, mec="black", ms=7)
            for c in (plotting.BLUE, plotting.ORANGE, UNSETTLED)
        ]
        fig.legend(
            handles,
            [
                "ends in the deep minimum (left)",
                "ends in the shallow minimum (right)",
                "ends in neither (still jittering)",
            ],
            loc="outside lower center",
            ncols=3,
            frameon=False,
        )
        bars = ax_bar.bar(
            ["none", "constant", "fading"], np.zeros(3), color=plotting.BLUE, ec="black"
        )
        bar_text = [
            ax_bar.text(i, 0, "", ha="center", va="bottom", fontsize=11)
            for i in range(3)
        ]
        ax_bar.set(
            ylim=(0, 100), xlabel="noise", ylabel="ended in the deep minimum (%)"
        )
        ax_bar.set_title("which noise wins?")

    controls = {
        "start": widgets.float_slider(
            "starting noise σ₀", start, 0.0, 10.0, 0.5, continuous_update=False
        ),
    }

    def draw(start):
        final, diverged = schedule_runs(start)
        outcome = schedule_endings(final, diverged)
        settled = (outcome == 0).mean(1)
        for dot, kind in zip(dots, outcome, strict=True):
            dot.set_facecolor(outcome_colours[kind])
        for bar, text, share in zip(bars, bar_text, 100 * settled, strict=True):
            bar.set_height(share)
            text.set_position((bar.get_x() + bar.get_width() / 2, share + 1))
            text.set_text(f"{share:.0f}%")
        text = (
            f"σ₀ = {start:g}: ended in the deep minimum: no noise "
            f"{100 * settled[0]:.0f}%, constant {100 * settled[1]:.0f}%, fading "
            f"{100 * settled[2]:.0f}%."
        )
        if diverged.any():
            text += f" {diverged.sum()} runs diverged (counted as neither)."
        return text

    return widgets.Demo(fig, controls, draw, alt=SCHEDULE_ALT, exported=("start",))


SCHEDULE_ALT = (
    "Four panels. Three faded contour maps of a surface with a deep valley on "
    "the left and a shallower one on the right, one for each noise schedule "
    "(none, constant, fading); 300 dots mark the same starting points, coloured "
    "by where each run ends: blue in the deep minimum, orange in the shallow "
    "one, grey in neither (still jittering). Right: bars of the share of runs "
    "that ended in the deep minimum under each schedule, with its percentage."
)
