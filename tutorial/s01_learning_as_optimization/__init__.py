"""Notebook 01, learning as optimization: one neuron, its error surface, a walk.

The model is a single linear neuron ŷ = w·x + b fitted to noisy points of a
line by mean squared error. Its two weights (w, b) are a point on a 2-D error
surface, so the whole of training can be watched at once: the fit in data
space, the path in weight space, and the loss over time. The same surface is a
loss over 20 examples, so real minibatch SGD (`optimize(..., batch_size=B)`)
runs on it too: the noise section shows that walk, not a model of it.

The notebook's parts, one module each (its experiments, demo and alt text):
``walk`` (walking downhill and the whole picture), ``curvature`` and ``sgd``;
what several share is in ``_common`` (see CONTRIBUTING.md).
"""

from __future__ import annotations

import numpy as np

from ..checks import Feedback, as_number, as_pair, check_choice, check_function
from ..predict import Prediction
from ._common import (
    START,
    curvatures,
    data,
    largest_stable_lr,
    loss_surface,
    neuron,
    optimum,
    train,
    verdict,
)
from .curvature import axis_curvatures, curvature_along, curvature_demo
from .sgd import (
    SGD_RUNS,
    SGD_STEPS,
    SGD_TAIL,
    decaying_rates,
    excess_loss,
    gradient_spread,
    jitter,
    per_example_gradients,
    sgd_demo,
    sgd_runs,
)
from .walk import fit_demo, walk_demo

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
    # constants the notebook and its tests read
    "SGD_STEPS",
    "SGD_RUNS",
    "SGD_TAIL",
    "START",
    "verdict",
]


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
