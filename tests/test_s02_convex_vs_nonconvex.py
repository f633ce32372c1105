"""Notebook 02's claims, as numbers."""

import numpy as np
import pytest

from tutorial import checks, landscapes
from tutorial import s02_convex_vs_nonconvex as s02
from tutorial.nn import MLP
from tutorial.optimizers import optimize

NONCONVEX = ("himmelblau", "six_hump_camel", "network")


# ------------------------------------------------ many starts, one bottom?


@pytest.mark.parametrize("key", s02.CONVEX)
def test_every_start_reaches_the_same_bottom_on_a_convex_surface(key):
    runs = s02.descend(key)
    assert not runs.diverged.any()
    assert len(runs.final) == 49
    np.testing.assert_allclose(runs.final, 0.0, atol=1e-3)
    assert len(s02.end_points(runs.final, s02.surface(key))) == 1


def test_himmelblau_starts_end_at_its_four_known_minima():
    land = s02.surface("himmelblau")
    runs = s02.descend("himmelblau")
    ends = s02.end_points(runs.final, land)
    assert len(ends) == 4
    dist = np.linalg.norm(ends[:, None] - land.minima[None], axis=-1)
    assert dist.min(1).max() < 1e-3 and sorted(dist.argmin(1)) == [0, 1, 2, 3]
    assert runs.final_loss.max() < 1e-9  # four places, all equally good


def test_six_hump_camel_starts_end_at_six_places_of_different_height():
    runs = s02.descend("six_hump_camel")
    land = s02.surface("six_hump_camel")
    assert len(s02.end_points(runs.final, land)) == 6
    levels = np.unique(np.round(runs.final_loss, 4))
    assert len(levels) == 3  # two global minima, two pairs of poorer ones
    assert levels[0] < 0 < levels[-1]


def test_network_starts_end_at_many_places_and_losses():
    runs = s02.descend("network")
    loss = runs.final_loss
    assert (loss < 0.01 * loss.max()).mean() > 0.2  # some solve XOR ...
    assert (loss > 0.5 * loss.max()).mean() > 0.3  # ... many are stuck on shelves
    land = s02.surface("network")
    assert len(s02.end_points(runs.final, land)) > 10
    shelf = loss > 0.5 * loss.max()
    slope = np.linalg.norm(land.grad(runs.final[shelf]), axis=1)
    # Flat: the typical slope there is over a thousand times below the steep parts.
    steep = np.quantile(np.linalg.norm(land.grad(runs.path[0]), axis=1), 0.9)
    assert np.median(slope) < 1e-3 * steep


def test_the_network_slice_is_the_real_network_loss():
    land = s02.surface("network")
    from tutorial import datasets

    X, y = datasets.xor()
    full = MLP([2, 2, 1]).landscape(X, y, loss="bce")
    assert full.dim == 9  # the notebook's "9 weights"
    p = np.array([[1.5, -2.0], [-3.0, 4.0]])
    w = np.tile(s02.NET_REFERENCE, (2, 1))
    w[:, s02.NET_AXES[0]], w[:, s02.NET_AXES[1]] = p[:, 0], p[:, 1]
    scale = full.value(w) / land.value(p)
    np.testing.assert_allclose(scale, scale[0])
    eps = 1e-6
    fd = (land.value(p + [eps, 0]) - land.value(p - [eps, 0])) / (2 * eps)
    np.testing.assert_allclose(land.grad(p)[:, 0], fd, rtol=1e-5, atol=1e-9)


def test_a_solution_and_its_swapped_twin_have_a_worse_midpoint():
    w = s02.NET_REFERENCE
    twin = s02.swap_hidden_units(w)
    assert not np.allclose(w, twin)
    loss, twin_loss, middle = s02.xor_loss(np.stack([w, twin, (w + twin) / 2]))
    assert loss < 0.01 and twin_loss == pytest.approx(loss, rel=1e-12)
    assert middle > 100 * loss  # the chord between them dips below: not convex


@pytest.mark.parametrize("key", ["bowl", "valley", "himmelblau", "six_hump_camel"])
def test_surfaces_are_scaled_to_unit_curvature_at_their_minima(key):
    land = s02.surface(key)
    lam = np.linalg.eigvalsh(land.hessian(land.minima))
    assert lam.max() == pytest.approx(1.0, rel=1e-6)


def test_network_scale_keeps_eta_below_two_stable_everywhere():
    land = s02.surface("network")
    for n in (25, 160):  # grids other than the one used to find the scale
        xs = np.linspace(-8, 8, n)
        pts = np.stack(np.meshgrid(xs, xs), -1).reshape(-1, 2)
        assert np.linalg.eigvalsh(land.hessian(pts)).max() <= 1.05


def test_surface_rejects_unknown_names():
    with pytest.raises(ValueError, match="key"):
        s02.surface("volcano")


# ------------------------------------------------------------ chords


def _random_chords(land, n=400, seed=0):
    rng = np.random.default_rng(seed)
    low, span = land.bounds[0], land.span
    return low + span * rng.random((n, 2, 2))


@pytest.mark.parametrize("key", s02.CONVEX)
def test_no_chord_dips_below_a_convex_surface(key):
    land = s02.surface(key)
    worst = max(
        np.max(along - chord)
        for a, b in _random_chords(land)
        for _, along, chord in [s02.chord_gap(land, a, b)]
    )
    assert worst <= 1e-9


@pytest.mark.parametrize("key", NONCONVEX)
def test_some_chord_dips_below_a_nonconvex_surface(key):
    land = s02.surface(key)
    gaps = [
        np.max(along - chord)
        for a, b in _random_chords(land, n=100)
        for _, along, chord in [s02.chord_gap(land, a, b)]
    ]
    assert max(gaps) > 0.01


def test_the_default_chord_proves_himmelblau_is_not_convex():
    demo = s02.chord_demo()
    assert demo.message.startswith("Not convex")
    demo.controls["surface_key"].value = "bowl"
    assert demo.message.startswith("The chord stays")


# -------------------------------------------------- the learning-rate limit


@pytest.mark.parametrize("kappa", [1, 10, 100])
def test_descent_converges_exactly_below_two_over_lambda_max(kappa):
    land = s02.valley(kappa)
    edge = s02.largest_stable_lr([1.0 / kappa, 1.0])
    assert edge == pytest.approx(2.0)
    below = optimize(land, s02.LR_START, lr=0.97 * edge, steps=5000)
    above = optimize(land, s02.LR_START, lr=1.03 * edge, steps=5000)
    assert below.final_loss[0] < 1e-6 and not below.diverged[0]
    assert above.diverged[0]


def test_the_edge_is_sharp_in_the_sweep():
    after = s02.loss_after(10.0)
    start = s02.valley(10.0).value(s02.LR_START)
    below = s02.LR_GRID < 1.95
    above = s02.LR_GRID > 2.1
    assert np.all(after[below] < start)
    assert np.all(after[above] > 100 * start)
    best = s02.LR_GRID[np.argmin(after)]
    assert 1.0 < best < 2.0  # the best rate sits not far below the edge


def test_ill_conditioning_zig_zags_and_slows_descent():
    # Between 1/λmax and 2/λmax the steep coordinate flips sign every step.
    land = s02.valley(10.0)
    path = optimize(land, s02.LR_START, lr=1.8, steps=10).path[:, 0]
    c, s = np.cos(np.pi / 6), np.sin(np.pi / 6)
    steep = path @ np.array([-s, c])  # the eigenvector with λ = 1
    assert np.all(np.sign(steep[1:]) != np.sign(steep[:-1]))
    # Even the best rate, 2/(λmin + λmax), shrinks the error only by
    # (κ − 1)/(κ + 1) per step: 0 for a round bowl, 0.98 at κ = 100.
    for kappa in (1, 100):
        lam = [1.0 / kappa, 1.0]
        factor = s02.contraction(2 / sum(lam), lam)
        assert factor == pytest.approx((kappa - 1) / (kappa + 1), abs=1e-12)
    slow = optimize(s02.valley(100.0), s02.LR_START, lr=1.8, steps=s02.LR_STEPS)
    along_flat = slow.path[:, 0] @ np.array([c, s])  # the eigenvector with 1/κ
    assert abs(along_flat[-1]) > 0.3 * abs(along_flat[0])  # 60 steps: not there
    fast = optimize(s02.valley(1.0), s02.LR_START, lr=1.0, steps=1)
    assert fast.final_loss[0] < 1e-20


def test_lr_limit_status_says_diverges_above_the_edge():
    demo = s02.lr_limit_demo()
    assert "<" in demo.message and "diverges" not in demo.message
    demo.controls["lr"].value = 2.2
    assert "diverges" in demo.message


def test_contraction_and_edge_validate():
    assert s02.contraction(0.5, [1.0, 3.0]) == pytest.approx(0.5)
    with pytest.raises(ValueError):
        s02.largest_stable_lr([-1.0, -2.0])
    with pytest.raises(ValueError, match="kappa"):
        s02.valley(0.5)


# ------------------------------------------------------------ brute force


def test_brute_force_times():
    assert s02.EVALS_PER_SECOND == 1e9
    assert s02.brute_force_seconds(10, 9) == pytest.approx(1.0)
    assert s02.human_time(1.0) == "1 second"
    assert s02.human_time(s02.brute_force_seconds(2, 1)) == "2 nanoseconds"
    assert s02.human_time(0.25) == "250 milliseconds"
    assert s02.human_time(7200) == "2 hours"
    assert s02.human_time(s02.brute_force_seconds(10, 17)) == "3.17 years"
    ages = s02.human_time(2 * s02.AGE_OF_UNIVERSE_S)
    assert ages == "2 ages of the universe"
    huge = s02.human_time(s02.brute_force_seconds(10, 60))
    assert huge == "2.3 × 10^33 ages of the universe"
    assert s02.human_time(float("inf")) == "longer than numbers can say"
    # The notebook's claims: a day covers 13 weights, 27 outlast the universe.
    day, age = 86400, s02.AGE_OF_UNIVERSE_S
    assert s02.brute_force_seconds(10, 13) < day < s02.brute_force_seconds(10, 14)
    assert s02.brute_force_seconds(10, 26) < age < s02.brute_force_seconds(10, 27)
    # One more weight multiplies the time by k.
    assert s02.brute_force_seconds(7, 12) / s02.brute_force_seconds(7, 11) == (
        pytest.approx(7)
    )


@pytest.mark.parametrize("bad", [0, -3, 2.5, True, "9"])
def test_brute_force_rejects_bad_sizes(bad):
    with pytest.raises(ValueError, match="dim"):
        s02.brute_force_seconds(10, bad)


# ------------------------------------------------------------ exercises


def test_ex02_right_and_wrong_answers():
    lam = np.linalg.eigvalsh(landscapes.get("valley").hessian(np.zeros(2)))
    assert checks.ex02_largest_lr(2 / lam.max())
    assert not checks.ex02_largest_lr(2 / lam.min())
    assert checks.ex02_convex("no")  # Rosenbrock
    assert not checks.ex02_convex("yes")
    assert checks.ex02_convex("yes", name="valley")
    hours = s02.brute_force_seconds(10, MLP([2, 3, 1]).dim) / 3600
    assert checks.ex02_brute_force_hours(round(hours, 2))
    assert not checks.ex02_brute_force_hours(hours * 10)
