"""Exercise checks: right answers pass; odd answers get a sentence, no traceback."""

import numpy as np
import pytest

from tutorial import checks, sections
from tutorial import s01_learning_as_optimization as s01

EXERCISES = list(sections.exercises().values())
ODD_ANSWERS = [
    "abc",
    "",
    None,
    [],
    {},
    (),
    float("nan"),
    float("inf"),
    1e308,
    -1e308,
    True,
    object(),
    np.array([]),
    [1, 2, 3],
    {"a": 1},
]


def test_there_are_exercises():
    assert len(EXERCISES) >= 3


def answer_id(answer) -> str:
    # The same in every process: pytest-xdist's workers must agree on test ids.
    return "object()" if type(answer) is object else repr(answer)


@pytest.mark.parametrize("check", EXERCISES, ids=lambda f: f.__name__)
@pytest.mark.parametrize("answer", ODD_ANSWERS, ids=answer_id)
def test_odd_answers_get_friendly_feedback(check, answer):
    feedback = check(answer)
    assert isinstance(feedback, checks.Feedback)
    assert not feedback.ok
    assert feedback.message and "Traceback" not in feedback._repr_html_()


def test_ex01_right_answers():
    # Exercise 1 asks for 2/λmax with every input doubled.
    doubled = s01.scaled_surface().hessian(s01.START)
    assert checks.ex01_largest_lr(round(2 / np.linalg.eigvalsh(doubled).max(), 2))
    assert not checks.ex01_largest_lr(round(s01.largest_stable_lr(), 2))
    assert not checks.ex01_largest_lr(0.1)
    assert checks.ex01_gradient_at_start(s01.loss_surface().grad(s01.START))
    wrong_sign = checks.ex01_gradient_at_start(-s01.loss_surface().grad(s01.START))
    assert not wrong_sign and "sign" in wrong_sign.message
    assert checks.ex01_regime("too small")
    assert checks.ex01_regime("too large", lr=0.6)
    assert checks.ex01_regime("about right", lr=0.3)


def test_feedback_shows_itself():
    good, bad = (
        checks.check_number(1.0, 1.0),
        checks.check_number(2.0, 1.0, hint="smaller"),
    )
    assert "Correct" in good._repr_html_() and "smaller" in bad._repr_html_()
    assert "too large" in repr(bad)
