"""Notebook 06's claims, as numbers: no guarantees, and what helps."""

import numpy as np
import pytest

from tutorial import s06_implications as s06


@pytest.fixture(scope="module")
def restarts():
    return s06.restart_stats(200)


@pytest.fixture(scope="module")
def sweep():
    return s06.lr_sweep()


def at(sweep, lr):
    """Index of the sweep's learning rate nearest to lr (on a log scale)."""
    return int(np.argmin(np.abs(np.log(sweep["lrs"] / lr))))


# ---------------------------------------------------- the three lacks of guarantee


def test_quality_restarts_end_at_very_different_losses(restarts):
    ok, final = restarts["learned"], restarts["final_loss"]
    assert 0.7 < ok.mean() < 0.87  # most learn XOR; "about one in five" do not
    assert 0.7 < s06.restart_stats(100)["learned"].mean() < 0.87  # the demo's 100
    assert final[~ok].min() > 0.1  # the stuck ones are far from the target
    assert (final[ok] < s06.TARGET).mean() > 0.9
    assert np.median(final[ok]) < 1e-8
    # They get stuck at a few distinct heights, not at random: each stuck loss
    # lies within 0.01 of 1/8, 1/6 or 1/4 (still settling after 600 steps).
    # (Rounding to 0.13, 0.17, 0.25 would be a tie-break: a run that settles
    # at 1/8 rounds to 0.12 or 0.13 by its last bits.)
    distance = np.abs(final[~ok][:, None] - np.array([1 / 8, 1 / 6, 1 / 4]))
    assert np.all(distance.min(1) < 0.01)


def test_time_runs_that_arrive_take_very_different_times(restarts):
    steps = restarts["steps"][np.isfinite(restarts["steps"])]
    q10, q90 = np.quantile(steps, [0.1, 0.9])
    assert q90 > 3 * q10  # plateaus: same rate, same network, 3x+ the time


def test_time_smaller_rates_take_longer(sweep):
    steps, lrs = sweep["median_steps"], sweep["lrs"]
    # Well inside the good window the walk follows the gradient flow, so the
    # time to arrive scales like 1/η: from one rate of the sweep to the next
    # (1.46 times larger) the median time falls by that factor, within 15%
    # (the recording interval, 10 steps, is 6% of the shortest time here).
    flow = (lrs > 0.09) & (lrs < 0.31)
    assert flow.sum() == 4 and np.all(np.isfinite(steps[flow]))
    speed_up = steps[flow][:-1] / steps[flow][1:]
    np.testing.assert_allclose(speed_up, lrs[1] / lrs[0], rtol=0.15)
    # Near the edge of stability (η ≈ 0.45, where some runs diverge) the time
    # levels off: no slower than at 0.3, but no longer 1/η faster either. Its
    # median is a chaotic outcome (155 or 150 steps, by CPU), so no tie-break.
    edge, best = at(sweep, 0.45), at(sweep, 0.3)
    assert steps[best] / 1.3 < steps[edge] <= steps[best] + s06.EVERY
    assert steps[at(sweep, 0.1)] > 2.5 * steps[best]
    # The notebook quotes about 460 and 155 steps.
    assert steps[at(sweep, 0.1)] == pytest.approx(460, rel=0.15)
    assert steps[best] == pytest.approx(155, rel=0.15)


def test_failure_too_large_diverges_too_small_never_arrives(sweep):
    lrs = sweep["lrs"]
    assert np.all(sweep["diverged"][lrs <= 0.31] == 0)
    assert np.all(sweep["diverged"][lrs >= 0.9] == 1)
    assert sweep["diverged"][at(sweep, 0.65)] > 0.5  # twice the best rate
    assert np.all(sweep["arrived"][lrs <= 0.022] == 0)


def test_lr_sweep_best_rate_is_in_the_middle(sweep):
    best = int(np.argmax(sweep["learned"]))
    assert 0 < best < len(sweep["lrs"]) - 1
    assert 0.1 < sweep["lrs"][best] < 0.5
    assert sweep["learned"].max() < 0.9  # even the best rate leaves some stuck
    window = (sweep["lrs"] > 0.09) & (sweep["lrs"] < 0.46)
    assert np.all((sweep["learned"][window] > 0.65) & (sweep["learned"][window] < 0.9))
    # Notebook 06 prints the window, not the best rate: 0.21 and 0.45 tie at
    # 39 of 50, and at 0.45 a run or two more or less learn on another CPU.
    # The window's ends are 3 runs inside and 2 runs outside its threshold,
    # at rates where the runs are not chaotic.
    good = sweep["lrs"][sweep["learned"] > 2 / 3]
    assert (round(good.min(), 2), round(good.max(), 2)) == (0.1, 0.45)
    assert np.all(np.diff(np.flatnonzero(sweep["learned"] > 2 / 3)) == 1)
    assert round(sweep["learned"].max(), 1) == 0.8


def test_lr_sweep_is_one_call_from_the_same_starts():
    res = s06.lr_sweep([0.3, 0.3], n=10)
    np.testing.assert_array_equal(res["learned"][0], res["learned"][1])
    assert res["median_curve"].shape == (len(res["t"]), 2)


# ---------------------------------------------------- what practitioners do


def test_heat_map_best_cell_is_a_middle_rate_without_noise():
    res = s06.heat_map()
    i, j = res["best"]
    assert res["noises"][j] == 0
    assert 0.1 < res["lrs"][i] < 0.5
    assert res["median_loss"][i, j] < 1e-10
    assert res["learned"][i, j] >= 0.6
    # Noise keeps the loss from settling: with σ = 0.1 the best median is
    # orders of magnitude above the noise-free best.
    assert 1e-4 < res["median_loss"][:, 2].min() < 1e-2
    assert np.all(res["median_loss"][:, -1] > 0.1)  # σ = 1 ruins every rate
    # Small noise barely changes the share that learns, in the good window.
    good = (res["lrs"] > 0.09) & (res["lrs"] < 0.46)
    change = res["learned"][good, 2] - res["learned"][good, 0]
    assert np.abs(change).max() <= 0.15
    # Large rates diverge whatever the noise.
    assert np.all(res["median_loss"][res["lrs"] > 0.6] > 1e6)


def test_heat_map_cells_match_separate_runs():
    res = s06.heat_map(lrs=[0.3], noises=[0.0], n=8)
    alone = s06.lr_sweep([0.3], n=8)
    np.testing.assert_allclose(res["median_loss"][0, 0], alone["median_loss"][0])


@pytest.fixture(scope="module")
def methods():
    return s06.method_sweep(n=50)


def test_momentum_and_adam_work_over_a_wider_range_of_rates(methods):
    width = {m: int((r["learned"] >= 0.5).sum()) for m, r in methods.items()}
    assert width["momentum"] > width["gd"] + 1
    assert width["adam"] > width["gd"] + 1
    small = at(methods["gd"], 0.012)
    assert methods["momentum"]["learned"][small] > methods["gd"]["learned"][small] + 0.4
    assert methods["adam"]["learned"][small] > methods["gd"]["learned"][small] + 0.4
    assert methods["gd"]["learned"][small] < 0.2
    assert min(methods[m]["learned"][small] for m in ("momentum", "adam")) > 0.5


def test_momentum_best_rate_is_about_ten_times_smaller(methods):
    best = {m: r["lrs"][np.argmax(r["learned"])] for m, r in methods.items()}
    ratio = best["gd"] / best["momentum"]
    # The heavy ball multiplies steps by up to 1/(1 - β) = 10. Here the ratio
    # is 16; each best rate leads its neighbour on the grid (a factor 2) by
    # one run of 50, so a CPU may pick the neighbour: 8 to 32, all inside.
    assert 4 < ratio < 40


def test_no_optimizer_rescues_every_start(methods):
    for result in methods.values():
        assert 0.6 < result["learned"].max() < 0.9


@pytest.mark.parametrize("kind", ["cosine", "step", "linear"])
def test_decaying_rate_ends_lower_under_noise(kind):
    const, decay = s06.compare_schedules(0.3, 0.1, kind)
    ratio = np.median(const["final_loss"]) / np.median(decay["final_loss"])
    assert ratio > 10
    if kind == "cosine":
        assert 20 < ratio < 80  # "about forty times lower"
        assert 3e-3 < np.median(const["final_loss"]) < 3e-2  # near 1e-2


def test_schedules_start_at_lr_and_decay():
    for kind in s06.SCHEDULES:
        sched = s06.schedule(kind, 0.3, 100)
        assert sched.shape == (100,) and sched[0] == pytest.approx(0.3)
        assert np.all(sched > 0) and np.all(np.diff(sched) <= 0)
    assert s06.schedule("cosine", 0.3, 100)[-1] < 0.01
    with pytest.raises(ValueError, match="kind"):
        s06.schedule("exponential", 0.3)
    with pytest.raises(ValueError, match="lr"):
        s06.schedule("cosine", -1.0)


def test_initial_scale_too_small_is_slow_too_large_gets_stuck():
    res = s06.scale_sweep((0.1, 0.3, 1.0, 3.0))
    learned = dict(zip(res["scales"], res["learned"], strict=True))
    steps = dict(zip(res["scales"], res["median_steps"], strict=True))
    assert learned[0.1] < 0.4  # starts on the flat saddle at w = 0
    assert steps[0.3] > 1.5 * steps[1.0]  # smaller scale: a longer plateau
    assert learned[3.0] < 0.5 * learned[1.0]  # saturated tanh units
    assert learned[1.0] > 0.7


def test_learned_reads_all_four_points():
    # A hand-made solution: h1 fires when x1 + x2 > 0.5, h2 when > 1.5,
    # output (h1 - h2) / 2. Weight layout: W1 (2x2), b1, W2 (2x1), b2.
    k = 10.0
    solution = np.array([k, k, k, k, -0.5 * k, -1.5 * k, 0.5, -0.5, 0.0])
    assert s06.learned(solution[None]).tolist() == [True]
    assert s06.learned(np.zeros((1, 9))).tolist() == [False]  # outputs 0: half wrong
    wrong = solution.copy()
    wrong[6:8] *= -1  # flips the answer on the two "1" points
    assert s06.learned(np.stack([solution, wrong])).tolist() == [True, False]


def test_ex06_right_answers(restarts):
    from tutorial import checks

    p = restarts["learned"].mean()
    assert checks.ex06_best_of_k(1 - (1 - p) ** 3)
    assert not checks.ex06_best_of_k(p)  # one restart's chance is not it
    assert checks.ex06_momentum_factor(10)
    assert not checks.ex06_momentum_factor(0.9)
    assert checks.ex06_remedy("lower the learning rate")
    assert checks.ex06_remedy("restart from a new seed", symptom="stuck")
    assert checks.ex06_remedy("raise the learning rate", symptom="crawls")
    assert not checks.ex06_remedy("raise the learning rate")
    assert not checks.ex06_remedy("lower the learning rate", symptom="bogus")
