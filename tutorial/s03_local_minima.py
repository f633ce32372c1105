"""Notebook 03, local minima: basins, restarts, a network that gets stuck.

Gradient descent ends in the minimum whose basin it starts in. Which basin that
is depends on the start, so restarting from new random points is a lottery
with known odds; a real network (XOR) shows the same lottery, and how a wider
hidden layer makes it easier to win; early noise that fades lets runs leave a
shallow basin.
"""

from __future__ import annotations

import functools
import math

import numpy as np
from matplotlib.collections import PolyCollection
from matplotlib.colors import to_rgb, to_rgba
from matplotlib.lines import Line2D
from matplotlib.transforms import offset_copy

from . import datasets, landscapes, plotting, widgets
from .checks import Feedback, as_number, check_number
from .landscapes import Landscape
from .nn import WidthBlock
from .optimizers import optimize
from .sections import returns_inf
from .seeding import generator

__all__ = [
    "basin_labels",
    "basin_map",
    "wilson_interval",
    "restart_runs",
    "success_by_restarts",
    "XOR_WIDTHS",
    "STUCK_LOSS",
    "xor_runs",
    "stuck_fraction",
    "noise_schedules",
    "schedule_runs",
    "schedule_endings",
    "restart_starts",
    "restart_losses",
    "restart_experiment",
    "schedule_starts",
    "basins_demo",
    "restarts_demo",
    "xor_width_demo",
    "noise_schedule_demo",
    "ex03_success_chance",
    "ex03_restarts_needed",
    "ex03_basin",
    "DEMOS",
]

# ------------------------------------------------------------------ basins

BASIN_GRID = 90  # starts per side: 8,100 runs in one call
BASIN_STEPS = 120
BASIN_COLOURS = [plotting.BLUE, plotting.ORANGE, plotting.GREEN, plotting.PURPLE]
UNSETTLED = "#BBBBBB"  # runs that reached no minimum (still moving or diverged)


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


def basin_map(lr: float = 0.01, noise: float = 0.0, n: int = BASIN_GRID, seed: int = 0):
    """Run descent on Himmelblau's surface from every point of an n × n grid.

    Returns
    -------
    labels : int array of shape (n, n)
        Which minimum each start reached (-1: none).
    extent : tuple
        (left, right, bottom, top) of the grid, for `imshow`.
    """
    land = landscapes.get("himmelblau")
    low, high = land.bounds
    xs = np.linspace(low[0], high[0], n)
    ys = np.linspace(low[1], high[1], n)
    starts = np.stack(np.meshgrid(xs, ys), -1).reshape(-1, 2)
    runs = optimize(
        land,
        starts,
        lr=lr,
        steps=BASIN_STEPS,
        noise=noise,
        seed=seed,
        every=BASIN_STEPS,
    )
    labels = basin_labels(land, runs.final, tol=0.5)
    labels[runs.diverged] = -1
    return labels.reshape(n, n), (low[0], high[0], low[1], high[1])


def _rgb(labels: np.ndarray) -> np.ndarray:
    palette = np.array([to_rgb(c) for c in BASIN_COLOURS] + [to_rgb(UNSETTLED)])
    return palette[np.where(labels < 0, len(BASIN_COLOURS), labels)]


# ---------------------------------------------------------------- restarts

RESTART_BOX = 3.0  # starts uniform in [-3, 3]²: 49 ripples of the bowl
RESTART_RUNS = 3000
# Every run has settled, to the last bit of its loss, within 40 steps (the
# ripples are steep: lr × curvature ≈ 1.2); more steps change nothing.
RESTART_STEPS = 60
RESTART_LR = 0.003  # below 2/λmax ≈ 0.005 at Rastrigin's minima
GLOBAL_TOL = 0.01  # a run found the global minimum if its loss is below this


def wilson_interval(successes, trials, z: float = 2.576):
    """Return the Wilson score interval for a binomial proportion.

    Parameters
    ----------
    successes, trials : int or arrays of int
        Observed successes out of trials (trials >= 1).
    z : float
        Standard normal quantile: 1.96 for 95 %, 2.576 (default) for 99 %.

    Returns
    -------
    low, high : floats or arrays
    """
    k = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    if np.any(n < 1) or np.any(k < 0) or np.any(k > n):
        raise ValueError("trials must be >= 1 and successes in [0, trials]")
    p = k / n
    denom = 1 + z**2 / n
    centre = (p + z**2 / (2 * n)) / denom
    half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
    return np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)


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


# ---------------------------------------------------------------- XOR

XOR_WIDTHS = (1, 2, 3, 4, 6, 8)
XOR_RESTARTS = 200
XOR_STEPS = 600
STUCK_LOSS = 0.1  # solved runs reach < 0.01; stuck ones sit at 0.35 or 0.48


@returns_inf("the final loss of a run that diverged is inf")
def xor_runs(width: int, lr: float = 1.0, noise: float = 0.0, seed: int = 0):
    """Train XOR_RESTARTS 2-width-1 tanh networks on XOR at once.

    Cross-entropy loss; LeCun initialisation with the given seed; the same
    seed gives the same starts for every learning rate and noise. Only the
    final weights are kept. The widths of XOR_WIDTHS are trained together, in
    one call (see `nn.WidthBlock`); their gradient noise is drawn together too.

    Returns
    -------
    final_loss : array of shape (XOR_RESTARTS,)
        Diverged runs count as +inf.
    """
    if isinstance(width, bool) or not isinstance(width, (int, np.integer)) or width < 1:
        raise ValueError(f"width must be a whole number >= 1; got {width!r}")
    if width in XOR_WIDTHS:
        return _xor_all(lr, noise, seed)[XOR_WIDTHS.index(width)]
    return _xor_train((int(width),), lr, noise, seed)[0]


@functools.lru_cache(maxsize=64)
def _xor_all(lr, noise, seed):
    return _xor_train(XOR_WIDTHS, lr, noise, seed)


def _xor_train(widths, lr, noise, seed):
    """Train XOR_RESTARTS networks of each width; return their final losses.

    All widths run in one `optimize` call on a `WidthBlock`; if a run diverges
    there (it stops all its networks at once), each width is trained on its
    own instead, so that a run that blows up stops only its own network.
    """
    X, y = datasets.xor()
    block = _xor_block(tuple(widths))
    nets = block.networks  # MLP([2, w, 1]) for each width
    starts = block.pack([net.init(XOR_RESTARTS, seed=seed) for net in nets])
    runs = optimize(
        block.landscape,
        starts,
        lr=lr,
        steps=XOR_STEPS,
        noise=noise,
        seed=seed + 1,
        every=XOR_STEPS,
    )
    if runs.diverged.any():
        losses = []
        for net in nets:
            alone = optimize(
                net.landscape(X, y, loss="bce"),
                net.init(XOR_RESTARTS, seed=seed),
                lr=lr,
                steps=XOR_STEPS,
                noise=noise,
                seed=seed + 1,
                every=XOR_STEPS,
            )
            losses.append(np.where(alone.diverged, np.inf, alone.final_loss))
    else:
        # Each network's loss at its final weights, as nn.MLP computes it.
        losses = [
            net.landscape(X, y, loss="bce").value(w)
            for net, w in zip(nets, block.unpack(runs.final), strict=True)
        ]
    for loss in losses:
        loss.setflags(write=False)
    return tuple(losses)


@functools.lru_cache(maxsize=4)
def _xor_block(widths: tuple) -> WidthBlock:
    return WidthBlock(widths, *datasets.xor())


def stuck_fraction(final_loss: np.ndarray) -> float:
    """Return the share of runs whose final loss is STUCK_LOSS or more."""
    return float(np.mean(final_loss >= STUCK_LOSS))


# ---------------------------------------------------------------- noise

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


# ---------------------------------------------------------------- demos


def basins_demo(lr: float = 0.01, noise: float = 0.0) -> widgets.Demo:
    """Colour every start by the minimum that descent reaches from it."""
    land = landscapes.get("himmelblau")
    fig, (ax_map, ax_bar) = plotting.new_figure(
        10.5, 4.5, ncols=2, width_ratios=[1.4, 1]
    )
    X, Y, Z = plotting.grid(land, 160)
    levels = plotting.contour_levels(Z)
    with plotting.style():
        labels0, extent = basin_map(lr, noise)
        image = ax_map.imshow(
            _rgb(labels0),
            extent=extent,
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
        names = [f"{i + 1}" for i in range(len(land.minima))] + ["none"]
        bars = ax_bar.bar(
            names, np.zeros(len(names)), color=BASIN_COLOURS + [UNSETTLED], ec="black"
        )
        bar_text = [
            ax_bar.text(i, 0, "", ha="center", va="bottom", fontsize=11)
            for i in range(len(names))
        ]
        ax_bar.set(
            ylim=(0, 100), xlabel="minimum reached", ylabel="share of starts (%)"
        )
        ax_bar.set_title("2. size of each basin")

    controls = {
        "lr": widgets.lr_slider(lr, min=0.001, max=0.02, continuous_update=False),
        "noise": widgets.noise_slider(
            noise, max=20.0, step=1.0, continuous_update=False
        ),
    }

    def draw(lr, noise):
        labels, _ = basin_map(lr, noise)
        image.set_data(_rgb(labels))
        shares = [
            100 * np.mean(labels == i) for i in list(range(len(land.minima))) + [-1]
        ]
        for bar, text, share in zip(bars, bar_text, shares, strict=True):
            bar.set_height(share)
            text.set_position((bar.get_x() + bar.get_width() / 2, share + 1))
            text.set_text(f"{share:.0f}%")
        none = shares[-1]
        text = "Basin sizes: " + ", ".join(f"{s:.0f}%" for s in shares[:-1]) + "."
        if none > 0.5:
            text += (
                f" {none:.0f}% of starts reached no minimum in {BASIN_STEPS} steps "
                "(grey): too slow, bouncing, or thrown off by noise."
            )
        return text

    return widgets.Demo(fig, controls, draw)


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
        low, high = wilson_interval(successes, groups)
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
    return widgets.Demo(fig, controls, draw).warm_up("seed")


def xor_width_demo(width: int = 2, lr: float = 1.0, noise: float = 0.0) -> widgets.Demo:
    """Train 200 XOR networks per hidden width: how many get stuck?"""
    fig, (ax_rate, ax_strip, ax_hist) = plotting.new_figure(12.0, 4.2, ncols=3)
    widths = np.array(XOR_WIDTHS)
    jitter = np.random.default_rng(0).uniform(-0.3, 0.3, XOR_RESTARTS)
    bins = np.geomspace(1e-4, 10, 36)
    with plotting.style():
        err = ax_rate.errorbar(
            widths,
            np.zeros(widths.size),
            yerr=np.zeros((2, widths.size)),
            fmt="o-",
            color=plotting.BLUE,
            ms=6,
            capsize=0,
        )
        (rate_here,) = ax_rate.plot(
            [], [], "o", ms=14, mfc="none", mec=plotting.VERMILION, mew=2.5
        )
        ax_rate.set(
            xlim=(0.5, widths[-1] + 0.5),
            ylim=(-0.03, 1.03),
            xticks=widths,
            xlabel="hidden units h",
            ylabel="share of runs stuck",
        )
        ax_rate.set_title(f"1. stuck (loss ≥ {STUCK_LOSS}) after {XOR_STEPS} steps")
        strips = [
            ax_strip.plot([], [], ".", ms=3, alpha=0.5, color=plotting.BLUE)[0]
            for _ in widths
        ]
        ax_strip.axhline(STUCK_LOSS, color=plotting.VERMILION, ls="--", lw=1.2)
        ax_hist.axvline(STUCK_LOSS, color=plotting.VERMILION, ls="--", lw=1.2)
        ax_strip.set(
            yscale="log",
            ylim=(1e-4, 10),
            xticks=widths,
            xlim=(0.3, widths[-1] + 0.7),
            xlabel="hidden units h",
            ylabel="final loss (each dot a run)",
        )
        ax_strip.set_title("2. final loss of every run")
        _, _, patches = ax_hist.hist(
            np.ones(1), bins=bins, color=plotting.BLUE, ec="white"
        )
        ax_hist.set(xscale="log", xlabel="final loss", ylabel="number of runs")
        ax_hist.text(
            0.3,
            0.95,
            "solved",
            color=plotting.GREEN,
            fontsize=12,
            transform=ax_hist.transAxes,
            ha="center",
            va="top",
        )
        ax_hist.text(
            0.8,
            0.95,
            "stuck",
            color=plotting.VERMILION,
            fontsize=12,
            transform=ax_hist.transAxes,
            ha="center",
            va="top",
        )

    controls = {
        "width": widgets.choice(
            "hidden units h", {str(w): w for w in XOR_WIDTHS}, width
        ),
        "lr": widgets.lr_slider(lr, min=0.1, max=3.0, continuous_update=False),
        "noise": widgets.noise_slider(
            noise, max=0.5, step=0.05, continuous_update=False
        ),
    }

    def draw(width, lr, noise):
        losses = [xor_runs(w, lr, noise) for w in XOR_WIDTHS]
        stuck = np.array([np.sum(loss >= STUCK_LOSS) for loss in losses])
        rate = stuck / XOR_RESTARTS
        low, high = wilson_interval(stuck, XOR_RESTARTS, z=1.96)
        plotting.set_errorbar(err, widths, rate, low, high)
        i = XOR_WIDTHS.index(width)
        rate_here.set_data([width], [rate[i]])
        for k, (line, loss) in enumerate(zip(strips, losses, strict=True)):
            shown = np.clip(loss, 1.1e-4, 9)
            line.set_data(widths[k] + jitter, shown)
            line.set_color(plotting.ORANGE if k == i else plotting.BLUE)
            line.set_alpha(0.8 if k == i else 0.35)
        heights, _ = np.histogram(np.clip(losses[i], 1.1e-4, 9), bins=bins)
        for patch, h, left in zip(patches, heights, bins[:-1], strict=True):
            patch.set_height(h)
            patch.set_facecolor(
                plotting.VERMILION if left >= STUCK_LOSS else plotting.GREEN
            )
        # A round upper limit (mostly 200) rarely changes: a new limit means
        # redrawing the whole log axis and its labels.
        top = plotting.nice_ceiling(heights.max() * 1.25)
        ax_hist.set_ylim(0, min(top, 1.25 * XOR_RESTARTS))
        ax_hist.set_title(f"3. final losses of the 2-{width}-1 network")
        worst, best = losses[i].max(), np.median(losses[i])
        return (
            f"2-{width}-1 network: {stuck[i]} of {XOR_RESTARTS} runs stuck "
            f"({100 * rate[i]:.0f}%); median final loss {best:.3g}, worst "
            f"{worst:.3g}. Widest (2-{XOR_WIDTHS[-1]}-1): {100 * rate[-1]:.0f}% stuck."
        )

    return widgets.Demo(fig, controls, draw, manual=True)


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

    return widgets.Demo(fig, controls, draw)


# ---------------------------------------------------------------- exercises


def ex03_success_chance(answer, p: float = 0.05, k: int = 20) -> Feedback:
    """Check the chance that k restarts find a minimum each finds with chance p."""
    return check_number(
        answer,
        1 - (1 - p) ** k,
        rel=0.02,
        hint="The chance that all k restarts miss is (1 − p)^k.",
    )


def ex03_restarts_needed(answer, p: float = 0.05, target: float = 0.99) -> Feedback:
    """Check the fewest restarts k with 1 − (1 − p)^k >= target."""
    value = as_number(answer)
    if isinstance(value, Feedback):
        return value
    expected = math.ceil(math.log(1 - target) / math.log(1 - p))
    if value != int(value) or not 1 <= value <= 10**9:
        return Feedback(False, "Please answer with a whole number of restarts.")
    if value == expected:
        return Feedback(
            True, f"{expected} restarts give {1 - (1 - p) ** expected:.4f}."
        )
    reached = 1 - (1 - p) ** min(value, 10**6)
    if value < expected:
        return Feedback(
            False,
            f"{int(value)} restarts give only {reached:.4f}.",
            "Solve (1 − p)^k <= 1 − target with logarithms, then round up.",
        )
    return Feedback(
        False,
        f"{int(value)} restarts are enough, but fewer would do.",
        "Look for the smallest k; round up, not further.",
    )


def ex03_basin(answer) -> Feedback:
    """Check which Himmelblau minimum (1-4) descent reaches from (0, 0)."""
    value = as_number(answer)
    if isinstance(value, Feedback):
        return value
    land = landscapes.get("himmelblau")
    run = optimize(land, [0.0, 0.0], lr=0.01, steps=BASIN_STEPS)
    expected = int(basin_labels(land, run.final)[0]) + 1
    if value not in (1, 2, 3, 4):
        return Feedback(False, "Please answer with the number of a minimum: 1 to 4.")
    if value == expected:
        return Feedback(True, f"From (0, 0) descent ends in minimum {expected}.")
    return Feedback(
        False,
        f"Minimum {int(value)} is not where it ends.",
        "Find (0, 0) in the basin map: which colour is it?",
    )


DEMOS = {
    "basins": basins_demo,
    "restarts": restarts_demo,
    "xor_width": xor_width_demo,
    "noise_schedule": noise_schedule_demo,
}
