"""Property tests of the exercise checks: any answer gets a sentence."""

from __future__ import annotations

import decimal
import fractions

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import (
    cases,
    finite,
    huge_int,
    warnings_are_errors,  # noqa: F401 (an autouse fixture)
)

from tutorial import checks, sections

EXERCISES = list(sections.exercises().values())

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    huge_int,
    st.floats(),
    st.complex_numbers(),
    st.decimals(),
    st.fractions(),
    st.text(max_size=12),
    st.binary(max_size=4),
    st.sampled_from(["0.5", " 1e999 ", "nan", "-inf", "1,5", "½", "too large"]),
    st.just(object()),
    st.just(np.float64(np.nan)),
    st.just(np.longdouble("1e4000")),
)
answers = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.tuples(inner, inner),
        st.dictionaries(st.text(max_size=2), inner, max_size=2),
        st.frozensets(st.integers(), max_size=3),
        st.lists(st.floats(), max_size=4).map(np.array),
    ),
    max_leaves=6,
)


def assert_friendly(feedback) -> None:
    assert isinstance(feedback, checks.Feedback)
    assert isinstance(feedback.message, str) and feedback.message.strip()
    page = feedback._repr_html_()
    assert "Traceback" not in page and "Traceback" not in repr(feedback)


@pytest.mark.parametrize("check", EXERCISES, ids=lambda f: f.__name__)
@cases(25)
@given(answer=answers)
def test_exercises_answer_anything_with_a_sentence(check, answer):
    assert_friendly(check(answer))


@cases(150)
@given(answer=answers, expected=finite, rel=st.floats(0, 1))
def test_check_number_answers_anything(answer, expected, rel):
    feedback = checks.check_number(answer, expected, rel=rel)
    assert_friendly(feedback)
    if feedback.ok:
        value = answer.item() if isinstance(answer, np.ndarray) else answer
        value = float(value.strip() if isinstance(value, str) else value)
        assert abs(value - expected) <= rel * abs(expected) + 1e-12


@cases(100)
@given(answer=answers)
def test_check_choice_and_pair_answer_anything(answer):
    feedback = checks.check_choice(answer, "b", ("a", "b", "c"))
    assert_friendly(feedback)
    assert feedback.ok == (isinstance(answer, str) and answer.strip().lower() == "b")
    pair = checks.as_pair(answer, "the gradient")
    if isinstance(pair, checks.Feedback):
        assert_friendly(pair)
        assert not pair.ok
    else:
        assert pair.shape == (2,) and np.isfinite(pair).all()


@cases(40)
@given(answer=st.one_of(st.integers(-(10**6), 10**6), st.floats(-1e6, 1e6)))
def test_a_right_number_is_right_whatever_its_type(answer):
    as_decimal = decimal.Decimal(str(answer))
    as_fraction = fractions.Fraction(answer)
    for form in (answer, str(answer), np.float64(answer), np.array([answer])):
        assert checks.check_number(form, float(answer), rel=1e-9)
    for form in (as_decimal, as_fraction):  # not floats, but a learner's numbers
        assert_friendly(checks.check_number(form, float(answer), rel=1e-9))
