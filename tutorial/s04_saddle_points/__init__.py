"""Notebook 04, saddle points and flat regions: where gradient descent stalls.

The Hessian's signs say what kind of flat point we are at; near a saddle the
gradient is tiny, so descent crawls (a plateau) before it escapes, and the
escape time grows like ln(1/ε) with the distance ε from the ridge. Newton's
method, which divides by the curvature, is pulled *into* saddles. A real
network started with small weights sits on such a plateau, yet the straight
line from its first to its trained weights is usually downhill all the way
(Goodfellow, Vinyals & Saxe 2015).

The notebook's parts, one module each (its experiments, demo and alt text):
``hessian``, ``escape``, ``escape_in_d``, ``newton``, ``plateau``, ``kinds``
(three kinds of flat) and ``interpolation``; what several share is in
``_common`` (see CONTRIBUTING.md).
"""

from __future__ import annotations

import math

import numpy as np

from ..checks import Feedback, as_number, check_choice, check_function
from ..predict import Prediction
from ..saddles import (
    ND_DIMS,
    SaddleEscape,
    escape_median_by_dim,
    escape_time,
    escape_time_quantiles,
    escape_time_samples,
    noise_distance,
    saddle_curvatures,
    saddle_escape,
    saddle_escape_table,
    saddle_nd,
    saddle_starts,
)
from ..seeding import generator
from ._common import PLATEAU_LR, X_START, saddle_surface
from .escape import (
    EPS_GRID,
    EPS_MEASURED,
    EPS_SLIDER,
    escape_demo,
    escape_runs,
    escape_steps,
    escape_theory,
    round_up,
    steps_needed,
)
from .escape_in_d import escape_in_d_demo
from .hessian import _KIND_TEXT, classify, hessian_demo
from .interpolation import (
    ALPHA,
    INTERP_SEEDS,
    all_interpolations,
    interpolation,
    interpolation_demo,
    largest_rise,
    ring_paths,
    ring_valley,
)
from .kinds import FLAT_KINDS, STEP_NOISE, FlatKinds, flat_kinds, kinds_demo
from .newton import at_saddle, newton_demo, newton_paths, newton_vs_gd, ring_starts
from .plateau import PLATEAU_SEEDS, SCALES, plateau_demo, plateau_length, plateau_runs

__all__ = [
    "classify",
    "saddle_surface",
    "escape_theory",
    "escape_steps",
    "ring_starts",
    "newton_vs_gd",
    "SCALES",
    "plateau_runs",
    "plateau_length",
    "interpolation",
    "largest_rise",
    "ring_valley",
    "steps_needed",
    "round_up",
    "escape_runs",
    "at_saddle",
    "newton_paths",
    "all_interpolations",
    "ND_DIMS",
    "saddle_curvatures",
    "saddle_nd",
    "saddle_starts",
    "saddle_escape",
    "SaddleEscape",
    "escape_time",
    "noise_distance",
    "escape_time_samples",
    "escape_time_quantiles",
    "escape_median_by_dim",
    "saddle_escape_table",
    "FLAT_KINDS",
    "STEP_NOISE",
    "flat_kinds",
    "FlatKinds",
    "predict_hessian",
    "predict_escape",
    "predict_dimension",
    "predict_newton",
    "predict_plateau",
    "predict_kinds",
    "predict_interpolation",
    "noisy_step",
    "hessian_demo",
    "escape_demo",
    "newton_demo",
    "plateau_demo",
    "interpolation_demo",
    "escape_in_d_demo",
    "kinds_demo",
    "ex04_classify",
    "ex04_escape_steps",
    "ex04_attracted",
    "ex04_noisy_step",
    "DEMOS",
    # constants the notebook and its tests read
    "X_START",
    "EPS_GRID",
    "EPS_SLIDER",
    "EPS_MEASURED",
    "PLATEAU_SEEDS",
    "PLATEAU_LR",
    "INTERP_SEEDS",
    "ALPHA",
    "ring_paths",
]


def predict_hessian() -> Prediction:
    """Ask, before the Hessian demo: where does a ball near a saddle roll?"""
    return Prediction(
        {
            "Into the middle, and it stays": (
                "That is a minimum, where both eigenvalues are positive. With "
                "λ₂ = −1 the surface curves down along y."
            ),
            "In along x, then away along y": "",
            "Away in every direction": (
                "That is a maximum, where both are negative; along x (λ₁ = 1) the "
                "surface still curves up."
            ),
        },
        answer="In along x, then away along y",
        explanation=(
            "Along each eigenvector the sign of its eigenvalue decides: λ₁ > 0 "
            "pulls the ball in along x, λ₂ < 0 pushes it out along y. With λ₂ = 0 "
            "the y-direction is flat and the Hessian alone cannot say."
        ),
        prompt="With λ₁ = 1 and λ₂ = −1, where does a ball placed near the middle "
        "roll?",
    )


def predict_escape() -> Prediction:
    """Ask, before the escape demo: how does the stall grow as ε shrinks?"""
    return Prediction(
        {
            "About the same time": (
                "Near the saddle the slope along y is proportional to y itself, so "
                "a start closer to the ridge is slower to get going."
            ),
            "A fixed number of steps more": "",
            "Ten times as long": (
                "That would be so if y grew by a fixed amount each step. It grows "
                "by a fixed factor, so each factor of ten costs the same steps."
            ),
        },
        answer="A fixed number of steps more",
        explanation=(
            "Each step multiplies y by 1 + 2η, so ten times closer costs "
            "ln 10 / ln(1 + 2η) more steps: 12.6 at η = 0.1. Meanwhile the loss "
            "sits on a plateau that looks like convergence."
        ),
        prompt="Start ten times closer to the ridge. Escaping takes ...",
    )


def predict_dimension() -> Prediction:
    """Ask, before the d-dimensional demo: does escaping take longer in high d?"""
    return Prediction(
        {
            "About 500 times as long: one way out among 1,024 directions": (
                "The other directions do not slow the downhill one down: along "
                "the Hessian's eigenvectors each direction moves on its own."
            ),
            "A few dozen steps longer": "",
            "Exactly as long": (
                "Nearly: the dimension does not enter the escape itself, but a "
                "random start in 1,024 dimensions lies closer to the stable "
                "manifold, and closer costs steps."
            ),
            "Shorter: more directions to leave by": (
                "Only the downhill directions lead out, and there is one of them "
                "in both cases (k = 1)."
            ),
        },
        answer="A few dozen steps longer",
        explanation=(
            "The escape takes ln(1/ε) / ln(1 + ημ) steps whatever d is; d enters "
            "only through ε, the start's distance from the stable manifold, which "
            "for a random start shrinks like √(k/d): about 3.6 more steps for each "
            "doubling of d, 52 steps at d = 2 and 89 at d = 1,024 (medians)."
        ),
        prompt="One downhill direction among 1,024 weights instead of among 2: "
        "from a random start 0.01 away, escaping takes ...",
    )


def predict_newton() -> Prediction:
    """Ask, before the Newton demo: where do the two methods end?"""
    return Prediction(
        {
            "Both at the saddle": (
                "Gradient descent only ever goes downhill, and the saddle pushes "
                "it away along y."
            ),
            "Both in the valleys": (
                "Newton divides by the curvature; where it is negative, the step "
                "points uphill, towards the saddle."
            ),
            "Gradient descent in the valleys, Newton at the saddle": "",
            "Newton in the valleys, gradient descent at the saddle": (
                "It is the other way round: Newton's step −g/λ climbs wherever λ is "
                "negative."
            ),
        },
        answer="Gradient descent in the valleys, Newton at the saddle",
        explanation=(
            "Newton's method looks for any point where the gradient vanishes, and "
            "here the saddle is the nearest; gradient descent follows −∇L, always "
            "downhill, and leaves along y."
        ),
        prompt="From the same 12 starts round the saddle, where do the two "
        "methods end?",
    )


def predict_plateau() -> Prediction:
    """Ask, before the plateau demo: do smaller first weights train faster?"""
    return Prediction(
        {
            "Faster: less to undo": (
                "Small weights start close to a flat critical point, where the "
                "gradient is tiny: there is little to undo, and little to push."
            ),
            "Slower: a longer plateau": "",
            "No difference": (
                "The initial scale changes the waiting time a lot: ten times "
                "smaller weights wait about twenty times longer."
            ),
        },
        answer="Slower: a longer plateau",
        explanation=(
            "The network waits on the plateau at loss 0.25 with a tiny gradient, "
            "and the smaller the weights, the longer: from a scale of 0.03 it is "
            "still waiting after 3,000 steps."
        ),
        prompt="With a smaller initial scale, does training start faster or slower?",
    )


def predict_kinds() -> Prediction:
    """Ask, before the three kinds of flat: which needs the most noise?"""
    return Prediction(
        {
            "The strict saddle": (
                "At a strict saddle descent itself amplifies any offset along the "
                "downhill direction: the smallest noise is enough."
            ),
            "The degenerate point": (
                "The degenerate point needs more noise than the saddle, but far "
                "less than the valley."
            ),
            "The drifting valley": "",
        },
        answer="The drifting valley",
        explanation=(
            "The valley is no critical point: there is no downhill direction for "
            "noise to find, only steep walls. Small noise frees none of its runs; "
            "very large noise frees some and throws others to a worse loss."
        ),
        prompt="The same noise in every step, from tiny to large: which kind of "
        "flat place needs the most noise before its runs leave?",
    )


def predict_interpolation() -> Prediction:
    """Ask, before the interpolation demo: is the straight line downhill?"""
    return Prediction(
        {
            "Yes: it climbs over hills on the way": (
                "That is what a surface full of obstacles would suggest, and what "
                "the made-up ring valley does; the real network does not."
            ),
            "No: it falls all the way": "",
            "It stays flat, then drops at the end": (
                "The first weights are far from any plateau here; the loss starts "
                "falling at once."
            ),
        },
        answer="No: it falls all the way",
        explanation=(
            "For every seed the loss along the straight line falls from α = 0 to "
            "α = 1, within 1% of the drop, although training itself took a curved "
            "path (Goodfellow, Vinyals & Saxe 2015)."
        ),
        prompt="Between α = 0 and α = 1, does the network's loss ever go up?",
    )


def ex04_classify(answer, lam1: float = 3.0, lam2: float = -0.5) -> Feedback:
    """Check the kind of critical point for Hessian eigenvalues (λ₁, λ₂)."""
    expected = classify(np.sort([lam1, lam2]))
    return check_choice(
        answer,
        expected,
        ("minimum", "maximum", "saddle", "degenerate"),
        aliases={"saddle point": "saddle", "degenerate point": "degenerate"},
        hint="Look at the signs: all positive curve up everywhere, all negative "
        "curve down, mixed signs go up one way and down another, a zero "
        "cannot decide.",
        why=f"Eigenvalues {lam1:g} and {lam2:g}: {_KIND_TEXT[expected]}.",
        feedback={
            "minimum": "A minimum needs every eigenvalue positive; one that is "
            "negative curves down, so there is a way down.",
            "maximum": "A maximum needs every eigenvalue negative; a positive one "
            "still curves up.",
            "saddle": "A saddle needs eigenvalues of both signs.",
            "degenerate": "Degenerate means an eigenvalue is exactly zero (a flat "
            "direction); a small eigenvalue is not zero, its sign still counts.",
        },
    )


ESCAPE_EPS, ESCAPE_LR = 2e-5, 0.125  # exercise 2: off the demo's sliders


def ex04_escape_steps(
    answer, eps: float = ESCAPE_EPS, lr: float = ESCAPE_LR
) -> Feedback:
    """Check the first step with |y| > 1 from (1, ε) on 5x² − y² (exact)."""
    value = as_number(answer)
    if isinstance(value, Feedback):
        return value
    expected = int(escape_steps([eps], lr=lr)[0][0])
    if value == expected:
        return Feedback(
            True,
            f"After {expected} steps |y| = {_y_after(eps, lr, expected):.2f}, after "
            f"{expected - 1} only {_y_after(eps, lr, expected - 1):.2f}.",
        )
    if value != int(value):
        return Feedback(
            False,
            f"{value:g} is not a whole number of steps.",
            "T = ln(1/ε) / ln(1 + 2η) is not a whole number: the walk leaves at "
            "the first whole step after it.",
        )
    if value == math.ceil(math.log(1 / eps) / math.log1p(lr)):
        return Feedback(
            False,
            f"{int(value)} is what a factor (1 + η) per step would give.",
            "The gradient of −y² is −2y, so each step multiplies y by 1 + 2η.",
        )
    steps = int(value)
    if 0 <= steps < expected:
        return Feedback(
            False,
            f"After {steps} steps |y| is only {_y_after(eps, lr, steps):.3g}: "
            "still below 1.",
            "Each step multiplies y by (1 + 2η); how many factors take ε past 1?",
        )
    return Feedback(
        False,
        f"{steps} steps are too many: already after {expected} |y| = "
        f"{_y_after(eps, lr, expected):.2f} > 1.",
        "The question asks for the first step with |y| > 1.",
    )


def _y_after(eps: float, lr: float, steps: int) -> float:
    return eps * (1 + 2 * lr) ** steps


def ex04_attracted(answer) -> Feedback:
    """Check which method is drawn into the saddle: 'newton' or 'gradient descent'."""
    return check_choice(
        answer,
        "newton",
        ("newton", "gradient descent"),
        hint="Which method divides the step by the curvature, so that a negative "
        "curvature turns a downhill step into an uphill one?",
        why="Newton's step −H⁻¹∇L moves towards the critical point along every "
        "eigenvector, including the ones that curve down.",
        feedback={
            "gradient descent": "Gradient descent steps along −∇L, which always "
            "points downhill: near a saddle it slides away along the direction "
            "that curves down.",
        },
        aliases={
            "newton method": "newton",
            "newtons method": "newton",
            "newton's": "newton",
            "newton raphson": "newton",
            "gd": "gradient descent",
            "steepest descent": "gradient descent",
        },
    )


def noisy_step(x, y, lr, sigma, xi):
    """Return one step of gradient descent with noise on 5x² − y²: (x, y) new.

    The gradient (10x, −2y) plus sigma · xi (a pair of standard normal
    numbers), times lr, subtracted from (x, y).
    """
    xi = np.asarray(xi, dtype=float)
    gx, gy = 10 * x + sigma * xi[..., 0], -2 * y + sigma * xi[..., 1]
    return np.array([x - lr * gx, y - lr * gy])


def _step_cases() -> list:
    """Arguments the notebook never shows: (x, y, lr, sigma, xi)."""
    rng = generator(11, allow_none=False)
    cases = [(0.3, -0.2, 0.05, 0.0, np.array([0.7, -1.1]))]  # no noise
    for _ in range(5):
        x, y = rng.uniform(-1, 1, 2)
        lr, sigma = rng.uniform(0.01, 0.15), rng.uniform(0.01, 2)
        cases.append(
            (float(x), float(y), float(lr), float(sigma), rng.standard_normal(2))
        )
    return cases


def _step_mistake(got, expected, args) -> str:
    """Name the likely mistake in a noisy gradient step."""
    x, y, lr, sigma, xi = args
    got = np.asarray(got, dtype=float).ravel()
    tries = {
        "The noise is added to the gradient, so it is multiplied by lr too: "
        "x − lr·(∇L + σξ), not x − lr·∇L + σξ.": (
            x - lr * 10 * x + sigma * xi[0],
            y + lr * 2 * y + sigma * xi[1],
        ),
        "Subtract the step: x − lr·(gradient + noise), not plus.": (
            x + lr * (10 * x + sigma * xi[0]),
            y + lr * (-2 * y + sigma * xi[1]),
        ),
        "The gradient of 5x² − y² is (10x, −2y): check the factor 2 from each "
        "square.": (x - lr * (5 * x + sigma * xi[0]), y - lr * (-y + sigma * xi[1])),
        "Add the noise, σ·ξ, to the gradient; it is missing.": (
            x - lr * 10 * x,
            y + lr * 2 * y,
        ),
        "Your function returns (x, y) unchanged: compute the step and return "
        "the new position.": (x, y),
        "The gradient of −y² is −2y: a minus sign has been lost.": (
            x - lr * (10 * x + sigma * xi[0]),
            y - lr * (2 * y + sigma * xi[1]),
        ),
    }
    for why, value in tries.items():
        if got.size == 2 and np.allclose(got, value, rtol=1e-6, atol=1e-9):
            return why
    return ""


def ex04_noisy_step(fn) -> Feedback:
    """Check a learner's `noisy_step(x, y, lr, sigma, xi)` on unseen arguments."""
    return check_function(
        fn,
        noisy_step,
        _step_cases(),
        name="noisy_step",
        diagnose=_step_mistake,
    )


DEMOS = {
    "hessian": hessian_demo,
    "escape": escape_demo,
    "newton": newton_demo,
    "plateau": plateau_demo,
    "interpolation": interpolation_demo,
    "escape_in_d": escape_in_d_demo,
    "kinds": kinds_demo,
}
