"""Property tests of `tutorial.landscapes`: any surface, any point, any argument."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from strategies import (
    cases,
    eigenvalues,
    junk,
    not_finite,
    points_in,
    raises_naming,
    warnings_are_errors,  # noqa: F401 (an autouse fixture)
)

from tutorial import landscapes as L


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
    np.testing.assert_allclose(
        np.sort(np.linalg.eigvalsh(H[0])),
        np.sort(lam),
        atol=1e-9 * (1 + np.abs(lam).max()),
    )


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
