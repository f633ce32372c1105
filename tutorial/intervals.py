"""How sure a measured share is: Wilson's score interval.

Notebooks 03 and 05 count successes (a restart that finds the best minimum, a
random Hessian with no negative eigenvalue) and draw the share with an
interval. Wilson's interval (Wilson 1927, "Probable inference, the law of
succession, and statistical inference") stays inside [0, 1] and is not empty
at 0 or n successes, where the textbook p ± z·√(p(1 − p)/n) collapses.
"""

from __future__ import annotations

import numpy as np

__all__ = ["Z_95", "Z_99", "wilson_interval"]

Z_95 = 1.96  # standard normal quantiles for 95 % and 99 % intervals
Z_99 = 2.576


def wilson_interval(successes, trials, z: float = Z_95):
    """Return Wilson's score interval (low, high) for the share successes / trials.

    Parameters
    ----------
    successes, trials : int or arrays of int
        Observed successes out of trials (trials >= 1, 0 <= successes <= trials).
    z : float > 0
        Standard normal quantile: `Z_95` (default) or `Z_99`.

    Returns
    -------
    low, high : floats or arrays, within [0, 1]
    """
    k = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    if not (np.all(n >= 1) and np.all(k >= 0) and np.all(k <= n)):
        raise ValueError(
            "trials must be >= 1 and successes in [0, trials]; "
            f"got successes={successes!r}, trials={trials!r}"
        )
    if not (np.isfinite(z) and z > 0):
        raise ValueError(f"z must be a number > 0; got {z!r}")
    p = k / n
    denom = 1 + z**2 / n
    centre = (p + z**2 / (2 * n)) / denom
    half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
    # The ends are exactly 0 at no successes and 1 at all; rounding would
    # leave them a few 1e-17 off, below zero on a log axis.
    low = np.where(k == 0, 0.0, np.clip(centre - half, 0, 1))
    high = np.where(k == n, 1.0, np.clip(centre + half, 0, 1))
    return low[()], high[()]
