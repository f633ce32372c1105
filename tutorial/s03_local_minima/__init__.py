"""Notebook 03, local minima: basins, restarts, a network that gets stuck.

Gradient descent ends in the minimum whose basin it starts in. Which basin that
is depends on the start, so restarting from new random points is a lottery
with known odds; a real network (XOR) shows the same lottery, and how a wider
hidden layer makes it easier to win; early noise that fades lets runs leave a
shallow basin.

The notebook's parts, one module each (its experiments, demo and alt text):
``basins``, ``restarts``, ``xor`` (a network that gets stuck, and what it is
doing) and ``schedules``; what several share is in ``_common`` (see
CONTRIBUTING.md).
"""

from __future__ import annotations

import math

import numpy as np

from .. import landscapes
from ..checks import Feedback, as_number, check_function, check_number
from ..intervals import wilson_interval
from ..optimizers import optimize
from ..predict import Prediction
from ..seeding import generator
from .basins import BASIN_STEPS, BasinMap, basin_labels, basin_map, basins_demo
from .restarts import (
    GLOBAL_TOL,
    RESTART_LR,
    RESTART_RUNS,
    RESTART_SEEDS,
    RESTART_STEPS,
    restart_experiment,
    restart_losses,
    restart_runs,
    restart_starts,
    restarts_demo,
    success_by_restarts,
)
from .schedules import (
    SCHEDULE_STEPS,
    noise_schedule_demo,
    noise_schedules,
    schedule_endings,
    schedule_runs,
    schedule_starts,
)
from .xor import (
    STUCK_LOSS,
    XOR_RESTARTS,
    XOR_STEPS,
    XOR_WIDTHS,
    add_hidden_unit,
    drift_demo,
    drift_runs,
    stuck_fraction,
    widen_stuck,
    xor_losses,
    xor_runs,
    xor_width_demo,
)

__all__ = [
    "basin_labels",
    "basin_map",
    "BasinMap",
    "wilson_interval",
    "restart_runs",
    "success_by_restarts",
    "XOR_WIDTHS",
    "STUCK_LOSS",
    "xor_runs",
    "xor_losses",
    "drift_runs",
    "add_hidden_unit",
    "widen_stuck",
    "stuck_fraction",
    "noise_schedules",
    "schedule_runs",
    "schedule_endings",
    "restart_starts",
    "restart_losses",
    "restart_experiment",
    "schedule_starts",
    "basins_demo",
    "restarts_demo",
    "xor_width_demo",
    "drift_demo",
    "noise_schedule_demo",
    "ex03_success_chance",
    "ex03_restarts_needed",
    "ex03_basin",
    "ex03_restart_policy",
    "restarts_until_confident",
    "predict_basins",
    "predict_restarts",
    "predict_width",
    "predict_drift",
    "predict_schedule",
    "DEMOS",
    # constants the notebook and its tests read
    "BASIN_STEPS",
    "RESTART_RUNS",
    "RESTART_STEPS",
    "RESTART_LR",
    "GLOBAL_TOL",
    "XOR_RESTARTS",
    "XOR_STEPS",
    "SCHEDULE_STEPS",
    "RESTART_SEEDS",
]


def predict_basins() -> Prediction:
    """Ask, before the basin map: are the four basins four quarters?"""
    return Prediction(
        {
            "Yes: four quarters, split along the middle lines": (
                "The basins are about equal in size, but their borders follow the "
                "ridges between the minima, and those bend."
            ),
            "Four regions of about equal size, with curved borders": "",
            "One basin takes most of the square": (
                "The four minima are equally deep and spread over the square; the "
                "depth of a minimum does not make its basin larger."
            ),
        },
        answer="Four regions of about equal size, with curved borders",
        explanation=(
            "Each start flows downhill into the basin it is in, and the borders "
            "between basins run along the ridges of the surface. At η = 0.01 the "
            "four basins hold 24% to 26% of the starts each."
        ),
        prompt="Are the four basins the four quarters of the square?",
    )


def predict_restarts() -> Prediction:
    """Ask, before the restarts demo: how many restarts for an even chance?"""
    return Prediction(
        {
            "about 2": (
                "One run succeeds only 3 times in 100; two runs are far from an "
                "even chance (about 6%)."
            ),
            "about 25": "",
            "about 50": (
                "Chances do not add up: k restarts succeed with 1 − (1 − p)^k, not "
                "k·p. 50 restarts give about 74%, more than an even chance."
            ),
            "about 100": (
                "100 restarts give about 93%: much more than an even chance."
            ),
        },
        answer="about 25",
        explanation=(
            "Solve 1 − (1 − p)^k = ½: k = ln ½ / ln(1 − p) ≈ 0.69 / p. With the "
            "measured p = 0.027 that is 26 restarts."
        ),
        prompt="One run finds the global minimum 3 times in 100. How many restarts "
        "give an even chance?",
    )


def predict_width() -> Prediction:
    """Ask, before the XOR demo: how does the stuck share change with width?"""
    return Prediction(
        {
            "It falls slowly and steadily": (
                "It falls much faster than that: from 44% at 9 weights to none of "
                "200 at 21."
            ),
            "It falls fast, then no run is stuck at all": "",
            "It stays about the same": (
                "Width changes the odds a great deal here; the number of restarts "
                "you need changes with it."
            ),
            "It rises: more weights, more places to get stuck": (
                "More weights do bring more critical points, but also many more "
                "ways down; on XOR the second wins by far."
            ),
        },
        answer="It falls fast, then no run is stuck at all",
        explanation=(
            "1 hidden unit (5 weights): every run fails, since one unit cannot "
            "represent XOR. 2 units: 44%. 3: 4.5%. 4: 1%. From 5 units (21 "
            "weights) on, none of 200."
        ),
        prompt="As the number of weights grows from 5 to 65, the share of stuck "
        "runs ...",
    )


def predict_drift() -> Prediction:
    """Ask, before the drift demo: is a stuck run at a minimum?"""
    return Prediction(
        {
            "It reaches zero: the run sits at a local minimum": (
                "At a minimum the gradient would be exactly zero at some finite "
                "weights, and the weights would stop. Here they never stop."
            ),
            "It keeps shrinking but never reaches zero": "",
            "It grows again as the run escapes": (
                "Almost none escape: five times more steps leave them where they "
                "were, at a loss near 0.347."
            ),
        },
        answer="It keeps shrinking but never reaches zero",
        explanation=(
            "The gradient falls like 1 / step while the weights keep growing: the "
            "run slides along a valley whose floor levels off at a loss of "
            "ln 2 / 2, and there is no minimum at finite weights."
        ),
        prompt="Train the stuck runs five times longer. Their gradient ...",
    )


def predict_schedule() -> Prediction:
    """Ask, before the noise-schedule demo: which schedule wins?"""
    return Prediction(
        {
            "no noise": (
                "Without noise each run stays in the valley it starts in: under "
                "half end in the deep one."
            ),
            "constant noise": (
                "Constant noise lets runs hop between the valleys, but they never "
                "settle: at the end almost all are still jittering."
            ),
            "noise that fades": "",
        },
        answer="noise that fades",
        explanation=(
            "Early on, strong noise lets runs hop out of the shallow valley; as it "
            "fades they are caught, mostly by the deep valley, which is harder to "
            "leave: about three in four end there."
        ),
        prompt="Which schedule ends in the deep valley most often?",
    )


def ex03_success_chance(answer, p: float = 0.05, k: int = 20) -> Feedback:
    """Check the chance that k restarts find a minimum each finds with chance p."""
    value = as_number(answer)
    if isinstance(value, Feedback):
        return value
    expected = 1 - (1 - p) ** k
    # 1% accepts 0.64 (two figures) and rejects 0.63 and 0.65, its neighbours.
    if abs(value - expected) <= 0.01 * expected:
        return check_number(value, expected, rel=0.01)
    misreads = {
        k * p: f"Adding the chances counts overlaps twice ({k} × {p:g} would make "
        "the chance reach 1). Work with the chance that every restart misses.",
        (1 - p) ** k: "That is the chance that all of them miss; the question "
        "asks for at least one hit.",
        1 - (1 - p) ** (k - 1): f"That is {k - 1} restarts, not {k}.",
        p**k: "That is the chance that every one of them finds it.",
    }
    for wrong, why in misreads.items():
        if abs(value - wrong) <= 0.01 * max(abs(wrong), 1e-9):
            return Feedback(False, f"{value:.4g} is not it. {why}")
    return check_number(
        value,
        expected,
        rel=0.01,
        hint="The chance that all k restarts miss is (1 − p)^k.",
    )


def ex03_restarts_needed(answer, p: float = 0.05, target: float = 0.99) -> Feedback:
    """Check the fewest restarts k with 1 − (1 − p)^k >= target."""
    value = as_number(answer)
    if isinstance(value, Feedback):
        return value
    expected = math.ceil(math.log(1 - target) / math.log(1 - p))
    if value != int(value) or not 1 <= value <= 10**9:
        return Feedback(False, "Please answer with a whole number of restarts.")
    if value == expected:
        return Feedback(
            True, f"{expected} restarts give {1 - (1 - p) ** expected:.4f}."
        )
    reached = 1 - (1 - p) ** min(value, 10**6)
    approximate = math.ceil(-math.log(1 - target) / p)
    if value in (approximate, approximate - 1) and value != expected:
        return Feedback(
            False,
            f"{int(value)} is what ln(1 − p) ≈ −p gives.",
            "That approximation is a little off at p = 0.05; use the exact "
            "logarithm ln(1 − p).",
        )
    if value < expected:
        return Feedback(
            False,
            f"{int(value)} restarts give only {reached:.4f}.",
            "Solve (1 − p)^k <= 1 − target with logarithms, then round up.",
        )
    return Feedback(
        False,
        f"{int(value)} restarts are enough, but fewer would do.",
        "Look for the smallest k; round up, not further.",
    )


def ex03_basin(answer) -> Feedback:
    """Check which Himmelblau minimum (1-4) descent reaches from (0, 0)."""
    value = as_number(answer)
    if isinstance(value, Feedback):
        return value
    land = landscapes.get("himmelblau")
    run = optimize(land, [0.0, 0.0], lr=0.01, steps=BASIN_STEPS)
    expected = int(basin_labels(land, run.final)[0]) + 1
    if value not in (1, 2, 3, 4):
        return Feedback(False, "Please answer with the number of a minimum: 1 to 4.")
    if value == expected:
        return Feedback(
            True,
            f"From (0, 0) descent ends in minimum {expected}: its first step, along "
            "−∇L = (14, 22), goes right and up, and it never leaves that basin.",
        )
    where = {
        1: "up and to the right",
        2: "up and to the left",
        3: "down and to the left",
        4: "down and to the right",
    }
    return Feedback(
        False,
        f"Minimum {int(value)} lies {where[int(value)]} of (0, 0), but the first "
        "step goes along −∇L = (14, 22): right and up.",
        "Find (0, 0) in the basin map at η = 0.01: which colour is it?",
    )


def restarts_until_confident(losses, p_min=0.05, confidence=0.95, tol=1e-3):
    """Return how many restarts the stopping policy of exercise 4 runs.

    Go through the restarts' final `losses` in order; a restart improves if its
    loss is below the best so far by more than `tol`. Stop after m restarts in
    a row without improvement, m the smallest with 1 − (1 − p_min)^m >=
    `confidence`; return how many restarts were run (all, if it never stops).
    """
    m = _patience(p_min, confidence)
    best, since = math.inf, 0
    for used, loss in enumerate(losses, start=1):
        if loss < best - tol:
            best, since = loss, 0
            continue
        since += 1
        if since >= m:
            return used
    return len(losses)


def _patience(p_min, confidence) -> int:
    if not (0 < p_min < 1 and 0 < confidence < 1):
        raise ValueError(
            f"p_min and confidence must lie in (0, 1); got {p_min!r} and {confidence!r}"
        )
    return math.ceil(math.log(1 - confidence) / math.log(1 - p_min))


def _policy_cases() -> list:
    """Loss sequences the notebook never shows, with their settings."""
    rng = generator(7, allow_none=False)
    levels = np.array([0.0, 1.0, 2.0, 4.0, 5.0, 8.0])
    cases = [
        ([3.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0], 0.5, 0.9, 1e-3),  # m = 4
        ([5.0, 4.0, 4.0, 1.0, 1.0, 1.0, 1.0, 1.0], 0.5, 0.9, 1e-3),
        ([1.0, 1.0005, 0.9996, 1.0, 0.9999, 1.0, 0.5], 0.5, 0.9, 1e-3),  # ties
        ([2.0, 1.0, 0.5, 0.2], 0.3, 0.99, 1e-3),  # never confident
        ([4.0], 0.5, 0.5, 1e-3),
    ]
    for size, p_min, confidence in ((60, 0.2, 0.95), (200, 0.05, 0.9), (40, 0.4, 0.99)):
        losses = rng.choice(levels, size=size, p=[0.03, 0.2, 0.3, 0.2, 0.17, 0.1])
        cases.append((losses + rng.uniform(0, 5e-4, size), p_min, confidence, 1e-3))
    return cases


def _policy_mistake(got, expected, args) -> str:
    """Name the likely mistake behind a wrong stopping point."""
    losses, p_min, confidence, tol = args
    if np.size(got) != 1:
        return "Return one whole number: how many restarts the policy ran."
    got, expected = int(np.asarray(got).ravel()[0]), int(expected)
    m = _patience(p_min, confidence)
    # Later entries win where two mistakes give the same number.
    variants = {
        len(losses): (
            "Your policy never stopped early: stop as soon as m restarts in a row "
            "have not improved on the best."
        ),
        _policy_without_reset(losses, m, tol): (
            "Count the misses in a row: the count starts again at zero whenever "
            "a restart beats the best."
        ),
        restarts_until_confident(losses, p_min, confidence, tol=0.0): (
            "A loss within tol of the best is not an improvement: compare with "
            "best - tol."
        ),
        min(m, len(losses)): (
            "Count the restarts since the last improvement, not all restarts."
        ),
    }
    variants.pop(expected, None)
    if got in variants:
        return variants[got]
    if abs(got - expected) == 1:
        return (
            "Off by one: return how many restarts were run, counting from 1, "
            "including the one that made the m-th miss in a row."
        )
    return ""


def _policy_without_reset(losses, m, tol) -> int:
    """The policy with a common mistake: misses counted in total, not in a row."""
    best, misses = math.inf, 0
    for used, loss in enumerate(losses, start=1):
        if loss < best - tol:
            best = loss
            continue
        misses += 1
        if misses >= m:
            return used
    return len(losses)


def ex03_restart_policy(fn) -> Feedback:
    """Check a learner's `restarts_until_confident(losses, p_min, confidence, tol)`."""
    return check_function(
        fn,
        restarts_until_confident,
        _policy_cases(),
        name="restarts_until_confident",
        rtol=0,
        atol=0,
        diagnose=_policy_mistake,
    )


DEMOS = {
    "basins": basins_demo,
    "restarts": restarts_demo,
    "xor_width": xor_width_demo,
    "drift": drift_demo,
    "noise_schedule": noise_schedule_demo,
}
