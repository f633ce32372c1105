"""Random restarts on Rastrigin's surface: how often one finds the global minimum."""

from __future__ import annotations

import functools

import numpy as np
from matplotlib.collections import PolyCollection
from matplotlib.transforms import offset_copy

from .. import landscapes, plotting, widgets
from ..intervals import Z_99, wilson_interval
from ..optimizers import optimize
from ..seeding import generator

RESTART_BOX = 3.0  # starts uniform in [-3, 3]²: 49 ripples of the bowl
RESTART_RUNS = 3000
# Every run has settled, to the last bit of its loss, within 40 steps (the
# ripples are steep: lr × curvature ≈ 1.2); more steps change nothing.
RESTART_STEPS = 60
RESTART_LR = 0.003  # below 2/λmax ≈ 0.005 at Rastrigin's minima
GLOBAL_TOL = 0.01  # a run found the global minimum if its loss is below this


def restart_runs(n: int = RESTART_RUNS, seed: int = 0):
    """Run n independent descents on 2-D Rastrigin from random starts.

    Returns
    -------
    final_loss : array of shape (n,)
    found : bool array of shape (n,)
        True where the run reached the global minimum (loss < GLOBAL_TOL).
    """
    loss = _restart_descent(restart_starts(n, seed))
    return loss, loss < GLOBAL_TOL


def restart_starts(n: int, seed: int) -> np.ndarray:
    """Return n random starts in the restart box, shape (n, 2)."""
    rng = generator(seed, allow_none=False)
    return rng.uniform(-RESTART_BOX, RESTART_BOX, (n, 2))


def _restart_descent(starts: np.ndarray) -> np.ndarray:
    """Descend on 2-D Rastrigin from every start at once; return final losses."""
    runs = optimize(
        landscapes.rastrigin(2),
        starts,
        lr=RESTART_LR,
        steps=RESTART_STEPS,
        every=RESTART_STEPS,
    )
    return runs.final_loss


def success_by_restarts(found: np.ndarray, k: int):
    """Split runs into disjoint groups of k; return (successes, groups).

    A group succeeds if any of its k restarts found the global minimum.
    """
    groups = len(found) // k
    if groups < 1:
        raise ValueError(f"k must be in [1, {len(found)}]; got {k}")
    hit = found[: groups * k].reshape(groups, k).any(1)
    return int(hit.sum()), groups


RESTART_SEEDS = 21  # the restarts demo's seed slider: 0 .. 20


@functools.lru_cache(maxsize=1)
def restart_losses(seeds: int = RESTART_SEEDS) -> np.ndarray:
    """Return restart_runs(seed=s)'s final losses for every s < seeds at once.

    One call for all seeds (each run is on its own, so the numbers are the
    same as seed by seed), made when the demo is built: moving the seed
    slider then computes nothing. Shape (seeds, RESTART_RUNS).
    """
    starts = [restart_starts(RESTART_RUNS, s) for s in range(seeds)]
    return _restart_descent(np.concatenate(starts)).reshape(seeds, RESTART_RUNS)


@functools.lru_cache(maxsize=32)
def restart_experiment(seed: int):
    """Return what the restarts demo shows for `seed`.

    Returns
    -------
    loss, found : arrays of shape (RESTART_RUNS,)
        As `restart_runs` returns them (looked up in `restart_losses` for
        the seeds of the demo's slider).
    ks : int array of shape (60,)
        Restarts per group, 1 to 60.
    counts : int array of shape (60, 2)
        (successes, groups) for each k, as `success_by_restarts` counts them.
    """
    if isinstance(seed, (int, np.integer)) and 0 <= seed < RESTART_SEEDS:
        loss = restart_losses()[seed]
        found = loss < GLOBAL_TOL
    else:
        loss, found = restart_runs(seed=seed)
    ks = np.arange(1, 61)
    counts = np.array([success_by_restarts(found, k) for k in ks])
    return loss, found, ks, counts


def restarts_demo(k: int = 10, seed: int = 0) -> widgets.Demo:
    """Restart k times: observed chance of finding the global minimum vs theory."""
    fig, (ax_hist, ax_k) = plotting.new_figure(10.5, 4.3, ncols=2)
    bins = np.arange(-0.25, 20.5, 0.5)
    with plotting.style():
        # One collection, not 41 patches (fast demos, rule 3).
        hist = PolyCollection(
            plotting.bar_verts(bins, np.zeros(bins.size - 1)),
            closed=True,
            # green: the bin around loss 0
            facecolors=[plotting.GREEN] + [plotting.BLUE] * (bins.size - 2),
            edgecolors="white",
            linewidths=1.0,
        )
        ax_hist.add_collection(hist, autolim=False)
        # Few tick labels (rule 5).
        ax_hist.set(
            xlabel="final loss",
            ylabel="number of runs",
            xlim=(-0.5, 20),
            xticks=[0, 5, 10, 15, 20],
        )
        ax_hist.set_title("1. single runs on a rippled bowl (Rastrigin)")
        # Under the bars (rule 2): they never reach it, and the collection's one
        # box covers the whole axes.
        ax_hist.text(
            0.98,
            0.95,
            f"{RESTART_RUNS} runs\nglobal minimum (green):",
            transform=ax_hist.transAxes,
            ha="right",
            va="top",
            fontsize=11,
            zorder=0.9,
        )
        # p, the only number that changes, in a text of its own two lines
        # (11 pt, line spacing 1.2) lower (rule 4).
        below = offset_copy(ax_hist.transAxes, fig=fig, y=-2 * 11 * 1.2, units="points")
        hist_note = ax_hist.text(
            0.98, 0.95, "", transform=below, ha="right", va="top", fontsize=11
        )
        ks = np.arange(1, 61)
        # The data on top (rule 2); they never cross the legend.
        (theory,) = ax_k.plot(
            [], [], color=plotting.BLACK, lw=2, zorder=5.1, label="theory 1 − (1 − p)ᵏ"
        )
        # The intervals: one line broken by NaNs (rule 3). An errorbar gives
        # the legend its entry and is then taken away (the legend keeps a copy).
        (bars,) = ax_k.plot([], [], color=plotting.ORANGE, lw=1, zorder=5.2)
        (points,) = ax_k.plot(
            ks, np.zeros(ks.size), "o", ms=4, zorder=5.3, color=plotting.ORANGE
        )
        proxy = ax_k.errorbar(
            [np.nan],
            [np.nan],
            yerr=[[np.nan], [np.nan]],
            fmt="o",
            ms=4,
            color=plotting.ORANGE,
            elinewidth=1,
            label="observed (99% Wilson interval)",
        )
        (here,) = ax_k.plot(
            [], [], "o", ms=13, mfc="none", mec=plotting.VERMILION, mew=2.5, zorder=5.4
        )
        ax_k.set(
            xlim=(0, 61),
            ylim=(0, 1.05),
            xlabel="restarts k",
            xticks=[1, 20, 40, 60],
            yticks=[0, 0.25, 0.5, 0.75, 1],
            ylabel="chance to find the global minimum",
        )
        # Upper left stays clear of the points (few restarts seldom succeed).
        ax_k.legend(loc="upper left")
        proxy.remove()
        ax_k.set_title("2. the odds grow with every restart")

    controls = {
        "k": widgets.int_slider("restarts k", k, 1, 60),
        "seed": widgets.seed_slider(seed, max=RESTART_SEEDS - 1),
    }

    shown = {}  # the seed drawn: moving k alone moves only the red ring

    def draw(k, seed):
        loss, found, ks_, counts = restart_experiment(seed)
        p = found.mean()
        successes, groups = counts[:, 0], counts[:, 1]
        rate = successes / groups
        if shown.get("seed") != seed:
            shown["seed"] = seed
            heights, _ = np.histogram(loss, bins=bins)
            hist.set_verts(plotting.bar_verts(bins, heights))
            # Round limits (rule 5): 1000 for every seed of the slider.
            ax_hist.set_ylim(0, plotting.nice_ceiling(heights.max() * 1.15))
            hist_note.set_text(f"p = {p:.3f}")
        # The right panel is set on every update, so that the redraw planned
        # for k (a few lines, cheap) serves the seed as well (rule 6).
        low, high = wilson_interval(successes, groups, z=Z_99)
        points.set_data(ks_, rate)
        bars.set_data(*plotting.vertical_segments(ks_, low, high))
        theory.set_data(ks_, 1 - (1 - p) ** ks_)
        here.set_data([k], [rate[k - 1]])
        return (
            f"k = {k}: {successes[k - 1]} of {groups[k - 1]} groups of {k} runs "
            f"found the global minimum ({rate[k - 1]:.2f}); theory "
            f"1 − (1 − {p:.3f})^{k} = {1 - (1 - p) ** k:.2f}."
        )

    # The seed moves both panels: warming it up plans k's redraws too (rule 8).
    return widgets.Demo(fig, controls, draw, alt=RESTARTS_ALT, exported=("k",)).warm_up(
        "seed"
    )


RESTARTS_ALT = (
    "Two panels. Left: a histogram of the final losses of 3,000 single runs on "
    "the Rastrigin surface, in separate bars at 0, 1, 2, 4, 5 and more; the bar "
    "at 0, the global minimum, is green and small. Right: the chance that at "
    "least one of k restarts finds the global minimum, for k from 1 to 60: "
    "orange dots with 99% interval bars, measured on groups of k runs, and a "
    "black curve for the theory 1 − (1 − p)^k; a red ring marks the chosen k."
)
