"""What two parts of notebook 03 share: the colour of unsettled runs, and Wilson's
interval for a success rate.
"""

from __future__ import annotations

import numpy as np

from .. import plotting

UNSETTLED = plotting.LIGHT_GREY  # runs that reached no minimum (moving or diverged)


def wilson_interval(successes, trials, z: float = 2.576):
    """Return the Wilson score interval for a binomial proportion.

    Parameters
    ----------
    successes, trials : int or arrays of int
        Observed successes out of trials (trials >= 1).
    z : float
        Standard normal quantile: 1.96 for 95 %, 2.576 (default) for 99 %.

    Returns
    -------
    low, high : floats or arrays
    """
    k = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    if np.any(n < 1) or np.any(k < 0) or np.any(k > n):
        raise ValueError("trials must be >= 1 and successes in [0, trials]")
    p = k / n
    denom = 1 + z**2 / n
    centre = (p + z**2 / (2 * n)) / denom
    half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
    return np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)
