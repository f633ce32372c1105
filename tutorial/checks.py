"""Self-checks for the exercises: friendly feedback, never a traceback.

Each exercise function takes the learner's answer and returns a `Feedback`,
which shows itself as a coloured box in a notebook and is truthy when the
answer is right. Any odd answer (a string, NaN, an empty list, a huge number)
gets a sentence that says what was expected.
Exercise functions are named ``exNN_topic`` after their notebook.
"""

from __future__ import annotations

import html
import math
import numbers

import numpy as np

from . import export

__all__ = ["Feedback", "check_number", "check_choice", "check_function"]


class Feedback:
    """The verdict on one answer: `ok`, a `message` and, if wrong, a `hint`."""

    def __init__(self, ok: bool, message: str, hint: str = ""):
        self.ok = bool(ok)
        self.message = message
        self.hint = hint if not ok else ""

    def __bool__(self) -> bool:
        return self.ok

    def __repr__(self) -> str:
        mark = "Correct" if self.ok else "Not yet"
        hint = f" Hint: {self.hint}" if self.hint else ""
        return f"{mark}: {self.message}{hint}"

    # A page with no Python (the static site) cannot judge an answer: it says
    # so instead of judging the placeholder, and a slide shows no check at all.
    _static_on_slides_ = False

    def _static_html_(self) -> str:
        return (
            "<div class='tp-check-note'><b>Checks need Python.</b> Open this "
            "notebook in Jupyter or on Binder, type your answer in the cell above "
            "and run it to have it checked.</div>"
        )

    def _ipython_display_(self) -> None:
        live = {"text/html": self._repr_html_(), "text/plain": repr(self)}
        export.display(self, live)

    def _repr_html_(self) -> str:
        colour, mark = ("#009E73", "✔ Correct") if self.ok else ("#D55E00", "✘ Not yet")
        hint = f"<br><i>Hint:</i> {html.escape(self.hint)}" if self.hint else ""
        return (
            f"<div style='border-left:4px solid {colour};padding:4px 10px'>"
            f"<b style='color:{colour}'>{mark}.</b> {html.escape(self.message)}{hint}"
            "</div>"
        )


def _as_number(answer) -> float | Feedback:
    if isinstance(answer, bool) or answer is None:
        return Feedback(False, f"Please answer with a number; you gave {answer!r}.")
    if isinstance(answer, str):
        try:
            answer = float(answer.strip())
        except ValueError:
            return Feedback(
                False,
                f"Please answer with a number such as 0.5, not the text {answer!r}.",
            )
    if isinstance(answer, np.ndarray) and answer.size == 1:
        answer = answer.item()
    if not isinstance(answer, numbers.Real):
        kind = type(answer).__name__
        return Feedback(
            False, f"Please answer with a single number; you gave a {kind}."
        )
    try:
        value = float(answer)
    except (OverflowError, TypeError, ValueError):
        # e.g. an integer with hundreds of digits: no float can hold it.
        return Feedback(False, "Your answer is far too large to be a usable number.")
    if not math.isfinite(value):
        return Feedback(False, "Your answer is not a finite number (NaN or infinity).")
    return value


def check_number(
    answer, expected: float, *, rel: float = 0.05, hint: str = "", unit=""
):
    """Return Feedback on a numeric answer within `rel` relative error."""
    value = _as_number(answer)
    if isinstance(value, Feedback):
        return value
    if abs(value - expected) <= rel * abs(expected) + 1e-12:
        return Feedback(
            True, f"{value:.4g}{unit} is right (expected about {expected:.4g}{unit})."
        )
    direction = "too large" if value > expected else "too small"
    return Feedback(False, f"{value:.4g}{unit} is {direction}.", hint)


def _spelling(text: str) -> str:
    """Return `text` in a canonical spelling: case, spaces, quotes, dashes."""
    text = text.strip().lower().replace("\u2019", "'").replace("\u2212", "-")
    text = text.replace("-", " ").replace("_", " ")
    text = text.replace("'s ", " ").removesuffix("'s")
    return " ".join(text.rstrip(".!").split())


def check_choice(
    answer,
    expected,
    options,
    *,
    hint: str = "",
    why: str = "",
    feedback: dict | None = None,
    aliases: dict | None = None,
):
    """Return Feedback on a multiple-choice answer (one of `options`).

    Case, surrounding spaces, hyphens and a possessive "'s" do not matter
    ("Newton's method" matches "newton method"); `aliases` maps other obvious
    spellings to an option ({"gd": "gradient descent"}). `feedback` gives each
    wrong option its own message, naming the misconception behind it; `hint`
    is the fallback for options without one.
    """
    canonical = {_spelling(o): o for o in options}
    canonical.update({_spelling(a): o for a, o in (aliases or {}).items()})
    chosen = canonical.get(_spelling(answer)) if isinstance(answer, str) else None
    if chosen is None:
        listed = ", ".join(repr(o) for o in options)
        return Feedback(
            False, f"Please answer with one of {listed}; you gave {answer!r}."
        )
    if chosen == expected:
        return Feedback(True, f"{chosen!r} is right. {why}".strip())
    said = (feedback or {}).get(chosen, "")
    return Feedback(False, f"{chosen!r} is not it. {said}".strip(), hint)


def check_function(
    fn,
    reference,
    cases,
    *,
    name: str = "your function",
    rtol: float = 1e-6,
    atol: float = 1e-9,
    diagnose=None,
):
    """Run a learner's function on `cases` and compare with `reference`.

    Parameters
    ----------
    fn : callable
        The learner's function.
    reference : callable
        The right function, with the same arguments.
    cases : sequence of tuple
        Arguments to call both with; include cases the notebook never showed,
        so that only a general solution passes. Arrays are copied for each
        call, so a function that changes its input in place is caught
        comparing like with like.
    name : str
        How the feedback calls the function, e.g. ``"gd_step"``.
    rtol, atol : float
        Tolerances of `numpy.allclose` on the results.
    diagnose : callable, optional
        ``diagnose(got, expected, args)`` returns a sentence naming a likely
        mistake (a wrong sign, a missing factor) or "" when it sees none.

    Returns
    -------
    Feedback
        Right when every case agrees; otherwise the first case that does not,
        with what was returned, what was expected and, if `diagnose` sees one,
        the likely mistake.
    """
    if not callable(fn):
        return Feedback(
            False,
            f"Please pass the function itself, as in check({name}), not its "
            f"result; you gave {type(fn).__name__} {fn!r:.60}.",
        )
    for args in cases:
        shown = ", ".join(_short(a) for a in args)
        expected = np.asarray(reference(*_copies(args)), dtype=float)
        try:
            with np.errstate(all="ignore"):
                result = fn(*_copies(args))
        except Exception as exc:  # the learner's code: report, never raise
            return Feedback(
                False,
                f"{name}({shown}) raised {type(exc).__name__}: {exc}.",
                "Read the error's last line; run your function on these "
                "arguments in a cell of its own to see where it fails.",
            )
        if result is None:
            return Feedback(
                False,
                f"{name}({shown}) returned nothing.",
                "Does the function end with a return statement?",
            )
        try:
            got = np.asarray(result, dtype=float)
        except (TypeError, ValueError):
            return Feedback(
                False, f"{name}({shown}) returned {result!r:.60}, not numbers."
            )
        if got.shape != expected.shape:
            return Feedback(
                False,
                f"{name}({shown}) returned shape {got.shape}; expected "
                f"{expected.shape}.",
            )
        if not np.allclose(got, expected, rtol=rtol, atol=atol, equal_nan=True):
            why = diagnose(got, expected, args) if diagnose else ""
            return Feedback(
                False,
                f"{name}({shown}) returned {_short(got)}; expected {_short(expected)}.",
                why,
            )
    return Feedback(
        True, f"{name} agrees with the reference on all {len(cases)} test cases."
    )


def _copies(args) -> list:
    return [np.array(a, copy=True) if isinstance(a, np.ndarray) else a for a in args]


def _short(value) -> str:
    """Return a value as a short string: numbers to 4 digits, arrays compact."""
    if isinstance(value, (np.ndarray, list, tuple)):
        try:
            arr = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            return f"{value!r:.60}"
        if arr.size > 6 or arr.ndim > 1:
            return f"an array of shape {arr.shape}"
        return "[" + ", ".join(f"{v:.4g}" for v in arr.ravel()) + "]"
    if isinstance(value, (float, np.floating)):
        return f"{value:.4g}"
    if callable(value):
        return getattr(value, "__name__", "a function")
    return repr(value)


def _pair(answer, name: str) -> np.ndarray | Feedback:
    """Parse an answer of two numbers, e.g. (dL/dw, dL/db)."""
    try:
        # A number too large for a float becomes inf here and is refused below.
        with np.errstate(over="ignore", invalid="ignore"):
            arr = np.asarray(answer, dtype=float)
    except (TypeError, ValueError, OverflowError):
        return Feedback(False, f"Please give {name} as two numbers, like (1.5, -2.0).")
    if arr.shape != (2,):
        return Feedback(
            False, f"Please give {name} as exactly two numbers; you gave {answer!r}."
        )
    if not np.all(np.isfinite(arr)):
        return Feedback(False, f"{name} must be finite numbers (no NaN or infinity).")
    return arr


# ------------------------------------------------ 01 learning as optimization


def ex01_largest_lr(answer) -> Feedback:
    """Check the largest learning rate at which descent still converges."""
    from . import s01_learning_as_optimization as s01

    return check_number(
        answer,
        s01.largest_stable_lr(),
        rel=0.1,
        hint="Raise η in the demo until the path flies off the surface, then "
        "back off: the edge is where the zig-zag neither grows nor shrinks.",
    )


def ex01_gradient_at_start(answer) -> Feedback:
    """Check (∂L/∂w, ∂L/∂b) at the starting point s01.START."""
    from . import s01_learning_as_optimization as s01

    value = _pair(answer, "the gradient")
    if isinstance(value, Feedback):
        return value
    expected = s01.loss_surface().grad(s01.START)
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
    from . import s01_learning_as_optimization as s01

    traj = s01.train(lr, steps)
    best = s01.loss_surface().value(s01.optimum())
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
        why=f"After {steps} steps: {s01.verdict(traj, lr)}",
    )


# ------------------------------------------------ 06 implications for training


def ex06_best_of_k(answer, k: int = 3) -> Feedback:
    """Check the chance that at least one of k restarts learns XOR."""
    from . import s06_implications as s06

    value = _as_number(answer)
    if isinstance(value, Feedback):
        return value
    p = float(s06.restart_stats(200)["learned"].mean())
    return check_number(
        value,
        1 - (1 - p) ** k,
        rel=0.02,
        hint=f"One restart fails with probability 1 − p = {1 - p:.2f}; all {k} "
        f"fail together with probability (1 − p)^{k}.",
    )


def ex06_momentum_factor(answer) -> Feedback:
    """Check how much longer momentum's steps get on a steady slope (β = 0.9)."""
    return check_number(
        answer,
        10.0,
        rel=0.05,
        hint="On a steady slope the velocity settles where v = βv + η·g, so "
        "v = η·g / (1 − β).",
    )


REMEDIES = {
    "diverges": "lower the learning rate",
    "crawls": "raise the learning rate",
    "stuck": "restart from a new seed",
}


def ex06_remedy(answer, symptom: str = "diverges") -> Feedback:
    """Check the first thing to try for a symptom: diverges, crawls or stuck."""
    if symptom not in REMEDIES:
        return Feedback(
            False, f"Unknown symptom {symptom!r}; use one of {list(REMEDIES)}."
        )
    return check_choice(
        answer,
        REMEDIES[symptom],
        tuple(REMEDIES.values()),
        hint="Look at demos 2 and 1 again: which runs blew up, which ran out of "
        "steps, and which settled at a loss far above the target?",
        why=f"A run that {symptom}: {REMEDIES[symptom]}.",
    )


# ------------------------------------------------ 00 start here


def ex00_lowest_loss(answer) -> Feedback:
    """Check the weight w at which the start-here loss curve is lowest."""
    from . import s00_start_here as s00

    return check_number(
        answer,
        s00.W_BEST,
        rel=0.05,
        hint="Move the slider until the dot sits at the bottom of the curve and "
        "read w off the status line.",
    )


# ------------------------------------------------ 04 saddle points and flat regions


def ex04_classify(answer, lam1: float = 3.0, lam2: float = -0.5) -> Feedback:
    """Check the kind of critical point for Hessian eigenvalues (λ₁, λ₂)."""
    from . import s04_saddle_points as s04

    expected = s04.classify(np.sort([lam1, lam2]))
    return check_choice(
        answer,
        expected,
        ("minimum", "maximum", "saddle", "degenerate"),
        hint="Look at the signs: all positive curve up everywhere, all negative "
        "curve down, mixed signs go up one way and down another, a zero "
        "cannot decide.",
        why=f"Eigenvalues {lam1:g} and {lam2:g}: {s04._KIND_TEXT[expected]}.",
    )


def ex04_escape_steps(answer, eps: float = 1e-6, lr: float = 0.1) -> Feedback:
    """Check the number of steps GD needs to leave the saddle from ε (±1 step)."""
    from . import s04_saddle_points as s04

    expected = int(s04.escape_steps([eps], lr=lr)[0][0])
    return check_number(
        answer,
        expected,
        rel=1.01 / expected,
        hint="Each step multiplies y by (1 + 2η); how many factors take ε "
        "past 1? Take logarithms.",
    )


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
    )


# ---------------------------------------------------- 05 high dimensionality


def ex05_ball_share(answer, dim: int = 3) -> Feedback:
    """Check the share of the cube [−1, 1]^d inside its inscribed ball."""
    from . import s05_high_dimensionality as s05

    return check_number(
        answer,
        s05.ball_share(dim),
        rel=0.02,
        hint="The unit ball in 3-D has volume 4π/3; the cube [−1, 1]³ has volume 8.",
    )


def ex05_grid_points(answer, k: int = 10, dim: int = 17) -> Feedback:
    """Check how many points a grid of k values per weight needs in dim weights."""
    from . import s05_high_dimensionality as s05

    value = _as_number(answer)
    if isinstance(value, Feedback):
        return value
    expected = s05.grid_points(k, dim)
    if value > 0 and abs(math.log10(value) - math.log10(expected)) < 0.01:
        return Feedback(True, f"{k}^{dim} = {expected:.3g} points.")
    return Feedback(
        False,
        f"{value:.3g} is not it.",
        f"With {k} values for each of {dim} weights, every combination is a point.",
    )


def ex05_typical_point(answer) -> Feedback:
    """Check what a random critical point of a big network most likely is."""
    return check_choice(
        answer,
        "saddle",
        ("minimum", "maximum", "saddle"),
        hint="Look at the share of random Hessians with no negative eigenvalue "
        "at d = 10, and imagine d = 10⁶.",
        why="With many weights, some of the many curvatures are almost surely "
        "negative and some positive.",
    )


# ------------------------------------------------ 02 convex vs non-convex


def ex02_largest_lr(answer) -> Feedback:
    """Check 2/λmax for the "valley" surface (curvatures 0.5 and 10)."""
    from . import landscapes

    valley = landscapes.get("valley")
    lam = np.linalg.eigvalsh(valley.hessian(np.zeros(2)))
    return check_number(
        answer,
        2.0 / lam.max(),
        rel=0.05,
        hint="The limit is set by the steepest curvature: η < 2/λmax. "
        "Use np.linalg.eigvalsh on the Hessian.",
    )


def ex02_convex(answer, name: str = "rosenbrock") -> Feedback:
    """Check 'yes' or 'no': is the named surface convex (Hessian test on a grid)?"""
    from . import landscapes

    land = landscapes.get(name)
    low, high = land.bounds
    xs = np.linspace(low[0], high[0], 41)
    ys = np.linspace(low[1], high[1], 41)
    points = np.stack(np.meshgrid(xs, ys), -1).reshape(-1, 2)
    lam_min = np.linalg.eigvalsh(land.hessian(points))[:, 0].min()
    expected = "yes" if lam_min >= -1e-9 else "no"
    return check_choice(
        answer,
        expected,
        ("yes", "no"),
        hint="A twice-differentiable surface is convex exactly when its Hessian "
        "has no negative eigenvalue anywhere. Try a chord between two points.",
        why=f"The smallest Hessian eigenvalue on a grid is {lam_min:.3g}.",
    )


def ex02_brute_force_hours(answer) -> Feedback:
    """Check the hours needed to try 10 values for each weight of a 2-3-1 net."""
    from . import s02_convex_vs_nonconvex as s02
    from .nn import MLP

    dim = MLP([2, 3, 1]).dim
    return check_number(
        answer,
        s02.brute_force_seconds(10, dim) / 3600,
        rel=0.02,
        unit=" hours",
        hint="Count the weights and biases: 2·3 + 3 + 3·1 + 1. Then 10^d "
        "evaluations at 10⁹ per second, divided by 3600.",
    )


# ------------------------------------------------------ 03 local minima


def ex03_success_chance(answer, p: float = 0.05, k: int = 20) -> Feedback:
    """Check the chance that k restarts find a minimum each finds with chance p."""
    return check_number(
        answer,
        1 - (1 - p) ** k,
        rel=0.02,
        hint="The chance that all k restarts miss is (1 − p)^k.",
    )


def ex03_restarts_needed(answer, p: float = 0.05, target: float = 0.99) -> Feedback:
    """Check the fewest restarts k with 1 − (1 − p)^k >= target."""
    value = _as_number(answer)
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
    from . import landscapes
    from . import s03_local_minima as s03
    from .optimizers import optimize

    value = _as_number(answer)
    if isinstance(value, Feedback):
        return value
    land = landscapes.get("himmelblau")
    run = optimize(land, [0.0, 0.0], lr=0.01, steps=s03.BASIN_STEPS)
    expected = int(s03.basin_labels(land, run.final)[0]) + 1
    if value not in (1, 2, 3, 4):
        return Feedback(False, "Please answer with the number of a minimum: 1 to 4.")
    if value == expected:
        return Feedback(True, f"From (0, 0) descent ends in minimum {expected}.")
    return Feedback(
        False,
        f"Minimum {int(value)} is not where it ends.",
        "Find (0, 0) in the basin map: which colour is it?",
    )
