"""Predict first, then see: a question the learner answers before the demo.

A `Prediction` shows each option as a button; pressing one commits to it. Only
then does it say what that choice reveals (each option has its own feedback,
naming the misconception behind it) and explain the answer, so predicting is no
longer optional: the explanation is not on the page until the learner has made
up their mind. Buttons, not radio buttons: in JupyterLab the arrow keys belong
to the notebook, so a radio group's other options cannot be reached by keyboard,
while every button is one Tab away and Enter or Space presses it. Exported pages
have no kernel: there the options are listed and the answer is folded away
(`static_html`).
"""

from __future__ import annotations

import html

import ipywidgets as W

from . import export

__all__ = ["Prediction"]

RIGHT, WRONG = "#007A5A", "#B3471D"  # Okabe-Ito green and vermilion, darkened
# for a contrast of at least 4.5:1 on white (text, WCAG 2.1 1.4.3).


class Prediction:
    """A multiple-choice prediction with feedback per option.

    Parameters
    ----------
    options : dict of str -> str
        Each option's label and the feedback shown when it is committed: for a
        wrong option, what the choice reveals about the reasoning behind it.
    answer : str
        The label of the right option.
    explanation : str
        Shown after any commitment: why the answer is right. Plain text; `$`
        maths is left for MathJax where the page has it.
    prompt : str, optional
        A short label for screen readers and exports (the question itself is
        usually the markdown cell above).

    Attributes
    ----------
    buttons : dict of str -> ipywidgets.Button
        One button per option, labelled with it; pressing it commits.
    feedback : ipywidgets.HTML
        Empty until the learner commits.
    committed : str or None
        The option last committed.
    """

    def __init__(self, options: dict, answer: str, explanation: str, *, prompt=""):
        if not isinstance(options, dict) or len(options) < 2:
            raise ValueError("options must be a dict of at least two labels")
        if answer not in options:
            raise ValueError(f"answer must be one of {list(options)}; got {answer!r}")
        self.options = dict(options)
        self.answer = answer
        self.explanation = explanation
        self.prompt = prompt or "Your prediction"
        self.committed: str | None = None
        self.buttons = {option: self._button(option) for option in self.options}
        # The answer and its explanation, once the learner has committed.
        self.feedback = W.HTML(layout=W.Layout(min_height="1.6em"))
        self.feedback.add_class("tutorial-feedback")
        ask = self.prompt if self.prompt[-1] in "?:.!" else f"{self.prompt}:"
        self.widget = W.VBox(
            [W.HTML(html.escape(ask)), *self.buttons.values(), self.feedback],
            layout=W.Layout(
                align_items="flex-start"
            ),  # buttons as wide as their labels
        )

    def _button(self, option: str) -> W.Button:
        # Sized to its label (a button is 148 px wide by default, which cuts
        # long options short); the tooltip holds the whole label in any case.
        button = W.Button(
            description=option,
            tooltip=f"Commit to: {option}",
            layout=W.Layout(width="auto", max_width="100%"),
        )
        button.on_click(lambda _: self.reveal(option))
        return button

    def reveal(self, option: str) -> str:
        """Commit `option` and show its feedback and the explanation; return it."""
        if option not in self.options:
            raise ValueError(f"option must be one of {list(self.options)}")
        self.committed = option
        for label, button in self.buttons.items():  # in words, not by colour
            button.description = f"{label} (your choice)" if label == option else label
        self.feedback.value = self._verdict_html(option)
        return self.feedback.value

    def _verdict_html(self, option: str) -> str:
        right = option == self.answer
        colour, mark = (RIGHT, "✔ Yes.") if right else (WRONG, "✘ Not quite.")
        said = self.options[option]
        # The verdict in the theme's text colour (readable in a dark theme too);
        # the bar's colour repeats it.
        parts = [f"<b>{mark}</b> {html.escape(said)}".strip()]
        if not right:
            parts.append(f"The answer is <b>{html.escape(self.answer)}</b>.")
        parts.append(html.escape(self.explanation))
        body = "<br>".join(p for p in parts if p)
        return (
            f"<div role='status' aria-live='polite' style='border-left:4px solid "
            f"{colour};padding:4px 10px'>{body}</div>"
        )

    def static_html(self, *, folded: bool = True) -> str:
        """Return the question for a page with no kernel: options, answer hidden.

        `folded` puts the answer in a ``<details>`` element the reader opens;
        otherwise it is a plain block (slides show it as a fragment).
        """
        items = "".join(f"<li>{html.escape(o)}</li>" for o in self.options)
        answer = f"<b>{html.escape(self.answer)}</b>. {html.escape(self.explanation)}"
        if folded:
            # A reader of the page also sees what each wrong choice reveals.
            misreads = "".join(
                f"<li>{html.escape(o)}: {html.escape(said)}</li>"
                for o, said in self.options.items()
                if o != self.answer and said
            )
            if misreads:
                answer += f"<p>If you chose another option:</p><ul>{misreads}</ul>"
            answer = f"<details><summary>Show the answer</summary>{answer}</details>"
        else:  # on a slide: the answer appears at the lecturer's next key press
            answer = f"<p class='fragment'>{answer}</p>"
        return (
            f"<div class='tutorial-prediction'><p>{html.escape(self.prompt)}:</p>"
            f"<ul>{items}</ul>{answer}</div>"
        )

    def _static_html_(self) -> str:
        """The static form (see `tutorial.export`): folded on a page, a fragment
        on a slide."""
        return (
            f"<div class='tp-site-only'>{self.static_html(folded=True)}</div>"
            f"<div class='tp-slides-only'>{self.static_html(folded=False)}</div>"
        )

    def _ipython_display_(self) -> None:
        export.display(self, self.widget)
