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

__all__ = ["Feedback", "check_number", "check_choice"]


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
    value = float(answer)
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


def check_choice(answer, expected, options, *, hint: str = "", why: str = ""):
    """Return Feedback on a multiple-choice answer (one of `options`)."""
    if not isinstance(answer, str) or answer.strip().lower() not in options:
        listed = ", ".join(repr(o) for o in options)
        return Feedback(
            False, f"Please answer with one of {listed}; you gave {answer!r}."
        )
    if answer.strip().lower() == expected:
        return Feedback(True, f"{answer.strip()!r} is right. {why}".strip())
    return Feedback(False, f"{answer.strip()!r} is not it.", hint)


def _pair(answer, name: str) -> np.ndarray | Feedback:
    """Parse an answer of two numbers, e.g. (dL/dw, dL/db)."""
    try:
        arr = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
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
