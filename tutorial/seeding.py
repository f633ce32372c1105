"""One check for every `seed` argument: same seed, same numbers."""

from __future__ import annotations

import numpy as np


def generator(seed, *, allow_none: bool = True) -> np.random.Generator:
    """Return ``np.random.default_rng(seed)`` after checking `seed`.

    A seed is a whole number >= 0; None (fresh entropy) only where
    `allow_none`, since a demo must draw the same picture every time.
    """
    if seed is None and allow_none:
        return np.random.default_rng()
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        allowed = "a whole number >= 0 or None" if allow_none else "a whole number >= 0"
        raise ValueError(f"seed must be {allowed}; got {seed!r}")
    return np.random.default_rng(seed)
