"""No guarantee of quality or of time: restarts, success rates and the scale sweep;
the restarts and learning-rate demos.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from matplotlib.collections import PolyCollection

from .. import plotting, widgets
from ..sections import returns_inf
from ._common import (
    EVERY,
    IN_BUDGET,
    LATE,
    LOSS_FLOOR,
    LR,
    RESTARTS,
    STEPS,
    STUCK,
    TARGET,
    _floor,
    _loss_axis,
    _read_only,
    default_sweep,
    learned,
    starts,
    steps_to_reach,
    train,
)

LONG_STEPS = 2000  # a longer budget, which tells slow runs from stuck ones


LADDER = (1.0, 1.5, 2.0, 3.0, 5.0, 7.0)  # round axis limits, a little snug


@lru_cache(maxsize=8)
@returns_inf("steps to reach TARGET are inf for runs that never do")
def restart_stats(
    n: int = RESTARTS,
    lr: float = LR,
    seed: int = 0,
    scale: float = 1.0,
    steps: int = LONG_STEPS,
):
    """Train n restarts for `steps`; judge them at the STEPS budget and later.

    Returns a dict over the n runs: ``learned`` (n,) bool, learned XOR within
    STEPS; ``learned_late`` (n,) bool, learned by the end but not within
    STEPS; ``final_loss`` (n,), the loss at STEPS; ``end_loss`` (n,), the loss
    at the end; ``steps`` (n,), steps to reach TARGET (inf if never);
    ``share_by`` (rows,), the share that has learned XOR at each recorded step
    ``t``; and ``traj``, the Trajectory. Cached: the demo, the prose and the
    exercises share one result, with read-only arrays.
    """
    traj = train(starts(n, seed, scale), lr, steps=steps)
    rows = traj.t.size
    solved = learned(traj.path) & ~traj.diverged
    budget = int(np.searchsorted(traj.t, min(STEPS, steps)))
    return _read_only(
        {
            "learned": solved[budget],
            "learned_late": solved[-1] & ~solved[budget],
            "final_loss": traj.loss[budget],
            "end_loss": traj.final_loss,
            "steps": steps_to_reach(traj),
            "share_by": solved.reshape(rows, n).mean(1),
            "t": traj.t,
            "traj": traj,
        }
    )


def success_rate() -> float:
    """Return p, the share of the RESTARTS restarts that learn XOR in STEPS.

    The one success rate of the notebook: prose, first demo and exercise 1.
    """
    return float(restart_stats()["learned"].mean())


@returns_inf("median steps to reach TARGET are inf where most runs never do")
def scale_sweep(
    scales=(0.1, 0.3, 1.0, 3.0, 4.0),
    n: int = RESTARTS,
    seed: int = 0,
    lr=LR,
    steps: int = LONG_STEPS,
):
    """Train n restarts from each initial scale for `steps`, in one call.

    Returns a dict of arrays of shape (len(scales),): the share that learned
    XOR within STEPS (``learned``) and at the end (``learned_end``), and the
    ``median_steps`` to reach TARGET (inf where half or more never do); plus
    ``scales``.
    """
    scales = np.asarray(scales, dtype=float)
    x0 = starts(n, seed)
    traj = train((scales[:, None, None] * x0).reshape(-1, x0.shape[1]), lr, steps=steps)
    budget = int(np.searchsorted(traj.t, min(STEPS, steps)))
    solved = learned(traj.path[[budget, -1]]) & ~traj.diverged
    reach = steps_to_reach(traj).reshape(scales.size, n)
    return {
        "scales": scales,
        "learned": solved[0].reshape(scales.size, n).mean(1),
        "learned_end": solved[1].reshape(scales.size, n).mean(1),
        "median_steps": np.median(reach, axis=1),
    }


def _restart_panels(shown: int, bins: np.ndarray):
    """Build the first demo's figure; return it and the artists draw updates."""
    fig, (ax_c, ax_h, ax_s) = plotting.new_figure(12.5, 4.0, ncols=3)
    with plotting.style():
        lines = [ax_c.plot([], [], lw=1, alpha=0.7)[0] for _ in range(shown)]
        _loss_axis(ax_c, f"1. the first {shown} restarts")
        plotting.log_axis(ax_c, "x")
        ax_c.set_xlim(EVERY, LONG_STEPS)
        for ax in (ax_c, ax_s):
            ax.axvline(STEPS, color=plotting.BLACK, lw=1, ls=":")
        ax_c.text(STEPS, 3, " budget", color=plotting.BLACK, va="center")
        kinds = (
            (IN_BUDGET, f"learned XOR within {STEPS} steps"),
            (LATE, f"learned later, by {LONG_STEPS}"),
            (STUCK, f"not by {LONG_STEPS}"),
        )
        stacks = []
        for colour, label in kinds:
            bars = PolyCollection(
                plotting.bar_verts(bins, np.zeros(bins.size - 1)),
                facecolors=colour,
                edgecolors="white",
                label=label,
            )
            stacks.append(ax_h.add_collection(bars))
        ax_h.set(
            xlabel=f"loss after {STEPS} steps, log₁₀ (left is better)",
            ylabel="restarts",
            xlim=(bins[0], bins[-1]),
        )
        ax_h.set_title(f"2. where the restarts are at step {STEPS}")
        ax_h.legend(loc="upper left")
        (share,) = ax_s.plot([], [], color=plotting.BLACK)
        (marks,) = ax_s.plot([], [], "o", color=plotting.BLACK, ms=6)
        plotting.log_axis(ax_s, "x")
        ax_s.set(
            xlim=(EVERY, LONG_STEPS),
            ylim=(0, 1),
            xlabel="step t",
            ylabel="share that has learned XOR",
        )
        ax_s.set_title("3. share learned if you stop at step t")
    return fig, {"lines": lines, "stacks": stacks, "share": share, "marks": marks}


def _stack_bars(stacks, bins, logs, groups) -> None:
    """Stack one histogram per group of runs."""
    base = np.zeros(bins.size - 1)
    for bars, group in zip(stacks, groups, strict=True):
        counts = np.histogram(logs[group], bins)[0]
        verts = plotting.bar_verts(bins, counts)
        verts[:, :, 1] += base[:, None]
        bars.set_verts(verts)
        base = base + counts


def restarts_demo(restarts: int = RESTARTS, scale: float = 1.0, seed: int = 0):
    """Loss curves of many restarts | their loss at the budget | share vs steps."""
    shown = 40
    bins = np.linspace(np.log10(LOSS_FLOOR), 1.0, 19)
    fig, art = _restart_panels(shown, bins)
    ax_h = art["stacks"][0].axes
    controls = {
        "restarts": widgets.restarts_slider(restarts, min=20, max=400, step=20),
        "scale": widgets.float_slider(
            "initial scale", scale, 0.1, 4.0, 0.1, continuous_update=False
        ),
        "seed": widgets.seed_slider(seed),
    }
    # A redraw trains up to 400 networks for LONG_STEPS: update on release.
    controls["seed"].continuous_update = False

    def draw(restarts, scale, seed):
        stats = restart_stats(restarts, LR, seed, round(scale, 3))
        ok, late = stats["learned"], stats["learned_late"]
        colour = np.where(ok, IN_BUDGET, np.where(late, LATE, STUCK))
        t, loss = stats["t"][1:], stats["traj"].loss[1:]
        for i, line in enumerate(art["lines"]):
            line.set_data((t, _floor(loss[:, i])) if i < restarts else ([], []))
            line.set_color(colour[i] if i < restarts else IN_BUDGET)
        logs = np.log10(np.clip(stats["final_loss"], LOSS_FLOOR, 9.9))
        _stack_bars(art["stacks"], bins, logs, (ok, late, ~ok & ~late))
        # A limit set by the number of restarts alone: other controls leave
        # the axis (and its costly tick labels) alone.
        ax_h.set_ylim(0, plotting.nice_ceiling(restarts, LADDER))
        art["share"].set_data(t, stats["share_by"][1:])
        at = [int(np.searchsorted(stats["t"], STEPS)), stats["t"].size - 1]
        art["marks"].set_data(stats["t"][at], stats["share_by"][at])
        return (
            f"Initial scale {scale:.1f}: {ok.sum()} of {restarts} restarts learned "
            f"XOR within {STEPS} steps ({ok.mean():.0%}); {late.sum()} more did by "
            f"{LONG_STEPS} ({stats['share_by'][-1]:.0%} in all); "
            f"{(~ok & ~late).sum()} had not."
        )

    alt = (
        "Three panels. 1: loss against step (both on log scales, steps 10 to "
        f"{LONG_STEPS}) for the first {shown} restarts, with a dashed target line "
        f"at {TARGET} and a dotted line at the {STEPS}-step budget. 2: a histogram "
        f"of the loss after {STEPS} steps, stacked by outcome. 3: the share of "
        "restarts that have learned XOR against the step t at which you stop. In "
        f"every panel blue means learned XOR within {STEPS} steps, light blue "
        f"learned only later (by {LONG_STEPS}), orange had not learned by "
        f"{LONG_STEPS}."
    )
    return widgets.Demo(fig, controls, draw, alt=alt, exported=("scale",))


def _lr_panels(runs: int, sweep: dict, lr: float):
    fig, (ax_c, ax_f, ax_t) = plotting.new_figure(12.0, 3.9, ncols=3)
    with plotting.style():
        lines = [ax_c.plot([], [], lw=1, alpha=0.7)[0] for _ in range(runs)]
        _loss_axis(ax_c, f"1. {runs} restarts (grey: never arrive)")
        ax_f.semilogx(
            sweep["lrs"],
            sweep["learned"],
            "o-",
            color=plotting.BLUE,
            label="learned XOR",
        )
        ax_f.semilogx(
            sweep["lrs"],
            sweep["diverged"],
            "s-",
            color=plotting.DIVERGED,
            label="diverged",
        )
        ax_f.set(xlabel="learning rate η", ylabel="share of 50 restarts", ylim=(0, 1))
        ax_f.set_title("2. too small, right, too large")
        ax_f.legend(loc="center left")
        steps = sweep["median_steps"]
        steps = np.where(np.isfinite(steps), steps, np.nan)
        ax_t.semilogx(sweep["lrs"], steps, "o-", color=plotting.GREEN)
        ax_t.set(
            xlabel="learning rate η",
            ylabel=f"median steps to loss < {TARGET}",
            ylim=(0, STEPS),
        )
        ax_t.set_title("3. time to arrive (none: most never do)")
        ax_t.set_xlim(ax_f.get_xlim())
        marks = [
            ax.axvline(lr, color=plotting.BLACK, lw=1, ls=":") for ax in (ax_f, ax_t)
        ]
    return fig, lines, marks


def _lr_sentence(lr: float, runs: int, reach: np.ndarray, diverged: int) -> str:
    arrived = int(np.isfinite(reach).sum())
    if diverged > runs // 2:
        return f"η = {lr:.3g}: {diverged} of {runs} runs diverged. Too large."
    if arrived < runs // 2:
        return (
            f"η = {lr:.3g}: only {arrived} of {runs} runs reached loss {TARGET} "
            f"in {STEPS} steps. Too small (or stuck)."
        )
    return (
        f"η = {lr:.3g}: {arrived} of {runs} reached loss {TARGET}, in a median "
        f"of {np.median(reach[np.isfinite(reach)]):.0f} steps; {diverged} diverged."
    )


def lr_demo(lr: float = LR):
    """Loss curves at one rate | learned/diverged vs rate | time to arrive vs rate."""
    runs = 30
    fig, lines, marks = _lr_panels(runs, default_sweep(), lr)
    controls = {"lr": widgets.lr_slider(lr, min=0.01, max=3.0, continuous_update=False)}

    def draw(lr):
        traj = train(starts(runs, 0), lr)
        reach = steps_to_reach(traj)
        for i, line in enumerate(lines):
            line.set_data(traj.t, _floor(traj.loss[:, i]))
            if traj.diverged[i]:
                line.set_color(plotting.DIVERGED)
            else:
                line.set_color(
                    plotting.BLUE if np.isfinite(reach[i]) else plotting.GREY
                )
        for mark in marks:
            mark.set_xdata([lr, lr])
        return _lr_sentence(lr, runs, reach, int(traj.diverged.sum()))

    alt = (
        f"Three panels. 1: loss against step for {runs} restarts at the chosen "
        "learning rate η (log loss axis): blue reached the target, grey never did, "
        "vermilion diverged. 2: against η on a log axis, the share of 50 restarts "
        "that learned XOR (blue circles) and that diverged (vermilion squares). "
        "3: median steps to reach the target against η (green). A dotted line "
        "marks the chosen η in panels 2 and 3."
    )
    return widgets.Demo(fig, controls, draw, alt=alt, exported=("lr",))
