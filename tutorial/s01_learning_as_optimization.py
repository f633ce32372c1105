"""Notebook 01, learning as optimization: one neuron, its error surface, a walk.

The model is a single linear neuron ŷ = w·x + b fitted to noisy points of a
line by mean squared error. Its two weights (w, b) are a point on a 2-D error
surface, so the whole of training can be watched at once: the fit in data
space, the path in weight space, and the loss over time. The same surface is a
loss over 20 examples, so real minibatch SGD (`optimize(..., batch_size=B)`)
runs on it too: the noise section shows that walk, not a model of it.
"""

from __future__ import annotations

import functools

import numpy as np

from . import datasets, plotting, widgets
from .checks import Feedback, as_number, as_pair, check_choice, check_function
from .nn import MLP
from .optimizers import optimize
from .predict import Prediction

__all__ = [
    "data",
    "neuron",
    "loss_surface",
    "curvatures",
    "axis_curvatures",
    "curvature_along",
    "largest_stable_lr",
    "optimum",
    "train",
    "decaying_rates",
    "sgd_runs",
    "excess_loss",
    "jitter",
    "per_example_gradients",
    "gradient_spread",
    "gd_step",
    "fit_demo",
    "walk_demo",
    "curvature_demo",
    "sgd_demo",
    "predict_walk",
    "predict_sgd",
    "ex01_largest_lr",
    "ex01_gradient_at_start",
    "ex01_gd_step",
    "scaled_surface",
    "ex01_regime",
    "DEMOS",
]

MAX_STEPS = 200  # the fit demo's steps slider goes up to this
SGD_STEPS = 300  # steps of each minibatch run in the noise section
SGD_RUNS = 20  # runs averaged for the noise section's numbers
SGD_TAIL = 50  # the last steps, where a run has arrived, averaged over
DECAY_STEPS = 50  # the decaying schedule halves η after this many steps
ZOOM = 1.0  # half-width of the weight window around the best weights
SCHEDULES = {"constant η": False, f"η/(1 + t/{DECAY_STEPS})": True}
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


def axis_curvatures(seed: int = 0) -> np.ndarray:
    """Return the curvatures along the two axes, (∂²L/∂w², ∂²L/∂b²).

    ∂²L/∂w² = 2·mean(x²) is what the walk along w alone (b held fixed)
    feels; it lies between λmin and λmax, like the curvature along any line.
    """
    return np.diag(loss_surface(seed).hessian(START)).copy()


def curvature_along(angle_deg) -> np.ndarray:
    """Return uᵀHu for the unit directions u at `angle_deg` degrees from the w axis.

    Parameters
    ----------
    angle_deg : float or array
        0 is the w axis (b fixed), 90 the b axis.

    Returns
    -------
    array of the shape of `angle_deg`
    """
    theta = np.radians(np.asarray(angle_deg, dtype=float))
    u = np.stack([np.cos(theta), np.sin(theta)], -1)
    H = loss_surface().hessian(START)
    return np.einsum("...i,ij,...j->...", u, H, u)


def largest_stable_lr(seed: int = 0) -> float:
    """Return 2/λmax: gradient descent converges exactly for smaller η."""
    return 2.0 / curvatures(seed)[-1]


def train(
    lr, steps: int = 50, noise: float = 0.0, seed: int = 0, batch_size=None, runs=1
):
    """Train the neuron from START; return a Trajectory.

    Full-batch gradient descent by default; `batch_size` B in 1..20 gives real
    minibatch SGD on the 20 examples, `runs` independent runs at once. `noise`
    is the Gaussian model of gradient noise (see `optimize`).
    """
    starts = np.tile(START, (runs, 1))
    return optimize(
        loss_surface(),
        starts,
        lr=lr,
        steps=steps,
        noise=noise,
        seed=seed,
        batch_size=batch_size,
    )


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


def gd_step(theta, x, y, lr: float) -> np.ndarray:
    """Return (w, b) after one gradient-descent step on the mean squared error.

    The reference answer of the coding exercise: θ − η ∇L with
    ∂L/∂w = mean(2(w·x + b − y)·x) and ∂L/∂b = mean(2(w·x + b − y)).
    """
    w, b = np.asarray(theta, dtype=float)
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    residual = w * x + b - y
    grad = np.array([np.mean(2 * residual * x), np.mean(2 * residual)])
    return np.array([w, b]) - lr * grad


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


CURVATURE_ALT = (
    "Two panels. Left: the error surface near its bottom over weight w "
    "(across) and bias b (up), dark where low; a dashed white line is the "
    "line through the bottom in the chosen direction, a black arrow the "
    "unit direction u, an orange arrow the product Hu (scaled by 1/λmax); "
    "dotted white lines are the two eigenvector directions. Right: the "
    "curvature uᵀHu (up) for every direction θ from 0 to 180 degrees "
    "(across), a blue wave between grey dashed lines at λmin and λmax; a "
    "black dot marks the chosen direction."
)


def curvature_demo(angle: int = 0) -> widgets.Demo:
    """Primer: the curvature of the bowl along a direction, and its eigenvectors."""
    surface = loss_surface()
    H = surface.hessian(START)
    lam, vecs = np.linalg.eigh(H)
    center = optimum()
    half = np.array([1.5, 1.5])
    fig, (ax_map, ax_curve) = plotting.new_figure(10.5, 3.9, ncols=2)
    with plotting.style():
        # A smooth quadratic: a coarse grid draws the same contours, faster.
        plotting.draw_surface(
            ax_map, surface, n=60, bounds=(center - half, center + half)
        )
        # The two eigenvector directions, fixed: where u and Hu line up.
        for k in range(2):
            ends = center + np.outer([-2, 2], vecs[:, k])
            ax_map.plot(*ends.T, ":", color="white", lw=1.2, zorder=4)
        (cut,) = ax_map.plot([], [], "--", color="white", lw=1.5, zorder=5)
        # Hu under u, wider: where they line up both stay visible.
        (arrow_h,) = ax_map.plot([], [], "-", color=plotting.ORANGE, lw=6, zorder=6)
        (tip_h,) = ax_map.plot([], [], "s", color=plotting.ORANGE, ms=10, zorder=6)
        (arrow_u,) = ax_map.plot([], [], "-", color=plotting.BLACK, lw=2, zorder=7)
        (tip_u,) = ax_map.plot([], [], "o", color=plotting.BLACK, ms=6, zorder=7)
        ax_map.set(xlabel="weight w", ylabel="bias b")
        ax_map.set_aspect("equal")  # so that right angles look right
        ax_map.set_title("1. direction u (black), Hu (orange)")

        degrees = np.arange(0, 181)
        ax_curve.plot(degrees, curvature_along(degrees), color=plotting.BLUE)
        for value, name in ((lam[0], "λmin"), (lam[1], "λmax")):
            ax_curve.axhline(value, color=plotting.GREY, ls="--", lw=1)
            ax_curve.text(
                178, value + 0.1, f"{name} = {value:.2f}", ha="right", va="bottom"
            )
        (here,) = ax_curve.plot([], [], "o", color=plotting.BLACK, ms=9, zorder=6)
        ax_curve.set(
            xlim=(0, 180),
            ylim=(0, 1.2 * lam[1]),
            xlabel="direction θ (degrees from the w axis)",
            ylabel="curvature uᵀHu",
        )
        ax_curve.set_xticks([0, 45, 90, 135, 180])
        ax_curve.set_title("2. curvature along each direction")

    controls = {"angle": widgets.int_slider("direction θ (°)", angle, 0, 180)}
    scale = 1.0 / lam[1]  # Hu drawn at 1/λmax: it reaches the circle at most
    eigen_angles = np.degrees(np.arctan2(vecs[1], vecs[0])) % 180

    def draw(angle):
        theta = np.radians(angle)
        u = np.array([np.cos(theta), np.sin(theta)])
        hu = H @ u
        cut.set_data(*(center + np.outer([-2, 2], u)).T)
        arrow_u.set_data(*np.c_[center, center + u])
        tip_u.set_data([center[0] + u[0]], [center[1] + u[1]])
        tip = center + scale * hu
        arrow_h.set_data(*np.c_[center, tip])
        tip_h.set_data([tip[0]], [tip[1]])
        c = float(u @ hu)
        here.set_data([angle], [c])
        # Within 1° of an eigenvector: Hu = λu up to that 1°.
        off = np.abs((angle - eigen_angles + 90) % 180 - 90)
        if off.min() <= 1:
            k = int(off.argmin())
            along = (
                f" Within 1° of the eigenvector of λ{('min', 'max')[k]}: there "
                "Hu = λu points along u."
            )
        else:
            apart = np.degrees(np.arccos(min(1.0, abs(u @ hu) / np.linalg.norm(hu))))
            along = f" Hu points {apart:.0f}° away from u."
        return (
            f"θ = {angle}°: curvature along u is {c:.2f}, between λmin = "
            f"{lam[0]:.2f} and λmax = {lam[1]:.2f}.{along}"
        )

    return widgets.Demo(
        fig, controls, draw, alt=CURVATURE_ALT, exported=("angle",)
    ).warm_up("angle")


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


SCALED_INPUTS = 2.0  # exercise 1: every input x multiplied by this


def scaled_surface(scale: float = SCALED_INPUTS):
    """Return the error surface of the line data with every input times `scale`."""
    X, y = data()
    return neuron().landscape(scale * X, y, loss="mse")


def _half_unit_of_second_figure(value: float) -> float:
    """Return half a unit in the second significant figure of `value`."""
    return 0.5 * 10.0 ** (np.floor(np.log10(abs(value))) - 1)


def _two_figures(value: float) -> float:
    return float(f"{value:.2g}")


def _is_edge(value: float, edge: float) -> bool:
    """Return True for the edge to two significant figures, and no rate above it.

    The edge rounded to two figures is right; so is any more precise value
    that rounds to it, unless it lies above the edge (such a rate diverges).
    """
    rounded = _two_figures(edge)
    if value == rounded:
        return True
    return _two_figures(value) == rounded and value <= edge


def ex01_largest_lr(answer) -> Feedback:
    """Check 2/λmax, to two significant figures, for the inputs doubled.

    Right: anything that rounds to the edge at two significant figures (the
    edge's two figures, or a more precise value that rounds to them and does
    not exceed the edge). The nearest wrong answers, one unit of the second
    figure away, are rejected, and so is any rate above the edge; common slips
    (the original data's edge, the curvature along w alone, a lost factor 2)
    are named.
    """
    value = as_number(answer)
    if isinstance(value, Feedback):
        return value
    H = scaled_surface().hessian(START)
    edge = 2.0 / np.linalg.eigvalsh(H)[-1]
    if _is_edge(value, edge):
        return Feedback(
            True,
            f"{value:.3g} is right: 2/λmax = {edge:.3f}. Doubling the inputs "
            f"makes the bowl steeper, so the edge falls from "
            f"{largest_stable_lr():.3f} to {edge:.3f}.",
        )
    slips = {
        largest_stable_lr(): "That is the edge for the original data: double "
        "every input x first (the targets y stay).",
        2.0 / H[0, 0]: "That is 2/(∂²L/∂w²), the edge along w alone; with b "
        "free, the steepest direction mixes w and b: use the largest eigenvalue.",
        1.0 / np.linalg.eigvalsh(H)[-1]: "That is 1/λmax: the edge is 2/λmax.",
        2.0 / np.linalg.eigvalsh(H)[0]: "That is 2/λmin: the steepest direction, "
        "not the flattest, sets the limit.",
    }
    for slip, message in slips.items():
        if abs(value - slip) <= _half_unit_of_second_figure(slip) + 1e-12:
            return Feedback(False, f"{value:.3g} is not it. {message}")
    direction = "too large: it diverges" if value > edge else "too small"
    return Feedback(
        False,
        f"{value:.3g} is {direction}.",
        "H = 2·mean([[x², x], [x, 1]]) over the examples, with the new x; then "
        "2 / np.linalg.eigvalsh(H).max(), to two significant figures.",
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


def _diagnose_step(got, expected, args):
    """Name a likely mistake in a learner's gradient-descent step."""
    theta, x, y, lr = args
    theta = np.asarray(theta, dtype=float)
    step = expected - theta  # −η∇L
    if np.allclose(got, theta - step, rtol=1e-6, atol=1e-9):
        return "You stepped uphill: the update is θ − η∇L, minus the gradient."
    if np.allclose(got, theta + step / 2, rtol=1e-6, atol=1e-9):
        return "Half the step: d/dŷ (ŷ − y)² = 2(ŷ − y)."
    if np.allclose(got, theta + step * len(x), rtol=1e-6, atol=1e-9):
        return "The loss is the mean over the examples, not the sum."
    if np.allclose(got, -step, rtol=1e-6, atol=1e-9):
        return "You returned the step −η∇L; add it to θ."
    if np.allclose(got, theta + step / lr, rtol=1e-6, atol=1e-9):
        return "Multiply the gradient by the learning rate lr."
    return ""


def ex01_gd_step(fn) -> Feedback:
    """Check a learner's `gd_step(theta, x, y, lr)` on data it has not seen."""
    rng = np.random.default_rng(2024)
    cases = []
    for m, lr in ((3, 0.1), (7, 0.05), (20, 0.3), (1, 1.0)):
        x = rng.uniform(-2, 3, m)
        y = 1.5 * x - 0.5 + rng.normal(0, 0.3, m)
        cases.append((rng.normal(size=2), x, y, lr))
    return check_function(fn, gd_step, cases, name="gd_step", diagnose=_diagnose_step)


def _regime_feedback(expected: str, lr: float, steps: int) -> dict:
    """Return, for each wrong verdict, the misreading it reveals."""
    edge = largest_stable_lr()
    keep = abs(1 - lr * curvatures()[0]) ** steps
    below_edge = (
        f"η = {lr} is below the edge 2/λmax = {edge:.2f}: no step overshoots so "
        "far that the walk runs away."
    )
    if expected == "too large":
        message = (
            f"η = {lr} is above the edge 2/λmax = {edge:.2f}: each step overshoots "
            "the steep direction by more than the last, and the run diverges."
        )
        return {"too small": message, "about right": message}
    if expected == "too small":
        return {
            "about right": f"The loss falls, but after {steps} steps it is still "
            f"above the best: the flattest direction keeps (1 − ηλmin)^{steps} "
            f"= {keep:.2f} of its distance to the bottom.",
            "too large": below_edge,
        }
    return {
        "too small": f"After {steps} steps the loss is already at the best "
        "possible: a smaller η would only get there later.",
        "too large": below_edge,
    }


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
    feedback = _regime_feedback(expected, lr, steps)
    return check_choice(
        answer,
        expected,
        ("too small", "about right", "too large"),
        hint=f"Set η = {lr} and steps = {steps} in the demo; watch the loss curve.",
        why=f"After {steps} steps: {verdict(traj, lr)}",
        feedback=feedback,
        aliases={"small": "too small", "right": "about right", "large": "too large"},
    )


# ---------------------------------------------------------------- predictions


def predict_walk() -> Prediction:
    """Ask, before the walk demo: what does η ten times larger do?"""
    lam = axis_curvatures()[0]
    return Prediction(
        {
            "It gets to the bottom ten times sooner": (
                "Longer steps help only while they do not overshoot: each step "
                "multiplies the distance to the bottom by 1 − ηλ."
            ),
            "It zig-zags across the bottom but still arrives": (
                "That happens for 1/λ < η < 2/λ; ten times the default is past 2/λ."
            ),
            "Every step lands farther out: it diverges": "",
        },
        answer="Every step lands farther out: it diverges",
        explanation=(
            f"Along w the curvature is λ = {lam:.2f}, so one step multiplies the "
            f"distance to the bottom by 1 − ηλ. At η = 1 that is {1 - lam:.2f}: "
            f"the walk jumps across and lands {lam - 1:.2f} times as far out, "
            f"every step. It diverges for any η above 2/λ = {2 / lam:.2f}."
        ),
    )


def predict_sgd() -> Prediction:
    """Ask, before the SGD demo: where does minibatch SGD at a fixed η end?"""
    return Prediction(
        {
            "At the best weights, like full-batch descent, only later": (
                "Each minibatch's gradient differs from the full one; at the "
                "best weights only the mean over all examples is zero."
            ),
            "Near the best weights, jittering around them without settling": "",
            "Nowhere: the noise makes it diverge": (
                "The noise averages out over steps: the mean of the minibatch "
                "gradients is the full gradient, which still points downhill."
            ),
        },
        answer="Near the best weights, jittering around them without settling",
        explanation=(
            "Each step follows the gradient of B examples. At the best weights "
            "their mean is zero, but each example's own gradient is not (the "
            "line cannot pass through every point), so the walk keeps being "
            "pushed about."
        ),
    )


DEMOS = {
    "walk": walk_demo,
    "fit": fit_demo,
    "curvature": curvature_demo,
    "sgd": sgd_demo,
}
