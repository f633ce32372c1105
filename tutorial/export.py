"""Export mode: the tutorial's live objects shown as static HTML, for no kernel.

Slides, the static site and PDF handouts are made from notebooks executed
once, with no kernel behind the pages that show them afterwards. In *export
mode* every interactive object of the tutorial displays a static form of
itself instead of a live widget: a `Demo` shows a player that swaps
precomputed pictures as its main control moves (see `tutorial.player`).

Switching it on
---------------
- A kernel whose environment has ``TUTORIAL_EXPORT=1`` is in export mode from
  its first cell; `tutorial.publish` starts its kernels so.
- In one process, ``with export.enabled(): ...`` (tests, scripts).

`active()` says which mode is on; it is read at display time, and by
`tutorial.plotting.style`, which draws figures for projection in export mode.

The protocol
------------
An object with a live widget and a static form:

1. implements ``_static_html_(self) -> str``: an HTML fragment that works
   with no kernel, no server and no network. Pictures are ``data:`` URIs (the
   build moves them into files next to the page); no ``<script>`` runs code
   (data goes in ``<script type="application/json">``); behaviour comes from
   the page's own ``assets/tutorial/export.js`` and plain HTML (a folded answer
   is ``<details>``). The CSS classes of ``export.css`` (``tp-*``) are shared.
2. displays itself with ``export.display(self, live)`` in its
   ``_ipython_display_``: the live widget normally, the static HTML in export
   mode.
3. may set the class attribute ``_static_on_slides_ = False`` to appear on
   the static site but never on a slide (a check's feedback, say), and may
   mark parts of its HTML with the class ``tp-site-only`` or
   ``tp-slides-only`` (an answer folded on a page, shown on a slide).

The static output carries ``{"tutorial": {"static": kind, "slides": bool}}``
in its display metadata, so the exporters know what it is.
"""

from __future__ import annotations

import contextlib
import html
import os

__all__ = ["ENV", "active", "enabled", "display", "output_info"]

ENV = "TUTORIAL_EXPORT"
_forced: list[bool] = []  # innermost `enabled()` last


def active() -> bool:
    """Return True when interactive objects should display their static form."""
    if _forced:
        return _forced[-1]
    return os.environ.get(ENV, "") not in ("", "0")


@contextlib.contextmanager
def enabled(on: bool = True):
    """Turn export mode on (or off) inside a ``with`` block, in this process."""
    _forced.append(bool(on))
    try:
        yield
    finally:
        _forced.pop()


def display(obj, live) -> None:
    """Display `live`, or `obj._static_html_()` in export mode.

    `live` is what a notebook shows: a widget, or a dict of MIME type to data.
    """
    from IPython.display import display as ipython_display

    if not active():
        ipython_display(live, raw=isinstance(live, dict))
        return
    kind = type(obj).__name__
    bundle = {
        "text/html": obj._static_html_(),
        "text/plain": f"<{kind}: static form for pages without a kernel>",
    }
    on_slides = bool(getattr(obj, "_static_on_slides_", True))
    ipython_display(
        bundle,
        raw=True,
        metadata={"tutorial": {"static": kind, "slides": on_slides}},
    )


def output_info(output) -> dict:
    """Return the ``tutorial`` display metadata of a notebook output ({} if none)."""
    metadata = output.get("metadata") or {}
    info = metadata.get("tutorial")
    return dict(info) if isinstance(info, dict) else {}


def note(text: str) -> str:
    """Return a one-line note in the static pages' style (text is escaped)."""
    return f'<p class="tp-note">{html.escape(text)}</p>'
