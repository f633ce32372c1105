"""Self-checks for the exercises: friendly feedback, never a traceback.

Each exercise function takes the learner's answer and returns a `Feedback`,
which shows itself as a coloured box in a notebook and is truthy when the
answer is right. Any odd answer (a string, NaN, an empty list, a huge number)
gets a sentence that says what was expected.

This module holds the generic machinery (`Feedback`, `check_number`,
`check_choice`, `check_function`, `as_number`, `as_pair`). Each notebook's
exercises live in its section module and are named ``exNN_topic`` after the
notebook: ``s03_local_minima.ex03_basin``. ``checks.ex03_basin`` finds the
same function, importing that one section module the first time it is asked
for.
"""

from __future__ import annotations

import html
import math
import numbers
import re

import numpy as np

from . import export

__all__ = [
    "Feedback",
    "check_number",
    "check_choice",
    "check_function",
    "as_number",
    "as_pair",
]


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
        # The verdict is in words and the theme's own text colour (readable in
        # light and dark themes); the bar's colour, 3:1 or more on white and
        # on JupyterLab's dark background, only repeats it.
        colour, mark = ("#009E73", "✔ Correct") if self.ok else ("#D55E00", "✘ Not yet")
        hint = f"<br><i>Hint:</i> {html.escape(self.hint)}" if self.hint else ""
        return (
            f"<div style='border-left:4px solid {colour};padding:4px 10px'>"
            f"<b>{mark}.</b> {html.escape(self.message)}{hint}"
            "</div>"
        )


def as_number(answer) -> float | Feedback:
    """Return the answer as a finite float, or Feedback saying what was wrong."""
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
    value = as_number(answer)
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


def as_pair(answer, name: str) -> np.ndarray | Feedback:
    """Return an answer of two numbers, e.g. (dL/dw, dL/db), as an array (2,).

    An answer that is not two finite numbers gets Feedback naming `name`.
    """
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


def __getattr__(name: str):
    """Find ``exNN_topic`` in the section module of notebook NN."""
    match = re.fullmatch(r"ex(\d\d)_\w+", name)
    if match:
        from . import sections

        for module in sections.MODULES:
            found = None
            if module[1:3] == match[1]:
                found = getattr(sections.load(module), name, None)
            if found is not None:
                return found
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
