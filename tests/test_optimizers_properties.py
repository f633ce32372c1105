"""Property-based tests of the public API: any argument, no surprise.

For arguments in range the results are finite (or the run is flagged diverged),
the shapes are the documented ones, and no numpy warning escapes. For arguments
out of range the answer is a `ValueError` that names the argument. Hypothesis
draws the arguments; the settings below are derandomized, so every run tries
the same cases (`pytest --hypothesis-show-statistics` reports how many).
"""

from __future__ import annotations

import decimal
import fractions
import inspect
import math
import re
import sys
import time
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from tutorial import checks, datasets, sections
from tutorial import landscapes as L
from tutorial.nn import ACTIVATIONS, LOSSES, MLP
from tutorial.optimizers import MAX_STEPS, METHODS, optimize

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


# -------------------------------------------------------------- landscapes

eigenvalues = st.lists(
    st.one_of(st.floats(-L.MAX_EIGENVALUE, L.MAX_EIGENVALUE), st.just(0.0)),
    min_size=1,
    max_size=6,
)


@st.composite
def surfaces(draw):
    """Any surface the package makes, with in-range arguments."""
    kind = draw(st.sampled_from(["named", "quadratic", "rastrigin", "plateau"]))
    if kind == "named":
        return L.get(draw(st.sampled_from(L.names())))
    if kind == "quadratic":
        lam = draw(eigenvalues)
        angle = draw(st.floats(-10, 10)) if len(lam) == 2 else 0.0
        return L.quadratic(lam, angle)
    if kind == "rastrigin":
        return L.rastrigin(draw(st.integers(1, 40)))
    return L.plateau(draw(st.integers(1, 20)), draw(st.floats(1e-3, 1e3)))


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


@cases(150)
@given(data=st.data())
def test_surfaces_are_finite_with_documented_shapes(data):
    surface = data.draw(surfaces())
    x = data.draw(points_in(surface))
    lead = x.shape[:-1]
    value, grad = surface.value(x), surface.grad(x)
    hess = surface.hessian(x)
    assert value.shape == lead and grad.shape == lead + (surface.dim,)
    assert hess.shape == lead + (surface.dim, surface.dim)
    assert np.isfinite(value).all() and np.isfinite(grad).all()
    assert np.isfinite(hess).all()
    np.testing.assert_allclose(hess, np.swapaxes(hess, -1, -2), rtol=1e-9, atol=1e-9)
    low, high = surface.bounds
    assert low.shape == high.shape == (surface.dim,) and np.all(low < high)
    assert surface.minima.ndim == 2 and surface.minima.shape[1] == surface.dim


@cases(60)
@given(lam=eigenvalues, data=st.data())
def test_quadratic_is_half_x_h_x(lam, data):
    q = L.quadratic(lam)
    x = data.draw(points_in(q, lead=(4,), widen=1.0))
    H = q.hessian(x)
    expected = 0.5 * np.einsum("ni,nij,nj->n", x, H, x)
    scale = 1 + np.abs(x).max() ** 2 * np.abs(lam).max()
    np.testing.assert_allclose(q.value(x), expected, atol=1e-9 * scale)
    np.testing.assert_allclose(np.sort(np.linalg.eigvalsh(H[0])), np.sort(lam),
                               atol=1e-9 * (1 + np.abs(lam).max()))  # fmt: skip


bad_eigenvalues = st.one_of(
    st.just([]),
    st.lists(not_finite, min_size=1, max_size=3),
    st.lists(st.floats(1.01 * L.MAX_EIGENVALUE, 1e308), min_size=1, max_size=3),
    st.lists(st.sampled_from(["a", "one", "", "1,5"]), min_size=1, max_size=2),
    st.just([[1.0, 2.0]]),
    st.just([10**400]),
    st.just(np.ones(L.MAX_QUADRATIC_DIM + 1)),
    st.none(),
)
bad_dims = st.one_of(
    st.integers(max_value=0),
    st.integers(10_001, 10**12),
    st.floats(),
    st.booleans(),
    st.text(max_size=3),
    st.none(),
)


@cases(120)
@given(
    case=st.one_of(
        bad_eigenvalues.map(lambda e: ("eigenvalues", lambda: L.quadratic(e))),
        st.one_of(not_finite, junk.filter(lambda v: not isinstance(v, bool))).map(
            lambda a: ("angle", lambda: L.quadratic([1.0, 2.0], angle=a))
        ),
        st.floats(-10, 10)
        .filter(lambda a: a != 0)
        .map(lambda a: ("angle", lambda: L.quadratic([1.0, 2.0, 3.0], angle=a))),
        bad_dims.map(lambda d: ("dim", lambda: L.rastrigin(d))),
        bad_dims.map(lambda d: ("dim", lambda: L.plateau(d))),
        st.one_of(
            st.floats(max_value=0.999e-3),
            st.floats(min_value=1001),
            not_finite,
            junk,
        ).map(lambda w: ("width", lambda: L.plateau(2, w))),
        st.one_of(st.text(max_size=8), junk)
        .filter(lambda v: not (isinstance(v, str) and v in L.names()))
        .map(lambda name: ("name", lambda: L.get(name))),
        st.integers(1, 5)
        .filter(lambda d: d != 2)
        .map(lambda d: ("x", lambda: L.get("bowl").value(np.zeros(d)))),
        st.just(("x", lambda: L.rastrigin(2000).hessian(np.zeros((10, 2000))))),
    )
)
def test_landscape_bad_arguments_name_themselves(case):
    word, call = case
    raises_naming(word, call)


# -------------------------------------------------------------- optimizers


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
    np.testing.assert_allclose(recomputed[sane], traj.loss[sane], rtol=1e-6,
                               atol=1e-9)  # fmt: skip


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
                ),  # fmt: skip
            )
        ),
        st.just(("landscape", lambda: optimize("bowl", [0.0, 0.0], lr=0.1, steps=1))),
    )
)
def test_optimize_bad_arguments_name_themselves(case):
    word, call = case
    raises_naming(word, call)


# ---------------------------------------------------------------------- nn


@st.composite
def networks(draw):
    sizes = draw(st.lists(st.integers(1, 6), min_size=2, max_size=4))
    return MLP(sizes, draw(st.sampled_from(ACTIVATIONS)))


@cases(120)
@given(net=networks(), data=st.data())
def test_networks_are_finite_with_documented_shapes(net, data):
    n = data.draw(st.integers(1, 6))
    seed, scale = data.draw(seeds), data.draw(st.floats(0, 5))
    w = net.init(n, seed=seed, scale=scale)
    assert w.shape == (n, net.dim) and np.isfinite(w).all()
    np.testing.assert_array_equal(w, net.init(n, seed=seed, scale=scale))
    layers = net.unflatten(w[0])
    assert [(W.shape, b.shape) for W, b in layers] == [
        ((a, b), (b,)) for a, b in zip(net.sizes[:-1], net.sizes[1:], strict=True)
    ]
    m = data.draw(st.integers(1, 12))
    X = data.draw(
        st.lists(st.floats(-5, 5), min_size=m * net.sizes[0], max_size=m * net.sizes[0])
    )
    X = np.reshape(X, (m, net.sizes[0]))
    out = net.predict(w, X)
    assert out.shape == (n, m, net.sizes[-1]) and np.isfinite(out).all()
    loss = data.draw(st.sampled_from(LOSSES))
    y = np.reshape(
        data.draw(
            st.lists(
                st.floats(0, 1), min_size=m * net.sizes[-1], max_size=m * net.sizes[-1]
            )
        ),
        (m, net.sizes[-1]),
    )
    if loss == "mse":
        y = 6 * y - 3
    surface = net.landscape(X, y, loss)
    assert surface.dim == net.dim
    value, grad = surface.value(w), surface.grad(w)
    assert value.shape == (n,) and grad.shape == (n, net.dim)
    assert np.isfinite(value).all() and np.isfinite(grad).all()
    assert np.all(value >= 0)
    if net.dim <= 40:
        hess = surface.hessian(w[:2])
        assert hess.shape == (min(n, 2), net.dim, net.dim)
        assert np.isfinite(hess).all()


@cases(40)
@given(net=networks(), data=st.data())
def test_networks_train_finitely(net, data):
    X, y = datasets.xor(repeats=data.draw(st.integers(1, 3)), noise=0.1, seed=0)
    if net.sizes[0] != 2 or net.sizes[-1] != 1:
        net = MLP([2, *net.sizes[1:-1], 1], net.activation)
    surface = net.landscape(X, y, data.draw(st.sampled_from(LOSSES)))
    w0 = net.init(data.draw(st.integers(1, 8)), seed=data.draw(seeds))
    steps = data.draw(st.integers(0, 40))
    traj = optimize(
        surface, w0, lr=data.draw(log_uniform(1e-3, 1e2)), steps=steps,
        method=data.draw(st.sampled_from(METHODS)), noise=data.draw(st.floats(0, 3)),
        seed=0,
    )  # fmt: skip
    assert_trajectory_is_sane(traj, surface, len(w0), steps)


def _net_call(word, make):
    return (word, make)


X4, Y4 = np.zeros((4, 2)), np.zeros(4)


@cases(200)
@given(
    case=st.one_of(
        st.one_of(
            st.lists(st.integers(1, 5), max_size=1),
            st.lists(st.integers(max_value=0), min_size=2, max_size=3),
            st.lists(st.integers(4097, 10**9), min_size=2, max_size=3),
            st.lists(st.floats(), min_size=2, max_size=3),
            st.text(max_size=4),
            st.none(),
            st.just([[2, 1]]),
            st.just([True, 2]),
        ).map(lambda s: ("sizes", lambda: MLP(s))),
        st.one_of(st.text(max_size=6), junk)
        .filter(lambda a: a not in ACTIVATIONS)
        .map(lambda a: ("activation", lambda: MLP([2, 1], a))),
        st.one_of(
            st.integers(max_value=0), st.integers(10**6 + 1), st.floats(), junk
        ).map(lambda n: ("n", lambda: MLP([2, 3, 1]).init(n))),
        st.integers(2_000, 10**6).map(
            lambda n: ("n", lambda: MLP([4096, 4096, 1]).init(n))
        ),
        st.one_of(
            st.floats(max_value=-1e-300), st.floats(min_value=1001), not_finite, junk
        ).map(lambda s: ("scale", lambda: MLP([2, 1]).init(2, scale=s))),  # fmt: skip
        bad_seeds.map(lambda s: ("seed", lambda: MLP([2, 1]).init(2, seed=s))),
        st.sampled_from(
            [
                np.zeros((4, 3)),
                np.zeros(4),
                np.zeros((0, 2)),
                np.full((4, 2), np.nan),
                "abc",
            ]
        ).map(lambda X: ("X", lambda: MLP([2, 3, 1]).landscape(X, Y4))),  # fmt: skip
        st.sampled_from([np.zeros(5), np.zeros((4, 2)), np.full(4, np.inf), "ab"]).map(
            lambda y: ("y", lambda: MLP([2, 3, 1]).landscape(X4, y))
        ),
        st.one_of(st.floats(max_value=-1e-9), st.floats(min_value=1.001)).map(
            lambda v: ("y", lambda: MLP([2, 1]).landscape(X4, np.full(4, v), "bce"))
        ),
        st.one_of(st.text(max_size=5), junk)
        .filter(lambda v: v not in LOSSES)
        .map(lambda v: ("loss", lambda: MLP([2, 1]).landscape(X4, Y4, v))),
        st.integers(1, 8)
        .filter(lambda d: d != 3)
        .map(lambda d: ("w", lambda: MLP([2, 1]).predict(np.zeros(d), X4))),
    )
)
def test_network_bad_arguments_name_themselves(case):
    word, call = case
    raises_naming(word, call)


# ---------------------------------------------------------------- datasets

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
        X, y = datasets.line(n=n, slope=slope, intercept=intercept, noise=noise,
                             seed=seed)  # fmt: skip
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
        ).map(lambda t: ("turns", lambda: datasets.spirals(turns=t))),  # fmt: skip
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


# ------------------------------------------------------------------ checks

EXERCISES = list(sections.exercises().values())

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    huge_int,
    st.floats(),
    st.complex_numbers(),
    st.decimals(),
    st.fractions(),
    st.text(max_size=12),
    st.binary(max_size=4),
    st.sampled_from(["0.5", " 1e999 ", "nan", "-inf", "1,5", "½", "too large"]),
    st.just(object()),
    st.just(np.float64(np.nan)),
    st.just(np.longdouble("1e4000")),
)
answers = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.tuples(inner, inner),
        st.dictionaries(st.text(max_size=2), inner, max_size=2),
        st.frozensets(st.integers(), max_size=3),
        st.lists(st.floats(), max_size=4).map(np.array),
    ),
    max_leaves=6,
)


def assert_friendly(feedback) -> None:
    assert isinstance(feedback, checks.Feedback)
    assert isinstance(feedback.message, str) and feedback.message.strip()
    page = feedback._repr_html_()
    assert "Traceback" not in page and "Traceback" not in repr(feedback)


@pytest.mark.parametrize("check", EXERCISES, ids=lambda f: f.__name__)
@cases(25)
@given(answer=answers)
def test_exercises_answer_anything_with_a_sentence(check, answer):
    assert_friendly(check(answer))


@cases(150)
@given(answer=answers, expected=finite, rel=st.floats(0, 1))
def test_check_number_answers_anything(answer, expected, rel):
    feedback = checks.check_number(answer, expected, rel=rel)
    assert_friendly(feedback)
    if feedback.ok:
        value = answer.item() if isinstance(answer, np.ndarray) else answer
        value = float(value.strip() if isinstance(value, str) else value)
        assert abs(value - expected) <= rel * abs(expected) + 1e-12


@cases(100)
@given(answer=answers)
def test_check_choice_and_pair_answer_anything(answer):
    feedback = checks.check_choice(answer, "b", ("a", "b", "c"))
    assert_friendly(feedback)
    assert feedback.ok == (isinstance(answer, str) and answer.strip().lower() == "b")
    pair = checks.as_pair(answer, "the gradient")
    if isinstance(pair, checks.Feedback):
        assert_friendly(pair)
        assert not pair.ok
    else:
        assert pair.shape == (2,) and np.isfinite(pair).all()


@cases(40)
@given(answer=st.one_of(st.integers(-(10**6), 10**6), st.floats(-1e6, 1e6)))
def test_a_right_number_is_right_whatever_its_type(answer):
    as_decimal = decimal.Decimal(str(answer))
    as_fraction = fractions.Fraction(answer)
    for form in (answer, str(answer), np.float64(answer), np.array([answer])):
        assert checks.check_number(form, float(answer), rel=1e-9)
    for form in (as_decimal, as_fraction):  # not floats, but a learner's numbers
        assert_friendly(checks.check_number(form, float(answer), rel=1e-9))


# ------------------------------------------- section experiment functions


# In-range values by the tutorial's fixed argument names. Sizes never exceed
# the function's own default, so no case costs more than the notebook's.
def _name_domain(name: str, default):
    has = default is not inspect.Parameter.empty and default is not None
    if name == "seed":  # a slider's small seeds, or any seed at all
        return st.one_of(st.integers(0, 4), seeds)
    if name == "lr":
        if has and isinstance(default, float):
            return log_uniform(default / 3, default * 3)
        return log_uniform(1e-3, 1.0)
    if name == "noise" and (not has or isinstance(default, (int, float))):
        return st.floats(0, max(float(default) if has else 0.0, 1.0))
    if name == "scale" and (not has or isinstance(default, (int, float))):
        return st.floats(0.1, 3)
    sizes = {"steps": 100, "n": 50, "n_points": 50, "n_samples": 500, "count": 20,
             "guesses": 50, "restarts": 50, "dim": 10, "width": 8, "k": 10}  # fmt: skip
    if name in sizes and (not has or isinstance(default, int)):
        top = default if has else sizes[name]
        return st.integers(1 if name != "steps" else 0, max(int(top), 1))
    return None


def section_functions():
    """Return (module name, function name, {param: strategy}) to explore."""
    found = []
    for module in sections.MODULES:
        mod = sections.load(module)
        builders = set(getattr(mod, "DEMOS", {}).values())
        for name in getattr(mod, "__all__", []):
            fn = getattr(mod, name)
            if not inspect.isfunction(fn) or fn in builders:
                continue
            domains, ok = {}, True
            for p in inspect.signature(fn).parameters.values():
                if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
                    continue
                strategy = _name_domain(p.name, p.default)
                if strategy is not None:
                    domains[p.name] = strategy
                elif p.default is inspect.Parameter.empty:
                    ok = False  # an argument we cannot invent (a landscape, ...)
            if ok:
                found.append((module, name, domains))
    return found


SECTION_FUNCTIONS = section_functions()


def assert_finite_result(result, where: str, inf_ok: bool = False) -> None:
    """Walk a result: every number finite; a Trajectory may flag divergence.

    With `inf_ok` (the function documents inf as "never", say) ±inf passes;
    NaN never does.
    """
    from tutorial.optimizers import Trajectory

    def ok(values) -> bool:
        values = np.asarray(values)
        return bool(np.all(~np.isnan(values) if inf_ok else np.isfinite(values)))

    if isinstance(result, Trajectory):
        assert np.isfinite(result.path).all(), f"{where}: non-finite path"
        loss = result.loss[:, ~result.diverged]
        assert np.isfinite(loss).all(), f"{where}: non-finite loss, not diverged"
        return
    if isinstance(result, dict):
        for key, value in result.items():
            assert_finite_result(value, f"{where}[{key!r}]", inf_ok)
    elif isinstance(result, (list, tuple)):
        for i, value in enumerate(result):
            assert_finite_result(value, f"{where}[{i}]", inf_ok)
    elif isinstance(result, np.ndarray) and result.dtype.kind in "fc":
        assert ok(result), f"{where}: non-finite values {result[~np.isfinite(result)]}"
    elif isinstance(result, (float, np.floating)):
        assert ok(result), f"{where}: {result}"


@pytest.mark.parametrize(
    "module, name, domains",
    SECTION_FUNCTIONS,
    ids=[f"{m[:3]}.{n}" for m, n, _ in SECTION_FUNCTIONS],
)
# Each case runs a real experiment: report the failing case without shrinking.
@settings(
    max_examples=6,
    phases=[Phase.explicit, Phase.generate],
    **SETTINGS | {"suppress_health_check": list(HealthCheck)},
)
@given(data=st.data())
def test_section_functions_are_finite_in_range(module, name, domains, data):
    fn = getattr(sections.load(module), name)
    kwargs = {key: data.draw(strategy, label=key) for key, strategy in domains.items()}
    try:
        result = fn(**kwargs)
    except ValueError as exc:
        # A documented narrower range (say n_points >= 2) is fine if the
        # message names the argument; hypothesis fails if every case is refused.
        assume(not any(key in str(exc) for key in kwargs))
        raise
    assert_finite_result(result, f"{module}.{name}({kwargs})", documents_inf(fn))


def documents_inf(fn) -> bool:
    """Return True if fn's docstring (or one it points to) documents inf."""
    module = sys.modules[fn.__module__]
    docs = [fn.__doc__ or ""]
    for ref in re.findall(r"`(\w+)`", docs[0]):
        if callable(getattr(module, ref, None)):
            docs.append(getattr(module, ref).__doc__ or "")
    return any(re.search(r"\binf\b|infinit", doc) for doc in docs)


BAD_BY_NAME = {
    "lr": [0.0, -0.1, math.nan, math.inf],
    "noise": [-0.5, math.nan, math.inf],
    "steps": [-1, 10**9],
    "seed": [-1, "one"],
}


@pytest.mark.parametrize(
    "module, name, param, value",
    [
        (m, n, p, v)
        for m, n, domains in SECTION_FUNCTIONS
        for p in domains
        for v in BAD_BY_NAME.get(p, [])
    ],
    ids=str,
)
def test_section_functions_refuse_bad_arguments(module, name, param, value):
    fn = getattr(sections.load(module), name)
    required = {
        p.name: 0.1 if p.name == "lr" else 1
        for p in inspect.signature(fn).parameters.values()
        if p.default is inspect.Parameter.empty and p.kind is not p.VAR_KEYWORD
    }
    raises_naming(param, lambda: fn(**(required | {param: value})), limit=2.0)
