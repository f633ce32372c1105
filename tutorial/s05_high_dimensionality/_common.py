"""What several parts of notebook 05 share: the checked dimension argument, and
Wigner's semicircle.
"""

from __future__ import annotations

import numpy as np

MAX_DIM = 10_000


def _dim(dim, name: str = "dim", high: int = MAX_DIM) -> int:
    if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)):
        raise ValueError(f"{name} must be a whole number in [1, {high}]; got {dim!r}")
    if not 1 <= dim <= high:
        raise ValueError(f"{name} must be in [1, {high}]; got {dim}")
    return int(dim)


def semicircle(x) -> np.ndarray:
    """Return Wigner's semicircle density (2/π)√(1 − x²) on [−1, 1], 0 outside."""
    x = np.asarray(x, dtype=float)
    return np.where(np.abs(x) < 1, 2 / np.pi * np.sqrt(np.clip(1 - x * x, 0, None)), 0)
