"""Walking downhill, and the whole picture: the fit and the path on the surface."""

from __future__ import annotations

import numpy as np

from .. import plotting, widgets
from ..optimizers import optimize
from ._common import START, data, loss_surface, optimum, train, verdict

MAX_STEPS = 200  # the fit demo's steps slider goes up to this


BOX = (np.array([-2.0, -3.0]), np.array([5.0, 5.0]))  # weight space shown


def fit_demo(lr: float = 0.1, steps: int = 50) -> widgets.Demo:
    """Data and fit | error surface and path | loss curve, for one run."""
    X, y = data()
    surface = loss_surface()
    fig, (ax_fit, ax_w, ax_loss) = plotting.new_figure(10.5, 3.7, ncols=3)
    with plotting.style():
        ax_fit.scatter(X[:, 0], y, color=plotting.BLACK, s=18, label="data", zorder=3)
        xs = np.linspace(-0.2, 2.2, 2)
        (fit_line,) = ax_fit.plot(xs, xs, color=plotting.ORANGE, label="current fit")
        ax_fit.set(xlim=(-0.2, 2.2), ylim=(-2, 8), xlabel="input x", ylabel="output y")
        ax_fit.set_title("1. the data and the neuron's fit")
        ax_fit.legend(loc="upper left")

        plotting.draw_surface(ax_w, surface, bounds=BOX)
        ax_w.plot(*optimum(), "*", color="white", mec="black", ms=14, zorder=7)
        (path_line,) = ax_w.plot([], [], ".-", color=plotting.ORANGE, ms=4, lw=1.2)
        ax_w.plot(*START, "o", color="white", mec="black", ms=7, zorder=7)
        ax_w.set(xlabel="weight w", ylabel="bias b")
        ax_w.set_title("2. error surface and the descent")

        plotting.log_axis(ax_loss, "y")
        (loss_line,) = ax_loss.plot([], [], color=plotting.BLUE)
        # Where the curve stopped, or at the top when it left the chart.
        (blowup,) = ax_loss.plot([], [], "X", color=plotting.DIVERGED, ms=11)
        blowup_text = ax_loss.text(
            0.96,
            0.5,
            "",
            color=plotting.DIVERGED,
            ha="right",
            transform=ax_loss.transAxes,
        )
        floor = surface.value(optimum())
        ax_loss.axhline(floor, color=plotting.GREY, ls="--", lw=1)
        # Under the line, where no loss curve can go.
        ax_loss.text(
            0.98,
            floor * 0.93,
            "best possible",
            ha="right",
            va="top",
            color=plotting.GREY,
            transform=ax_loss.get_yaxis_transform(),
        )
        ax_loss.set(xlabel="step", ylabel="loss (mean squared error)")
        ax_loss.set_title("3. loss during training")
        # Fixed limits (fast demos, rule 5 in CONTRIBUTING.md), from just below
        # the best loss to 10⁶: a growing loss climbs in a straight line (on
        # this log axis) before it leaves the chart.
        top = 1e6
        ax_loss.set_ylim(floor * 0.25, top)  # room for the label under the line
        # The whole range of the steps slider: more steps draw the curve on to
        # the right, as training goes on (4% more so a last marker shows whole).
        ax_loss.set_xlim(0, 1.04 * MAX_STEPS)

    controls = {
        "lr": widgets.lr_slider(lr, min=0.003, max=1.0),
        "steps": widgets.steps_slider(steps, min=1, max=MAX_STEPS),
    }

    def draw(lr, steps):
        traj = train(lr, steps)
        w, b = traj.final[0]
        fit_line.set_ydata(w * xs + b)
        path_line.set_data(traj.path[:, 0, 0], traj.path[:, 0, 1])
        path_line.set_color(plotting.DIVERGED if traj.diverged[0] else plotting.ORANGE)
        # A diverged run is frozen at its last sane point; draw its loss only up
        # to the blow-up and mark that step.
        end = traj.diverged_at[0] if traj.diverged[0] else len(traj.t)
        loss_line.set_data(traj.t[:end], traj.loss[:end, 0])
        if traj.diverged[0]:
            # top / 1.4: a marker's half-height below the edge
            marker_y = min(traj.loss[end - 1, 0], top / 1.4)
            blowup.set_data([traj.t[end - 1]], [marker_y])
            blowup_text.set_text(f"diverged at step {end}")
        else:
            blowup.set_data([], [])
            blowup_text.set_text("")
        return verdict(traj, lr)

    alt = (
        "Three panels for one run of full-batch gradient descent. Left: the 20 "
        "data points (black dots) and the neuron's current fit (orange line), "
        "input x across, output y up. Middle: the error surface over weight w "
        "(across) and bias b (up), dark where the loss is low, with the start "
        "(white dot), the best weights (white star) and the path of the descent "
        "(orange; red when it diverged). Right: the loss after each step on a "
        "log scale, with the best possible loss as a grey dashed line; a red "
        "cross marks where a run diverged."
    )
    # A diverging rate changes every artist a control can change.
    return widgets.Demo(fig, controls, draw, alt=alt, exported=("lr",)).warm_up(
        "lr", 0.9
    )


def walk_demo(lr: float = 0.1, steps: int = 8) -> widgets.Demo:
    """Gradient descent on the loss along w alone (b at its best): step by step."""
    surface = loss_surface()
    w_best, b_best = optimum()
    ws = np.linspace(-2, 6, 200)
    curve = surface.value(np.c_[ws, np.full_like(ws, b_best)])
    fig, (ax,) = plotting.new_figure(7.0, 3.2)
    with plotting.style():
        ax.plot(ws, curve, color=plotting.BLUE, label="loss along w")
        (steps_line,) = ax.plot(
            [],
            [],
            "o-",
            color=plotting.ORANGE,
            ms=5,
            lw=1.2,
            label="gradient-descent steps",
        )
        ax.set(xlim=(-2, 6), ylim=(0, curve.max()), xlabel="weight w", ylabel="loss")
        ax.set_title("Each step: w ← w − η · slope")
        ax.legend(loc="upper center")

    controls = {
        "lr": widgets.lr_slider(lr, min=0.003, max=1.0),
        "steps": widgets.steps_slider(steps, min=1, max=30),
    }
    line = _line_landscape(surface, b_best)

    def draw(lr, steps):
        traj = optimize(line, [-1.0], lr=lr, steps=steps)
        w_path = traj.path[:, 0, 0]
        steps_line.set_data(w_path, line.value(w_path[:, None]))
        lam = line.hessian(np.zeros((1, 1)))[0, 0, 0]
        if traj.diverged[0]:
            return (
                f"η = {lr:.3g}: every step overshoots further; "
                f"diverged (η > 2/λ = {2 / lam:.2f})."
            )
        if lr * lam > 2:
            kind = f"lands farther away than the last (η > 2/λ = {2 / lam:.2f})"
        elif lr * lam > 1:
            kind = "jumps past the bottom (zig-zag)"
        elif lr * lam > 0.1:
            kind = "goes downhill without overshooting"
        else:
            kind = "creeps downhill"
        where = (
            "at the bottom"
            if abs(w_path[-1] - w_best) < 1e-2
            else f"w = {w_path[-1]:.3f}, best {w_best:.3f}"
        )
        return f"η = {lr:.3g}: each step {kind}; after {steps} steps: {where}."

    alt = (
        "The loss (up) along the weight w (across) with the bias held at its "
        "best value: a blue parabola. Orange dots joined by lines are the "
        "gradient-descent steps from w = −1, one dot per step."
    )
    return widgets.Demo(fig, controls, draw, alt=alt, exported=("lr",)).warm_up("lr")


def _line_landscape(surface, b):
    """Return the 1-D cut of `surface` along w at fixed bias b."""
    from ..landscapes import Landscape

    def lift(w):
        return np.c_[w[:, 0], np.full(len(w), b)]

    return Landscape(
        name="loss along w",
        dim=1,
        bounds=(np.array([-2.0]), np.array([6.0])),
        minima=np.zeros((0, 1)),
        f=lambda w: surface.value(lift(w)),
        df=lambda w: surface.grad(lift(w))[:, :1],
        d2f=lambda w: surface.hessian(lift(w))[:, :1, :1],
    )
