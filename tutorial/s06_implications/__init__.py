"""Notebook 06, implications for training: no guarantees, and what helps.

Everything here is measured on one small problem: a 2-2-1 tanh network (nine
weights) fitted to the XOR points by mean squared error. It is small enough to
train hundreds of copies at once in a fraction of a second, and hard enough to
show the three things gradient descent does not promise: a good solution
(quality), a known training time, and arriving at all (convergence).

Every experiment is one vectorised `optimize` call (one per batch size for
minibatch SGD): restarts, learning rates and schedules sit side by side as
separate runs, with per-run rates of shape (1, n) or (steps, n).

Two kinds of gradient noise appear, and each demo says which it uses: real
minibatch SGD (``batch_size=B`` on the loss over 32 examples) and the Gaussian
model (``noise=σ``, a random error of fixed size added to every gradient).
They agree early in training; at an exact fit the minibatch noise vanishes and
the model's does not.

The notebook's parts, one module each (its experiments, demo and alt text):
``guarantees`` (quality and time), ``edge``, ``minibatch``, ``schedules``,
``cost`` and ``methods``; what several share is in ``_common`` (see
CONTRIBUTING.md).
"""

from __future__ import annotations

import numpy as np

from ..checks import Feedback, as_number, check_choice, check_function, check_number
from ..predict import Prediction
from ._common import (
    BATCH,
    EVERY,
    LR,
    RESTARTS,
    SGD_RUNS,
    STEPS,
    best_loss,
    data_surface,
    default_sweep,
    examples,
    learned,
    loss_surface,
    lr_sweep,
    network,
    starts,
    steps_to_reach,
    train,
    train_sgd,
)
from .cost import cost_curves, cost_demo
from .edge import edge_demo, edge_run, end_sharpness, jump_report, sharpness, spikes
from .guarantees import (
    LONG_STEPS,
    lr_demo,
    restart_stats,
    restarts_demo,
    scale_sweep,
    success_rate,
)
from .methods import method_sweep, methods_demo, stuck_starts
from .minibatch import gradient_noise, sgd_demo, sgd_vs_model
from .schedules import SCHEDULES, compare_schedules, schedule, schedule_demo

__all__ = [
    "network",
    "loss_surface",
    "examples",
    "best_loss",
    "data_surface",
    "starts",
    "learned",
    "steps_to_reach",
    "train",
    "train_sgd",
    "restart_stats",
    "success_rate",
    "lr_sweep",
    "default_sweep",
    "scale_sweep",
    "sharpness",
    "spikes",
    "edge_run",
    "jump_report",
    "end_sharpness",
    "gradient_noise",
    "sgd_vs_model",
    "schedule",
    "compare_schedules",
    "cost_curves",
    "method_sweep",
    "stuck_starts",
    "restarts_demo",
    "lr_demo",
    "edge_demo",
    "sgd_demo",
    "schedule_demo",
    "cost_demo",
    "methods_demo",
    "predict_quality",
    "predict_time",
    "predict_noise",
    "predict_decay",
    "predict_optimizers",
    "minibatch_epoch",
    "ex06_best_of_k",
    "ex06_momentum_factor",
    "ex06_remedy",
    "ex06_minibatch_epoch",
    "DEMOS",
    # constants the notebook and its tests read
    "STEPS",
    "LONG_STEPS",
    "EVERY",
    "LR",
    "RESTARTS",
    "SCHEDULES",
    "BATCH",
    "SGD_RUNS",
]


def predict_quality() -> Prediction:
    """Predict first: how many of RESTARTS restarts learn XOR within STEPS?"""
    p = success_rate()
    return Prediction(
        {
            "all of them": "That holds on a convex surface (notebook 02), where "
            "every start rolls to the same bottom. Here the start decides.",
            "about three in four": "",
            "about half": "Fewer fail than that at a good rate; half or fewer learn "
            "only at the edges of the good range of rates (next section).",
            "only a few": "That happens with a rate far too small or too large "
            "(next section), not with a good one.",
        },
        answer="about three in four",
        explanation=f"{round(p * RESTARTS)} of the {RESTARTS} learn XOR within "
        f"{STEPS} steps. Of the others, some are only slow and some are stuck: "
        "the demo tells them apart.",
    )


def predict_time() -> Prediction:
    """Predict first: how much longer do runs take at a ten times smaller rate?"""
    return Prediction(
        {
            "about as long: the surface sets the time": "The surface sets the "
            "path, but the rate sets the length of every step along it.",
            "about ten times longer": "",
            "about a hundred times longer": "Each step is ten times shorter, not a "
            "hundred times: the time grows in proportion to 1/η.",
            "never: they are stuck": "Within the 600-step budget fewer than one "
            "in ten arrives, but they are not stuck: given five times the budget, "
            "most do.",
        },
        answer="about ten times longer",
        explanation="Each step moves about η times the slope, so ten times smaller "
        "steps need about ten times as many: at η = 0.03 the median run arrives "
        "after about 1,500 steps, ten times as many as at η = 0.3 and far past "
        "the 600-step budget.",
    )


def predict_noise() -> Prediction:
    """Predict first: how big is the minibatch noise at an exact fit?"""
    return Prediction(
        {
            "as big as at the start": "That is the Gaussian model: its noise has a "
            "fixed size. Real minibatch noise comes from the examples.",
            "smaller, by a factor set by the batch size": "The batch size scales "
            "the noise, but something else sets it to a value first.",
            "zero": "",
            "larger, because the walk is near the bottom": "Near the bottom the "
            "gradients get smaller, not larger.",
        },
        answer="zero",
        explanation="A minibatch gradient is the mean of its examples' own "
        "gradients. At an exact fit every example's gradient is zero, so every "
        "batch gives zero: the noise is gone.",
    )


def predict_decay() -> Prediction:
    """Predict first: does decay help minibatch SGD settle on exact XOR?"""
    return Prediction(
        {
            "yes: noisy steps need a decaying rate to settle": "Only where the "
            "noise stays; on XOR it vanishes at the fit.",
            "no: a constant rate already settles, and decay slows it": "",
            "it makes no difference": "Decay does change the result: it takes the "
            "speed of the later steps away.",
        },
        answer="no: a constant rate already settles, and decay slows it",
        explanation="On XOR every example can be fitted, so the minibatch noise "
        "dies out by itself and a constant rate keeps the loss falling; a decayed "
        "rate takes smaller steps and ends higher. Now flip some labels.",
    )


def predict_optimizers() -> Prediction:
    """Predict first: do momentum and Adam rescue stuck starts?"""
    return Prediction(
        {
            "yes, all of them": "Speed along a slope does not help where there is "
            "no slope towards a solution.",
            "some, but others get stuck instead": "",
            "none: the same starts fail for all three": "Mostly the same, but not "
            "all: a different walk can end in a different valley.",
        },
        answer="some, but others get stuck instead",
        explanation="Each optimizer takes its own path from a start, so it can end "
        "in another valley. The share that learns stays near three in four.",
    )


def ex06_best_of_k(answer, k: int = 3) -> Feedback:
    """Check the chance that at least one of k restarts learns XOR."""
    value = as_number(answer)
    if isinstance(value, Feedback):
        return value
    p = success_rate()
    right = 1 - (1 - p) ** k
    # 0.004 tells the right answer from every near miss below (the nearest,
    # certainty, is 0.014 away) and accepts p rounded to 0.75.
    if abs(value - right) <= 0.004:
        return Feedback(
            True, f"{value:.4g} is right: 1 − (1 − {p:.2f})^{k} = {right:.3f}."
        )
    misses = {
        1.0: "No number of restarts makes success certain: all of them can fail, "
        "with probability (1 − p)^k.",
        (1 - p) ** k: "That is the chance that all of them fail; the question asks "
        "for the opposite.",
        p**k: "p^k is the chance that all of them learn; one is enough.",
        1 - (1 - p) ** (k - 1): f"That is for {k - 1} restarts.",
        k * p: "Chances of events that can happen together do not add up.",
        1 - p**k: "1 − p^k is the chance that not all of them learn.",
    }
    for wrong, why in misses.items():
        if abs(value - wrong) <= 0.004:
            return Feedback(False, f"{value:.4g} is not it. {why}")
    direction = "too large" if value > right else "too small"
    return Feedback(
        False,
        f"{value:.4g} is {direction}.",
        f"One restart fails with probability 1 − p = {1 - p:.2f}; all {k} fail "
        f"together with probability (1 − p)^{k}.",
    )


# What each near miss of exercise 2 reveals, by the value it gives.
MOMENTUM_MISSES = {
    9.0: "β/(1 − β) = 9 counts only the echoes of past steps; the current step "
    "η·g is part of the velocity too.",
    0.9: "0.9 is β, the share of the velocity kept from one step to the next.",
    1.9: "1 + β counts one echo of the last step; a steady slope keeps adding "
    "echoes of all the earlier ones.",
    100.0: "1/(1 − β)² squares the sum; the velocity is a single geometric sum.",
    16.0: "That is about the ratio of the best rates measured on XOR, where the "
    "slope is not steady; on a steady slope the factor follows from v = βv + η·g "
    "alone.",
}


def ex06_momentum_factor(answer) -> Feedback:
    """Check how much longer momentum's steps get on a steady slope (β = 0.9)."""
    value = as_number(answer)
    if isinstance(value, Feedback):
        return value
    for wrong, why in MOMENTUM_MISSES.items():
        if abs(value - wrong) <= 0.05 * wrong:
            return Feedback(False, f"{value:.4g} is not it. {why}")
    return check_number(
        value,
        10.0,
        rel=0.05,
        hint="On a steady slope the velocity stops changing: v = βv + η·g. Solve "
        "for v and compare it with one plain step η·g.",
    )


REMEDIES = {
    "diverges": "lower the learning rate",
    "crawls": "raise the learning rate",
    "stuck": "restart from a new seed",
    "jitters": "decay the learning rate",
}
# How each symptom reads in a sentence: "A run that ...".
SYMPTOMS = {
    "diverges": "diverges",
    "crawls": "crawls",
    "stuck": "is stuck",
    "jitters": "jitters around a level",
}
# What choosing an option for a symptom reveals, for every wrong pair.
REMEDY_FEEDBACK = {
    ("diverges", "raise the learning rate"): "Larger steps overshoot even more: a "
    "diverging run's steps are already too large for the curvature.",
    ("diverges", "restart from a new seed"): "A rate above 2/λmax diverges from "
    "almost every start; a new seed will blow up too.",
    ("diverges", "decay the learning rate"): "A decay lowers the rate only later; "
    "this run blows up within a few steps, so the rate is too large from the "
    "start.",
    ("crawls", "lower the learning rate"): "Smaller steps make a slow run slower.",
    ("crawls", "restart from a new seed"): "A crawl at too small a rate happens "
    "from every start; the rate, not the start, is the cause.",
    ("crawls", "decay the learning rate"): "Decay makes the steps smaller still.",
    ("stuck", "lower the learning rate"): "On a flat stretch a smaller step is only "
    "slower; the run stays where it is.",
    ("stuck", "raise the learning rate"): "A stuck run's slope is almost zero: a "
    "larger multiple of almost nothing is still almost nothing, and the larger "
    "rate may diverge elsewhere.",
    ("stuck", "decay the learning rate"): "Decay shrinks the steps; a stuck run "
    "needs a different place, not smaller steps.",
    ("jitters", "lower the learning rate"): "A lower rate from the start also slows "
    "the early progress; decaying it keeps the fast start.",
    ("jitters", "raise the learning rate"): "Larger steps make the jitter larger.",
    ("jitters", "restart from a new seed"): "The jitter comes from examples that no "
    "network fits at once; every start meets them.",
}
REMEDY_ALIASES = {
    "lower lr": "lower the learning rate",
    "lower the lr": "lower the learning rate",
    "decrease the learning rate": "lower the learning rate",
    "smaller learning rate": "lower the learning rate",
    "raise lr": "raise the learning rate",
    "increase the learning rate": "raise the learning rate",
    "larger learning rate": "raise the learning rate",
    "restart": "restart from a new seed",
    "new seed": "restart from a new seed",
    "decay": "decay the learning rate",
    "learning rate decay": "decay the learning rate",
    "schedule": "decay the learning rate",
}


def ex06_remedy(answer, symptom: str = "diverges") -> Feedback:
    """Check the first thing to try: diverges, crawls, stuck or jitters."""
    if symptom not in REMEDIES:
        return Feedback(
            False, f"Unknown symptom {symptom!r}; use one of {list(REMEDIES)}."
        )
    return check_choice(
        answer,
        REMEDIES[symptom],
        tuple(REMEDIES.values()),
        feedback={o: why for (s, o), why in REMEDY_FEEDBACK.items() if s == symptom},
        aliases=REMEDY_ALIASES,
        why=f"A run that {SYMPTOMS[symptom]}: {REMEDIES[symptom]}.",
    )


def minibatch_epoch(w, grad, X, y, lr, batch_size, order):
    """Return w after one epoch of minibatch SGD (exercise 4's reference).

    The examples are visited in `order`, `batch_size` at a time (the last
    batch holds what is left); each batch moves w by −lr × grad(w, X[b], y[b]).
    """
    for first in range(0, len(order), batch_size):
        batch = order[first : first + batch_size]
        w = w - lr * grad(w, X[batch], y[batch])
    return w


def line_gradient(w, X, y):
    """Return the gradient of the mean squared error of a linear model y ≈ X @ w."""
    return 2 * X.T @ (X @ w - y) / len(y)


def _epoch_cases() -> list[tuple]:
    """Cases the notebook never shows: other data, batch sizes and orders.

    Each order mixes the examples across batches, so that a loop that ignores
    it takes other batches; two of the batch sizes leave a smaller last batch.
    """
    rng = np.random.default_rng(606)
    cases = []
    for order, dim, batch in (
        ([4, 1, 5, 0, 2, 3], 1, 2),
        ([7, 2, 9, 0, 5, 3, 8, 1, 6, 4], 3, 4),
        ([3, 6, 0, 4, 1, 5, 2], 2, 3),
        ([2, 0, 4, 1, 3], 2, 1),
        ([5, 1, 7, 3, 0, 6, 2, 4], 2, 8),
    ):
        m = len(order)
        X = rng.normal(size=(m, dim))
        y = X @ rng.normal(size=dim) + 0.3 * rng.normal(size=m)
        w = rng.normal(size=dim)
        cases.append((w, line_gradient, X, y, 0.1, batch, np.array(order)))
    return cases


def _epoch_mistakes(w, grad, X, y, lr, batch_size, order) -> dict:
    """Return {what went wrong: the w it gives} for the likely slips."""
    whole, dropped = w, w
    for first in range(0, len(order), batch_size):
        whole = whole - lr * grad(whole, X, y)
        batch = order[first : first + batch_size]
        if batch.size == batch_size:
            dropped = dropped - lr * grad(dropped, X[batch], y[batch])
    ignored = minibatch_epoch(w, grad, X, y, lr, batch_size, np.arange(len(order)))
    uphill = minibatch_epoch(w, lambda *a: -grad(*a), X, y, lr, batch_size, order)
    once = order[:batch_size]
    return {
        "It returns w unchanged: each batch must move w.": w,
        "It takes every step on all the examples: each step should use only its "
        "own batch, X[batch], y[batch].": whole,
        "It ignores `order`: the batches must follow this epoch's random order.": (
            ignored
        ),
        "It drops the last, smaller batch: an epoch visits every example once.": (
            dropped
        ),
        "It steps uphill: subtract lr × gradient.": uphill,
        "It takes a single step: loop over all the batches of the epoch.": (
            w - lr * grad(w, X[once], y[once])
        ),
    }


def _epoch_diagnosis(got, expected, args) -> str:
    for why, wrong in _epoch_mistakes(*args).items():
        if got.shape == np.shape(wrong) and np.allclose(got, wrong, rtol=1e-6):
            return why
    return "Check the batch boundaries: order[first : first + batch_size]."


def ex06_minibatch_epoch(fn) -> Feedback:
    """Check a learner's one epoch of minibatch SGD on unseen data and batches."""
    return check_function(
        fn,
        minibatch_epoch,
        _epoch_cases(),
        name="minibatch_epoch",
        diagnose=_epoch_diagnosis,
    )


DEMOS = {
    "restarts": restarts_demo,
    "lr": lr_demo,
    "edge": edge_demo,
    "sgd": sgd_demo,
    "schedule": schedule_demo,
    "cost": cost_demo,
    "methods": methods_demo,
}
