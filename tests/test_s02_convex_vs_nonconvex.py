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
    best = int(np.argmin(after))
    # "falls as η grows, is lowest not far below 2/λmax" (at 1.77 here)
    assert np.all(np.diff(after[: best + 1]) <= 0)
    assert 1.5 < s02.LR_GRID[best] < 2.0


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


def test_ex02_largest_lr_accepts_the_edge_and_rejects_its_neighbours():
    lam = np.linalg.eigvalsh(landscapes.get("valley").hessian(np.zeros(2)))
    edge = 2 / lam.max()
    assert edge == pytest.approx(0.2)
    assert checks.ex02_largest_lr(0.2) and checks.ex02_largest_lr("0.2")
    for wrong in (0.21, 0.19, 0.201):
        assert not checks.ex02_largest_lr(wrong), wrong
    assert "2/λmin" in checks.ex02_largest_lr(2 / lam.min()).message
    assert "1/λmax" in checks.ex02_largest_lr(1 / lam.max()).message
    # The nearest wrong answer above the edge really diverges.
    valley = landscapes.get("valley")
    assert optimize(valley, [1.0, 1.0], lr=0.201, steps=5000).diverged[0]
    assert not optimize(valley, [1.0, 1.0], lr=0.2 * 0.99, steps=5000).diverged[0]


def test_ex02_convex_wants_a_proof():
    assert checks.ex02_convex(((-1.0, 1.0), (1.0, 1.0)))  # across the bend
    assert not checks.ex02_convex(((0.0, 0.0), (1.0, 0.0)))  # a convex patch
    assert not checks.ex02_convex("yes")
    assert "bends" in checks.ex02_convex("yes").message
    no = checks.ex02_convex("no")
    assert not no and "prove" in no.message
    assert checks.ex02_convex("yes", name="valley")
    assert not checks.ex02_convex("no", name="valley")
    assert not checks.ex02_convex([1, 2]) and not checks.ex02_convex("maybe")


def test_ex02_chord_rise_accepts_the_reference_and_names_mistakes():
    assert checks.ex02_chord_rise(s02.chord_rise)

    def flipped(f, a, b):  # chord − f instead of f − chord
        return s02.chord_rise(lambda p: -f(p), a, b)

    def middle(f, a, b):
        a, b = np.asarray(a, float), np.asarray(b, float)
        return f(((a + b) / 2)[None])[0] - f(np.array([a, b])).mean()

    def coarse(f, a, b):
        return s02.chord_rise(f, a, b, count=3)

    assert "chord is above the surface" in checks.ex02_chord_rise(flipped).hint
    assert "middle only" in checks.ex02_chord_rise(middle).hint
    assert not checks.ex02_chord_rise(coarse)
    assert not checks.ex02_chord_rise(lambda f, a, b: 0.0)
    # The reference agrees with the chord demo's computation.
    land = landscapes.get("rosenbrock")
    _, along, chord = s02.chord_gap(land, (-1, 1), (1, 1))
    assert s02.chord_rise(land.value, (-1, 1), (1, 1)) == pytest.approx(
        (along - chord).max()
    )


def test_ex02_brute_force_hours_and_its_slips():
    hours = s02.brute_force_seconds(10, MLP([2, 3, 1]).dim) / 3600
    assert MLP([2, 3, 1]).dim == 13 and hours == pytest.approx(2.78, rel=1e-3)
    assert checks.ex02_brute_force_hours(round(hours, 2))
    for wrong, word in (
        (hours * 10, "too many"),
        (hours / 10, "too few"),
        (hours * 3600, "seconds"),
        (hours / 1e4, "biases"),
    ):
        fb = checks.ex02_brute_force_hours(wrong)
        assert not fb and word in fb.message, (wrong, fb)


# ------------------------------------- truth of the prose (issue 12, items 8, 11, 12)


def test_bowls_diverge_past_two_bumpy_surfaces_bounce_even_at_three():
    for key in s02.CONVEX:
        assert not s02.descend(key, 1.9).diverged.any()
        assert s02.descend(key, 2.1).diverged.all()
    # "no run diverges, even at η = 3" (nor at 2.1 and 2.5, past the bowls'
    # edge); "runs bounce instead": some are still moving at the end.
    for key in NONCONVEX:
        for lr in (2.1, 2.5, 3.0):
            runs = s02.descend(key, lr)
            assert not runs.diverged.any(), (key, lr)
            assert (~s02.settled(runs)).any(), (key, lr)
            assert np.all(np.isfinite(runs.final_loss))


def test_himmelblau_edges_and_where_runs_settle():
    edges = s02.minimum_edges("himmelblau")
    np.testing.assert_allclose(edges, [2.00, 2.54, 3.25, 3.32], atol=0.005)
    land = s02.surface("himmelblau")
    lam = np.linalg.eigvalsh(land.hessian(land.minima))[:, -1]
    for lr in (2.1, 3.0):
        runs = s02.descend("himmelblau", lr)
        still = s02.settled(runs)
        ends = runs.final[still]
        nearest = np.linalg.norm(ends[:, None] - land.minima[None], axis=-1)
        assert nearest.min(1).max() < 1e-3  # settled runs sit at a minimum
        # ... and only at minima whose edge 2/λmax is above η.
        assert np.all(2 / lam[nearest.argmin(1)] > lr)
    at3 = s02.descend("himmelblau", 3.0)
    kinds = np.linalg.norm(
        at3.final[s02.settled(at3)][:, None] - land.minima[None], axis=-1
    ).argmin(1)
    assert len(np.unique(kinds)) == 2  # "only at the two flattest"


def test_the_midpoint_of_twins_is_a_one_unit_network_that_cannot_solve_xor():
    from tutorial import datasets

    w = s02.NET_REFERENCE
    mid = (w + s02.swap_hidden_units(w)) / 2
    # W1 (2x2 row-major: inputs x units), b1, W2, b2: the two units are equal.
    W1, b1, W2 = mid[:4].reshape(2, 2), mid[4:6], mid[6:8]
    np.testing.assert_allclose(W1[:, 0], W1[:, 1])
    assert b1[0] == b1[1] and W2[0] == W2[1]
    # ... so it computes what a 2-1-1 network with output weight W2[0] + W2[1] does.
    one = np.r_[W1[:, 0], b1[0], W2.sum(), mid[8]]
    X, y = datasets.xor()
    small = MLP([2, 1, 1]).landscape(X, y, loss="bce")
    assert small.value(one) == pytest.approx(float(s02.xor_loss(mid)), rel=1e-12)
    # The least loss a one-unit network reaches, and the solution's.
    assert round(s02.ONE_UNIT_XOR_BOUND, 3) == 0.477
    assert round(float(s02.xor_loss(w)), 3) == 0.002
    trained = s02.one_unit_xor_losses()
    assert len(trained) == 200
    assert trained.min() >= s02.ONE_UNIT_XOR_BOUND - 1e-9  # none gets below
    assert trained.min() < s02.ONE_UNIT_XOR_BOUND + 0.002  # and the best gets close


def test_kappa_100_keeps_0980_of_the_distance_and_096_of_the_loss():
    lam = [1 / 100, 1.0]
    best = 2 / sum(lam)
    keep = s02.contraction(best, lam)
    assert round(keep, 3) == 0.980 and round(keep**2, 2) == 0.96
    # Measured along the flattest direction of the valley: loss ratio per step.
    land = s02.valley(100.0)
    c, s = np.cos(np.pi / 6), np.sin(np.pi / 6)
    start = 1.0 * np.array([c, s])  # on the flat eigenvector
    run = optimize(land, start, lr=best, steps=10)
    ratio = run.loss[1:, 0] / run.loss[:-1, 0]
    np.testing.assert_allclose(ratio, keep**2, rtol=1e-9)


# ------------------------------------------------------------ predictions


def test_predictions_answers_hold():
    assert "four on Himmelblau" in s02.predict_starts().answer
    assert len(s02.end_points(s02.descend("bowl").final, s02.surface("bowl"))) == 1
    assert "1.9 zig-zags but converges; 2.1 diverges" == s02.predict_zigzag().answer
    lam = [0.1, 1.0]
    assert s02.contraction(1.9, lam) < 1 < s02.contraction(2.1, lam)
    assert s02.predict_brute_force().answer == "about 13"
    p = s02.predict_chord()
    # Between Himmelblau's minima the surface rises above the (level) chord.
    m = s02.surface("himmelblau").minima
    for i in range(len(m)):
        for j in range(i + 1, len(m)):
            rise = s02.chord_rise(s02.surface("himmelblau").value, m[i], m[j])
            assert rise > 0.01
    assert p.answer.startswith("Yes")
