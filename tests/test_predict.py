"""Predict-first questions and the generic checks behind the exercises."""

import ipywidgets as W
import numpy as np
import pytest

from tutorial import checks
from tutorial.predict import Prediction


def make():
    return Prediction(
        {
            "fewer": "More width gives more ways down, not fewer.",
            "more": "",
            "same": "?",
        },
        answer="more",
        explanation="Each extra unit is one more way to fit the data.",
        prompt="How does width change the stuck share?",
    )


def test_nothing_is_explained_before_the_learner_commits():
    q = make()
    assert q.feedback.value == "" and q.committed is None
    assert [b.description for b in q.buttons.values()] == ["fewer", "more", "same"]
    q.buttons["fewer"].click()
    assert "Not quite" in q.feedback.value
    assert "not fewer" in q.feedback.value  # the option's own feedback
    assert "one more way" in q.feedback.value and "<b>more</b>" in q.feedback.value
    assert q.buttons["fewer"].description == "fewer (your choice)"


def test_another_press_commits_the_other_option():
    q = make()
    q.buttons["fewer"].click()
    q.buttons["more"].click()
    assert "Yes" in q.feedback.value and q.committed == "more"
    assert [b.description for b in q.buttons.values()] == [
        "fewer",
        "more (your choice)",
        "same",
    ]


def test_every_option_is_a_button_sized_to_its_label():
    q = make()
    assert all(isinstance(b, W.Button) for b in q.buttons.values())
    assert all(b.layout.width == "auto" for b in q.buttons.values())
    assert q.widget.children[1:4] == tuple(q.buttons.values())


def test_static_html_hides_the_answer_in_a_fold():
    page = make().static_html()
    assert page.index("<details>") < page.index("one more way")
    assert all(f"<li>{o}</li>" in page for o in ("fewer", "more", "same"))
    assert "<details>" not in make().static_html(folded=False)


@pytest.mark.parametrize(
    "options, answer",
    [({"a": ""}, "a"), ({"a": "", "b": ""}, "c"), (["a", "b"], "a")],
)
def test_bad_questions_are_refused(options, answer):
    with pytest.raises(ValueError, match="answer|options"):
        Prediction(options, answer, "why")


@pytest.mark.parametrize(
    "spelling", ["Newton's method", "  newton METHOD. ", "newton-method", "NM"]
)
def test_choices_accept_obvious_spellings(spelling):
    options = ("newton method", "gradient descent")
    assert checks.check_choice(
        spelling, "newton method", options, aliases={"nm": "newton method"}
    )


def test_each_wrong_choice_gets_its_own_feedback():
    options = ("a", "b", "c")
    said = {"b": "B forgets the sign.", "c": "C confuses rate and step."}
    for wrong, text in said.items():
        feedback = checks.check_choice(wrong, "a", options, feedback=said, hint="h")
        assert not feedback and text in feedback.message and feedback.hint == "h"


def gd_step(w, grad, lr):
    return w - lr * grad


CASES = [
    (np.array([1.0, 2.0]), np.array([0.5, -1.0]), 0.1),
    (np.zeros(3), np.ones(3), 2.0),
]


def test_check_function_passes_a_right_solution_and_names_the_first_wrong_case():
    assert checks.check_function(gd_step, gd_step, CASES, name="gd_step")

    def uphill(w, grad, lr):
        return w + lr * grad

    def sign(got, expected, args):
        return (
            "Step against the gradient."
            if np.allclose(got - args[0], args[0] - expected)
            else ""
        )

    feedback = checks.check_function(
        uphill, gd_step, CASES, name="gd_step", diagnose=sign
    )
    assert not feedback and "gd_step([1, 2]" in feedback.message
    assert feedback.hint == "Step against the gradient."


@pytest.mark.parametrize(
    "fn, words",
    [
        (lambda w, g, lr: None, "returned nothing"),
        (lambda w, g, lr: 1 / 0, "ZeroDivisionError"),
        (lambda w, g, lr: "text", "not numbers"),
        (lambda w, g, lr: w[:1], "shape"),
        (np.zeros(2), "function itself"),
    ],
)
def test_check_function_explains_broken_solutions(fn, words):
    feedback = checks.check_function(fn, gd_step, CASES)
    assert not feedback and words in feedback.message + feedback.hint


def test_check_function_copies_inputs_a_solution_may_change():
    def in_place(w, grad, lr):
        w -= lr * grad
        return w

    assert checks.check_function(in_place, gd_step, CASES)


def test_export_mode_shows_the_answer_folded_on_pages_and_as_a_fragment_on_slides(
    displayed,
):
    from tutorial import export

    shown = displayed
    question = make()
    question._ipython_display_()
    assert shown[-1][0] is question.widget
    with export.enabled():
        question._ipython_display_()
    bundle, kwargs = shown[-1]
    assert kwargs["metadata"] == {"tutorial": {"static": "Prediction", "slides": True}}
    page, slide = bundle["text/html"].split("<div class='tp-slides-only'>")
    assert "tp-site-only" in page and "<details>" in page
    assert "<details>" not in slide and "class='fragment'" in slide
    assert slide.index("class='fragment'") < slide.index("one more way")
