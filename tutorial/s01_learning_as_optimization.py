"""Notebook 01, learning as optimization: one neuron, its error surface, a walk.

The model is a single linear neuron ŷ = w·x + b fitted to noisy points of a
line by mean squared error. Its two weights (w, b) are a point on a 2-D error
surface, so the whole of training can be watched at once: the fit in data
space, the path in weight space, and the loss over time.
"""

from __future__ import annotations

import numpy as np

from . import datasets, plotting, widgets
from .checks import Feedback, as_pair, check_choice, check_number
from .nn import MLP
from .optimizers import optimize

__all__ = [
    "data",
    "neuron",
    "loss_surface",
    "largest_stable_lr",
    "train",
    "fit_demo",
    "walk_demo",
    "ex01_largest_lr",
    "ex01_gradient_at_start",
    "ex01_regime",
    "DEMOS",
]

MAX_STEPS = 200  # the fit demo's steps slider goes up to this
START = np.array([-1.0, -2.0])  # (w, b): a deliberately poor first guess
BOX = (np.array([-2.0, -3.0]), np.array([5.0, 5.0]))  # weight space shown


def data(seed: int = 0):
    """Return the 20 training points (X of shape (20, 1), y of shape (20,))."""
    return datasets.line(n=20, slope=2.0, intercept=1.0, noise=0.4, seed=seed)


def neuron() -> MLP:
    """Return the model: one linear neuron, weights (w, b)."""
    return MLP([1, 1])


def loss_surface(seed: int = 0):
    """Return the mean-squared-error surface over (w, b) as a Landscape."""
    X, y = data(seed)
    return neuron().landscape(X, y, loss="mse")


def curvatures(seed: int = 0) -> np.ndarray:
    """Return the Hessian's eigenvalues (λmin, λmax) of the error surface.

    The surface is an exact quadratic, so its Hessian is the same everywhere.
    """
    return np.linalg.eigvalsh(loss_surface(seed).hessian(START))


def largest_stable_lr(seed: int = 0) -> float:
    """Return 2/λmax: gradient descent converges exactly for smaller η."""
    return 2.0 / curvatures(seed)[-1]


def train(lr: float, steps: int = 50, noise: float = 0.0, seed: int = 0):
    """Train the neuron from START by gradient descent; return a Trajectory."""
    return optimize(loss_surface(), START, lr=lr, steps=steps, noise=noise, seed=seed)


def verdict(traj, lr: float) -> str:
    """Return one sentence on how a run went, for the status line."""
    edge = largest_stable_lr()
    if traj.diverged[0]:
        return (
            f"η = {lr:.3g}: diverged after {traj.diverged_at[0]} steps. "
            "Each step overshoots the valley by more than the last "
            f"(2/λmax ≈ {edge:.2f})."
        )
    best = loss_surface().value(optimum())
    gap = traj.final_loss[0] - best
    if traj.final_loss[0] > traj.loss[0, 0]:
        return (
            f"η = {lr:.3g}: the loss grew to {traj.final_loss[0]:.3g}: each step "
            "overshoots further; with more steps it diverges."
        )
    if gap < 1e-3:
        return f"η = {lr:.3g}: reached the bottom (loss {traj.final_loss[0]:.3f})."
    return (
        f"η = {lr:.3g}: loss {traj.final_loss[0]:.3f} after {traj.t[-1]} steps, "
        f"still {gap:.3f} above the best possible."
    )


def optimum() -> np.ndarray:
    """Return the least-squares weights (w, b) in closed form."""
    X, y = data()
    A = np.c_[X[:, 0], np.ones(len(y))]
    return np.linalg.lstsq(A, y, rcond=None)[0]


# ---------------------------------------------------------------- demos


def fit_demo(lr: float = 0.1, noise: float = 0.0, steps: int = 50) -> widgets.Demo:
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
        "noise": widgets.noise_slider(noise, max=2.0, step=0.1),
        "steps": widgets.steps_slider(steps, min=1, max=MAX_STEPS),
    }

    def draw(lr, noise, steps):
        traj = train(lr, steps, noise)
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

    # A diverging rate changes every artist a control can change.
    return widgets.Demo(fig, controls, draw).warm_up("lr", 0.9)


def walk_demo(lr: float = 0.1, steps: int = 8) -> widgets.Demo:
    """Gradient descent on the loss along w alone (b at its best): step by step."""
    surface = loss_surface()
    w_best, b_best = optimum()
    ws = np.linspace(-2, 6, 200)
    curve = surface.value(np.c_[ws, np.full_like(ws, b_best)])
    fig, (ax,) = plotting.new_figure(7.0, 3.6)
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

    return widgets.Demo(fig, controls, draw).warm_up("lr")


def _line_landscape(surface, b):
    """Return the 1-D cut of `surface` along w at fixed bias b."""
    from .landscapes import Landscape

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


# ---------------------------------------------------------------- exercises


def ex01_largest_lr(answer) -> Feedback:
    """Check the largest learning rate at which descent still converges."""
    return check_number(
        answer,
        largest_stable_lr(),
        rel=0.1,
        hint="Raise η in the demo until the path flies off the surface, then "
        "back off: the edge is where the zig-zag neither grows nor shrinks.",
    )


def ex01_gradient_at_start(answer) -> Feedback:
    """Check (∂L/∂w, ∂L/∂b) at the starting point START."""
    value = as_pair(answer, "the gradient")
    if isinstance(value, Feedback):
        return value
    expected = loss_surface().grad(START)
    if np.allclose(value, expected, rtol=0.02, atol=1e-6):
        return Feedback(True, f"The gradient at the start is {np.round(expected, 3)}.")
    if np.allclose(value, -expected, rtol=0.02, atol=1e-6):
        return Feedback(
            False, "Right size, wrong sign.", "The residual is ŷ − y, not y − ŷ."
        )
    if np.allclose(value, expected / 2, rtol=0.02, atol=1e-6):
        return Feedback(False, "Half the right answer.", "d/dŷ (ŷ − y)² = 2(ŷ − y).")
    return Feedback(
        False,
        f"{np.round(value, 3)} is not the gradient at the start.",
        "∂L/∂w = mean(2(w·x + b − y)·x) and ∂L/∂b = mean(2(w·x + b − y)).",
    )


def ex01_regime(answer, lr: float = 0.05, steps: int = 50) -> Feedback:
    """Check the verdict 'too small', 'about right' or 'too large' for a rate."""
    traj = train(lr, steps)
    best = loss_surface().value(optimum())
    if traj.diverged[0]:
        expected = "too large"
    elif traj.final_loss[0] - best > 1e-3:
        expected = "too small"
    else:
        expected = "about right"
    return check_choice(
        answer,
        expected,
        ("too small", "about right", "too large"),
        hint=f"Set η = {lr} and steps = {steps} in the demo; watch the loss curve.",
        why=f"After {steps} steps: {verdict(traj, lr)}",
    )


DEMOS = {"fit": fit_demo, "walk": walk_demo}
