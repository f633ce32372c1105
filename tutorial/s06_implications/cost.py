"""What a batch costs: examples processed to reach the target, by batch size."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from .. import plotting, widgets
from ..sections import returns_inf
from ._common import (
    BATCHES,
    COPIES,
    TARGET,
    _floor,
    _loss_axis,
    _read_only,
    _solved,
    starts,
    train_sgd,
)

COST_EXAMPLES = 40 * COPIES * 4  # the cost budget: 40 passes over 32 examples
COST_LRS = (0.03, 0.1, 0.3)


@lru_cache(maxsize=8)
@returns_inf("examples to the target are inf for batch sizes that never get there")
def cost_curves(lr: float = 0.1, batches=BATCHES, n: int = 40, seed: int = 0):
    """Train the same n starts with each batch size for COST_EXAMPLES examples.

    Batch B takes COST_EXAMPLES / B steps: the same number of example
    gradients computed (the cost), different numbers of steps. Returns
    {B: {"t", "examples", "median", "learned", "examples_to_target"}}: the
    recorded steps, the examples processed by then, the median loss, the
    share that learned XOR at the end, and the examples processed until the
    median loss first falls below TARGET (inf if never). Cached, read-only.
    """
    x0 = starts(n, seed)
    out = {}
    for batch in batches:
        steps = COST_EXAMPLES // batch
        every = max(steps // 50, 1)
        traj = train_sgd(x0, lr, batch=batch, steps=steps, seed=seed, every=every)
        median = np.median(traj.loss, axis=1)
        hit = np.flatnonzero(median < TARGET)
        out[batch] = {
            "t": traj.t,
            "examples": traj.examples,
            "median": median,
            "learned": float(_solved(traj).mean()),
            "examples_to_target": float(traj.examples[hit[0]]) if hit.size else np.inf,
        }
    return _read_only(out)


def _cost_sentence(lr: float, res: dict) -> str:
    reach = [
        f"B = {b}: {r['examples_to_target']:.0f}"
        for b, r in res.items()
        if np.isfinite(r["examples_to_target"])
    ]
    never = [str(b) for b, r in res.items() if not np.isfinite(r["examples_to_target"])]
    text = f"η = {lr:g}. Examples until the median loss is below {TARGET}: "
    text += "; ".join(reach) if reach else "none gets there"
    if never:
        text += f"; not within {COST_EXAMPLES} for B = {', '.join(never)}"
    return text + "."


def cost_demo(lr: float = 0.1):
    """Median loss against steps | against examples processed, per batch size."""
    colours = dict(zip(BATCHES, plotting.CYCLE, strict=False))
    floor = 1e-12
    fig, (ax_s, ax_e) = plotting.new_figure(11.0, 4.0, ncols=2, slide_height=3.5)
    with plotting.style():
        by_step, by_example = {}, {}
        for b in BATCHES:
            label = f"B = {b}" + (" (full batch)" if b == BATCHES[-1] else "")
            (by_step[b],) = ax_s.plot([], [], color=colours[b], label=label)
            (by_example[b],) = ax_e.plot([], [], color=colours[b], label=label)
        _loss_axis(ax_s, "1. against steps", xmax=COST_EXAMPLES, floor=floor)
        ax_s.set_xlabel("steps (log scale)")
        plotting.log_axis(ax_s, "x")
        ax_s.set_xlim(1, COST_EXAMPLES)
        _loss_axis(ax_e, "2. against examples (the cost)", COST_EXAMPLES, floor)
        ax_e.set_xlabel("examples processed = steps × B")
        ax_e.legend(loc="lower left", ncols=2)

    controls = {"lr": widgets.choice("learning rate η", list(COST_LRS), lr)}

    def draw(lr):
        res = cost_curves(lr)
        for b, r in res.items():
            by_step[b].set_data(np.maximum(r["t"], 1), _floor(r["median"], floor))
            by_example[b].set_data(r["examples"], _floor(r["median"], floor))
        return _cost_sentence(lr, res)

    alt = (
        f"Two panels for minibatch SGD on XOR (every corner {COPIES} times) at "
        "learning rate η, one line per batch size B from 1 to 32 (32 is the full "
        "batch). 1: median loss against steps (both axes logarithmic). 2: the same "
        "median loss against the number of examples processed, steps × B, which "
        f"is what the computing costs; every line stops at {COST_EXAMPLES} examples."
    )
    return widgets.Demo(fig, controls, draw, alt=alt, exported=("lr",))
