"""Three kinds of flat: a strict saddle, a degenerate point and a drifting valley,
under the same noise.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

import numpy as np
from matplotlib.ticker import FixedLocator

from .. import datasets, plotting, widgets
from ..nn import WidthBlock
from ..optimizers import optimize
from ._common import ESCAPE, PLATEAU_LR, X_START, _xor_net, saddle_surface

FLAT_KINDS = ("strict saddle", "degenerate point", "drifting valley")
# The noise in one step, η·σ: the three problems are trained with different
# rates, and what moves the weights is the product.
STEP_NOISE = (1e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1.0)
FLAT_NOISY_STEPS = 1500  # steps with noise, then
FLAT_QUIET_STEPS = 300  # steps without, so that a run that left can settle
FLAT_RUNS = 20  # runs per noise level at the saddle and the degenerate point
FLAT_SCALE = 0.03  # the degenerate point's runs start from weights × 0.03
VALLEY_LR = 1.0  # notebook 03's stuck 2-2-1 XOR networks
VALLEY_STEPS = 600


class FlatKinds(NamedTuple):
    """Which runs left each kind of flat place, at each level of noise."""

    step_noise: np.ndarray  # (levels,) η·σ, a first level 0 (no noise)
    left: np.ndarray  # (3, levels) share that left: FLAT_KINDS in order
    worse: np.ndarray  # (levels,) share of valley runs thrown to a higher loss
    runs: np.ndarray  # (3,) runs per level of each kind


def _noise_schedule(lr: float, runs: int) -> np.ndarray:
    """σ for every step and run: each level of STEP_NOISE (and 0), then quiet."""
    sigma = np.repeat(np.r_[0.0, STEP_NOISE] / lr, runs)
    loud = np.broadcast_to(sigma, (FLAT_NOISY_STEPS, sigma.size))
    return np.r_[loud, np.zeros((FLAT_QUIET_STEPS, sigma.size))]


def _tiled(x0: np.ndarray) -> np.ndarray:
    return np.tile(x0, (len(STEP_NOISE) + 1, 1))


@functools.lru_cache(maxsize=1)
def flat_kinds() -> FlatKinds:
    """Start runs in each kind of flat place, add noise, count who leaves.

    - strict saddle: 5x² − y² from (1, 0), exactly on the ridge (η = 0.1);
      left if |y| > ESCAPE at the end;
    - degenerate point: the plateau network (2-4-1 on XOR, mean squared
      error, η = 0.2) from random weights × FLAT_SCALE; left if its loss is
      below 0.2 (the plateau is at 0.25);
    - drifting valley: the 2-2-1 XOR networks stuck after VALLEY_STEPS steps
      (cross-entropy, η = 1), from where they are stuck; left if the loss is
      below 0.1, worse if 0.05 or more above the loss it was stuck at.

    Each run gets Gaussian gradient noise (the model, ``noise=σ``) with η·σ
    at each level of STEP_NOISE (and none) for FLAT_NOISY_STEPS steps, then
    FLAT_QUIET_STEPS steps without.
    """
    steps = FLAT_NOISY_STEPS + FLAT_QUIET_STEPS
    levels = len(STEP_NOISE) + 1
    saddle = optimize(
        saddle_surface(),
        _tiled(np.tile([X_START, 0.0], (FLAT_RUNS, 1))),
        lr=0.1,
        steps=steps,
        noise=_noise_schedule(0.1, FLAT_RUNS),
        seed=1,
        every=steps,
    )
    net, surface = _xor_net()
    flat = optimize(
        surface,
        _tiled(FLAT_SCALE * net.init(FLAT_RUNS, seed=0)),
        lr=PLATEAU_LR,
        steps=steps,
        noise=_noise_schedule(PLATEAU_LR, FLAT_RUNS),
        seed=1,
        every=steps,
    )
    stuck_loss, valley_loss = _valley_runs(steps)
    left = np.stack(
        [
            (np.abs(saddle.final[:, 1]) > ESCAPE).reshape(levels, -1).mean(1),
            (flat.final_loss < 0.2).reshape(levels, -1).mean(1),
            (valley_loss < 0.1).reshape(levels, -1).mean(1),
        ]
    )
    # Worse: a loss clearly above the level the run was stuck at.
    worse = (valley_loss > np.tile(stuck_loss, levels) + 0.05).reshape(levels, -1)
    out = FlatKinds(
        np.r_[0.0, STEP_NOISE],
        left,
        worse.mean(1),
        np.array([FLAT_RUNS, FLAT_RUNS, stuck_loss.size]),
    )
    for array in out:
        array.setflags(write=False)
    return out


def _valley_runs(steps: int):
    """The stuck 2-2-1 XOR networks, noise added: (stuck losses, final losses)."""
    X, y = datasets.xor()
    block = WidthBlock((2,), X, y)
    (net,) = block.networks
    surface = net.landscape(X, y, loss="bce")
    first = optimize(
        block.landscape,
        block.pack([net.init(200, seed=0)]),
        lr=VALLEY_LR,
        steps=VALLEY_STEPS,
        every=VALLEY_STEPS,
    )
    before = surface.value(block.unpack(first.final)[0])
    stuck = first.final[before >= 0.1]
    runs = optimize(
        block.landscape,
        _tiled(stuck),
        lr=VALLEY_LR,
        steps=steps,
        noise=_noise_schedule(VALLEY_LR, len(stuck)),
        seed=1,
        every=steps,
    )
    return before[before >= 0.1], surface.value(block.unpack(runs.final)[0])


def kinds_demo(step_noise: float = 0.01) -> widgets.Demo:
    """How many runs leave each kind of flat place, against the noise."""
    kinds = flat_kinds()
    fig, (ax,) = plotting.new_figure(8.5, 4.2)
    # No noise sits one decade left of the smallest level, labelled "0".
    x = np.r_[STEP_NOISE[0] / 10, STEP_NOISE]
    styles = (
        (plotting.BLUE, "o-"),
        (plotting.ORANGE, "D-"),
        (plotting.VERMILION, "s-"),
    )
    with plotting.style():
        for name, share, (colour, fmt) in zip(
            FLAT_KINDS, kinds.left, styles, strict=True
        ):
            ax.plot(x, share, fmt, color=colour, label=f"{name}: left")
        ax.plot(
            x,
            kinds.worse,
            "s:",
            color=plotting.VERMILION,
            mfc="white",
            label="drifting valley: thrown to a worse loss",
        )
        (cursor,) = ax.plot([], [], color=plotting.BLACK, lw=1, zorder=6)
        ax.set_xscale("log")
        ax.set_xticks(
            [1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1.0],
            ["0", "10⁻⁴", "10⁻³", "10⁻²", "10⁻¹", "1"],
        )
        ax.xaxis.set_minor_locator(FixedLocator([]))
        ax.set(xlim=(5e-6, 2), ylim=(-0.03, 1.03), xlabel="noise in one step, η·σ")
        ax.set_ylabel("share of runs")
        ax.set_title("Gaussian noise for 1,500 steps, then 300 steps without")
        ax.legend(loc="center left", fontsize=9)
    levels = {("none" if v == 0 else f"{v:g}"): float(v) for v in kinds.step_noise}
    controls = {
        "step_noise": widgets.choice("noise in one step η·σ", levels, step_noise)
    }

    def draw(step_noise):
        i = int(np.argmin(np.abs(kinds.step_noise - step_noise)))
        cursor.set_data([x[i]] * 2, [-0.03, 1.03])
        return _kinds_sentence(kinds, i)

    return widgets.Demo(fig, controls, draw, alt=KINDS_ALT, exported=("step_noise",))


KINDS_ALT = (
    "One panel: the share of runs that left a flat place (0 to 1) against the "
    "noise added in each step, η times σ, on a log axis from none to 1. Blue: a "
    "strict saddle, no run leaves without noise and every run leaves with any "
    "noise at all. Orange: a degenerate point, runs leave once the noise is about "
    "0.003 or more, and fewer again when it is very large. Red: a drifting "
    "valley, no run leaves until the noise reaches about 0.1, a share leaves "
    "near 0.3; a dotted red line with open squares shows the valley's runs thrown "
    "to a worse loss, rising at the largest noise. A black vertical line marks "
    "the chosen noise."
)


def _kinds_sentence(kinds: FlatKinds, i: int) -> str:
    level = kinds.step_noise[i]
    counts = np.round(kinds.left[:, i] * kinds.runs).astype(int)
    parts = [
        f"the {name} {count} of {runs}"
        for name, count, runs in zip(FLAT_KINDS, counts, kinds.runs, strict=True)
    ]
    worse = int(round(kinds.worse[i] * kinds.runs[2]))
    head = "No noise" if level == 0 else f"η·σ = {level:g}"
    return (
        f"{head}: runs that left {parts[0]}, {parts[1]}, {parts[2]} ({worse} valley "
        "runs thrown to a worse loss)."
    )
