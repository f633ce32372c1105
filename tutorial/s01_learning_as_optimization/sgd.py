"""Real stochastic gradient descent: minibatch runs, their jitter near the bottom,
and the demo.
"""

from __future__ import annotations

import functools

import numpy as np

from .. import plotting, widgets
from ..optimizers import optimize
from ._common import START, loss_surface, optimum, train

SGD_STEPS = 300  # steps of each minibatch run in the noise section
SGD_RUNS = 20  # runs averaged for the noise section's numbers
SGD_TAIL = 50  # the last steps, where a run has arrived, averaged over
DECAY_STEPS = 50  # the decaying schedule halves η after this many steps
ZOOM = 1.0  # half-width of the weight window around the best weights
SCHEDULES = {"constant η": False, f"η/(1 + t/{DECAY_STEPS})": True}


def decaying_rates(lr: float, steps: int = SGD_STEPS) -> np.ndarray:
    """Return the schedule η_t = η / (1 + t / DECAY_STEPS), shape (steps,)."""
    if not (isinstance(lr, (int, float, np.number)) and np.isfinite(lr) and lr > 0):
        raise ValueError(f"lr must be a finite number > 0; got {lr!r}")
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)):
        raise ValueError(f"steps must be a whole number in [0, 10**6]; got {steps!r}")
    if not 0 <= steps <= 10**6:
        raise ValueError(f"steps must be in [0, 10**6]; got {steps}")
    return lr / (1.0 + np.arange(steps) / DECAY_STEPS)


def sgd_runs(lr: float, batch_size: int, decay: bool = False, seed: int = 0):
    """Return SGD_RUNS minibatch runs of SGD_STEPS steps from START (a Trajectory).

    With `decay`, the rate follows `decaying_rates`; otherwise it stays at
    `lr`. `batch_size` 20 is full-batch gradient descent.
    """
    rates = decaying_rates(lr) if decay else lr
    return train(rates, SGD_STEPS, seed=seed, batch_size=batch_size, runs=SGD_RUNS)


def excess_loss(traj) -> np.ndarray:
    """Return the loss above the best possible, L − L*, shape (rows, runs)."""
    return traj.loss - loss_surface().value(optimum())


@functools.lru_cache(maxsize=256)
def jitter(lr: float, batch_size: int, decay: bool = False, seed: int = 0) -> float:
    """Return the mean of L − L* over the last SGD_TAIL steps of `sgd_runs`.

    How far above the best possible loss the walk stays once it has arrived:
    0 for full-batch descent at a stable rate, more than 0 for minibatches.
    """
    traj = sgd_runs(lr, batch_size, decay, seed)
    return float(excess_loss(traj)[-SGD_TAIL:].mean())


def per_example_gradients(theta) -> np.ndarray:
    """Return the gradient of each example's own loss at weights θ, shape (20, 2).

    Their mean is the full gradient; a minibatch step follows the mean of B
    of them.
    """
    surface = loss_surface()
    m = surface.examples
    at = np.tile(np.asarray(theta, dtype=float), (m, 1))
    return surface.batch_grad(at, np.arange(m)[:, None])


def gradient_spread(theta) -> tuple[np.ndarray, float]:
    """Return the full gradient at θ, shape (2,), and the spread of the examples' own.

    The spread is the root-mean-square distance of the per-example gradients
    from their mean: what makes one minibatch's gradient differ from the next.
    """
    g = per_example_gradients(theta)
    mean = g.mean(0)
    return mean, float(np.sqrt(((g - mean) ** 2).sum(1).mean()))


def sgd_demo(lr: float = 0.1, batch_size: int = 1, decay: bool = False):
    """Real minibatch SGD on the line data: the walk near the best weights."""
    center = optimum()
    half = np.array([ZOOM, ZOOM])
    surface = loss_surface()
    fig, (ax_map, ax_loss) = plotting.new_figure(10.5, 3.9, ncols=2)
    with plotting.style():
        plotting.draw_surface(
            ax_map, surface, bounds=(center - half, center + half), minima=False
        )
        (path_line,) = ax_map.plot([], [], "-", color="white", lw=0.6, zorder=5)
        (tail_dots,) = ax_map.plot([], [], ".", color=plotting.ORANGE, ms=4, zorder=6)
        ax_map.plot(*center, "*", color="white", mec="black", ms=15, zorder=7)
        ax_map.set(xlabel="weight w", ylabel="bias b")
        ax_map.set_title("1. one run near the best weights")

        plotting.log_axis(ax_loss, "y")
        steps = np.arange(SGD_STEPS + 1)
        (full_line,) = ax_loss.plot(
            [], [], "--", color=plotting.GREY, lw=1.5, label="full batch, same η"
        )
        (one_line,) = ax_loss.plot(
            [], [], color=plotting.ORANGE, lw=0.8, alpha=0.8, label="one run"
        )
        (mean_line,) = ax_loss.plot(
            [], [], color=plotting.BLUE, lw=2, label=f"mean of {SGD_RUNS} runs"
        )
        ax_loss.set(
            xlim=(0, SGD_STEPS),
            ylim=(1e-6, 1e2),
            xlabel="step",
            ylabel="loss above the best, L − L*",
        )
        ax_loss.set_title("2. how far above the best loss")
        ax_loss.legend(loc="upper right")

    controls = {
        # 20 runs of 300 minibatch steps: on release.
        "lr": widgets.log_slider(
            "learning rate η",
            lr,
            0.01,
            10**-0.4,
            step=0.1,
            continuous_update=False,
        ),
        "batch_size": widgets.int_slider(
            "batch size B", batch_size, 1, 20, continuous_update=False
        ),
        "decay": widgets.choice("schedule", SCHEDULES, decay),
    }

    def draw(lr, batch_size, decay):
        traj = sgd_runs(lr, batch_size, decay)
        rates = decaying_rates(lr) if decay else lr
        full = optimize(surface, START, lr=rates, steps=SGD_STEPS)
        path = traj.path[:, 0]
        path_line.set_data(path[:, 0], path[:, 1])
        tail = path[-SGD_TAIL:]
        tail_dots.set_data(tail[:, 0], tail[:, 1])
        excess = excess_loss(traj)
        one_line.set_data(steps, plotting.positive_floor(excess[:, 0], 1e-7))
        mean_line.set_data(steps, plotting.positive_floor(excess.mean(1), 1e-7))
        full_gap = excess_loss(full)[:, 0]
        full_line.set_data(steps, plotting.positive_floor(full_gap, 1e-7))
        gap = excess[-SGD_TAIL:].mean()
        kind = "full batch" if batch_size == surface.examples else f"batch {batch_size}"
        schedule = "decaying η" if decay else "constant η"
        return (
            f"η = {lr:.3g}, {kind}, {schedule}: over the last {SGD_TAIL} steps "
            f"the loss stays {gap:.2g} above the best on average "
            f"(full batch: {max(full_gap[-1], 0):.1g})."
        )

    alt = (
        "Two panels for real minibatch SGD on the 20 points. Left: a window of "
        "the error surface around the best weights (white star), weight w "
        "across and bias b up, with one run's path as a thin white line and "
        f"its last {SGD_TAIL} positions as orange dots. Right: the loss above "
        "the best possible (log scale) against the step, for that run (thin "
        f"orange), the mean of {SGD_RUNS} runs (thick blue) and full-batch "
        "descent at the same rate (grey dashed)."
    )
    # The prose asks for B first.
    return widgets.Demo(fig, controls, draw, alt=alt, exported=("batch_size",))
