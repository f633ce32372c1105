"""Notebook 01's claims, as numbers."""

import numpy as np
import pytest

from tutorial import s01_learning_as_optimization as s01


def test_the_surface_is_a_quadratic_with_fixed_curvature():
    surface = s01.loss_surface()
    H = surface.hessian(np.random.default_rng(0).normal(size=(5, 2)))
    np.testing.assert_allclose(H, np.broadcast_to(H[0], H.shape), atol=1e-6)
    lam = s01.curvatures()
    assert lam[1] / lam[0] > 10  # a long narrow valley: the zig-zag is visible


def test_edge_of_stability_is_two_over_lambda_max():
    edge = s01.largest_stable_lr()
    assert not s01.train(0.97 * edge, steps=2000).diverged[0]
    assert s01.train(1.03 * edge, steps=2000).diverged[0]


def test_three_regimes_at_the_suggested_rates():
    best = s01.loss_surface().value(s01.optimum())
    slow, right, wild = (s01.train(lr, steps=50) for lr in (0.01, 0.3, 0.6))
    assert slow.final_loss[0] - best > 0.1 and not slow.diverged[0]
    assert right.final_loss[0] - best < 1e-3
    assert wild.diverged[0]


def test_noise_makes_the_walk_jitter_around_the_bottom():
    runs = [s01.train(0.1, steps=300, noise=1.0, seed=k).final[0] for k in range(40)]
    runs = np.array(runs)
    np.testing.assert_allclose(runs.mean(0), s01.optimum(), atol=0.4)
    assert runs.std(0).min() > 0.05  # it does not settle
    assert np.allclose(s01.train(0.1, steps=300).final[0], s01.optimum(), atol=1e-3)


@pytest.mark.parametrize("lr", [0.01, 0.3, 0.6])
def test_verdicts_say_what_happened(lr):
    text = s01.verdict(s01.train(lr), lr)
    word = {0.01: "above the best", 0.3: "reached the bottom", 0.6: "diverged"}[lr]
    assert word in text


@pytest.mark.parametrize(
    "lr, words",
    [(0.01, "creeps"), (0.3, "at the bottom"), (0.5, "zig-zag"), (0.9, "farther away")],
)
def test_walk_demo_says_what_the_steps_do(lr, words):
    demo = s01.walk_demo(lr=lr)
    assert demo.error is None and words in demo.message
