"""Property tests of `tutorial.optimizers`: finite runs or flagged divergence."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from strategies import (
    assert_trajectory_is_sane,
    bad_seeds,
    cases,
    eigenvalues,
    finite,
    huge_int,
    junk,
    log_uniform,
    not_finite,
    points_in,
    raises_naming,
    seeds,
    warnings_are_errors,  # noqa: F401 (an autouse fixture)
)

from tutorial import landscapes as L
from tutorial.optimizers import MAX_STEPS, METHODS, optimize


@st.composite
def runs(draw):
    """A surface, starts in its box, and in-range optimizer arguments."""
    surface = draw(
        st.one_of(
            st.sampled_from(L.names()).map(L.get),
            eigenvalues.map(lambda lam: L.quadratic([v / 1e6 for v in lam])),
            st.integers(1, 10).map(L.rastrigin),
            st.tuples(st.integers(1, 5), st.floats(0.1, 2)).map(
                lambda a: L.plateau(*a)
            ),
        )
    )
    n = draw(st.integers(1, 12))
    x0 = draw(points_in(surface, lead=(n,), widen=1.0))
    steps = draw(st.integers(0, 60))
    kwargs = {
        "lr": draw(log_uniform(1e-4, 1e2)),
        "steps": steps,
        "method": draw(st.sampled_from(METHODS)),
        "noise": draw(st.one_of(st.just(0.0), st.floats(0, 10))),
        "momentum": draw(st.floats(0, 0.99)),
        "seed": draw(st.one_of(st.none(), seeds)),
        "every": draw(st.integers(1, max(steps, 1))),
    }
    if draw(st.booleans()):  # a schedule or per-run rates instead of a number
        kwargs["lr"] = draw(
            st.sampled_from(["schedule", "per_run"]).map(
                lambda kind: (
                    np.geomspace(1e-3, kwargs["lr"], steps)
                    if kind == "schedule"
                    else np.geomspace(1e-3, kwargs["lr"], n)[None, :]
                )
            )
        )
    return surface, x0, kwargs


@cases(200)
@given(run=runs())
def test_optimize_is_finite_or_flags_divergence(run):
    surface, x0, kwargs = run
    traj = optimize(surface, x0, **kwargs)
    assert_trajectory_is_sane(traj, surface, len(x0), kwargs["steps"])
    again = optimize(surface, x0, **kwargs)
    if kwargs["seed"] is not None or not np.any(kwargs["noise"]):
        np.testing.assert_array_equal(traj.path, again.path)  # same seed, same run


def _optimize_with(**changes):
    args = {"x0": np.array([[0.5, 0.5]]), "lr": 0.1, "steps": 10} | changes
    return lambda: optimize(L.get("bowl"), **args)


bad_rates = st.one_of(
    st.floats(max_value=0.0),
    not_finite,
    st.text(max_size=3),
    st.none(),
    huge_int,
    st.just(np.full(3, 0.1)),  # a schedule of the wrong length
    st.just(np.full((2, 2), 0.1)),  # per-run rates for 2 runs, not 1
    st.just(np.array([0.1] * 9 + [-0.1])),  # one bad step in a schedule
)
bad_steps = st.one_of(
    st.integers(max_value=-1),
    st.integers(MAX_STEPS + 1, 10**18),
    st.floats(),
    st.booleans(),
    st.text(max_size=3),
    st.none(),
)


@cases(250)
@given(
    case=st.one_of(
        bad_rates.map(lambda v: ("lr", _optimize_with(lr=v))),
        st.one_of(
            st.floats(max_value=-1e-300), not_finite, st.text(max_size=3), huge_int
        ).map(lambda v: ("noise", _optimize_with(noise=v))),
        bad_steps.map(lambda v: ("steps", _optimize_with(steps=v))),
        st.one_of(st.integers(max_value=0), st.integers(11, 10**6), st.floats()).map(
            lambda v: ("every", _optimize_with(every=v))
        ),
        st.one_of(
            st.floats(max_value=-1e-300), st.floats(min_value=1.0), not_finite, junk
        ).map(lambda v: ("momentum", _optimize_with(momentum=v))),
        st.one_of(st.text(max_size=8), junk)
        .filter(lambda v: v not in METHODS)
        .map(lambda v: ("method", _optimize_with(method=v))),
        bad_seeds.map(lambda v: ("seed", _optimize_with(seed=v, noise=1.0))),
        st.one_of(
            st.lists(not_finite, min_size=2, max_size=2),
            st.lists(finite, min_size=3, max_size=3),
            st.lists(finite, min_size=1, max_size=1),
            st.just(np.zeros((0, 2))),
            st.just(np.zeros((2, 2, 2))),
            st.text(max_size=3),
            st.none(),
        ).map(lambda v: ("x0", _optimize_with(x0=v))),
        # runs that would not fit in memory or would take minutes
        st.tuples(st.integers(10**4, 10**6), st.integers(10**4, MAX_STEPS)).map(
            lambda a: ("steps", _optimize_with(x0=np.zeros((a[0], 2)), steps=a[1]))
        ),
        st.integers(300, 1000).map(
            lambda d: (
                "x0|steps",
                lambda: optimize(
                    L.rastrigin(d),
                    np.zeros((300, d)),
                    lr=0.1,
                    steps=100,
                    method="newton",
                ),
            )
        ),
        st.just(("landscape", lambda: optimize("bowl", [0.0, 0.0], lr=0.1, steps=1))),
    )
)
def test_optimize_bad_arguments_name_themselves(case):
    word, call = case
    raises_naming(word, call)
