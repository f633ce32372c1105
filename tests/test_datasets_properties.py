"""Property tests of `tutorial.datasets`: documented shapes, named refusals."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from strategies import (
    bad_seeds,
    cases,
    junk,
    not_finite,
    raises_naming,
    seeds,
    warnings_are_errors,  # noqa: F401 (an autouse fixture)
)

from tutorial import datasets

noises = st.floats(0, datasets.MAX_NOISE)


@cases(120)
@given(
    make=st.sampled_from(["xor", "moons", "spirals", "blobs", "line"]),
    n=st.integers(1, 400),
    noise=noises,
    seed=st.one_of(st.none(), seeds),
    extra=st.tuples(st.floats(1e-3, 10), st.floats(-1e6, 1e6), st.floats(-1e6, 1e6)),
)
def test_datasets_are_finite_with_documented_shapes(make, n, noise, seed, extra):
    turns, slope, intercept = extra
    if make == "xor":
        X, y = datasets.xor(repeats=n, noise=noise, seed=seed)
        m = 4 * n
    elif make == "spirals":
        X, y = datasets.spirals(n=n, noise=noise, turns=turns, seed=seed)
        m = n
    elif make == "line":
        X, y = datasets.line(
            n=n, slope=slope, intercept=intercept, noise=noise, seed=seed
        )
        m = n
    else:
        X, y = getattr(datasets, make)(n=n, noise=noise, seed=seed)
        m = n
    features = 1 if make == "line" else 2
    assert X.shape == (m, features) and y.shape == (m,)
    assert np.isfinite(X).all() and np.isfinite(y).all()
    if make != "line":
        assert set(np.unique(y)) <= {0.0, 1.0}


@cases(150)
@given(
    case=st.one_of(
        st.one_of(
            st.integers(max_value=0), st.integers(10**6 + 1), st.floats(), junk
        ).flatmap(
            lambda n: st.sampled_from(
                [
                    ("n", lambda: datasets.moons(n=n)),
                    ("n", lambda: datasets.spirals(n=n)),
                    ("n", lambda: datasets.blobs(n=n)),
                    ("n", lambda: datasets.line(n=n)),
                    ("repeats", lambda: datasets.xor(repeats=n)),
                ]
            )
        ),
        st.one_of(
            st.floats(max_value=-1e-300),
            st.floats(min_value=datasets.MAX_NOISE * 1.001),
            not_finite,
            junk,
        ).map(lambda v: ("noise", lambda: datasets.moons(noise=v))),
        bad_seeds.map(lambda s: ("seed", lambda: datasets.blobs(seed=s))),
        st.one_of(
            st.floats(max_value=0), st.floats(min_value=10.01), not_finite, junk
        ).map(lambda t: ("turns", lambda: datasets.spirals(turns=t))),
        st.one_of(st.floats(min_value=1.01e6), not_finite, junk).map(
            lambda v: ("slope", lambda: datasets.line(slope=v))
        ),
        st.one_of(st.floats(max_value=-1.01e6), not_finite, junk).map(
            lambda v: ("intercept", lambda: datasets.line(intercept=v))
        ),
    )
)
def test_dataset_bad_arguments_name_themselves(case):
    word, call = case
    raises_naming(word, call)
