import numpy as np
import pytest

from tutorial import landscapes as L
from tutorial.nn import MLP

ALL = [L.get(name) for name in L.names()] + [
    L.quadratic([3.0, -1.0], angle=0.4),
    L.quadratic([1.0, 2.0, 0.0, -4.0]),
    L.rastrigin(5),
    L.plateau(3, width=0.8),
]


def random_points(surface, n=50, seed=0):
    rng = np.random.default_rng(seed)
    return surface.bounds[0] + rng.random((n, surface.dim)) * surface.span


def finite_difference(fn, x, h=1e-6):
    """Central differences of fn along each coordinate: shape (n, *out, dim)."""
    cols = []
    for e in np.eye(x.shape[-1]):
        cols.append((fn(x + h * e) - fn(x - h * e)) / (2 * h))
    return np.stack(cols, -1)


@pytest.mark.parametrize("surface", ALL, ids=lambda s: f"{s.name}-{s.dim}")
def test_gradient_matches_finite_differences(surface):
    x = random_points(surface)
    fd = finite_difference(surface.value, x)
    scale = 1 + np.abs(fd).max()
    np.testing.assert_allclose(surface.grad(x), fd, atol=2e-6 * scale, rtol=1e-5)


@pytest.mark.parametrize("surface", ALL, ids=lambda s: f"{s.name}-{s.dim}")
def test_hessian_matches_finite_differences_and_is_symmetric(surface):
    x = random_points(surface, seed=1)
    fd = finite_difference(surface.grad, x)
    H = surface.hessian(x)
    scale = 1 + np.abs(fd).max()
    np.testing.assert_allclose(H, fd, atol=2e-6 * scale, rtol=1e-5)
    np.testing.assert_allclose(H, np.swapaxes(H, -1, -2), atol=1e-12)


@pytest.mark.parametrize("surface", ALL, ids=lambda s: f"{s.name}-{s.dim}")
def test_methods_keep_leading_axes(surface):
    x = random_points(surface, n=12).reshape(3, 4, surface.dim)
    assert surface.value(x).shape == (3, 4)
    assert surface.grad(x).shape == (3, 4, surface.dim)
    assert surface.hessian(x).shape == (3, 4, surface.dim, surface.dim)
    assert surface.value(x[0, 0]).shape == ()
    assert surface.minima.shape[1:] == (surface.dim,)


@pytest.mark.parametrize("name", L.names())
def test_known_minima_are_minima(name):
    surface = L.get(name)
    for m in surface.minima:
        assert np.linalg.norm(surface.grad(m)) < 1e-7, m
        assert np.linalg.eigvalsh(surface.hessian(m)).min() > 0, m
        assert np.all((surface.bounds[0] <= m) & (m <= surface.bounds[1]))


def test_required_surfaces_exist():
    required = {
        "bowl",
        "valley",
        "rosenbrock",
        "himmelblau",
        "six_hump_camel",
        "rastrigin",
        "double_well",
        "x_cos_pi_x",
        "saddle",
        "monkey_saddle",
        "plateau",
    }
    assert required <= set(L.names())
    assert L.get("x_cos_pi_x").dim == 1


def test_himmelblau_minima_are_all_zero():
    np.testing.assert_allclose(
        L.get("himmelblau").value(L.get("himmelblau").minima), 0, atol=1e-20
    )


def test_quadratic_rotation_keeps_eigenvalues():
    q = L.quadratic([0.5, 10.0], angle=0.7)
    np.testing.assert_allclose(np.linalg.eigvalsh(q.hessian([1.0, 2.0])), [0.5, 10.0])
    x = np.array([0.3, -1.2])
    assert q.value(x) == pytest.approx(0.5 * x @ q.hessian(x) @ x)


def test_saddle_has_no_minimum_and_mixed_curvature():
    s = L.get("saddle")
    assert len(s.minima) == 0
    assert np.sign(np.linalg.eigvalsh(s.hessian([0.0, 0.0]))).tolist() == [-1, 1]
    assert s.value([1.0, 0.0]) == 1 and s.value([0.0, 1.0]) == -1


def test_plateau_is_flat_far_away():
    p = L.get("plateau")
    assert np.linalg.norm(p.grad([2.5, 0.0])) < 1e-4
    assert p.value([2.5, 0.0]) > 0.99


@pytest.mark.parametrize(
    "call, word",
    [
        (lambda: L.get("nope"), "name"),
        (lambda: L.quadratic([1.0, 2.0, 3.0], angle=0.1), "angle"),
        (lambda: L.quadratic([]), "eigenvalues"),
        (lambda: L.quadratic([1.0, np.nan]), "eigenvalues"),
        (lambda: L.rastrigin(0), "dim"),
        (lambda: L.plateau(2, width=-1), "width"),
        (lambda: L.get("bowl").value([1.0, 2.0, 3.0]), "x"),
    ],
)
def test_bad_arguments_name_themselves(call, word):
    with pytest.raises(ValueError, match=word):
        call()


def test_surfaces_without_data_have_no_examples():
    bowl = L.get("bowl")
    assert bowl.examples == 0 and bowl.weighted_fdf is None
    with pytest.raises(ValueError, match="not a loss over examples"):
        bowl.batch_grad([0.0, 0.0], [0])
    with pytest.raises(ValueError, match="examples and weighted_fdf"):
        L.Landscape("half", 1, bowl.bounds, bowl.minima, bowl.f, bowl.df, bowl.d2f,
                    examples=3)  # fmt: skip


@pytest.mark.parametrize(
    "batch",
    [[], [4], [-1], [0.5], [[0, 1], [1, 2], [2, 3]], np.zeros((2, 0), int), "0"],
)
def test_batch_grad_names_a_bad_batch(batch):
    X, y = np.arange(8.0).reshape(4, 2), np.arange(4.0)
    surface = MLP([2, 1]).landscape(X, y)
    with pytest.raises(ValueError, match=r"batch must be whole numbers in \[0, 3\]"):
        surface.batch_grad(np.zeros((2, 3)), batch)
