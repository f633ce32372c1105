"""Pictures drawn ahead, sent to the page, so that a step onto one needs no kernel.

A `Demo` in a kernel draws the pictures one step away while the learner
looks (tutorial/prefetch.py). Kept in the kernel, such a picture still costs
a step the round trip: the widget message to the kernel, the picture back, and
JupyterLab's own work on both (about 50 ms here, 95 ms over a Binder-like
link: benchmarks/lab_floor.py). `PagePictures` sends each one to the page as
well, where a small script (static/page_pictures.js) shows it as soon as the
slider's model in the page takes that value, by setting the demo's own Image
and sentence models in the page. The kernel still hears of the step and
answers as before, with the same bytes.

The script also reads out a demo's new sentence to screen readers (a live
region) when the learner has moved one of its controls.

Nothing else changes: the demo's picture is still an `ipywidgets.Image`, drawn
by the kernel. Where the script cannot run (no anywidget front end, a page
without a kernel), the pictures simply come from the kernel.
"""

from __future__ import annotations

import html
from pathlib import Path

import anywidget
import ipywidgets as W
import traitlets

from .player import same_value
from .prefetch import KEEP  # the page keeps as many (static/page_pictures.js)

__all__ = ["PagePictures", "page_value"]

_SELECTION = (W.widgets.widget_selection._Selection,)


def page_value(widget, value):
    """Return `value` of `widget` as its model in the page holds it.

    A menu's model in the page knows the chosen option's index, not its value;
    numbers and booleans are the same on both sides.
    """
    if isinstance(widget, _SELECTION):
        return [v for _, v in widget._options_full].index(value)
    if isinstance(value, (bool, int)):
        return value
    return float(value)


class PagePictures(anywidget.AnyWidget):
    """The page's copy of the pictures a Demo drew ahead (never displayed).

    Parameters
    ----------
    controls : dict of str -> widget
        The demo's controls, in the order the kept values list them.
    image, status : ipywidgets.Image, ipywidgets.HTML
        The demo's picture and the sentence under it, which the page sets.
    """

    _esm = (Path(__file__).parent / "static" / "page_pictures.js").read_text(
        encoding="utf-8"
    )
    controls = traitlets.List(traitlets.Instance(W.Widget)).tag(
        sync=True, **W.widget_serialization
    )
    control_traits = traitlets.List(traitlets.Unicode()).tag(sync=True)
    image = traitlets.Instance(W.Widget).tag(sync=True, **W.widget_serialization)
    status = traitlets.Instance(W.Widget).tag(sync=True, **W.widget_serialization)

    def __init__(self, controls: dict, image: W.Image, status: W.HTML):
        widgets = list(controls.values())
        super().__init__(
            controls=widgets,
            control_traits=[
                "index" if isinstance(w, _SELECTION) else "value" for w in widgets
            ],
            image=image,
            status=status,
        )
        self._widgets = dict(controls)
        self._sent: list[list] = []  # the page's kept values, oldest first

    def keep(self, values: dict, png: bytes, sentence: str, name: str) -> None:
        """Send the page a picture for these control values (once: a picture
        the page already has only becomes its newest)."""
        key = [page_value(w, values[n]) for n, w in self._widgets.items()]
        at = next((i for i, k in enumerate(self._sent) if _same(k, key)), None)
        if at is None:
            content = {
                "kind": "keep",
                "values": key,
                "sentence": html.escape(sentence),
                "name": name,
            }
            self.send(content, [png])
        else:
            del self._sent[at]
            self.send({"kind": "touch", "values": key})
        self._sent.append(key)
        del self._sent[:-KEEP]


def _same(a: list, b: list) -> bool:
    return all(same_value(x, y) for x, y in zip(a, b, strict=True))
