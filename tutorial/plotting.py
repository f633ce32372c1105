"""Figure builders shared by the demos: built once, updated in place.

Figures are plain `matplotlib.figure.Figure` objects drawn with Agg (no pyplot
state), so a demo looks the same in JupyterLab, Voilà, Colab, exported HTML and
slides. Everything is drawn under `style()`, a context manager, so importing
this module changes no global setting.
"""

from __future__ import annotations

import functools

import matplotlib as mpl
import numpy as np
from matplotlib import patheffects, ticker
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import Collection
from matplotlib.contour import ContourSet
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.quiver import Quiver
from matplotlib.text import Text

from . import export
from .landscapes import Landscape

# The Okabe & Ito (2008) hues, darkened where their lightness left thin lines
# faint: every colour that carries meaning has a contrast of at least 3:1 on
# the white background (WCAG 2.1, 1.4.11; Okabe-Ito's orange #E69F00 had
# 2.25:1, its sky blue #56B4E9 2.31:1). Blue, vermilion and purple went darker
# still, so that each pair drawn together stays apart by lightness where a
# colour-vision deficiency removes a hue difference: at least 10 CIEDE2000
# units under simulated protanopia, deuteranopia and tritanopia (Okabe-Ito's
# own closest pair, orange and purple under tritanopia, was 7.9).
# tests/test_palette.py measures all of it; PAIRED_WITH lists the pairs.
BLUE, ORANGE, GREEN = "#004A88", "#C97D00", "#009E73"
VERMILION, PURPLE, SKY = "#AC3500", "#A864B0", "#2E8BC0"
BLACK, GREY = "#000000", "#777777"
# A neutral fill for "none of these" (runs that reached no minimum): light on
# purpose, so it is always drawn with a dark edge, which carries the contrast.
LIGHT_GREY = "#BBBBBB"
CYCLE = [BLUE, ORANGE, GREEN, VERMILION, PURPLE, SKY, BLACK]
DIVERGED = VERMILION
# The colours each one is drawn beside in some figure (a legend's entries,
# paths that turn DIVERGED, outcomes against LIGHT_GREY): these pairs must
# stay distinguishable with every common colour-vision deficiency.
PAIRED_WITH = {
    BLUE: (ORANGE, GREEN, VERMILION, PURPLE, SKY, GREY, LIGHT_GREY, BLACK),
    ORANGE: (GREEN, VERMILION, PURPLE, SKY, GREY, LIGHT_GREY, BLACK),
    GREEN: (VERMILION, PURPLE, LIGHT_GREY, BLACK),
    VERMILION: (SKY, GREY, BLACK),
    PURPLE: (LIGHT_GREY, BLACK),
    SKY: (BLACK,),
}
SURFACE_CMAP = "viridis"

DPI = 100  # pixels per inch of the PNG; the Image widget shows it 1:1
# zorder for an image that a slider changes: just above the axis (ticks and
# grid lines sit at 0.5, see `style`), so redrawing the image leaves the tick
# labels alone; it fills the axes' box, where no tick is drawn.
IMAGE_ZORDER = 0.6

_STYLE = {
    "font.size": 11,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "legend.fontsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    # Ticks and grid lines under the data: they look the same (ticks point
    # out of the axes), and a redraw of changed bars or points then leaves
    # the costly tick labels alone.
    "axes.axisbelow": True,
    "axes.prop_cycle": mpl.cycler(color=CYCLE),
    "lines.linewidth": 2.0,
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    "image.cmap": SURFACE_CMAP,
}


# In export mode (slides, the static site) a figure is projected: every text is
# drawn at 12 pt or more. A figure shown at its natural width on a 1280 × 720
# slide that is shrunk no further than 0.9 then has text at least
# 12 / 72 × 100 px × 0.9 = 15 px tall (14 px is the least a hall can read).
# Explicit sizes in a demo (fontsize=9) are raised to it (`lift_small_text`).
SLIDE_MIN_FONT = 12
_SLIDE_STYLE = {
    "font.size": 13,
    "axes.titlesize": 14,
    "axes.labelsize": 13,
    "legend.fontsize": SLIDE_MIN_FONT,
    "legend.title_fontsize": SLIDE_MIN_FONT,
    "xtick.labelsize": SLIDE_MIN_FONT,
    "ytick.labelsize": SLIDE_MIN_FONT,
    "figure.titlesize": 14,
}


def style():
    """Return a context manager that applies the tutorial's look.

    In export mode (see `tutorial.export`) the text is larger, for projection.
    """
    if export.active():
        return mpl.rc_context({**_STYLE, **_SLIDE_STYLE})
    return mpl.rc_context(_STYLE)


# The largest picture a slide shows at its natural size, in inches at DPI
# (a picture wider than the slide is scaled down by the browser, and its text
# with it). A 1280 × 720 slide shrunk no further than 0.9 holds 800 px of
# content: under a heading (66 px) a demo's controls, sentence and note take
# 110 px, which leaves 624 px of picture; the slide's text column is 1,250 px
# wide. A figure is its own slide at these sizes; one that shares its slide
# with prose or a question must be smaller (README, "Writing for slides").
SLIDE_FIGURE_INCHES = (12.5, 6.2)


def slide_size(width: float, height: float) -> tuple[float, float]:
    """Return (width, height) scaled down, aspect kept, to fit a slide.

    In export mode a figure larger than `SLIDE_FIGURE_INCHES` is drawn
    smaller, its text at full size, rather than shrunk as a picture.
    """
    most_w, most_h = SLIDE_FIGURE_INCHES
    scale = min(1.0, most_w / width, most_h / height)
    return width * scale, height * scale


def lift_small_text(fig) -> None:
    """Raise every text of `fig` smaller than `SLIDE_MIN_FONT` to that size.

    For export mode (`tutorial.widgets.Demo` calls it after each update, before
    the frame is drawn): an explicit ``fontsize=9`` that reads well in a
    notebook is too small from the back of a hall. The notebook's own pictures
    keep their sizes. Texts already large enough are left alone, so after the
    first frame this changes nothing and the partial redraw stays partial.
    """
    for text in fig.findobj(Text):
        if text.get_fontsize() < SLIDE_MIN_FONT:
            text.set_fontsize(SLIDE_MIN_FONT)


def new_figure(
    width: float = 10.0,
    height: float = 4.0,
    ncols: int = 1,
    *,
    slide_height: float | None = None,
    **kwargs,
):
    """Return (fig, axes) for a Figure with `ncols` axes side by side.

    The figure uses constrained layout; `tutorial.widgets.Demo` freezes it
    after the first frame so that redrawing does not re-solve the layout.
    In export mode it is at most `SLIDE_FIGURE_INCHES` (see `slide_size`),
    and `slide_height` (inches), if given, replaces `height`: for a demo
    whose slide holds more than a heading above it. Extra keyword arguments
    go to `Figure.subplots`.
    """
    if export.active():
        height = height if slide_height is None else slide_height
        width, height = slide_size(width, height)
    with style():
        fig = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
        FigureCanvasAgg(fig)
        axes = fig.subplots(1, ncols, squeeze=False, **kwargs)[0]
    return fig, list(axes)


# ------------------------------------------------------------------ surfaces


def grid(landscape: Landscape, n: int = 200, bounds=None):
    """Return X, Y, Z: the surface's values on an n × n grid over its box.

    X and Y have shape (n, n) (x along columns, y along rows, as
    `np.meshgrid` makes them) and Z holds the values, unclipped; `bounds`
    (low, high) replaces the surface's own box. `contour_levels` keeps one
    steep corner from washing out the colours.
    """
    if landscape.dim != 2:
        raise ValueError(
            f"grid needs a 2-D surface; {landscape.name} has dim={landscape.dim}"
        )
    low, high = landscape.bounds if bounds is None else bounds
    xs = np.linspace(low[0], high[0], n)
    ys = np.linspace(low[1], high[1], n)
    X, Y = np.meshgrid(xs, ys)
    Z = landscape.value(np.stack([X, Y], -1))
    return X, Y, Z


def contour_levels(Z: np.ndarray, count: int = 25) -> np.ndarray:
    """Return contour levels at quantiles of Z: even detail on any surface."""
    finite = Z[np.isfinite(Z)]
    levels = np.unique(np.quantile(finite, np.linspace(0, 0.98, count)))
    return levels if levels.size >= 2 else np.array([finite.min(), finite.min() + 1])


def draw_surface(ax, landscape: Landscape, n: int = 160, bounds=None, minima=True):
    """Draw a 2-D surface as filled contours with its known minima as stars.

    Returns the filled contour set (for a colour bar).
    """
    X, Y, Z = grid(landscape, n, bounds)
    levels = contour_levels(Z)
    filled = ax.contourf(X, Y, Z, levels=levels, cmap=SURFACE_CMAP, extend="both")
    ax.contour(X, Y, Z, levels=levels[::3], colors="white", linewidths=0.5, alpha=0.5)
    if minima and len(landscape.minima):
        ax.plot(*landscape.minima.T, "*", color="white", mec=BLACK, ms=13, zorder=5)
    ax.set_xlim(X[0, 0], X[0, -1])
    ax.set_ylim(Y[0, 0], Y[-1, 0])
    ax.set_aspect("auto")
    return filled


# A line over a coloured surface meets every colour of the colour map, and
# few colours stand out against all of viridis (white is 1.1:1 on its yellow,
# dark blue 1.3:1 on its purple). An outline does (WCAG 2.1, 1.4.11: 3:1):
# black around a light line, white around a dark one, and, for a line of
# middle lightness that neither rescues everywhere, a white ring inside a
# black one (one of the two stands out on any colour, 4.6:1 at worst).
HALO_POINTS = 0.5  # each ring's width on each side: thin, so the line keeps its colour


def halo(artist, width: float = HALO_POINTS):
    """Outline a line (or markers, or arrows) drawn over a surface; return it.

    `tutorial.frames` redraws the outline with the line.
    """
    if isinstance(artist, Collection):  # arrows: their face is their colour
        colour = artist.get_facecolor()[0]
        base = float(np.max(artist.get_linewidths(), initial=0.0))
    else:
        colour, base = artist.get_color(), artist.get_linewidth()
    rings = outline_colours(colour)
    effects = [
        patheffects.Stroke(
            linewidth=base + 2 * width * (len(rings) - k), foreground=ring
        )
        for k, ring in enumerate(rings)
    ]
    artist.set_path_effects([*effects, patheffects.Normal()])
    # Drawn by `_draw_outlined`: the same class with a quicker `draw`.
    artist.__class__ = _outlined(type(artist))
    return artist


@functools.cache
def _outlined(cls: type) -> type:
    """Return the subclass of `cls` whose `draw` is `_draw_outlined`.

    (A subclass, not a `draw` set on the instance: `tutorial.frames` hooks
    each artist's class's `draw` to take its snapshots.)
    """
    if getattr(cls, "_plain_draw", None) is not None:
        return cls
    return type(cls.__name__, (cls,), {"draw": _draw_outlined, "_plain_draw": cls.draw})


def _draw_outlined(artist, renderer) -> None:
    """Draw an outlined artist as its path effects say, but quickly.

    matplotlib's path-effect renderer strokes markers and arrows one at a
    time in Python: notebook 04's trajectories with their markers took 90 ms
    a frame instead of 20. Here each ring is the artist itself drawn with the
    ring's colour and width on its lines and edges (markers and arrows keep
    their face, as under a Stroke): one native call per ring. Properties are
    set and put back with the stale callback detached, so drawing changes
    nothing `tutorial.frames` could see.
    """
    draw, effects = type(artist)._plain_draw, artist.get_path_effects()
    strokes = effects[:-1]
    if not (
        effects
        and isinstance(effects[-1], patheffects.Normal)
        and all(type(e) is patheffects.Stroke for e in strokes)
    ):
        draw(artist, renderer)  # other effects, set since `halo`
        return
    line = not isinstance(artist, Collection)
    callback, artist.stale_callback = artist.stale_callback, None
    if line:  # the line in the ring's colour and width, and the markers' edges
        names = ("color", "linewidth", "markeredgecolor", "markeredgewidth")
    else:  # the arrows' edges
        names = ("edgecolor", "linewidth")
    setters = [getattr(artist, f"set_{name}") for name in names]
    saved = [getattr(artist, f"get_{name}")() for name in names]
    # An edge colour that follows the face or the line ("auto", "face") is
    # put back as such, not as the colour it resolves to now.
    if line:
        saved[2] = getattr(artist, "_markeredgecolor", saved[2])
    else:
        saved[0] = getattr(artist, "_original_edgecolor", saved[0])
    try:
        artist.set_path_effects([])
        for stroke in strokes:
            ring, width = stroke._gc["foreground"], stroke._gc["linewidth"]
            for setter, value in zip(setters, (ring, width) * 2, strict=False):
                setter(value)
            draw(artist, renderer)
        for setter, value in zip(setters, saved, strict=True):
            setter(value)
        draw(artist, renderer)
    finally:
        artist.set_path_effects(effects)
        artist.stale = False
        artist.stale_callback = callback


def outline_over_surfaces(fig) -> int:
    """Outline (`halo`) each line drawn over a surface; return how many.

    A surface is an image or filled contours in `SURFACE_CMAP`; a line is
    over it if drawn after it (higher zorder). Markers whose edge differs
    from their face (a white star edged in black) already carry an outline.
    `widgets.Demo` calls this before its first frame, so every demo's paths
    stand out without each demo asking.
    """
    count = 0
    for ax in fig.axes:
        under = [
            a.get_zorder()
            for a in ax.get_children()
            if isinstance(a, (AxesImage, ContourSet))
            and getattr(a, "filled", True)
            and a.get_cmap().name == SURFACE_CMAP
        ]
        if not under:
            continue
        for line in ax.lines:
            if line.get_zorder() <= max(under) or line.get_path_effects():
                continue
            drawn = line.get_linestyle() not in ("None", "", " ")
            edged = mpl.colors.same_color(
                line.get_markeredgecolor(), line.get_markerfacecolor()
            )
            if drawn or (edged and line.get_marker() not in (None, "None", "")):
                halo(line)
                count += 1
        for arrows in ax.collections:  # a field of arrows (quiver)
            if isinstance(arrows, Quiver) and arrows.get_zorder() > max(under):
                if not arrows.get_path_effects():
                    halo(arrows)
                    count += 1
    return count


def outline_colours(colour, cmap: str = SURFACE_CMAP) -> tuple[str, ...]:
    """Return the outline rings (outermost first) for a line of `colour` over
    the colour map: one ring where the line or the ring has 3:1 against every
    colour of the map, else a black ring around a white one."""
    under = _map_luminances(cmap)
    line = _luminance(mpl.colors.to_rgb(colour))
    for ring, ring_lum in ((BLACK, 0.0), ("#FFFFFF", 1.0)):
        if all(max(_ratio(line, u), _ratio(ring_lum, u)) >= 3 for u in under):
            return (ring,)
    return (BLACK, "#FFFFFF")


@functools.cache
def _map_luminances(cmap: str) -> tuple[float, ...]:
    """The luminance of each of the colour map's 256 colours, in 8 bits as the
    picture shows them (worked out once: every outlined line asks)."""
    surface = np.round(mpl.colormaps[cmap](np.linspace(0, 1, 256))[:, :3] * 255) / 255
    return tuple(_luminance(rgb) for rgb in surface)


def _ratio(a: float, b: float) -> float:
    """WCAG 2.1's contrast ratio of two relative luminances."""
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)


def _luminance(rgb) -> float:
    """WCAG 2.1's relative luminance of an (r, g, b) colour in 0..1."""
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def path_lines(ax, count: int, color=None, alpha: float = 0.9, lw: float = 1.5):
    """Add `count` empty lines for descent paths; return them (see `set_paths`).

    They are drawn above the surface (zorder 6); mark the starts yourself.
    """
    lines = [
        ax.plot([], [], "-", color=color, alpha=alpha, lw=lw, zorder=6)[0]
        for _ in range(count)
    ]
    return lines


def set_paths(lines, path: np.ndarray, diverged=None, color=BLUE) -> None:
    """Show path[:, i, :2] in lines[i]; runs that diverged turn vermilion.

    Lines beyond the number of runs are emptied.
    """
    for i, line in enumerate(lines):
        if i < path.shape[1]:
            line.set_data(path[:, i, 0], path[:, i, 1])
            bad = diverged is not None and diverged[i]
            line.set_color(DIVERGED if bad else color)
        else:
            line.set_data([], [])


def positive_floor(values: np.ndarray, floor: float = 1e-12) -> np.ndarray:
    """Return values safe to draw on a log axis (small, zero or negative -> floor)."""
    return np.where(np.isfinite(values), np.maximum(values, floor), np.nan)


# ------------------------------------------------------------------ limits
# A slider that moves an axis limit makes every tick label of that axes be
# drawn again (about 1 ms each). Limits that snap to round values change only
# now and then, so most frames redraw just the data.


def nice_ceiling(value: float, ladder=(1.0, 2.0, 5.0)) -> float:
    """Return the smallest m × 10^k >= value, m from `ladder` (value > 0).

    The default snaps to 1, 2 or 5; a finer ladder such as (1, 1.5, 2, 3, 5,
    7) leaves less empty space and changes the limit a little more often.
    """
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"value must be a positive finite number; got {value!r}")
    power = 10.0 ** np.floor(np.log10(value))
    for step in (*ladder, 10.0):
        if step * power >= value * (1 - 1e-12):
            return float(step * power)
    return float(10 * power)  # pragma: no cover - the ladder ends at 10


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def decade_label(value: float, _position=None) -> str:
    """Return "10⁻²" for a power of ten, "" for any other tick.

    Plain text with superscript digits looks like matplotlib's own log labels
    but skips its maths parser, which takes about 20 ms per new label: a
    diverging loss curve would otherwise stall on every new decade.
    """
    if not np.isfinite(value) or value <= 0:
        return ""
    exponent = np.log10(value)
    if abs(exponent - np.round(exponent)) > 1e-9:
        return ""
    return power_of_ten(int(np.round(exponent)))


def power_of_ten(exponent: int) -> str:
    """Return "10" with the exponent in superscript digits, e.g. "10⁻³"."""
    return "10" + str(int(exponent)).translate(_SUPERSCRIPT)


def log_axis(ax, which: str = "y", exponents=None) -> None:
    """Put `ax`'s x or y axis on a log scale labelled at powers of ten.

    For axes that span a decade or more (losses, learning rates): minor ticks
    are left out, since they double the cost of redrawing the axis and a
    learner reads such an axis by its decades. With `exponents`, only the
    powers 10^e for those e are ticked (fewer labels: a quicker redraw).
    """
    if which not in ("x", "y"):
        raise ValueError(f"which must be 'x' or 'y'; got {which!r}")
    axis = ax.xaxis if which == "x" else ax.yaxis
    (ax.set_xscale if which == "x" else ax.set_yscale)("log")
    if exponents is None:
        axis.set_major_locator(ticker.LogLocator(base=10, numticks=8))
    else:
        axis.set_major_locator(ticker.FixedLocator([10.0**e for e in exponents]))
    axis.set_major_formatter(ticker.FuncFormatter(decade_label))
    axis.set_minor_locator(ticker.NullLocator())


# ------------------------------------------------------------ bars and intervals
# A partial redraw (see CONTRIBUTING.md, "rules for fast demos") works out the
# extent of each changed artist on every frame: one collection of bars or one
# line of intervals costs one extent, where 40 patches or an errorbar's
# LineCollection would cost one each or cover the whole axes.


def bar_verts(edges, heights) -> np.ndarray:
    """Return the corners of bars on `edges`, shape (bars, 4, 2).

    For a `PolyCollection` of bars (a histogram updated with ``set_verts``):
    bar i spans edges[i] to edges[i + 1] and rises from 0 to heights[i].
    """
    left, right, h = edges[:-1], edges[1:], np.asarray(heights, dtype=float)
    zero = np.zeros_like(h)
    return np.stack(
        [np.c_[left, zero], np.c_[left, h], np.c_[right, h], np.c_[right, zero]], 1
    )


def vertical_segments(x, low, high) -> tuple[np.ndarray, np.ndarray]:
    """Return (xs, ys) that draw a segment from low[i] to high[i] at each x[i].

    One `Line2D` broken by NaNs between the segments: error bars whose
    extent a partial redraw knows segment by segment.
    """
    nan = np.full(np.shape(x), np.nan)
    return np.c_[x, x, nan].ravel(), np.c_[low, high, nan].ravel()


def set_errorbar(container, x, y, low, high) -> None:
    """Move the markers and bars of an ``ax.errorbar(...)`` container in place."""
    markers, _, (bars,) = container.lines
    markers.set_data(x, y)
    bars.set_segments(
        [
            np.array([[xi, lo], [xi, hi]])
            for xi, lo, hi in zip(x, low, high, strict=True)
        ]
    )
