import warnings

import numpy as np
import pytest

from tutorial import datasets
from tutorial.nn import MLP, WidthBlock
from tutorial.optimizers import optimize

CASES = [
    ([2, 4, 1], "tanh", "mse"),
    ([2, 3, 3, 2], "relu", "mse"),
    ([2, 5, 4, 1], "sigmoid", "bce"),
    ([1, 1], "tanh", "mse"),
    ([3, 6, 2], "tanh", "bce"),
]


def problem(sizes, loss, m=9, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(m, sizes[0]))
    y = rng.random((m, sizes[-1]))
    if loss == "mse":
        y = 3 * y - 1
    return X, y


def finite_difference(fn, w, h):
    return np.stack(
        [(fn(w + h * e) - fn(w - h * e)) / (2 * h) for e in np.eye(w.shape[-1])], -1
    )


@pytest.mark.parametrize("sizes, act, loss", CASES)
def test_backprop_gradient_matches_finite_differences(sizes, act, loss):
    net = MLP(sizes, act)
    X, y = problem(sizes, loss)
    surface = net.landscape(X, y, loss)
    w = net.init(4, seed=1)
    if act == "relu":  # keep away from the kinks, where no derivative exists
        w += 0.05
    fd = finite_difference(surface.value, w, 1e-6)
    np.testing.assert_allclose(surface.grad(w), fd, atol=1e-7, rtol=1e-6)


@pytest.mark.parametrize("sizes, act, loss", CASES)
def test_hessian_matches_second_differences(sizes, act, loss):
    net = MLP(sizes, act)
    X, y = problem(sizes, loss)
    surface = net.landscape(X, y, loss)
    w = net.init(2, seed=2) + (0.05 if act == "relu" else 0)
    h = 1e-4
    dim = net.dim
    H = surface.hessian(w)
    for i, j in [(0, 0), (0, dim - 1), (dim // 2, 1), (dim - 1, dim - 1)]:
        ei, ej = np.eye(dim)[i] * h, np.eye(dim)[j] * h
        second = (
            surface.value(w + ei + ej)
            - surface.value(w + ei - ej)
            - surface.value(w - ei + ej)
            + surface.value(w - ei - ej)
        ) / (4 * h * h)
        np.testing.assert_allclose(H[:, i, j], second, atol=1e-5, rtol=1e-4)


def test_vectorised_equals_one_network_at_a_time():
    net = MLP([2, 4, 1])
    X, y = datasets.xor()
    surface = net.landscape(X, y)
    w = net.init(6, seed=3)
    batch_v, batch_g = surface.value(w), surface.grad(w)
    for i in range(6):
        assert surface.value(w[i]) == pytest.approx(batch_v[i], rel=1e-12)
        np.testing.assert_allclose(
            surface.grad(w[i]), batch_g[i], rtol=1e-12, atol=1e-15
        )


def test_predict_agrees_with_a_hand_written_forward_pass():
    net = MLP([2, 3, 1], "tanh")
    w = net.init(1, seed=4)[0]
    (W1, b1), (W2, b2) = net.unflatten(w)
    X = np.array([[0.5, -1.0], [2.0, 0.1]])
    expected = np.tanh(X @ W1 + b1) @ W2 + b2
    np.testing.assert_allclose(net.predict(w, X), expected, rtol=1e-12)
    assert net.predict(net.init(5, seed=0).reshape(5, 1, -1), X).shape == (5, 1, 2, 1)


def test_init_scale_is_lecun():
    net = MLP([100, 50, 1])
    w = net.init(40, seed=0, scale=2.0)
    (W1, _), _ = net.unflatten(w[0])
    first = w[:, : 100 * 50]
    assert first.std() == pytest.approx(2.0 / np.sqrt(100), rel=0.02)
    assert net.dim == 100 * 50 + 50 + 50 + 1
    assert W1.shape == (100, 50)


def test_mse_and_bce_values():
    net = MLP([1, 1])
    X, y = np.array([[1.0], [2.0]]), np.array([1.0, 0.0])
    w = np.array([0.5, -0.5])  # outputs 0 and 0.5
    assert net.landscape(X, y, "mse").value(w) == pytest.approx((1 + 0.25) / 2)
    expected = (np.log(2) + np.log1p(np.exp(0.5))) / 2
    assert net.landscape(X, y, "bce").value(w) == pytest.approx(expected)


def test_many_xor_networks_train_at_once():
    """The claim of the design: one optimize call trains hundreds of networks."""
    net = MLP([2, 4, 1])
    X, y = datasets.xor()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        good = optimize(
            net.landscape(X, y), net.init(300, seed=0), lr=0.2, steps=1500, every=500
        )
        wild = optimize(
            net.landscape(X, y), net.init(300, seed=0), lr=0.5, steps=1500, every=500
        )
    solved = good.final_loss < 0.01
    assert good.path.shape == (4, 300, net.dim)
    assert solved.mean() > 0.95 and not good.diverged.any()
    # the same starts with a rate 2.5 times larger: a large share blows up
    assert 0.2 < wild.diverged.mean() < 0.7
    traj = good
    correct = (net.predict(traj.final[solved], X)[..., 0] > 0.5) == (y > 0.5)
    assert correct.all()


@pytest.mark.parametrize(
    "widths, data",
    [((1, 2, 3, 4, 6, 8), "xor"), ((3, 1), "moons3")],
    ids=["XOR, notebook 03's widths", "three inputs"],
)
def test_width_block_gives_every_network_its_own_loss_and_gradient(widths, data):
    if data == "xor":
        X, y = datasets.xor()
    else:  # a third input column, so the block is not tied to two inputs
        X, y = datasets.moons(30, seed=1)
        X = np.c_[X, X[:, 0] * X[:, 1]]
    block = WidthBlock(widths, X, y)
    nets = [MLP([X.shape[1], w, 1]) for w in widths]
    assert [n.sizes for n in block.networks] == [n.sizes for n in nets]
    weights = [net.init(5, seed=3) for net in nets]
    packed = block.pack(weights)
    assert packed.shape == (5, block.dim) and block.dim == sum(n.dim for n in nets)
    for w, back in zip(weights, block.unpack(packed), strict=True):
        np.testing.assert_array_equal(w, back)
    value, grad = block.landscape.fdf(packed)
    total = 0
    for net, w, g in zip(nets, weights, block.unpack(grad), strict=True):
        land = net.landscape(X, y, loss="bce")
        total = total + land.value(w)
        # single precision inside the block
        np.testing.assert_allclose(g, land.grad(w), rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(value, total, rtol=1e-5)


def test_layers_say_where_each_weight_matrix_sits():
    net = MLP([3, 4, 2])
    w = np.arange(net.dim, dtype=float)
    for layer, (W, b) in zip(net.layers, net.unflatten(w), strict=True):
        np.testing.assert_array_equal(
            w[layer.weights].reshape(layer.fan_in, layer.fan_out), W
        )
        np.testing.assert_array_equal(w[layer.biases], b)
    assert [(lay.fan_in, lay.fan_out) for lay in net.layers] == [(3, 4), (4, 2)]
    assert net.layers[-1].biases.stop == net.dim


@pytest.mark.parametrize(
    "call, word",
    [
        (lambda: MLP([2]), "sizes"),
        (lambda: MLP([2, 0, 1]), "sizes"),
        (lambda: MLP([2, 2.5, 1]), "sizes"),
        (lambda: MLP([2, 3, 1], "swish"), "activation"),
        (lambda: MLP([2, 3, 1]).init(0), "n"),
        (lambda: MLP([2, 3, 1]).init(3, scale=-1.0), "scale"),
        (lambda: MLP([2, 3, 1]).landscape(np.zeros((4, 3)), np.zeros(4)), "X"),
        (lambda: MLP([2, 3, 1]).landscape(np.zeros((4, 2)), np.zeros(5)), "y"),
        (
            lambda: MLP([2, 3, 1]).landscape(np.zeros((4, 2)), np.zeros(4), "hinge"),
            "loss",
        ),
        (
            lambda: MLP([2, 3, 1]).landscape(np.zeros((4, 2)), np.full(4, 2.0), "bce"),
            "y",
        ),
        (lambda: MLP([2, 3, 1]).predict(np.zeros(5), np.zeros((4, 2))), "w"),
        (lambda: WidthBlock((), *datasets.xor()), "widths"),
        (lambda: WidthBlock((2, 0), *datasets.xor()), "widths"),
        (lambda: WidthBlock((2,), np.zeros(4), np.zeros(4)), "X"),
        (lambda: WidthBlock((2,), np.zeros((4, 2)), np.full(4, 2.0)), "y"),
    ],
)
def test_bad_arguments_raise_value_error(call, word):
    with pytest.raises(ValueError, match=word):
        call()


# ------------------------------------------------- a loss over examples


def per_example(surface, w):
    """Return every example's gradient at the points w, shape (m, n, dim)."""
    n = len(w)
    return np.stack(
        [surface.batch_grad(w, np.full((n, 1), j)) for j in range(surface.examples)]
    )


@pytest.mark.parametrize("sizes, act, loss", CASES)
def test_the_loss_is_the_mean_of_the_examples_losses(sizes, act, loss):
    net = MLP(sizes, act)
    X, y = problem(sizes, loss)
    surface = net.landscape(X, y, loss)
    w = net.init(3, seed=5) + (0.05 if act == "relu" else 0)
    assert surface.examples == len(X)
    alone = [net.landscape(X[j : j + 1], y[j : j + 1], loss) for j in range(len(X))]
    np.testing.assert_allclose(
        np.mean([s.value(w) for s in alone], 0), surface.value(w), rtol=1e-12
    )
    # an example's gradient is the gradient of its own loss
    grads = per_example(surface, w)
    for j in (0, len(X) - 1):
        np.testing.assert_allclose(grads[j], alone[j].grad(w), rtol=1e-12, atol=1e-15)
    # the mean of them is the full gradient; a batch's is the mean of its own
    np.testing.assert_allclose(grads.mean(0), surface.grad(w), rtol=1e-12, atol=1e-15)
    batch = np.array([[0, 3, 3], [1, 2, 8], [8, 0, 4]])
    expected = np.stack([grads[b, i].mean(0) for i, b in enumerate(batch)])
    np.testing.assert_allclose(surface.batch_grad(w, batch), expected, rtol=1e-12,
                               atol=1e-15)  # fmt: skip
    # a whole batch is the full gradient, value and gradient from one pass
    everything = np.full((len(X), 3), 1 / len(X))
    value, grad = surface.weighted_fdf(w, everything)
    np.testing.assert_array_equal(value, surface.value(w))
    np.testing.assert_allclose(grad, surface.grad(w), rtol=1e-12, atol=1e-15)


def test_batch_grad_takes_one_point_or_one_batch_for_all():
    net = MLP([2, 4, 1])
    X, y = datasets.xor()
    surface = net.landscape(X, y)
    w = net.init(2, seed=1)
    both = surface.batch_grad(w, [1, 2])
    np.testing.assert_array_equal(surface.batch_grad(w[0], [1, 2]), both[0])
    np.testing.assert_array_equal(surface.batch_grad(w, [[1, 2], [1, 2]]), both)
