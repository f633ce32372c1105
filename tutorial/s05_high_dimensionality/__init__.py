"""Notebook 05, high dimensionality: what changes when there are many weights.

Grids become impossible, volume hides in corners and distances all look alike
(the curse of dimensionality). Critical points are mostly saddles: a random
symmetric Hessian is almost never positive definite, and among the critical
points of a real network, the higher the loss, the more directions lead down
(Dauphin et al. 2014). A model whose number of weights a slider sets, the
spherical spin glass (`tutorial.spin_glass`), is trained from many starts: its
runs end alike as it grows, and at its critical points the loss sets the
index. A 2-D slice through a trained network's loss shows what the surface
looks like near a solution (Li et al. 2018).

The notebook's parts, one module each (its experiments, demo and alt text):
``curse``, ``goe`` (saddles outnumber minima), ``index``, ``spin`` (the trained
model whose size a slider sets) and ``slices``; what several share is in
``_common`` (see CONTRIBUTING.md).
"""

from __future__ import annotations

import math

import numpy as np

from ..checks import Feedback, as_number, check_choice, check_function, check_number
from ..intervals import wilson_interval
from ..predict import Prediction
from ..seeding import generator
from ._common import _dim, semicircle
from .curse import (
    DISTANCE_EDGES,
    ball_share,
    curse_demo,
    distance_curves,
    distance_spread,
    grid_points,
    pairwise_distances,
)
from .goe import (
    GOE_EDGES,
    LARGE_D_RATE,
    fit_decay,
    fraction_of_minima,
    goe_demo,
    goe_eigenvalues,
    large_d_law,
    measured_fractions,
    minima_share,
    spectrum_histograms,
)
from .index import (
    CRITICAL_STARTS,
    NEGATIVE,
    critical_points,
    index_demo,
    sine_net,
    spearman,
)
from .slices import (
    SLICE_GRID,
    SLICE_LOSS_RANGE,
    SLICE_WIDTHS,
    filter_normalized_directions,
    loss_slice,
    slice_demo,
    trained_moons,
    valley_profile,
)
from .spin import (
    SPIN_DIMS,
    spin_critical_points,
    spin_ends_demo,
    spin_index_demo,
    spin_sweep,
)

__all__ = [
    "grid_points",
    "ball_share",
    "pairwise_distances",
    "distance_spread",
    "fraction_of_minima",
    "goe_eigenvalues",
    "semicircle",
    "spectrum_histograms",
    "fit_decay",
    "spearman",
    "critical_points",
    "filter_normalized_directions",
    "loss_slice",
    "REAL_NETWORKS",
    "distance_curves",
    "sine_net",
    "trained_moons",
    "curse_demo",
    "goe_demo",
    "index_demo",
    "slice_demo",
    "LARGE_D_RATE",
    "large_d_law",
    "wilson_interval",
    "minima_share",
    "valley_profile",
    "spin_sweep",
    "spin_critical_points",
    "spin_ends_demo",
    "spin_index_demo",
    "predict_ball_share",
    "predict_minima_share",
    "predict_index",
    "predict_slice",
    "predict_spin_ends",
    "predict_spin_index",
    "shell_share",
    "share_of_minima",
    "ex05_ball_share",
    "ex05_shell_share",
    "ex05_grid_points",
    "ex05_typical_point",
    "ex05_share_of_minima",
    "DEMOS",
    # constants the notebook and its tests read
    "measured_fractions",
    "CRITICAL_STARTS",
    "NEGATIVE",
    "SLICE_GRID",
    "SLICE_WIDTHS",
    "SLICE_LOSS_RANGE",
    "DISTANCE_EDGES",
    "GOE_EDGES",
    "SPIN_DIMS",
]


# (name, year, paper, weights): counts as stated in (or widely cited from) the
# papers that introduced them.
REAL_NETWORKS = (
    ("LeNet-5", 1998, "Gradient-based learning applied to document recognition", 60e3),
    (
        "AlexNet",
        2012,
        "ImageNet classification with deep convolutional neural networks",
        60e6,
    ),
    (
        "VGG-16",
        2015,
        "Very deep convolutional networks for large-scale image recognition",
        138e6,
    ),
    ("ResNet-50", 2016, "Deep residual learning for image recognition", 25e6),
    (
        "BERT-base",
        2019,
        "BERT: pre-training of deep bidirectional transformers "
        "for language understanding",
        110e6,
    ),
    ("GPT-2", 2019, "Language models are unsupervised multitask learners", 1.5e9),
    ("GPT-3", 2020, "Language models are few-shot learners", 175e9),
)


def predict_ball_share() -> Prediction:
    """Predict first: the share of the 50-D cube inside its ball."""
    return Prediction(
        {
            "about half": "Close to the truth in 2-D (0.785) and 3-D (0.52), but "
            "every added dimension cuts the share further: it never levels off.",
            "about 1 %": "Closer, but the share falls faster than any "
            "exponential: at d = 50 it is far below 1 %.",
            "less than one in a trillion": "Yes: the corners take almost all of "
            "the volume.",
            "exactly zero": "The ball never has zero volume: the share is tiny "
            "but positive for every d.",
        },
        answer="less than one in a trillion",
        explanation="At d = 50 the share is about 1.5 × 10⁻²⁸: almost all of "
        "the cube's volume lies in its corners, outside the ball.",
        prompt="At d = 50, what share of the cube lies inside its ball?",
    )


def predict_minima_share() -> Prediction:
    """Predict first: the share of random 10 × 10 Hessians that are minima."""
    return Prediction(
        {
            "about ½, as in 1-D": "In 1-D a single eigenvalue is a coin flip; a "
            "minimum in d dimensions needs all d of them positive at once.",
            "about 1/1,000 (2⁻¹⁰: ten coin flips)": "That would hold if the ten "
            "eigenvalues were independent coins. They are not: eigenvalues of a "
            "random symmetric matrix repel each other, so all ten on one side "
            "is far rarer.",
            "less than 1/10,000": "Yes: already at d = 6 not one of 20,000 "
            "matrices was a minimum.",
        },
        answer="less than 1/10,000",
        explanation="At d = 5 one in 10,000 random Hessians had no negative "
        "eigenvalue, at d = 6 none of 20,000, and the share only falls from "
        "there: for large d like e^(−0.27 d²).",
        prompt="At d = 10, what share of random Hessians are minima?",
    )


def predict_index() -> Prediction:
    """Predict first: ways down at a network's critical points with a high loss."""
    return Prediction(
        {
            "few: a high point is a trap": "A trap would be a minimum, with no "
            "way down at all; the high critical points here have the most.",
            "many": "Yes: the higher the loss, the more directions lead down.",
            "no pattern": "There is one: loss and index rise together (their "
            "rank correlation is printed under the picture).",
        },
        answer="many",
        explanation="The higher the loss of a critical point, the larger its "
        "index: high critical points are saddles with many ways down, and the "
        "minima sit at the bottom.",
        prompt="At a critical point with a high loss, how many directions lead down?",
    )


def predict_slice() -> Prediction:
    """Predict first: how the valley around trained weights changes with width."""
    return Prediction(
        {
            "wider and shallower": "Not shallower: the floor falls from 0.23 "
            "(2 units) to 0.0002 (32 units).",
            "about as wide, much deeper": "Yes, in this slice: the floor falls "
            "a thousandfold while the valley's width hardly moves.",
            "narrower and deeper": "Deeper, yes; but measured by how far you can "
            "step before the loss rises by 0.05, the valley keeps its width.",
        },
        answer="about as wide, much deeper",
        explanation="Wider networks reach a far lower floor, and in "
        "filter-normalised units the loss rises by 0.05 within 0.2 to 0.3 of a "
        "step at every width.",
        prompt="With more hidden units, what happens to the valley?",
    )


def predict_spin_ends() -> Prediction:
    """Predict first: where training runs end as the spin glass grows."""
    return Prediction(
        {
            "they spread out: more weights, more bad minima": "There are indeed "
            "far more minima with more weights, but almost all of them lie in a "
            "thin band of nearly equal loss.",
            "they crowd together near the best": "Yes: drag N and watch the "
            "spread and the share of poor ends fall.",
            "nothing changes": "Drag N: the spread of the ends and the share of "
            "poor ends both fall.",
        },
        answer="they crowd together near the best",
        explanation="With more weights the runs end alike, at nearly the same "
        "loss per weight, and a run that ends far above its problem's best "
        "becomes rare.",
        prompt="As N grows from 4 to 32, where do the runs end?",
    )


def predict_spin_index() -> Prediction:
    """Predict first: what sets the share of ways down at a critical point."""
    return Prediction(
        {
            "chance: about half, at any loss": "That is the random-matrix model "
            "of the section above; it leaves out how the Hessian depends on "
            "the loss.",
            "the loss: the lower, the fewer ways down": "Yes: the points line "
            "up on one curve.",
            "always exactly one way down": "That describes only the saddles "
            "nearest the minima; high critical points have many ways down.",
        },
        answer="the loss: the lower, the fewer ways down",
        explanation="At a critical point of the spin glass the Hessian is a "
        "random matrix shifted by three times the loss per weight, so the loss "
        "sets how many eigenvalues fall below zero.",
        prompt="At a critical point of the spin glass, what sets the share of "
        "ways down?",
    )


def ex05_ball_share(answer, dim: int = 3) -> Feedback:
    """Check the share of the cube [−1, 1]^d inside its inscribed ball."""
    return check_number(
        answer,
        ball_share(dim),
        rel=0.02,
        hint="The unit ball in 3-D has volume 4π/3; the cube [−1, 1]³ has volume 8.",
    )


def shell_share(dim: int, thickness: float = 0.01) -> float:
    """Return the share of a d-ball's volume within `thickness` of its surface.

    The inner ball of radius 1 − thickness holds (1 − thickness)^d of the
    volume, so the shell holds the rest.
    """
    d = _dim(dim)
    if not (isinstance(thickness, (int, float)) and 0 < thickness < 1):
        raise ValueError(f"thickness must be a number in (0, 1); got {thickness!r}")
    return 1.0 - (1.0 - thickness) ** d


def ex05_shell_share(answer, dim: int = 100) -> Feedback:
    """Check the share of a 100-D ball's volume within 1 % of its surface."""
    value = as_number(answer)
    if isinstance(value, Feedback):
        return value
    expected = shell_share(dim)  # 0.634 for d = 100
    if abs(value - expected) <= 0.005:
        return Feedback(
            True,
            f"{value:.3g} is right: 1 − 0.99^{dim} = {expected:.3f}. Nearly two "
            "thirds of the volume lies in a skin 1 % thick.",
        )
    hint = f"Volume grows like r^{dim}: what share lies inside radius 0.99?"
    wrong = {
        1 - expected: "is the share inside radius 0.99, the core, not the shell. "
        "Subtract it from 1.",
        0.01: "is the shell's share of the radius; volume grows much faster.",
        100 * expected: "looks like a percentage: give a share between 0 and 1.",
        0.01 * dim: f"is 1 % × {dim}: that adds the dimensions instead of "
        "multiplying the factors 0.99.",
    }
    for near, why in wrong.items():
        if abs(value - near) <= 0.005 * max(1.0, abs(near)):
            return Feedback(False, f"{value:.3g} {why}", hint)
    return Feedback(False, f"{value:.3g} is not it.", hint)


def ex05_grid_points(answer, k: int = 10, dim: int = 17) -> Feedback:
    """Check how many points a grid of k values per weight needs in dim weights."""
    value = as_number(answer)
    if isinstance(value, Feedback):
        return value
    expected = grid_points(k, dim)
    hint = f"With {k} values for each of {dim} weights, every combination is a point."
    if not value > 0:
        return Feedback(False, f"{value:.3g} is not a number of points.", hint)
    off = math.log10(value) - math.log10(expected)
    if abs(off) < 0.01:
        return Feedback(True, f"{k}^{dim} = {expected:.3g} points.")
    if abs(value - k * dim) < 0.5:
        return Feedback(False, f"{value:.3g} = {k} × {dim}: a grid multiplies.", hint)
    if abs(math.log10(value) - k * math.log10(dim)) < 0.01:
        return Feedback(
            False, f"{value:.3g} = {dim}^{k}: base and exponent swapped.", hint
        )
    if abs(abs(off) - 1) < 0.01:
        return Feedback(
            False, f"{value:.3g} is off by a factor of {k}: count the weights.", hint
        )
    return Feedback(False, f"{value:.3g} is not it.", hint)


def ex05_typical_point(answer) -> Feedback:
    """Check what a critical point with a high loss in a big network most likely is."""
    return check_choice(
        answer,
        "saddle",
        ("minimum", "maximum", "saddle"),
        feedback={
            "minimum": "A minimum needs every one of its million curvatures "
            "positive at once; at a high loss that is the rarest kind of all "
            "(the spin glass above had none there).",
            "maximum": "A maximum needs every curvature negative, as rare as a "
            "minimum: high critical points have many ways down, but keep some "
            "ways up.",
        },
        aliases={
            "saddle point": "saddle",
            "local minimum": "minimum",
            "local maximum": "maximum",
        },
        why="With a million curvatures some are almost surely negative and some "
        "positive; and the higher the loss, the more of them lead down.",
    )


def share_of_minima(dim: int, shift: float, n: int, seed: int) -> float:
    """Return the share of n random symmetric matrices + shift·I with no eigenvalue < 0.

    The reference for exercise 4: A with independent standard normal entries,
    H = (A + Aᵀ)/2 + shift·I, a minimum when every eigenvalue of H is > 0.
    """
    rng = generator(seed, allow_none=False)
    a = rng.standard_normal((_dim(n, "n", 10**5), _dim(dim, high=50), dim))
    h = (a + np.swapaxes(a, 1, 2)) / 2 + shift * np.eye(dim)
    return float((np.linalg.eigvalsh(h)[:, 0] > 0).mean())


# Cases the notebook never shows: other sizes, shifts of both signs, other seeds.
SHARE_CASES = (
    (2, 0.0, 20_000, 3),
    (3, 1.5, 20_000, 11),
    (6, 3.0, 20_000, 5),
    (1, -0.5, 20_000, 2),
    (4, 2.0, 20_000, 7),
)
# A learner's own draws differ from ours: two estimates from 20,000 draws
# differ by at most √(2 × 0.25 / 20,000) = 0.005 (one standard deviation), so
# 0.025 is five standard deviations: a right answer fails one of the five
# cases with probability below 3e-6. The nearest wrong answers (shift left
# out, subtracted, or one eigenvalue > 0 instead of all) are off by 0.1 or
# more in some case (tests/test_s05_high_dimensionality.py checks).
SHARE_ATOL = 0.025


def _share_mistake(got, expected, args) -> str:
    dim, shift, n, seed = args
    got = np.asarray(got, dtype=float)
    if got.size != 1:
        return "Return one number: the share, between 0 and 1."
    got = float(got.ravel()[0])
    if got > 1:
        return "Return the share (a count divided by n), not the count."
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((n, dim, dim))
    sym = (a + np.swapaxes(a, 1, 2)) / 2
    guesses = {
        "Did you leave the shift out?": share_of_minima(dim, 0.0, n, seed),
        "Did you subtract the shift?": share_of_minima(dim, -shift, n, seed),
        "A minimum needs every eigenvalue positive, not only the largest.": float(
            (np.linalg.eigvalsh(sym + shift * np.eye(dim))[:, -1] > 0).mean()
        ),
    }
    message, value = min(guesses.items(), key=lambda item: abs(got - item[1]))
    if abs(got - value) < SHARE_ATOL < abs(expected - value):
        return message
    return (
        "Draw A with rng.standard_normal((n, dim, dim)), symmetrise it, add "
        "shift × identity, and count the matrices whose smallest eigenvalue is > 0."
    )


def ex05_share_of_minima(fn) -> Feedback:
    """Check the learner's Monte Carlo estimate of the share of minima."""
    return check_function(
        fn,
        share_of_minima,
        SHARE_CASES,
        name="share_of_minima",
        rtol=0.0,
        atol=SHARE_ATOL,
        diagnose=_share_mistake,
    )


DEMOS = {
    "curse": curse_demo,
    "goe": goe_demo,
    "index": index_demo,
    "slice": slice_demo,
    "spin_ends": spin_ends_demo,
    "spin_index": spin_index_demo,
}
