"""The spherical 3-spin glass: exact derivatives, copies, and the cited constants."""

import math

import numpy as np
import pytest

from tutorial import spin_glass as sg
from tutorial.optimizers import optimize


def finite_differences(surface, x, h=1e-6):
    eye = np.eye(surface.dim) * h
    grad = np.stack(
        [(surface.value(x + e) - surface.value(x - e)) / (2 * h) for e in eye], -1
    )
    hess = np.stack(
        [(surface.grad(x + e) - surface.grad(x - e)) / (2 * h) for e in eye], -1
    )
    return grad, hess


@pytest.mark.parametrize("copies", [1, 3])
def test_gradient_and_hessian_are_exact(copies):
    model = sg.SpinGlass(5, seed=1, copies=copies)
    surface = model.landscape()
    # Off the sphere too, where the radial term matters.
    x = model.starts(4, seed=2) * np.linspace(0.8, 1.2, 4)[:, None]
    grad, hess = finite_differences(surface, x)
    np.testing.assert_allclose(surface.grad(x), grad, atol=1e-7)
    np.testing.assert_allclose(surface.hessian(x), hess, atol=1e-7)
    # Single precision changes the gradient by about 1e-6 of its size.
    single = model.landscape(single=True).grad(x)
    assert np.abs(single - surface.grad(x)).max() < 1e-5 * np.abs(grad).max()


def test_loss_is_the_spin_glass_on_the_sphere():
    N = 6
    model = sg.SpinGlass(N, seed=3)
    J = np.random.default_rng(3).standard_normal((N, N, N))
    sigma = sg.sphere_points(N, 5, seed=4)
    assert np.allclose((sigma**2).sum(1), N)
    H = np.einsum("ijk,ni,nj,nk->n", J, sigma, sigma, sigma) / N
    np.testing.assert_allclose(model.loss_per_weight(sigma)[:, 0], H / N)
    np.testing.assert_allclose(model.landscape().value(sigma), H)
    # The loss is read on the sphere: rescaling a point changes nothing.
    np.testing.assert_allclose(model.loss_per_weight(3 * sigma), H[:, None] / N)


def test_copies_are_independent_problems_trained_as_if_alone():
    model = sg.SpinGlass(5, seed=10, copies=3)
    x0 = model.starts(6, seed=1)
    together = optimize(model.landscape(), x0, lr=0.1, steps=40, noise=0.5, seed=2)
    np.testing.assert_allclose(
        model.loss_per_weight(x0)[:, 1],
        sg.SpinGlass(5, seed=11).loss_per_weight(x0[:, 5:10])[:, 0],
    )
    alone = optimize(sg.SpinGlass(5, seed=11).landscape(), x0[:, 5:10], lr=0.1,
                     steps=40)  # fmt: skip
    quiet = optimize(model.landscape(), x0, lr=0.1, steps=40)
    np.testing.assert_allclose(quiet.final[:, 5:10], alone.final, atol=1e-12)
    assert together.final.shape == (6, 15)


def test_constants_of_auffinger_ben_arous_cerny():
    assert sg.THRESHOLD == pytest.approx(2 * math.sqrt(2 / 3))
    assert round(sg.THRESHOLD, 3) == 1.633
    assert round(sg.ground_state(), 3) == 1.657
    assert sg._complexity(-sg.ground_state(), 0) == pytest.approx(0, abs=1e-9)
    # Minima make up about e^(-N/3) of all critical points: the complexity of
    # minima at the threshold minus the total, ½ log 2.
    gap = sg._complexity(-sg.THRESHOLD - 1e-12, 0) - 0.5 * math.log(sg.P - 1)
    assert gap == pytest.approx(-1 / 3, abs=1e-6)


def test_index_at_loss_is_the_shifted_semicircle():
    e = sg.THRESHOLD
    u = np.array([-2.0, -e, 0.0, e, 2.0])
    np.testing.assert_allclose(sg.index_at_loss(u), [0, 0, 0.5, 1, 1], atol=1e-12)
    grid = np.linspace(-e, e, 101)
    assert np.all(np.diff(sg.index_at_loss(grid)) > 0)
    # Against the semicircle itself: the share of a large GOE spectrum below
    # 3u, in units of its radius 2√6.
    rng = np.random.default_rng(0)
    a = rng.standard_normal((20, 400, 400))
    ev = np.linalg.eigvalsh((a + a.transpose(0, 2, 1)) / 2) / math.sqrt(2 * 400)
    for value in (-1.2, -0.5, 0.4):
        share = (ev < 3 * value / (2 * math.sqrt(6))).mean()
        assert share == pytest.approx(sg.index_at_loss(value), abs=0.01)


def test_curvatures_leave_out_the_radial_direction():
    model = sg.SpinGlass(6, seed=0)
    surface = model.landscape()
    x0 = model.starts(10, seed=3)
    ends = optimize(surface, x0, lr=0.1, steps=3000).final
    assert np.linalg.norm(surface.grad(ends), axis=1).max() < 1e-8
    curv = model.curvatures(ends)
    assert curv.shape == (10, 5)
    full = np.linalg.eigvalsh(surface.hessian(ends))
    for row, c in zip(full, curv, strict=True):
        rest = list(row)
        rest.remove(min(rest, key=lambda v: abs(v - 2 * sg.STIFFNESS)))
        np.testing.assert_allclose(np.sort(rest), c, atol=1e-8)


@pytest.mark.parametrize(
    "call, word",
    [
        (lambda: sg.SpinGlass(1), "dim"),
        (lambda: sg.SpinGlass(101), "dim"),
        (lambda: sg.SpinGlass(2.5), "dim"),
        (lambda: sg.SpinGlass(True), "dim"),
        (lambda: sg.SpinGlass(4, copies=0), "copies"),
        (lambda: sg.SpinGlass(4, copies=17), "copies"),
        (lambda: sg.SpinGlass(4, seed=-1), "seed"),
        (lambda: sg.sphere_points(4, 0), "n"),
        (lambda: sg.SpinGlass(4).loss_per_weight(np.zeros(3)), "x"),
        (lambda: sg.SpinGlass(4, copies=2).curvatures(np.ones((1, 8))), "copies"),
    ],
)
def test_bad_arguments_name_themselves(call, word):
    with pytest.raises(ValueError, match=word):
        call()
