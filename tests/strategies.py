"""What the property tests share: hypothesis settings, values, strategies.

The property tests (``test_*_properties.py``) check the public API with any
argument: for arguments in range the results are finite (or the run is
flagged diverged), the shapes are the documented ones, and no numpy warning
escapes; for arguments out of range the answer is a `ValueError` that names
the argument. Hypothesis draws the arguments; the settings below are
derandomized, so every run tries the same cases
(`pytest --hypothesis-show-statistics` reports how many).
"""

from __future__ import annotations

import math
import time
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from tutorial import landscapes as L

# Same cases on every machine and every run; no example database on disk.
SETTINGS = {
    "derandomize": True,
    "deadline": None,
    "database": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
}


def cases(n: int):
    """Return hypothesis settings for `n` examples."""
    return settings(max_examples=n, **SETTINGS)


@pytest.fixture(autouse=True)
def warnings_are_errors():
    """Any warning (numpy's RuntimeWarning included) fails the test."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # Sockets left for the garbage collector by earlier notebook or browser
        # tests are not what this file tests.
        warnings.simplefilter("ignore", ResourceWarning)
        yield


def raises_naming(word: str, call, limit: float = 30.0) -> None:
    """Assert `call()` raises ValueError mentioning `word`, without hanging.

    The limit guards against a refusal that first does the work (a hang or a
    huge allocation); it is far above any speed target, which benchmarks measure.
    """
    start = time.perf_counter()
    with pytest.raises(ValueError, match=word):
        call()
    took = time.perf_counter() - start
    assert took < limit, f"refusing took {took:.2f} s: check arguments up front"


# ------------------------------------------------------------------ values

finite = st.floats(allow_nan=False, allow_infinity=False)
not_finite = st.sampled_from([math.nan, math.inf, -math.inf])
huge_int = st.integers(400, 500).map(lambda k: 10**k)  # too large for a float
junk = st.one_of(
    st.none(),
    st.text(max_size=5),
    st.just(object()),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
)
seeds = st.integers(0, 2**32)
bad_seeds = st.one_of(
    st.integers(max_value=-1), st.floats(), st.text(max_size=3), st.just(True)
)


def log_uniform(low: float, high: float):
    return st.floats(math.log10(low), math.log10(high)).map(lambda e: 10.0**e)


eigenvalues = st.lists(
    st.one_of(st.floats(-L.MAX_EIGENVALUE, L.MAX_EIGENVALUE), st.just(0.0)),
    min_size=1,
    max_size=6,
)


@st.composite
def points_in(draw, surface, lead=None, widen: float = 10.0):
    """Points in the surface's box widened `widen` times about its centre."""
    lead = draw(st.sampled_from([(), (1,), (3,), (2, 3)])) if lead is None else lead
    unit = draw(
        st.lists(
            st.floats(-1, 1),
            min_size=int(np.prod(lead, dtype=int)) * surface.dim,
            max_size=int(np.prod(lead, dtype=int)) * surface.dim,
        )
    )
    centre = (surface.bounds[0] + surface.bounds[1]) / 2
    half = surface.span / 2 * widen
    return centre + np.reshape(unit, lead + (surface.dim,)) * half


def assert_trajectory_is_sane(traj, surface, n, steps):
    rows = len(range(0, steps + 1, traj.t[1] - traj.t[0] if len(traj.t) > 1 else 1))
    assert traj.t[0] == 0 and traj.t[-1] == steps and np.all(np.diff(traj.t) > 0)
    assert rows <= traj.t.size <= rows + 1
    assert traj.path.shape == (traj.t.size, n, surface.dim)
    assert traj.loss.shape == (traj.t.size, n)
    assert traj.diverged.shape == traj.diverged_at.shape == (n,)
    assert traj.diverged.dtype == bool
    np.testing.assert_array_equal(traj.diverged, traj.diverged_at >= 0)
    assert np.all((traj.diverged_at >= -1) & (traj.diverged_at <= steps))
    assert np.isfinite(traj.path).all(), "positions are always finite"
    ok = ~traj.diverged
    assert np.isfinite(traj.loss[:, ok]).all(), "a run that did not diverge"
    # A diverged run may carry an infinite loss only if it started out of range.
    inf_loss = ~np.isfinite(traj.loss)
    assert np.all(traj.diverged_at[inf_loss.any(0)] == 0)
    # Frozen at the last sane point once diverged.
    for i in np.flatnonzero(traj.diverged):
        after = traj.t >= traj.diverged_at[i]
        if after.sum() > 1:
            assert np.all(traj.path[after, i] == traj.path[after, i][0])
    sane = np.isfinite(traj.loss)
    recomputed = surface.value(traj.path)
    np.testing.assert_allclose(recomputed[sane], traj.loss[sane], rtol=1e-6, atol=1e-9)
