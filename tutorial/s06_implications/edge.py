"""Why a falling loss jumps up: sharpness and the edge of stability."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from matplotlib.patches import Rectangle

from .. import plotting, widgets
from ._common import (
    LR,
    RESTARTS,
    STEPS,
    SWEEP_LRS,
    TARGET,
    _floor,
    _read_only,
    _solved,
    default_sweep,
    loss_surface,
    starts,
    train,
)


def sharpness(w) -> np.ndarray:
    """Return λmax, the largest Hessian eigenvalue of the XOR loss, at w (..., 9).

    Notebook 01: a step η is stable near a point only if λmax < 2/η.
    """
    w = np.asarray(w, dtype=float)
    flat = w.reshape(-1, w.shape[-1])
    # Each Hessian takes 18 gradients (central differences): 500 points a call.
    top = [
        np.linalg.eigvalsh(loss_surface().hessian(flat[i : i + 500]))[:, -1]
        for i in range(0, len(flat), 500)
    ]
    return np.concatenate(top or [np.zeros(0)]).reshape(w.shape[:-1])


def spikes(loss, factor: float = 100.0, below: float = TARGET) -> np.ndarray:
    """Return the steps where a loss curve begins a jump of `factor` or more.

    A jump is a stretch where the loss, after having been below `below`,
    stands more than `factor` times above its lowest value so far; it begins
    at the last step before the rise. `loss` has one value per step, shape
    (steps + 1,); the result is an int array of steps.
    """
    loss = np.asarray(loss, dtype=float)
    low = np.minimum.accumulate(loss)
    high = (loss > factor * low) & (low < below)
    onsets = np.flatnonzero(high & ~np.r_[False, high[:-1]])
    rising = np.r_[False, loss[1:] > loss[:-1]]
    begins = []
    for t in onsets:
        while t > 0 and rising[t]:
            t -= 1
        begins.append(t)
    return np.array(begins, dtype=int)


def edge_run(lr: float = LR, start: int = 0, steps: int = STEPS) -> dict:
    """Train restart number `start` of `starts`, recording every step.

    Returns ``t`` (steps + 1,), the ``loss`` and its ``sharpness`` (λmax) at
    every step, ``spikes`` (the steps where a jump of 100× or more begins),
    and ``learned`` and ``diverged`` (bool).
    """
    if isinstance(start, bool) or not isinstance(start, (int, np.integer)):
        raise ValueError(f"start must be a whole number >= 0; got {start!r}")
    if start < 0:
        raise ValueError(f"start must be a whole number >= 0; got {start}")
    traj = train(starts(start + 1)[start:], lr, steps=steps, every=1)
    return {
        "t": traj.t,
        "loss": traj.loss[:, 0],
        "sharpness": sharpness(traj.path[:, 0]),
        "spikes": spikes(traj.loss[:, 0]),
        "learned": bool(_solved(traj)[0]),
        "diverged": bool(traj.diverged[0]),
    }


def jump_report(lr: float = LR, n: int = RESTARTS, seed: int = 0) -> dict:
    """Train n restarts, recording every step; measure their jumps and λmax.

    Returns ``learned`` (n,) bool; ``jumps`` (n,), each run's number of jumps
    of 100× or more; ``onset_ratio``, λmax / (2/η) where each jump of a run
    that learned begins (one value per jump); and ``end_ratio``, λmax / (2/η)
    at the end of each run that learned.
    """
    traj = train(starts(n, seed), lr, every=1)
    ok = _solved(traj)
    found = [spikes(traj.loss[:, i]) for i in range(n)]
    at = [traj.path[t, i] for i in np.flatnonzero(ok) for t in found[i]]
    onsets = np.reshape(at, (-1, traj.path.shape[-1]))
    return {
        "learned": ok,
        "jumps": np.array([f.size for f in found]),
        "onset_ratio": sharpness(onsets) * lr / 2,
        "end_ratio": sharpness(traj.final[ok]) * lr / 2,
    }


@lru_cache(maxsize=1)
def end_sharpness() -> dict:
    """Return λmax where the runs of `default_sweep` that learned end.

    ``lrs`` and, per rate, the ``median``, ``low`` (10th percentile) and
    ``high`` (90th) of λmax over its runs that learned XOR; where fewer than
    five did, the rate is left out.
    """
    sweep = default_sweep()
    keep, stats = [], []
    for i, (final, ok) in enumerate(zip(sweep["final"], sweep["solved"], strict=True)):
        if ok.sum() >= 5:
            lam = sharpness(final[ok])
            keep.append(i)
            stats.append([np.median(lam), *np.quantile(lam, [0.1, 0.9])])
    stats = np.array(stats).reshape(-1, 3)
    return _read_only(
        {
            "lrs": sweep["lrs"][keep],
            "median": stats[:, 0],
            "low": stats[:, 1],
            "high": stats[:, 2],
        }
    )


SHARP_TOP = 16  # the λmax axis of the edge demo


def _edge_panels(lr: float):
    ends = end_sharpness()
    fig, (ax_l, ax_k, ax_e) = plotting.new_figure(12.5, 3.9, ncols=3)
    with plotting.style():
        (loss,) = ax_l.plot([], [], color=plotting.BLUE)
        (loss_marks,) = ax_l.plot([], [], "v", color=plotting.VERMILION, ms=8)
        plotting.log_axis(ax_l, "y")
        ax_l.set(xlim=(0, STEPS), ylim=(1e-30, 10), xlabel="step", ylabel="loss (MSE)")
        ax_l.set_title("1. one run: the loss")
        # Shade where a step of this η is unstable: curvature above 2/η.
        unstable = Rectangle(
            (0, 2 / lr), STEPS, SHARP_TOP, color=plotting.VERMILION, alpha=0.08, lw=0
        )
        ax_k.add_patch(unstable)
        ax_k.text(
            STEPS,
            SHARP_TOP,
            "unstable for this η ",
            ha="right",
            va="top",
            color=plotting.VERMILION,
        )
        (lam,) = ax_k.plot([], [], color=plotting.BLUE, label="λmax")
        (limit,) = ax_k.plot([0, STEPS], [0, 0], "--", color=plotting.VERMILION)
        limit.set_label("2/η")
        (lam_marks,) = ax_k.plot([], [], "v", color=plotting.VERMILION, ms=8)
        ax_k.set(
            xlim=(0, STEPS),
            ylim=(0, SHARP_TOP),
            xlabel="step",
            ylabel="largest Hessian eigenvalue λmax",
        )
        ax_k.set_title("2. its sharpness against 2/η")
        ax_k.legend(loc="lower right")
        _end_panel(ax_e, ends)
        mark = ax_e.axvline(lr, color=plotting.BLACK, lw=1, ls=":")
    artists = {
        "loss": loss,
        "loss_marks": loss_marks,
        "unstable": unstable,
        "lam": lam,
        "limit": limit,
        "lam_marks": lam_marks,
        "mark": mark,
    }
    return fig, artists


def _end_panel(ax, ends: dict) -> None:
    """λmax where solved runs end (median, 10th to 90th percentile) and 2/η."""
    ax.errorbar(
        ends["lrs"],
        ends["median"],
        yerr=[ends["median"] - ends["low"], ends["high"] - ends["median"]],
        fmt="o",
        color=plotting.BLUE,
        label="λmax where solved runs end",
    )
    grid = np.geomspace(SWEEP_LRS[0], SWEEP_LRS[-1], 100)
    ax.plot(grid, 2 / grid, "--", color=plotting.VERMILION, label="2/η")
    plotting.log_axis(ax, "x")
    ax.set(
        xlim=(SWEEP_LRS[0], SWEEP_LRS[-1]),
        ylim=(0, SHARP_TOP),
        xlabel="learning rate η",
        ylabel="λmax",
    )
    ax.set_title("3. where 50 restarts end")
    ax.legend(loc="upper left")


def _edge_sentence(lr: float, start: int, run: dict) -> str:
    head = f"η = {lr:.3g}, restart {start}: 2/η = {2 / lr:.2f}. "
    if run["diverged"]:
        return head + "The run diverged."
    end = f"it ends at λmax = {run['sharpness'][-1]:.2f}"
    jumps = run["spikes"]
    if jumps.size == 0:
        return head + f"No jump of 100× or more; {end}."
    ratios = ", ".join(f"{run['sharpness'][k] * lr / 2:.2f}" for k in jumps)
    count = "1 jump" if jumps.size == 1 else f"{jumps.size} jumps"
    return (
        head + f"{count} of 100× or more (triangles); λmax where each began: "
        f"{ratios} × 2/η; {end}."
    )


def edge_demo(lr: float = LR, start: int = 0):
    """One run's loss | its λmax against 2/η | λmax where runs end, against η."""
    fig, art = _edge_panels(lr)
    controls = {
        "lr": widgets.lr_slider(lr, min=0.03, max=0.6, continuous_update=False),
        "start": widgets.int_slider("restart", start, 0, 19, continuous_update=False),
    }

    def draw(lr, start):
        run = edge_run(lr, start)
        t, jumps = run["t"], run["spikes"]
        lam = np.clip(run["sharpness"], -1, SHARP_TOP)
        art["loss"].set_data(t, _floor(run["loss"], 1e-30))
        art["loss_marks"].set_data(t[jumps], _floor(run["loss"][jumps], 1e-30))
        art["lam"].set_data(t, lam)
        art["lam_marks"].set_data(t[jumps], lam[jumps])
        art["limit"].set_ydata([2 / lr, 2 / lr])
        art["unstable"].set_y(2 / lr)
        art["mark"].set_xdata([lr, lr])
        return _edge_sentence(lr, start, run)

    alt = (
        "Three panels. 1: the loss of one run against step (log axis), with "
        "vermilion triangles where a jump of 100 times or more begins. 2: the same "
        "run's largest Hessian eigenvalue λmax against step (blue), the stability "
        "limit 2/η (dashed vermilion) and, shaded above it, the region where a "
        "step of this η is unstable; the triangles mark the jumps. 3: against the "
        "learning rate η (log axis), λmax at the end points of the restarts that "
        "learned XOR (blue dots: median, bars: 10th to 90th percentile) and the "
        "curve 2/η (dashed); a dotted line marks the chosen η."
    )
    return widgets.Demo(fig, controls, draw, alt=alt, exported=("lr", "start"))
