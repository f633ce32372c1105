"""The worst case is hard: how long a grid search over the weights would take."""

from __future__ import annotations

import math

import numpy as np

from .. import plotting, widgets

EVALS_PER_SECOND = 1e9  # a generous single machine: a billion losses a second
_UNITS = (
    ("second", 1.0),
    ("minute", 60.0),
    ("hour", 3600.0),
    ("day", 86400.0),
    ("year", 365.25 * 86400.0),
    ("thousand years", 1e3 * 365.25 * 86400.0),
    ("million years", 1e6 * 365.25 * 86400.0),
    ("age of the universe", 13.8e9 * 365.25 * 86400.0),
)
AGE_OF_UNIVERSE_S = _UNITS[-1][1]


def brute_force_seconds(points_per_weight: int, dim: int, rate=EVALS_PER_SECOND):
    """Return the time to evaluate every point of a k^dim grid, in seconds."""
    for name, value in (("points_per_weight", points_per_weight), ("dim", dim)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
            raise ValueError(f"{name} must be a whole number >= 1; got {value!r}")
        if value < 1:
            raise ValueError(f"{name} must be >= 1; got {value}")
    if not (np.isfinite(rate) and rate > 0):
        raise ValueError(f"rate must be a positive number per second; got {rate}")
    return float(points_per_weight) ** dim / rate


def human_time(seconds: float) -> str:
    """Return a duration in the largest unit that fits, e.g. '3.2 years'."""
    if not (np.isfinite(seconds) and seconds >= 0):
        return "longer than numbers can say"
    if seconds < 1:
        for name, size in (("millisecond", 1e-3), ("microsecond", 1e-6)):
            if seconds >= size:
                shown = f"{seconds / size:.3g}"
                return f"{shown} {name}" + ("" if shown == "1" else "s")
        shown = f"{seconds / 1e-9:.3g}"
        return f"{shown} nanosecond" + ("" if shown == "1" else "s")
    name, size = max((u for u in _UNITS if seconds >= u[1]), key=lambda u: u[1])
    count = seconds / size
    if name == "age of the universe":
        plural = "ages of the universe"
    else:
        plural = name if name.endswith("years") else name + "s"
    if count < 1000:
        shown = f"{count:.3g}"
        return f"{shown} {name if shown == '1' else plural}"
    exponent = int(math.floor(math.log10(count)))
    mantissa = count / 10**exponent
    return f"{mantissa:.1f} × 10^{exponent} {plural}"


BF_DIMS = np.arange(1, 61)
BF_YLIM = (1e-9, 1e70)


def _time_ticks():
    """Return tick positions (s) and labels in human units for the time axis."""
    ticks = [
        (1e-6, "1 microsecond"),
        (1.0, "1 second"),
        (3600.0, "1 hour"),
        (_UNITS[4][1], "1 year"),
        (_UNITS[6][1], "1 million years"),
        (AGE_OF_UNIVERSE_S, "age of the universe"),
    ]
    for exponent in range(10, 60, 10):
        label = f"$10^{{{exponent}}}$ × that age"
        ticks.append((AGE_OF_UNIVERSE_S * 10.0**exponent, label))
    return zip(*[(t, label) for t, label in ticks if t < BF_YLIM[1]], strict=True)


def brute_force_demo(dim: int = 9, points_per_weight: int = 10) -> widgets.Demo:
    """Try every weight setting on a grid: how long would it take?"""
    fig, (ax,) = plotting.new_figure(9.0, 4.6)
    with plotting.style():
        (curve,) = ax.semilogy([], [], color=plotting.BLUE, lw=2.5)
        (here,) = ax.plot(
            [], [], "o", color=plotting.ORANGE, mec="black", ms=11, zorder=5
        )
        ax.axhspan(AGE_OF_UNIVERSE_S, BF_YLIM[1], color=plotting.VERMILION, alpha=0.1)
        positions, labels = _time_ticks()
        ax.set_yticks(positions, labels)
        ax.minorticks_off()
        ax.grid(axis="y", color=plotting.GREY, lw=0.5, alpha=0.5)
        ax.set(
            xlim=(1, BF_DIMS[-1]),
            ylim=BF_YLIM,
            xlabel="number of weights d",
            ylabel="time to try every setting",
        )
        ax.set_title(
            "Try every weight setting: k^d grid points at 10⁹ evaluations per second"
        )

    controls = {
        "dim": widgets.dim_slider(dim, min=1, max=BF_DIMS[-1]),
        "points_per_weight": widgets.int_slider(
            "values per weight k", points_per_weight, 2, 20
        ),
    }

    def draw(dim, points_per_weight):
        k = points_per_weight
        curve.set_data(BF_DIMS, float(k) ** BF_DIMS / EVALS_PER_SECOND)
        now = brute_force_seconds(k, dim)
        here.set_data([dim], [now])
        return (
            f"{k} values for each of {dim} weights: {k}^{dim} ≈ {float(k) ** dim:.3g} "
            f"settings, which take {human_time(now)}."
        )

    alt = (
        "The time to try every weight setting (up, log scale, labelled in "
        "seconds, hours, years and ages of the universe) against the number of "
        "weights d from 1 to 60 (across), for k values per weight: a straight "
        "blue line on this scale. An orange dot marks the chosen d; the band "
        "longer than the age of the universe is shaded red."
    )
    return widgets.Demo(fig, controls, draw, alt=alt, exported=("dim",)).warm_up("dim")
