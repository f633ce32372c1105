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
    # "the loss drops to the best possible in a few steps": after 5 of the 50
    # steps less than 1/1000 of the excess is left (measured 0.014 of 41).
    excess = right.loss[:, 0] - best
    assert excess[right.t == 5][0] < 1e-3 * excess[0]
    assert wild.diverged[0]


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


# ------------------------------------------------ the two edges (issue 12, item 9)


def test_the_walk_along_w_and_the_surface_have_the_edges_the_prose_states():
    along_w, along_b = s01.axis_curvatures()
    lam_min, lam_max = s01.curvatures()
    assert round(along_w, 2) == 2.93 and round(along_b, 2) == 2.00
    assert round(2 / along_w, 2) == 0.68 and round(2 / lam_max, 2) == 0.44
    assert round(lam_min, 2) == 0.36 and round(lam_max, 2) == 4.56
    assert lam_max / lam_min > 10  # "more than ten times its flattest"
    # The walk demo's 1-D cut really does diverge just above 0.68, not at 0.44.
    for lr, diverges in ((0.5, False), (0.66, False), (0.70, True)):
        msg = s01.walk_demo(lr=lr, steps=30).message
        grows = "diverged" in msg or "farther away" in msg
        assert grows == diverges, (lr, msg)


def test_primer_numbers_and_the_curvature_of_every_direction():
    X, _ = s01.data()
    H = s01.loss_surface().hessian(s01.START)
    assert round(H[0, 1], 2) == 2.05 == round(2 * X[:, 0].mean(), 2)
    a, c, d = H[0, 0], H[0, 1], H[1, 1]
    root = np.sqrt(((a - d) / 2) ** 2 + c**2)
    np.testing.assert_allclose(
        [(a + d) / 2 - root, (a + d) / 2 + root], s01.curvatures(), rtol=1e-12
    )
    angles = np.arange(0.0, 180.0, 0.25)
    curv = s01.curvature_along(angles)
    lam_min, lam_max = s01.curvatures()
    assert curv.min() >= lam_min - 1e-9 and curv.max() <= lam_max + 1e-9
    assert abs(angles[curv.argmax()] - 39) <= 1  # "steepest about 39°"
    assert s01.curvature_along(0.0) == pytest.approx(s01.axis_curvatures()[0])


@pytest.mark.parametrize(
    "angle, eigen", [(0, False), (39, True), (129, True), (90, False)]
)
def test_curvature_demo_names_eigenvectors(angle, eigen):
    demo = s01.curvature_demo(angle)
    assert demo.error is None
    assert ("eigenvector" in demo.message) == eigen


def test_predict_walk_answer_is_what_the_walk_does():
    p = s01.predict_walk()
    assert "diverges" in p.answer
    msg = s01.walk_demo(lr=1.0).message
    assert "farther away" in msg or "diverged" in msg
    assert "1.93" in p.explanation and "0.68" in p.explanation


# ------------------------------------------------------ real SGD (issue 11)


def test_sgd_jitter_grows_with_lr_and_shrinks_with_batch():
    table = {
        (lr, B): s01.jitter(lr, B) for lr in (0.03, 0.1, 0.3) for B in (1, 2, 5, 10)
    }
    for B in (1, 2, 5, 10):
        assert table[0.03, B] < table[0.1, B] < table[0.3, B]
    for lr in (0.03, 0.1, 0.3):
        assert table[lr, 1] > table[lr, 2] > table[lr, 5] > table[lr, 10] > 0
    # Full batch at a stable rate settles: no jitter.
    assert s01.jitter(0.1, 20) < 1e-8


def test_sgd_numbers_in_the_prose():
    # "About x": the measured value rounds to x (0.026, 0.0022, 0.0038, 0.0013).
    assert 0.025 < s01.jitter(0.1, 1) < 0.035  # "about 0.03"
    assert 0.0015 < s01.jitter(0.1, 5) < 0.0025  # "about 0.002"
    assert abs(s01.jitter(0.1, 20)) < 1e-8  # "none at B = 20"
    assert 0.0035 < s01.jitter(0.03, 1) < 0.0045  # "about 0.004"
    assert 0.0005 < s01.jitter(0.1, 1, decay=True) < 0.0015  # "about 0.001"


@pytest.mark.parametrize("lr, B", [(0.1, 1), (0.3, 2), (0.1, 5)])
def test_a_decaying_schedule_ends_closer(lr, B):
    const = s01.excess_loss(s01.sgd_runs(lr, B))[-1].mean()
    decay = s01.excess_loss(s01.sgd_runs(lr, B, decay=True))[-1].mean()
    assert decay < const / 3


def test_sgd_runs_are_real_minibatches_and_full_batch_is_gd():
    traj = s01.sgd_runs(0.1, 4)
    assert traj.batch_size == 4 and traj.loss.shape == (s01.SGD_STEPS + 1, s01.SGD_RUNS)
    # Runs differ (each draws its own batches) ...
    assert np.ptp(traj.final[:, 0]) > 1e-3
    # ... and B = 20 is full-batch descent, path for path.
    full = s01.sgd_runs(0.1, 20)
    gd = s01.train(0.1, s01.SGD_STEPS)
    np.testing.assert_allclose(full.final[0], gd.final[0], rtol=1e-12)


def test_per_example_gradients_do_not_vanish_at_the_optimum():
    mean, spread = s01.gradient_spread(s01.optimum())
    assert np.abs(mean).max() < 1e-10
    assert round(spread, 2) == 0.87
    start_mean, start_spread = s01.gradient_spread(s01.START)
    assert round(start_spread) == 12 and np.abs(start_mean).max() > 10
    # The mean of the per-example gradients is the full gradient.
    g = s01.per_example_gradients(s01.START)
    np.testing.assert_allclose(g.mean(0), s01.loss_surface().grad(s01.START))


def test_exact_data_has_no_gradient_spread_at_the_optimum():
    """Where every example is fitted, every example's gradient vanishes."""
    from tutorial import datasets
    from tutorial.nn import MLP

    X, _ = s01.data()
    y = 2.0 * X[:, 0] + 1.0
    land = MLP([1, 1]).landscape(X, y, loss="mse")
    theta = np.array([2.0, 1.0])
    g = land.batch_grad(np.tile(theta, (len(y), 1)), np.arange(len(y))[:, None])
    assert np.abs(g).max() < 1e-12
    assert datasets is not None


def test_predict_sgd_answer_matches_the_runs():
    p = s01.predict_sgd()
    assert "jitter" in p.answer
    traj = s01.sgd_runs(0.1, 1)
    assert not traj.diverged.any()
    dist = np.linalg.norm(traj.final - s01.optimum(), axis=1)
    assert dist.max() < 0.5 and dist.min() > 1e-3


def test_sgd_demo_sentence():
    demo = s01.sgd_demo()
    assert demo.error is None and "batch 1" in demo.message
    demo.controls["batch_size"].value = 20
    assert "full batch" in demo.message


# -------------------------------------------------------------- exercises


def test_ex01_largest_lr_accepts_the_edge_and_rejects_its_neighbours():
    H = s01.scaled_surface().hessian(s01.START)
    edge = 2 / np.linalg.eigvalsh(H).max()
    assert round(edge, 2) == 0.15
    assert s01.ex01_largest_lr(0.15) and s01.ex01_largest_lr(round(edge, 3))
    for wrong in (0.14, 0.16, 0.155, 0.44, 0.48):
        assert not s01.ex01_largest_lr(wrong), wrong
    assert "original data" in s01.ex01_largest_lr(0.44).message
    assert "along w alone" in s01.ex01_largest_lr(0.17).message
    # A rate above the edge diverges, one at two figures below converges.
    X, y = s01.data()
    from tutorial.nn import MLP
    from tutorial.optimizers import optimize

    land = MLP([1, 1]).landscape(2 * X, y, loss="mse")
    assert optimize(land, s01.START, lr=0.155, steps=3000).diverged[0]
    assert not optimize(land, s01.START, lr=0.15, steps=3000).diverged[0]


def test_ex01_gd_step_accepts_a_step_and_names_mistakes():
    assert s01.ex01_gd_step(s01.gd_step)

    def uphill(theta, x, y, lr):
        return 2 * np.asarray(theta) - s01.gd_step(theta, x, y, lr)

    def half(theta, x, y, lr):
        return (np.asarray(theta) + s01.gd_step(theta, x, y, lr)) / 2

    def summed(theta, x, y, lr):
        t = np.asarray(theta)
        return t + len(x) * (s01.gd_step(theta, x, y, lr) - t)

    assert "uphill" in s01.ex01_gd_step(uphill).hint
    assert "2(ŷ − y)" in s01.ex01_gd_step(half).hint
    assert "not the sum" in s01.ex01_gd_step(summed).hint
    assert not s01.ex01_gd_step(lambda theta, x, y, lr: theta)


def test_ex01_gd_step_matches_the_optimizer():
    X, y = s01.data()
    step = s01.gd_step(s01.START, X[:, 0], y, 0.1)
    np.testing.assert_allclose(step, s01.train(0.1, steps=1).final[0], rtol=1e-12)


@pytest.mark.parametrize(
    "lr, right", [(0.05, "too small"), (0.3, "about right"), (0.6, "too large")]
)
def test_ex01_regime_each_wrong_option_has_its_own_feedback(lr, right):
    assert s01.ex01_regime(right, lr=lr)
    wrong = [o for o in ("too small", "about right", "too large") if o != right]
    for option in wrong:
        fb = s01.ex01_regime(option, lr=lr)
        assert not fb and len(fb.message) > len(f"{option!r} is not it.") + 10


def test_what_the_gaussian_model_gets_right_and_wrong():
    # Right: its jitter grows with η too.
    def gauss_jitter(lr):
        traj = s01.train(lr, s01.SGD_STEPS, noise=1.0, runs=s01.SGD_RUNS)
        return s01.excess_loss(traj)[-s01.SGD_TAIL :].mean()

    assert gauss_jitter(0.03) < gauss_jitter(0.1) / 2
    # Wrong: real minibatch noise has a shape the data decide (the examples'
    # gradients at the optimum spread several times more one way than the other),
    # while the model's is the same in every direction.
    g = s01.per_example_gradients(s01.optimum())
    spread = np.linalg.eigvalsh(np.cov(g.T))
    assert spread[1] / spread[0] > 5
