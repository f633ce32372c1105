"""Property tests of `tutorial.nn`: any network, finite values, named refusals."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from strategies import (
    assert_trajectory_is_sane,
    bad_seeds,
    cases,
    junk,
    log_uniform,
    not_finite,
    raises_naming,
    seeds,
    warnings_are_errors,  # noqa: F401 (an autouse fixture)
)

from tutorial import datasets
from tutorial.nn import ACTIVATIONS, LOSSES, MLP
from tutorial.optimizers import METHODS, optimize


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
        surface,
        w0,
        lr=data.draw(log_uniform(1e-3, 1e2)),
        steps=steps,
        method=data.draw(st.sampled_from(METHODS)),
        noise=data.draw(st.floats(0, 3)),
        seed=0,
    )
    assert_trajectory_is_sane(traj, surface, len(w0), steps)


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
        ).map(lambda s: ("scale", lambda: MLP([2, 1]).init(2, scale=s))),
        bad_seeds.map(lambda s: ("seed", lambda: MLP([2, 1]).init(2, seed=s))),
        st.sampled_from(
            [
                np.zeros((4, 3)),
                np.zeros(4),
                np.zeros((0, 2)),
                np.full((4, 2), np.nan),
                "abc",
            ]
        ).map(lambda X: ("X", lambda: MLP([2, 3, 1]).landscape(X, Y4))),
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
