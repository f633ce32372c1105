"""Argument checks shared by the core modules: one wording for every bad value.

A bad argument raises a `ValueError` that names the argument and its allowed
range, so a learner who drags a slider or types a value learns what to change.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["whole", "number"]


def whole(value, name: str, low: int, high: int) -> int:
    """Return `value` as an int in [low, high]; bools and floats are refused."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(
            f"{name} must be a whole number in [{low}, {high}]; got {value!r}"
        )
    if not low <= value <= high:
        raise ValueError(f"{name} must be in [{low}, {high}]; got {value}")
    return int(value)


def number(value, name: str, low: float, high: float, *, open_low=False) -> float:
    """Return `value` as a float in [low, high] ((low, high] with `open_low`)."""
    try:
        x = float(value)
    except (TypeError, ValueError):
        x = math.nan
    if not (math.isfinite(x) and (low < x if open_low else low <= x) and x <= high):
        bracket = "(" if open_low else "["
        raise ValueError(
            f"{name} must be a number in {bracket}{low:g}, {high:g}]; got {value!r}"
        )
    return x
