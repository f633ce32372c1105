"""Notebook 02, convex vs non-convex: bowls, hills and valleys, and hard cases.

On a convex surface every downhill walk ends at the same bottom; on a
non-convex one where you end depends on where you start. The chord test shows
what convexity means; a quadratic shows the exact learning-rate limit
η < 2/λmax; and a count of grid points shows why trying every weight setting is
hopeless.

The notebook's parts, one module each (its experiments, demo and alt text):
``starts`` (bowls, hills and valleys), ``chord``, ``lr_limit`` and
``brute_force``; what several share is in ``_common`` (see CONTRIBUTING.md).
"""

from __future__ import annotations

import numpy as np

from .. import landscapes
from ..checks import Feedback, as_number, check_choice, check_function, check_number
from ..nn import MLP
from ..predict import Prediction
from ._common import (
    CONVEX,
    NET_AXES,
    NET_REFERENCE,
    SURFACES,
    descend,
    minimum_edges,
    settled,
    start_grid,
    surface,
    swap_hidden_units,
    xor_loss,
)
from .brute_force import (
    AGE_OF_UNIVERSE_S,
    EVALS_PER_SECOND,
    brute_force_demo,
    brute_force_seconds,
    human_time,
)
from .chord import chord_demo, chord_gap, chord_rise
from .lr_limit import (
    LR_GRID,
    LR_START,
    LR_STEPS,
    contraction,
    largest_stable_lr,
    loss_after,
    lr_limit_demo,
    valley,
)
from .starts import (
    ONE_UNIT_XOR_BOUND,
    end_points,
    many_starts_demo,
    one_unit_xor_losses,
)

__all__ = [
    "SURFACES",
    "surface",
    "swap_hidden_units",
    "xor_loss",
    "start_grid",
    "end_points",
    "descend",
    "settled",
    "minimum_edges",
    "one_unit_xor_losses",
    "ONE_UNIT_XOR_BOUND",
    "chord_gap",
    "chord_rise",
    "valley",
    "contraction",
    "largest_stable_lr",
    "EVALS_PER_SECOND",
    "brute_force_seconds",
    "human_time",
    "loss_after",
    "many_starts_demo",
    "chord_demo",
    "lr_limit_demo",
    "brute_force_demo",
    "predict_starts",
    "predict_chord",
    "predict_zigzag",
    "predict_brute_force",
    "ex02_largest_lr",
    "ex02_chord_rise",
    "ex02_convex",
    "ex02_brute_force_hours",
    "DEMOS",
    # constants the notebook and its tests read
    "CONVEX",
    "NET_REFERENCE",
    "NET_AXES",
    "AGE_OF_UNIVERSE_S",
    "LR_START",
    "LR_STEPS",
    "LR_GRID",
]


def ex02_largest_lr(answer) -> Feedback:
    """Check 2/λmax for the "valley" surface (curvatures 0.5 and 10).

    The edge is 0.2 exactly: accepted within 1% below it (a rate just under
    the edge still converges), never above it (that diverges).
    """
    value = as_number(answer)
    if isinstance(value, Feedback):
        return value
    valley = landscapes.get("valley")
    lam = np.linalg.eigvalsh(valley.hessian(np.zeros(2)))
    edge = 2.0 / lam.max()
    if edge * 0.99 <= value <= edge * (1 + 1e-9):
        return Feedback(True, f"{value:.4g} is right: 2/λmax = 2/{lam.max():.3g}.")
    slips = {
        2.0 / lam.min(): "That is 2/λmin: the steepest direction, not the "
        "flattest, sets the limit.",
        1.0 / lam.max(): "That is 1/λmax, the rate of no zig-zag; descent still "
        "converges up to twice that.",
    }
    for slip, message in slips.items():
        if abs(value - slip) <= 0.01 * slip:
            return Feedback(False, f"{value:.4g} is not it. {message}")
    if value > edge:
        return Feedback(
            False,
            f"{value:.4g} is too large: past 2/λmax the steep direction grows "
            "every step.",
            "The limit is set by the steepest curvature: η < 2/λmax.",
        )
    return Feedback(
        False,
        f"{value:.4g} converges, but it is not the largest rate that does.",
        "The limit is set by the steepest curvature: η < 2/λmax. "
        "Use np.linalg.eigvalsh on the Hessian.",
    )


def _diagnose_chord(got, expected, args):
    """Name a likely mistake in a learner's `chord_rise`."""
    f, a, b = args
    below = -chord_rise(lambda p: -np.asarray(f(p)), a, b)  # min of f − chord
    if np.isclose(float(got), -below):
        return (
            "You measured how far the chord is above the surface; convexity "
            "fails where the surface is above the chord: f − chord."
        )
    mid = np.asarray(f(((np.asarray(a) + np.asarray(b)) / 2)[None]))[0]
    ends = np.asarray(f(np.array([a, b], dtype=float)))
    if np.isclose(float(got), mid - ends.mean()):
        return "You looked at the middle only; take the largest gap over all t."
    return ""


def ex02_chord_rise(fn) -> Feedback:
    """Check a learner's `chord_rise(f, a, b)` on surfaces it has not seen."""

    def bowl(p):
        return (p**2).sum(-1)

    def wave(p):
        return np.sin(3 * p[:, 0]) + 0.5 * p[:, 1] ** 2

    def ridge(p):
        return np.exp(-((p[:, 0] - 0.3) ** 2) - p[:, 1] ** 2)

    rosen = landscapes.get("rosenbrock").value
    cases = [
        (bowl, np.array([-1.0, 0.5]), np.array([2.0, -1.0])),
        (wave, np.array([-1.0, 0.0]), np.array([1.5, 1.0])),
        (ridge, np.array([-2.0, -0.5]), np.array([2.0, 0.5])),
        (rosen, np.array([0.0, 0.0]), np.array([1.0, 0.0])),
        (rosen, np.array([-1.2, 1.4]), np.array([1.1, 1.2])),
    ]
    return check_function(
        fn,
        chord_rise,
        cases,
        name="chord_rise",
        rtol=1e-3,
        atol=1e-6,
        diagnose=_diagnose_chord,
    )


def ex02_convex(answer, name: str = "rosenbrock") -> Feedback:
    """Check a verdict on convexity, with proof: two points whose chord it beats.

    `answer` is "yes" (convex), or two points (A, B), each (x, y), between which
    the surface rises above the chord: the proof that it is not convex. A bare
    "no" is the right verdict but not yet a proof.
    """
    land = landscapes.get(name)
    low, high = land.bounds
    xs = np.linspace(low[0], high[0], 41)
    ys = np.linspace(low[1], high[1], 41)
    points = np.stack(np.meshgrid(xs, ys), -1).reshape(-1, 2)
    convex = np.linalg.eigvalsh(land.hessian(points))[:, 0].min() >= -1e-9
    if isinstance(answer, str):
        verdict = check_choice(
            answer,
            "yes" if convex else "no",
            ("yes", "no"),
            feedback={
                "yes": "Its valley bends along the curve y = x². A chord between "
                "two points on that curve cuts across the bend, and the surface "
                "there is far above it.",
                "no": "The surface is convex: every chord lies on or above it.",
            },
        )
        if verdict and not convex:
            return Feedback(
                False,
                '"no" is the right verdict; now prove it.',
                "Pass two points (A, B), each (x, y), whose chord the surface "
                "rises above: checks.ex02_convex(((x_A, y_A), (x_B, y_B))).",
            )
        return verdict
    try:
        with np.errstate(all="ignore"):
            ab = np.asarray(answer, dtype=float)
    except (TypeError, ValueError, OverflowError):
        ab = np.zeros(0)
    if ab.shape != (2, 2) or not np.all(np.isfinite(ab)):
        return Feedback(
            False,
            'Please answer "yes", or with two points as ((x_A, y_A), (x_B, y_B)).',
        )
    rise = chord_rise(land.value, ab[0], ab[1])
    if rise > 1e-9 * (1 + np.abs(land.value(ab)).max()):
        return Feedback(
            True,
            f"Proof: between A and B the surface rises {rise:.3g} above the chord, "
            f"so the {name} surface is not convex.",
        )
    return Feedback(
        False,
        "Along this segment the surface stays on or below the chord: no proof.",
        "The valley floor follows y = x²; join two points on it that lie on "
        "either side of its bend.",
    )


def ex02_brute_force_hours(answer) -> Feedback:
    """Check the hours needed to try 10 values for each weight of a 2-3-1 net."""
    dim = MLP([2, 3, 1]).dim
    value = as_number(answer)
    if isinstance(value, Feedback):
        return value
    slips = {
        brute_force_seconds(10, 2 * 3 + 3 * 1) / 3600: "That counts the weights "
        "but not the 4 biases.",
        brute_force_seconds(10, dim): "That is in seconds; divide by 3600.",
        brute_force_seconds(10, dim - 1) / 3600: "One weight too few.",
        brute_force_seconds(10, dim + 1) / 3600: "One weight too many.",
    }
    for slip, message in slips.items():
        if abs(value - slip) <= 0.02 * slip:
            return Feedback(False, f"{value:.4g} hours is not it. {message}")
    return check_number(
        answer,
        brute_force_seconds(10, dim) / 3600,
        rel=0.02,
        unit=" hours",
        hint="Count the weights and biases: 2·3 + 3 + 3·1 + 1. Then 10^d "
        "evaluations at 10⁹ per second, divided by 3600.",
    )


def predict_starts() -> Prediction:
    """Ask, before the many-starts demo: in how many places do the runs end?"""
    return Prediction(
        {
            "One place on the bowl, four on Himmelblau": "",
            "One place on each": (
                "Only a convex surface promises one bottom; Himmelblau's has "
                "four minima, and each start rolls into the one whose basin it "
                "is in."
            ),
            "Many places on both: each start ends near where it began": (
                "300 steps at η = 0.5 are enough to reach a bottom: the runs do "
                "not stop half-way."
            ),
            "Four places on both, since the grid of starts is symmetric": (
                "Where runs end depends on the surface, not on the grid: a bowl "
                "has a single bottom."
            ),
        },
        answer="One place on the bowl, four on Himmelblau",
        explanation=(
            "On the bowl every run goes to its single bottom. Himmelblau's "
            "surface has four minima; each start ends at the one whose basin "
            "it starts in, so the 49 runs end at four places."
        ),
    )


def predict_chord() -> Prediction:
    """Ask, before the chord demo: must the surface rise between two minima?"""
    return Prediction(
        {
            "Yes, always: a convex surface cannot have two separate minima": "",
            "Only if the two minima have different heights": (
                "With equal heights the chord is level, and the surface, which "
                "climbs out of each minimum, must be above it somewhere."
            ),
            "No: the surface between them can stay on or below the chord": (
                "Leaving a minimum the surface goes up in every direction, "
                "towards the other minimum too, while the chord changes only "
                "linearly: near one of the two ends it is beaten."
            ),
        },
        answer="Yes, always: a convex surface cannot have two separate minima",
        explanation=(
            "Leaving either minimum, the surface climbs, and the straight chord "
            "cannot follow it at both ends: somewhere the surface is above it. "
            "So a surface with two separate minima is never convex."
        ),
    )


def predict_zigzag() -> Prediction:
    """Ask, before the learning-rate demo: η = 1.9 and η = 2.1 at κ = 10."""
    return Prediction(
        {
            "1.9 zig-zags but converges; 2.1 diverges": "",
            "Both converge; 2.1 just takes longer": (
                "Past 2/λmax the factor 1 − ηλmax is below −1: every step "
                "enlarges the error along the steepest direction."
            ),
            "Both diverge: 1.9 is already too close to the edge": (
                "Close to the edge is still inside it: |1 − 1.9| = 0.9 < 1, so "
                "the error shrinks, slowly, while changing sign each step."
            ),
            "1.9 creeps smoothly; 2.1 zig-zags but converges": (
                "Any η above 1/λmax = 1 overshoots, so 1.9 already zig-zags; "
                "and 2.1 is past the edge 2/λmax."
            ),
        },
        answer="1.9 zig-zags but converges; 2.1 diverges",
        explanation=(
            "Along the steepest direction one step multiplies the error by "
            "1 − ηλmax: −0.9 at η = 1.9 (it changes sign and shrinks) and −1.1 "
            "at η = 2.1 (it changes sign and grows)."
        ),
    )


def predict_brute_force() -> Prediction:
    """Ask, before the brute-force demo: how many weights in a day?"""
    return Prediction(
        {
            "about 5": (
                "10⁵ settings take a ten-thousandth of a second at 10⁹ per "
                "second: far less than a day."
            ),
            "about 13": "",
            "about 100": (
                "Each weight multiplies the time by 10; 100 weights need 10¹⁰⁰ "
                "settings, far more than any computer can try."
            ),
            "about 1,000": (
                "Time grows as 10^d, not in proportion to d: each extra weight "
                "multiplies it by 10."
            ),
        },
        answer="about 13",
        explanation=(
            "A day has 86,400 seconds, about 10¹⁴ evaluations at 10⁹ per second: "
            "10¹³ settings (13 weights) fit, 10¹⁴ do not quite."
        ),
    )


DEMOS = {
    "many_starts": many_starts_demo,
    "chord": chord_demo,
    "lr_limit": lr_limit_demo,
    "brute_force": brute_force_demo,
}
