"""A flat region in a real network: how long small XOR networks stay on a plateau, by
the scale of their first weights.
"""

from __future__ import annotations

import functools

import numpy as np

from .. import plotting, widgets
from ..optimizers import optimize
from ._common import PLATEAU_LR, _xor_net

# Initial scales the plateau demo offers: one vectorised run trains them all.
SCALES = np.round(10.0 ** np.linspace(-1.5, 0.0, 13), 4)
PLATEAU_SEEDS = 3
PLATEAU_STEPS = 3000


PLATEAU_EVERY = 10


@functools.lru_cache(maxsize=1)
def plateau_runs():
    """Train the XOR network from every initial scale in SCALES, 3 seeds each.

    Returns
    -------
    t : int array of shape (rows,)
        Recorded steps (every 10th).
    loss, grad_norm : arrays of shape (rows, len(SCALES), 3)
        Loss and gradient length along each run.
    """
    net, surface = _xor_net()
    base = net.init(PLATEAU_SEEDS, seed=0)  # same directions, only the size varies
    w0 = (SCALES[:, None, None] * base[None]).reshape(-1, net.dim)
    traj = optimize(
        surface, w0, lr=PLATEAU_LR, steps=PLATEAU_STEPS, every=PLATEAU_EVERY
    )
    grad = np.linalg.norm(surface.grad(traj.path), axis=-1)
    shape = (traj.t.size, SCALES.size, PLATEAU_SEEDS)
    return traj.t, traj.loss.reshape(shape), grad.reshape(shape)


def plateau_length(t, loss, level: float = 0.2) -> np.ndarray:
    """Return the first recorded step with loss below `level` (-1 if never).

    `loss` has shape (rows, ...); the result has shape (...).
    """
    below = loss < level
    return np.where(below.any(0), np.asarray(t)[below.argmax(0)], -1)


def plateau_demo(scale: float = 0.1) -> widgets.Demo:
    """XOR network from small weights: a long plateau, then a sudden drop."""
    t, loss, grad = plateau_runs()
    fig, (ax_loss, ax_grad) = plotting.new_figure(10.0, 4.0, ncols=2)
    colours = (plotting.BLUE, plotting.ORANGE, plotting.GREEN)
    with plotting.style():
        loss_lines = [
            ax_loss.plot(t, loss[:, 0, k], color=c, label=f"network {k + 1}")[0]
            for k, c in enumerate(colours)
        ]
        ax_loss.axhline(0.25, color=plotting.GREY, ls="--", lw=1)
        ax_loss.text(
            t[-1],
            0.25,
            "plateau: predict the mean ",
            ha="right",
            va="bottom",
            color=plotting.GREY,
        )
        ax_loss.set(xlim=(0, t[-1]), xlabel="step")
        ax_loss.set_ylabel("loss (mean squared error)")
        loss_title = ax_loss.set_title(" ")
        ax_loss.legend(loc="upper right")
        grad_lines = [
            ax_grad.semilogy(t, np.ones_like(t, dtype=float), color=c)[0]
            for c in colours
        ]
        ax_grad.set(xlim=(0, t[-1]), ylim=(1e-8, 3), xlabel="step")
        ax_grad.set_ylabel("gradient length |∇L|")
        ax_grad.set_title("The slope on the plateau is tiny")

    controls = {
        "scale": widgets.log_slider(
            "initial scale",
            scale,
            SCALES[0],
            SCALES[-1],
            step=np.diff(np.log10(SCALES)).mean(),
            continuous_update=False,
        ),
    }

    def draw(scale):
        i = int(np.argmin(np.abs(np.log(SCALES) - np.log(scale))))
        for k in range(PLATEAU_SEEDS):
            loss_lines[k].set_ydata(loss[:, i, k])
            grad_lines[k].set_ydata(plotting.positive_floor(grad[:, i, k], 1e-8))
        # The runs start near 0.5 (output near 0) from small weights, higher
        # from large ones: the axis shows every start, and changes only then.
        top = max(0.55, plotting.nice_ceiling(1.05 * loss[:, i].max(), (1, 1.5, 2)))
        if ax_loss.get_ylim() != (-0.01, top):
            ax_loss.set_ylim(-0.01, top)
        length = plateau_length(t, loss[:, i])
        loss_title.set_text(f"4 hidden units on XOR, initial scale {SCALES[i]:.3g}")
        if np.all(length < 0):
            return (
                f"Initial scale {SCALES[i]:.3g}: still on the plateau after "
                f"{t[-1]} steps, although the loss is far from zero."
            )
        done = length[length >= 0]
        return (
            f"Initial scale {SCALES[i]:.3g}: {done.size} of {PLATEAU_SEEDS} networks "
            f"left the plateau, after {done.min()} to {done.max()} steps."
        )

    return widgets.Demo(fig, controls, draw, alt=PLATEAU_ALT, exported=("scale",))


PLATEAU_ALT = (
    "Two panels against the training step, 0 to 3,000, for three 2-4-1 networks "
    "on XOR started from the chosen initial scale (blue, orange and green). "
    "Left: the loss (mean squared error) starts near 0.5, falls within a few "
    "dozen steps to a dashed grey line at 0.25, the plateau where the network "
    "predicts the mean, stays there and then drops to zero. Right: the length of "
    "the gradient on a log axis, tiny while the loss is on the plateau."
)
