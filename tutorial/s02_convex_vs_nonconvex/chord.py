"""What convexity means, seen: the chord between two points and the surface under it."""

from __future__ import annotations

import numpy as np

from .. import plotting, widgets
from ..landscapes import Landscape
from ._common import SURFACES, _axis_labels, _layer_surfaces, _show_layer, surface


def chord_gap(landscape: Landscape, a, b, count: int = 101):
    """Return t, the surface and the chord along the segment from a to b.

    Convexity means f((1 − t)a + t b) <= (1 − t) f(a) + t f(b) for every t in
    [0, 1]: the surface never rises above the chord.

    Returns
    -------
    t, along, chord : arrays of shape (count,)
    """
    a, b = np.asarray(a, float), np.asarray(b, float)
    t = np.linspace(0.0, 1.0, count)
    points = (1 - t)[:, None] * a + t[:, None] * b
    along = landscape.value(points)
    chord = (1 - t) * along[0] + t * along[-1]
    return t, along, chord


def chord_rise(f, a, b, count: int = 101) -> float:
    """Return how far `f` rises above the chord from a to b, at most.

    The reference answer of the coding exercise. `f` maps points of shape
    (n, 2) to losses (n,); the segment is sampled at `count` evenly spaced t.
    A result above 0 proves that `f` is not convex; 0 means no point of this
    segment rose above the chord (the ends always lie on it).
    """
    a, b = np.asarray(a, float), np.asarray(b, float)
    t = np.linspace(0.0, 1.0, count)
    along = np.asarray(f((1 - t)[:, None] * a + t[:, None] * b), dtype=float)
    chord = (1 - t) * along[0] + t * along[-1]
    return float(np.max(along - chord))


CHORD_ALT = (
    "Two panels. Left: the chosen surface from above, dark where low, with "
    "point A (white circle), point B (white square) and the straight segment "
    "between them (white; red where the surface rises above the chord). "
    "Right: the loss along the segment from A to B (blue; red where it rises "
    "above the chord) and the chord joining its ends (black dashed)."
)


def chord_demo(
    surface_key: str = "himmelblau",
    a_across: float = 0.85,
    a_up: float = 0.7,
    b_across: float = 0.2,
    b_up: float = 0.8,
) -> widgets.Demo:
    """Pick two points A and B; does the surface rise above the chord AB?"""
    keys = list(SURFACES.values())
    fig, (ax_map, ax_cut) = plotting.new_figure(10.5, 4.3, ncols=2)
    with plotting.style():
        layers = _layer_surfaces(ax_map, keys)
        (segment,) = ax_map.plot([], [], "-", color="white", lw=2.5, zorder=7)
        (bad_segment,) = ax_map.plot(
            [], [], "-", color=plotting.VERMILION, lw=3.5, zorder=8
        )
        (a_dot,) = ax_map.plot([], [], "o", color="white", mec="black", ms=10, zorder=9)
        (b_dot,) = ax_map.plot([], [], "s", color="white", mec="black", ms=9, zorder=9)
        a_text = ax_map.text(
            0, 0, " A", fontsize=13, fontweight="bold", zorder=9, color="white"
        )
        b_text = ax_map.text(
            0, 0, " B", fontsize=13, fontweight="bold", zorder=9, color="white"
        )
        (curve,) = ax_cut.plot([], [], color=plotting.BLUE, label="surface along AB")
        (above,) = ax_cut.plot(
            [], [], color=plotting.VERMILION, lw=4, label="surface above the chord"
        )
        (chord,) = ax_cut.plot([], [], "--", color=plotting.BLACK, label="chord")
        ax_cut.set(
            xlim=(0, 1),
            xlabel="position t along the segment (A = 0, B = 1)",
            ylabel="loss",
        )
        ax_cut.set_xticks([0, 0.5, 1], ["A", "0.5", "B"])
        ax_cut.legend(loc="upper left", framealpha=0.9)

    def frac(name, value):
        # Both panels change with every point: redraw when the slider is released.
        return widgets.float_slider(
            name, value, 0.0, 1.0, 0.01, fmt=".2f", continuous_update=False
        )

    controls = {
        "surface_key": widgets.choice("surface", SURFACES, surface_key),
        "a_across": frac("A: across", a_across),
        "a_up": frac("A: up", a_up),
        "b_across": frac("B: across", b_across),
        "b_up": frac("B: up", b_up),
    }

    def draw(surface_key, a_across, a_up, b_across, b_up):
        land = surface(surface_key)
        _show_layer(ax_map, layers, surface_key)
        _axis_labels(ax_map, surface_key)
        low, span = land.bounds[0], land.span
        a = low + span * np.array([a_across, a_up])
        b = low + span * np.array([b_across, b_up])
        t, along, line = chord_gap(land, a, b)
        gap = along - line
        tol = 1e-9 * (1 + np.abs(along).max())
        rises = gap > tol
        points = (1 - t)[:, None] * a + t[:, None] * b
        segment.set_data(*points.T)
        bad = np.where(rises[:, None], points, np.nan)
        bad_segment.set_data(*bad.T)
        a_dot.set_data([a[0]], [a[1]])
        b_dot.set_data([b[0]], [b[1]])
        a_text.set_position(a)
        b_text.set_position(b)
        curve.set_data(t, along)
        chord.set_data(t, line)
        above.set_data(t, np.where(rises, along, np.nan))
        lo, hi = min(along.min(), line.min()), max(along.max(), line.max())
        pad = 0.08 * (hi - lo) + 1e-3
        ax_cut.set_ylim(lo - pad, hi + pad)
        label = next(k for k, v in SURFACES.items() if v == surface_key)
        ax_map.set_title(f"1. {label}: segment AB")
        if rises.any():
            ax_cut.set_title("2. the surface rises above the chord: not convex")
            k = int(np.argmax(gap))
            return (
                f"Not convex: at t = {t[k]:.2f} the surface is {gap[k]:.3g} above "
                "the chord. One such chord is proof."
            )
        ax_cut.set_title("2. the chord stays above the surface")
        return (
            "The chord stays on or above the surface here. Convex surfaces pass "
            "this test for every A and B; try other points."
        )

    return widgets.Demo(fig, controls, draw, alt=CHORD_ALT, exported=("a_across",))
