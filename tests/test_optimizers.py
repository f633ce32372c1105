import warnings

import numpy as np
import pytest

from tutorial import landscapes as L
from tutorial.optimizers import METHODS, optimize


@pytest.fixture(autouse=True)
def warnings_are_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def test_shapes_and_single_start():
    traj = optimize(L.get("himmelblau"), np.zeros((7, 2)), lr=0.01, steps=30)
    assert traj.path.shape == (31, 7, 2)
    assert traj.loss.shape == (31, 7)
    assert traj.diverged.shape == (7,) and traj.diverged.dtype == bool
    one = optimize(L.get("himmelblau"), [0.0, 0.0], lr=0.01, steps=30)
    assert one.path.shape == (31, 1, 2)
    np.testing.assert_array_equal(one.path[:, 0], traj.path[:, 0])
    np.testing.assert_allclose(traj.loss, L.get("himmelblau").value(traj.path))


@pytest.mark.parametrize("ratio", [0.1, 0.5, 1.0, 1.5, 1.9, 1.98])
def test_gd_converges_below_two_over_lambda_max(ratio):
    q = L.quadratic([0.5, 4.0], angle=0.3)
    traj = optimize(q, [[1.0, -1.0], [2.0, 0.5]], lr=ratio / 4.0, steps=3000)
    assert not traj.diverged.any()
    assert traj.final_loss.max() < 1e-10


@pytest.mark.parametrize("ratio", [2.02, 2.5, 4.0, 50.0])
def test_gd_diverges_above_two_over_lambda_max(ratio):
    q = L.quadratic([0.5, 4.0], angle=0.3)
    traj = optimize(q, [[1.0, -1.0], [2.0, 0.5]], lr=ratio / 4.0, steps=3000)
    assert traj.diverged.all()
    assert np.isfinite(traj.path).all() and np.isfinite(traj.loss).all()
    # frozen after divergence: nothing moves any more
    last = traj.diverged_at.max()
    np.testing.assert_array_equal(traj.path[last], traj.path[-1])


@pytest.mark.parametrize("beta", [0.0, 0.5, 0.9])
def test_momentum_stable_exactly_below_two_times_one_plus_beta(beta):
    q = L.quadratic([1.0])
    edge = 2 * (1 + beta)
    inside = optimize(
        q, [1.0], lr=0.97 * edge, steps=5000, method="momentum", momentum=beta
    )
    outside = optimize(
        q, [1.0], lr=1.03 * edge, steps=5000, method="momentum", momentum=beta
    )
    assert not inside.diverged[0] and inside.final_loss[0] < 1e-12
    assert outside.diverged[0]


@pytest.mark.parametrize(
    "lr, lam, sigma", [(0.1, 1.0, 1.0), (0.5, 2.0, 0.3), (0.05, 4.0, 2.0)]
)
def test_noisy_gd_stationary_variance(lr, lam, sigma):
    """Var(x) -> ησ² / (λ(2 − ηλ)) for x ← x − η(λx + σξ)."""
    n, steps = 4000, 600
    traj = optimize(
        L.quadratic([lam]), np.zeros((n, 1)), lr=lr, steps=steps, noise=sigma, seed=3
    )
    # pool the last 20 well-separated steps for a tighter estimate
    samples = traj.path[-200::10, :, 0]
    measured = samples.var()
    theory = lr * sigma**2 / (lam * (2 - lr * lam))
    stderr = theory * np.sqrt(2 / samples.size) * 3  # steps are correlated
    assert abs(measured - theory) < 4 * stderr, (measured, theory)


def test_newton_jumps_to_the_critical_point_even_a_saddle():
    saddle = L.quadratic([2.0, -1.0])
    starts = np.array([[1.0, 0.5], [-0.3, 0.01]])
    newton = optimize(saddle, starts, lr=1.0, steps=1, method="newton")
    np.testing.assert_allclose(newton.final, 0, atol=1e-12)
    gd = optimize(saddle, starts, lr=0.1, steps=50)
    assert np.all(np.abs(gd.final[:, 1]) > np.abs(starts[:, 1]))  # GD is repelled


@pytest.mark.parametrize("method", METHODS)
def test_every_method_finds_the_bottom_of_a_bowl(method):
    lr = {"gd": 0.1, "momentum": 0.05, "adam": 0.05, "newton": 0.5}[method]
    traj = optimize(
        L.get("bowl"), [[1.5, -1.0], [-1.0, 0.2]], lr=lr, steps=2000, method=method
    )
    assert traj.final_loss.max() < 1e-6


def test_noise_is_seeded_and_zero_noise_ignores_the_seed():
    surface, x0 = L.get("himmelblau"), np.ones((5, 2))
    a = optimize(surface, x0, lr=0.01, steps=50, noise=1.0, seed=1)
    b = optimize(surface, x0, lr=0.01, steps=50, noise=1.0, seed=1)
    c = optimize(surface, x0, lr=0.01, steps=50, noise=1.0, seed=2)
    np.testing.assert_array_equal(a.path, b.path)
    assert not np.array_equal(a.path, c.path)
    d = optimize(surface, x0, lr=0.01, steps=50, seed=1)
    e = optimize(surface, x0, lr=0.01, steps=50, seed=2)
    np.testing.assert_array_equal(d.path, e.path)


def test_schedules_and_per_run_rates():
    q = L.quadratic([1.0])
    sched = optimize(q, [1.0], lr=np.full(10, 0.5), steps=10)
    const = optimize(q, [1.0], lr=0.5, steps=10)
    np.testing.assert_array_equal(sched.path, const.path)
    runs = optimize(q, np.ones((3, 1)), lr=np.array([[0.1, 0.5, 2.5]]), steps=100)
    assert runs.diverged.tolist() == [False, False, True]
    np.testing.assert_allclose(runs.path[1, :2, 0], [0.9, 0.5])


def test_every_thins_the_record_but_keeps_the_end():
    full = optimize(L.get("bowl"), [1.0, 1.0], lr=0.1, steps=25)
    thin = optimize(L.get("bowl"), [1.0, 1.0], lr=0.1, steps=25, every=10)
    assert thin.t.tolist() == [0, 10, 20, 25]
    np.testing.assert_array_equal(thin.path, full.path[[0, 10, 20, 25]])


def test_runaway_downhill_is_flagged_not_a_crash():
    traj = optimize(L.get("monkey_saddle"), [[-0.5, 0.0]], lr=0.1, steps=200)
    assert traj.diverged[0] and 0 < traj.diverged_at[0] < 200


@pytest.mark.parametrize(
    "kwargs, word",
    [
        ({"lr": 0.0}, "lr"),
        ({"lr": -0.1}, "lr"),
        ({"lr": np.nan}, "lr"),
        ({"lr": np.inf}, "lr"),
        ({"lr": "fast"}, "lr"),
        ({"steps": -1}, "steps"),
        ({"steps": 2.5}, "steps"),
        ({"steps": 10**9}, "steps"),
        ({"x0": [np.nan, 0.0]}, "x0"),
        ({"x0": [1.0, 2.0, 3.0]}, "x0"),
        ({"x0": np.zeros((0, 2))}, "x0"),
        ({"method": "sgd-ish"}, "method"),
        ({"noise": -1.0}, "noise"),
        ({"momentum": 1.0}, "momentum"),
        ({"x0": np.zeros((100_000, 2)), "steps": 2000}, "steps"),
    ],
)
def test_bad_arguments_raise_value_error_naming_them(kwargs, word):
    args = {"x0": [0.5, 0.5], "lr": 0.1, "steps": 10} | kwargs
    with pytest.raises(ValueError, match=word):
        optimize(L.get("bowl"), **args)


def test_zero_steps_accept_an_empty_schedule():
    # Found by hypothesis: a schedule of shape (steps,) = (0,) is valid.
    surface = L.get("bowl")
    traj = optimize(
        surface, [[0.5, -0.5]], lr=np.array([]), steps=0, noise=np.array([])
    )
    assert traj.path.shape[0] == 1 and np.allclose(traj.final, [[0.5, -0.5]])
    assert not traj.diverged.any()
