"""A demo's player for pages with no kernel: its pictures, precomputed.

In export mode (see `tutorial.export`) a `Demo` displays a player instead of
its live widget: a native range input for each *exported* control (labelled,
its value shown), the picture and the sentence under it, swapped in the
browser by ``assets/tutorial/export.js`` as a control moves. Every picture is
the PNG the `Demo` itself draws for those values, byte for byte, and every
sentence its own. The other controls are shown disabled at their values, with
one line saying that the notebook can change them.

Which controls: those a demo names with ``Demo(..., exported=(...))``; by
default its first slider (its first control if it has no slider).

How many positions: every position of a control, up to `MAX_POSITIONS`,
unless the frames would pass `FRAME_BUDGET` bytes for the demo; then every
k-th position, counted from the value the demo shows now, and both ends.
With several exported controls every combination is drawn, so each gets
about the n-th root of the frame count.

The frames travel as ``data:`` URIs inside the output (identical frames once);
`tutorial.publish` moves them into files next to the pages.
"""

from __future__ import annotations

import base64
import html
import itertools
import json
import math
import struct

import ipywidgets as W
from matplotlib.text import Text

__all__ = [
    "FRAME_BUDGET",
    "MAX_POSITIONS",
    "exported",
    "grid",
    "same_value",
    "plan",
    "frames_per_control",
    "spread_positions",
    "render",
    "html_player",
    "smallest_font",
]

# Bytes of PNG frames per demo: six demos then stay under the 10 MB a deck
# may weigh (see tutorial.publish.DECK_BUDGET).
FRAME_BUDGET = 1_500_000
MAX_POSITIONS = 41  # the tutorial's sliders have about 40 steps
_SLIDERS = (W.IntSlider, W.FloatSlider, W.FloatLogSlider)
_counter = itertools.count(1)


def exported(demo) -> list[str]:
    """Return the names of the controls a demo's player precomputes."""
    if demo.exported is not None:
        return list(demo.exported)
    names = list(demo.controls)
    sliders = [n for n in names if isinstance(demo.controls[n], _SLIDERS)]
    return (sliders or names)[:1]


def _clean(value: float) -> float:
    # 0.1 * 3 is 0.30000000000000004: keep 12 significant digits.
    return float(f"{value:.12g}")


def _label(widget, value) -> str:
    fmt = getattr(widget, "readout_format", "")
    try:
        return format(value, fmt) if fmt else str(value)
    except (TypeError, ValueError):
        return str(value)


def grid(widget) -> list[tuple]:
    """Return every position of a control as (value, label), in order.

    Raises
    ------
    ValueError
        For a widget that has no list of positions (a text box, say).
    """
    if isinstance(widget, W.IntSlider):
        values = list(range(widget.min, widget.max + 1, widget.step))
    elif isinstance(widget, W.FloatLogSlider):
        count = round((widget.max - widget.min) / widget.step) + 1
        values = [
            _clean(widget.base ** (widget.min + i * widget.step)) for i in range(count)
        ]
    elif isinstance(widget, W.FloatSlider):
        count = round((widget.max - widget.min) / widget.step) + 1
        values = [
            _clean(min(widget.min + i * widget.step, widget.max)) for i in range(count)
        ]
    elif isinstance(widget, W.Checkbox):
        return [(False, "off"), (True, "on")]
    elif hasattr(widget, "_options_values"):  # Dropdown, SelectionSlider, ...
        return list(zip(widget._options_values, widget._options_labels, strict=True))
    else:
        raise ValueError(
            f"exported: a {type(widget).__name__} has no positions to precompute; "
            "export a slider, a menu or a checkbox"
        )
    return [(v, _label(widget, v)) for v in values]


def same_value(a, b) -> bool:
    """Whether two control values are the same position (floats within 1e-9)."""
    if isinstance(a, float) or isinstance(b, float):
        try:
            return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
        except TypeError:
            return False
    return a == b


def spread_positions(positions: list[tuple], count: int, widget) -> list[tuple]:
    """Return about `count` positions, evenly spaced through the value the
    control has now, with both ends (so never fewer than those three).

    Every k-th step from the current one keeps the labels round (-2, -1.8, ...
    rather than -2, -1.8, -1.7, ...). A value between two steps (a default such
    as η = 0.1 on a log slider) takes the place of the nearest step, or is
    added in order when every step is kept.
    """
    n = len(positions)
    current = widget.value
    at = next((i for i, (v, _) in enumerate(positions) if same_value(v, current)), None)
    anchor = at
    if anchor is None:  # only a slider's value can lie between its steps
        anchor = min(range(n), key=lambda i: abs(positions[i][0] - current))
    if count >= n:
        chosen = list(range(n))
    else:
        step = max(1, math.ceil((n - 1) / max(count - 1, 1)))
        while True:
            chosen = sorted({0, n - 1, *range(anchor % step, n, step)})
            if len(chosen) <= count or step >= n:
                break
            step += 1
    picked = [positions[i] for i in chosen]
    if at is not None:
        return picked
    here = (current, _label(widget, current))
    if count >= n:
        return sorted([*picked, here], key=lambda p: p[0])
    picked[chosen.index(anchor)] = here
    return picked


def frames_per_control(sizes: list[int], frames: int) -> list[int]:
    """Split a frame count over controls: their counts multiply to at most it."""
    counts = [1] * len(sizes)
    left = max(frames, 1)
    order = sorted(range(len(sizes)), key=lambda i: sizes[i])
    for j, i in enumerate(order):
        share = int(left ** (1 / (len(order) - j)) + 1e-9)
        counts[i] = max(min(sizes[i], 2), min(sizes[i], share))
        left = max(left // counts[i], 1)
    return counts


def plan(demo, frame_bytes: int, budget: int = FRAME_BUDGET) -> dict:
    """Return {control name: [(value, label), ...]} for a demo's player.

    `frame_bytes` is the size of one frame (the current one): the positions
    are chosen so that all combinations fit `budget` bytes.
    """
    names = exported(demo)
    grids = {n: grid(demo.controls[n]) for n in names}
    sizes = [min(len(grids[n]), MAX_POSITIONS) for n in names]
    frames = max(budget // max(frame_bytes, 1), 2)
    counts = frames_per_control(sizes, frames)
    return {
        n: spread_positions(grids[n], c, demo.controls[n])
        for n, c in zip(names, counts, strict=True)
    }


def render(demo, positions: dict) -> dict:
    """Draw every combination of positions; return the player's data.

    The demo is left showing the values it had. Raises RuntimeError if a
    combination cannot be drawn, so a broken demo fails the export.
    """
    names = list(positions)
    start = demo.values()
    pngs: dict[bytes, int] = {}
    index, sentences = [], []
    try:
        for combo in itertools.product(*(positions[n] for n in names)):
            values = {n: value for n, (value, _) in zip(names, combo, strict=True)}
            png, sentence = demo.render(**values)
            index.append(pngs.setdefault(png, len(pngs)))
            sentences.append(sentence)
    finally:
        demo.render(**start)
    if demo.error is not None:
        raise RuntimeError(f"the demo could not be drawn at {start}: {demo.error!r}")
    return {
        "controls": [
            {
                "name": n,
                "label": demo.controls[n].description or n,
                "labels": [label for _, label in positions[n]],
            }
            for n in names
        ],
        "values": [[_json_value(v) for v, _ in positions[n]] for n in names],
        "frames": [_data_uri(png) for png in pngs],
        "index": index,
        "sentences": sentences,
    }


def _json_value(value):
    return value if isinstance(value, (bool, int, float, str)) else str(value)


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def png_size(png: bytes) -> tuple[int, int]:
    """Return (width, height) in pixels from a PNG's header."""
    if png[:8] != b"\x89PNG\r\n\x1a\n" or png[12:16] != b"IHDR":
        raise ValueError("png: not a PNG image")
    return struct.unpack(">II", png[16:24])


def smallest_font(fig) -> float:
    """Return the size in points of the smallest text drawn in a figure."""
    sizes = [
        t.get_fontsize()
        for t in fig.findobj(Text)
        if t.get_visible() and t.get_text().strip() and t.get_figure() is not None
    ]
    return min(sizes) if sizes else 0.0


def html_player(demo) -> str:
    """Return a demo's player as an HTML fragment (see the module docstring)."""
    png = demo.png()
    positions = plan(demo, len(png))
    data = render(demo, positions)
    width, height = png_size(png)
    pid = f"tp{next(_counter)}"
    names = list(positions)
    current = demo.values()
    start = [
        next(i for i, (v, _) in enumerate(positions[n]) if same_value(v, current[n]))
        for n in names
    ]
    flat = 0
    for n, i in zip(names, start, strict=True):
        flat = flat * len(positions[n]) + i
    data.update(
        minFontPt=smallest_font(demo.fig),
        dpi=demo.fig.dpi,
        start=flat,
        width=width,
        height=height,
    )

    rows = []
    for name, widget in demo.controls.items():
        label = html.escape(widget.description or name)
        if name in positions:
            i, k = start[names.index(name)], names.index(name)
            text = html.escape(positions[name][i][1])
            rows.append(
                f'<div class="tp-control"><label for="{pid}-{k}">{label}</label>'
                f'<input type="range" class="tp-range" id="{pid}-{k}" '
                f'data-control="{k}" min="0" max="{len(positions[name]) - 1}" '
                f'step="1" value="{i}" aria-valuetext="{text}">'
                f'<output for="{pid}-{k}">{text}</output></div>'
            )
        else:
            rows.append(_fixed(pid, name, label, widget))
    fixed = [
        html.escape(w.description or n)
        for n, w in demo.controls.items()
        if n not in positions
    ]
    title = getattr(demo, "title", None)
    frame = data["frames"][data["index"][flat]]
    alt = html.escape(_alt(demo))
    parts = [
        f'<div class="tp-player" id="{pid}" data-prevent-swipe>',
        f'<p class="tp-title">{html.escape(title)}</p>' if title else "",
        f'<div class="tp-controls">{"".join(rows)}</div>',
        f'<img class="tp-picture" alt="{alt}" width="{width}" height="{height}" '
        f'data-tp-src="{frame}">',
        f'<noscript><img class="tp-picture" alt="{alt}" width="{width}" '
        f'height="{height}" src="{frame}"></noscript>',
        '<p class="tp-sentence" aria-live="polite">'
        f"{html.escape(data['sentences'][flat])}</p>",
        _note(fixed),
        '<script type="application/json" class="tp-data">',
        json.dumps(data, separators=(",", ":")).replace("</", "<\\/"),
        "</script></div>",
    ]
    return "".join(parts)


def _fixed(pid: str, name: str, label: str, widget) -> str:
    """Return a disabled copy of a control that the player does not move."""
    fid = f"{pid}-{html.escape(name)}"
    try:
        positions = grid(widget)
    except ValueError:
        positions = []
    now = widget.value
    at = next((i for i, (v, _) in enumerate(positions) if same_value(v, now)), 0)
    head = f'<div class="tp-control tp-fixed"><label for="{fid}">{label}</label>'
    if hasattr(widget, "_options_labels"):
        text = html.escape(str(widget.label))
        return (
            f'{head}<select id="{fid}" disabled><option selected>{text}</option>'
            "</select></div>"
        )
    text = html.escape(_label(widget, widget.value))
    return (
        f'{head}<input type="range" id="{fid}" disabled min="0" '
        f'max="{max(len(positions) - 1, 1)}" value="{at}" aria-valuetext="{text}">'
        f"<output>{text}</output></div>"
    )


def _note(fixed: list[str]) -> str:
    if not fixed:
        return ""
    names = fixed[0] if len(fixed) == 1 else ", ".join(fixed[:-1]) + " and " + fixed[-1]
    return f'<p class="tp-note">The notebook version can also change {names}.</p>'


def _alt(demo) -> str:
    """Return the picture in words: the demo's own, else its panels' titles.

    (The sentence, which changes with the picture, is the text under it.)
    """
    if getattr(demo, "alt", ""):
        return demo.alt
    titles = [ax.get_title() for ax in demo.fig.axes if ax.get_title()]
    return "Demo picture: " + "; ".join(titles) if titles else "Demo picture"
