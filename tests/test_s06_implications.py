"""Notebook 06's claims, as numbers: no guarantees, and what helps.

Each test asserts the number behind a sentence of the notebook, with the
tolerance the sentence allows (it says "about"): numpy's kernels differ in the
last bits from one CPU to another, and training runs amplify that.

Every run is seeded, so on one machine a test passes or fails for good: none
fails at random. What varies is the CPU. A share of runs is asserted within a
few runs of what is measured here (each run of 200 is 0.005 of them; chaotic
runs near the budget's end change side on another CPU, two of 200 within 20
steps of it), and every bound here held under ``./run other-cpu`` too.
"""

import numpy as np
import pytest

from tutorial import datasets
from tutorial import s06_implications as s06
from tutorial.optimizers import optimize


@pytest.fixture(scope="module")
def restarts():
    return s06.restart_stats()


@pytest.fixture(scope="module")
def sweep():
    return s06.default_sweep()


def at(sweep, lr):
    """Index of the sweep's learning rate nearest to lr (on a log scale)."""
    return int(np.argmin(np.abs(np.log(sweep["lrs"] / lr))))


# ---------------------------------------------------- quality: slow or stuck


def test_three_in_four_learn_within_the_budget(restarts):
    # "Three in four learn XOR within 600 steps" (0.76 here); the same p is
    # the demo's default, the exercise's and the prediction's.
    p = restarts["learned"].mean()
    # "about 0.76": within 4 runs of 200 (2 runs change side within 20 steps
    # of the budget's end, so another CPU may count one or two differently).
    assert 0.74 <= p <= 0.78
    assert s06.success_rate() == p
    assert restarts["learned"].size == s06.RESTARTS == 200


def test_a_longer_budget_separates_slow_runs_from_stuck_ones(restarts):
    late = restarts["learned_late"].mean()
    stuck = ~restarts["learned"] & ~restarts["learned_late"]
    # "about 0.06 more by 2,000 (0.82 in all), and about 0.18 never do"
    assert 0.04 <= late <= 0.09
    assert 0.80 <= restarts["share_by"][-1] <= 0.84
    assert 0.16 <= stuck.mean() <= 0.20
    # A longer budget helps: the share at 2,000 steps beats the one at 600 (in
    # between it can dip for a while, when learned runs jump).
    assert restarts["share_by"][-1] > restarts["learned"].mean() + 0.05


def test_stuck_runs_drift_in_a_valley_near_one_eighth(restarts):
    traj = restarts["traj"]
    stuck = ~restarts["learned"] & ~restarts["learned_late"]
    # "Most of the others are stuck near a loss of 1/8" (a few are on their
    # way down: slow runs of a still longer budget).
    near = np.abs(restarts["end_loss"] - 0.125) < 0.005
    assert near[stuck].mean() >= 0.9
    # "from step 600 to 2,000 the median length of their weight vector grows
    # by about a fifth while their gradient shrinks more than threefold": a
    # drifting valley, no minimum.
    rows = [int(np.searchsorted(traj.t, s)) for s in (s06.STEPS, s06.LONG_STEPS)]
    w = traj.path[rows][:, stuck & near]
    size = np.median(np.linalg.norm(w, axis=-1), axis=1)
    grad = s06.loss_surface().grad(w.reshape(-1, 9)).reshape(w.shape)
    slope = np.median(np.linalg.norm(grad, axis=-1), axis=1)
    assert 1.12 < size[1] / size[0] < 1.3
    assert 3 < slope[0] / slope[1] < 5


def test_at_step_600_slow_and_stuck_runs_look_alike(restarts):
    # "most of both sit near a loss of 1/8": nothing at the budget tells them apart.
    at600 = restarts["final_loss"]
    stuck = ~restarts["learned"] & ~restarts["learned_late"]
    late = restarts["learned_late"]
    near = lambda x: np.abs(x - 0.125) < 0.01  # noqa: E731
    assert near(at600[stuck]).mean() > 0.8
    assert near(at600[late]).mean() > 0.5
    # "(a few slow ones near 1/6 or 1/4)"
    others = at600[late][~near(at600[late])]
    assert others.size >= 2
    assert np.all(np.minimum(np.abs(others - 1 / 6), np.abs(others - 1 / 4)) < 0.01)


# ---------------------------------------------------- time


def test_time_runs_that_arrive_take_very_different_times(restarts):
    steps = restarts["steps"][restarts["steps"] <= s06.STEPS]
    q10, q90 = np.quantile(steps, [0.1, 0.9])
    assert q90 > 3 * q10  # plateaus: same rate, same network, 3x+ the time
    # "Successful runs leave the plateau after a few dozen to several hundred
    # steps" (measured: the first at 50, a tenth by 80, the slowest tenth
    # after 376)
    assert steps.min() < 100 and q10 < 100 and q90 > 300


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


def test_ten_times_smaller_rate_takes_about_ten_times_longer():
    x0 = s06.starts(50)
    traj = s06.train(np.r_[x0, x0], np.repeat([0.3, 0.03], 50)[None, :], steps=3000)
    reach = s06.steps_to_reach(traj)
    fast, slow = np.median(reach[:50]), np.median(reach[50:])
    assert 130 <= fast <= 190  # the sweep's "155 at 0.3", from the same starts
    assert 1200 <= slow <= 1800  # "about 1,500"
    assert 7 < slow / fast < 13  # "about ten times"
    # The prediction's feedback: at η = 0.03 "within the 600-step budget fewer
    # than one in ten arrives ... given five times the budget, most do"
    # (measured 3 and 36 of the 50).
    assert np.mean(reach[50:] <= s06.STEPS) < 0.1
    assert np.mean(reach[50:] <= 5 * s06.STEPS) > 0.6
    feedback = s06.predict_time().options["never: they are stuck"]
    assert "five times the budget" in feedback


# ---------------------------------------------------- edge of stability


@pytest.fixture(scope="module")
def jumps():
    return s06.jump_report()


def test_jumps_begin_where_the_curvature_passed_two_over_eta(jumps):
    ok = jumps["learned"]
    # "about 0.6 of the runs that learn jump at least once"
    assert 0.5 < (jumps["jumps"][ok] > 0).mean() < 0.7
    # "every jump begins after λmax has passed 2/η (by 1 to 1.8 times)";
    # 0.99 allows for the finite-difference Hessian.
    assert jumps["onset_ratio"].size > 50
    assert jumps["onset_ratio"].min() > 0.99
    assert jumps["onset_ratio"].max() < 1.9  # 1.83 here
    assert np.median(jumps["onset_ratio"]) > 1.1


def test_runs_end_just_below_two_over_eta(jumps):
    # "the median run ends at about 0.94 × 2/η" (0.936 here)
    assert 0.925 < np.median(jumps["end_ratio"]) < 0.95


def test_curvature_where_runs_end_is_capped_by_the_rate():
    ends = s06.end_sharpness()
    lrs, med = ends["lrs"], ends["median"]
    small = (lrs < 0.25) & np.isfinite(med)
    large = (lrs > 0.29) & np.isfinite(med)
    # "at small η the runs end with λmax between 5 and 8.5, far below 2/η"
    assert small.sum() >= 6 and large.sum() >= 2
    assert np.all((med[small] > 5) & (med[small] < 8.5))
    assert np.all(med[small] < 0.9 * 2 / lrs[small])
    # "from η ≈ 0.3, just below 2/η"
    ratio = med[large] * lrs[large] / 2
    assert np.all((ratio > 0.85) & (ratio < 1.0))


def test_edge_run_sees_the_jump_of_the_demo():
    run = s06.edge_run(0.3, 0)
    assert run["learned"] and run["spikes"].size >= 1
    assert run["sharpness"][run["spikes"][0]] > 2 / 0.3


def test_spikes_finds_jumps_and_their_start():
    loss = np.r_[
        np.geomspace(1, 1e-6, 50), [1e-5, 1e-3, 1e-2], np.geomspace(1e-2, 1e-9, 40)
    ]
    assert s06.spikes(loss).tolist() == [49]
    assert s06.spikes(np.geomspace(1, 1e-9, 100)).size == 0


# ---------------------------------------- minibatch noise and the Gaussian model


@pytest.fixture(scope="module")
def sgd_runs():
    return s06.sgd_vs_model()


def test_minibatch_and_model_agree_early_and_differ_at_the_fit(sgd_runs):
    full, sgd, model = sgd_runs["full"], sgd_runs["sgd"], sgd_runs["model"]
    early = full["t"] <= 100
    # "for the first 100 steps both stay within a third of the full-batch loss"
    for run in (sgd, model):
        ratio = run["median"][early] / full["median"][early]
        assert np.all((ratio > 2 / 3) & (ratio < 4 / 3))
    # "the median minibatch run ends below 1e-20, the model's near 1e-2"
    assert sgd["median"][-1] < 1e-20
    assert 3e-3 < model["median"][-1] < 3e-2
    # "the minibatch runs even end lower than the full-batch ones"
    assert sgd["median"][-1] < full["median"][-1]
    # "about as many runs learn XOR either way (about four in five with
    # minibatches, three in four with the model)": 41 and 38 of the 50 here
    assert 0.74 <= sgd["learned"].mean() <= 0.88
    assert 0.68 <= model["learned"].mean() <= 0.82
    assert abs(sgd["learned"].mean() - model["learned"].mean()) <= 0.15
    # The minibatch noise vanishes; the model's does not.
    assert sgd["noise"][-1] < 1e-10 < 0.2 < model["noise"][-1]
    assert sgd["noise"][0] > model["noise"][0]  # it starts larger than σ·3


def test_minibatch_runs_seldom_jump_where_full_batch_runs_do():
    # "most full-batch runs that learn jump at least once, almost no minibatch
    # run does" (50 starts, every step recorded, B = 8).
    x0 = s06.starts(s06.SGD_RUNS)
    full = optimize(s06.data_surface(), x0, lr=s06.LR, steps=s06.STEPS, every=1)
    sgd = s06.train_sgd(x0, batch=s06.BATCH, every=1)
    for traj, low, high in ((full, 0.5, 1.0), (sgd, 0.0, 0.1)):  # 0.76, 0.05 here
        ok = s06.learned(traj.final)
        jumped = [s06.spikes(traj.loss[:, i]).size > 0 for i in np.flatnonzero(ok)]
        assert low <= np.mean(jumped) <= high


def test_gradient_noise_is_the_size_of_a_batch_error_on_average():
    # By brute force: the root mean square error over every possible batch.
    from itertools import combinations

    surface = s06.data_surface()
    w = s06.starts(1, seed=3)
    m = surface.examples
    full = surface.grad(w)[0]
    each = np.stack([surface.batch_grad(w, [i])[0] for i in range(m)])
    for batch in (1, 2, 3):
        errors = [
            np.sum((each[list(c)].mean(0) - full) ** 2)
            for c in combinations(range(m), batch)
        ]
        expected = np.sqrt(np.mean(errors))
        assert s06.gradient_noise(w, batch)[0] == pytest.approx(expected, rel=1e-9)
    assert s06.gradient_noise(w, m)[0] == pytest.approx(0, abs=1e-12)


def test_a_batch_of_one_is_too_noisy_for_this_rate():
    # "Try B = 1: at η = 0.3 ... most runs never learn."
    runs = s06.sgd_vs_model(batch=1)
    assert runs["sgd"]["learned"].mean() < 0.4


def test_minibatch_noise_holds_small_weights_near_zero():
    # Scale 0.1: "the Gaussian model kicks the walk off (most learn, against
    # about one in five without noise), minibatch noise holds it: none".
    x0 = s06.starts(200, scale=0.1)
    surface = s06.data_surface()
    full = optimize(surface, x0, lr=0.3, steps=600, every=600)
    model = optimize(surface, x0, lr=0.3, steps=600, every=600, noise=0.1,
                         seed=0)  # fmt: skip
    sgd = s06.train_sgd(x0, 0.3, batch=8, every=600)
    assert s06.learned(model.final).mean() > 0.7
    assert 0.12 < s06.learned(full.final).mean() < 0.3
    size = lambda w: np.median(np.linalg.norm(w[:, :8], axis=1))  # noqa: E731
    assert size(sgd.final) < 0.6 * size(x0)  # the weights shrink towards zero
    # "not one of 200 learns": no run is near learning, every weight but the
    # output bias ends below 0.3 (measured: at most 0.14), far from a solution.
    assert np.abs(sgd.final[:, :8]).max() < 0.3
    assert s06.learned(sgd.final).sum() == 0


# ---------------------------------------------------- when to decay


def test_decay_is_needed_only_when_the_data_cannot_be_fitted():
    flip_c, flip_d = s06.compare_schedules(data="flipped")
    exact_c, exact_d = s06.compare_schedules(data="exact")
    med = lambda run: np.median(run["final_excess"])  # noqa: E731
    # Flipped labels: "a constant rate jitters about 2e-2 above the best,
    # cosine decay ends a few times 1e-5 above it" (measured 0.023 and 2.1e-5;
    # the same 2e-2 as the jitter over the last 100 steps at B = 8, below).
    assert 1.4e-2 < med(flip_c) < 3.5e-2
    assert 1.5e-5 < med(flip_d) < 6e-5
    # Every label right: "a constant rate ends less than 1e-20 above it and
    # cosine decay about 2e-10" (1.7e-10 here; a factor 2 allowed for the batches).
    assert med(exact_c) < 1e-20
    assert 1e-10 < med(exact_d) < 3.5e-10


def test_jitter_roughly_halves_each_time_the_batch_doubles():
    # Over the last 100 steps (the last 10 recorded rows), per run, at a
    # constant rate: "about 5e-2, 2e-2 and 1e-2 above the best for B = 4, 8, 16".
    jitter = [
        np.median(
            s06.compare_schedules(data="flipped", batch=b)[0]["excess"][-10:].mean(0)
        )
        for b in (4, 8, 16)
    ]
    for got, low, high in zip(
        jitter, (3e-2, 1.4e-2, 6e-3), (7e-2, 3e-2, 1.5e-2), strict=True
    ):
        assert low < got < high
    assert 1.4 < jitter[0] / jitter[1] < 3 and 1.4 < jitter[1] / jitter[2] < 3


def test_decaying_too_early_freezes_runs_before_they_learn():
    # "about two in five learned against two in three with a constant rate"
    const, decay = s06.compare_schedules(lr=0.1, data="flipped")
    assert 0.3 <= decay["learned"].mean() <= 0.5
    assert 0.58 <= const["learned"].mean() <= 0.76


def test_best_loss_on_flipped_data_is_the_label_variance():
    X, y = s06.examples("flipped")
    assert s06.best_loss("flipped") == pytest.approx(7 / 64)
    # The mean label at each corner is 1/8 or 7/8, and its variance 7/64.
    for corner in np.unique(X, axis=0):
        labels = y[(X == corner).all(1)]
        assert labels.var() == pytest.approx(7 / 64)


@pytest.mark.parametrize("kind", ["cosine", "step", "linear"])
def test_every_decay_settles_where_a_constant_rate_jitters(kind):
    const, decay = s06.compare_schedules(kind=kind, data="flipped")
    ratio = np.median(const["final_excess"]) / np.median(decay["final_excess"])
    assert ratio > 10


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


# ---------------------------------------------------- cost


def test_small_batches_cost_fewer_examples():
    at_01 = s06.cost_curves(0.1)
    cost = {b: r["examples_to_target"] for b, r in at_01.items()}
    # "about 500 examples with B = 1, 1,000 with B = 2, and not within 1,280
    # for larger batches"
    assert cost[1] == pytest.approx(500, rel=0.25)
    assert cost[2] == pytest.approx(1000, rel=0.25)
    assert all(np.isinf(cost[b]) for b in (4, 8, 16, 32))
    at_03 = s06.cost_curves(0.3)
    cost = {b: r["examples_to_target"] for b, r in at_03.items()}
    # "B = 1 never gets there; B = 2 and 4 are cheapest (about 550 and 800)":
    # 552 and 792 here; the smallest batch that gets there is the cheapest.
    assert np.isinf(cost[1])
    assert 480 <= cost[2] <= 640
    assert 700 <= cost[4] <= 900
    assert cost[2] < cost[4]
    assert min(cost[2], cost[4]) < min(cost[b] for b in (8, 16, 32))

    # Per step: "all batches progress alike at small rates" (the slide); "at
    # η = 0.3, B = 2 lags behind and B = 1 fails" (its speaker notes). At η =
    # 0.03 and 0.1 the medians at steps 20, 40, 80 (the first record from there
    # on) lie within 12% of each other (asserted: 20%), for every batch whose
    # budget reaches that step; at η = 0.3 not.
    def at_step(res, step):
        return {
            b: r["median"][np.searchsorted(r["t"], step)]
            for b, r in res.items()
            if r["t"][-1] >= step
        }

    for res in (at_01, s06.cost_curves(0.03)):
        for step in (20, 40, 80):
            alike = np.array(list(at_step(res, step).values()))
            assert alike.max() < 1.2 * alike.min(), step
    late = at_step(at_03, 160)
    assert late[2] > 2 * late[4]  # measured 0.24 against 0.067
    assert at_03[1]["learned"] < 0.25 and at_03[1]["median"][-1] > 0.25


# ---------------------------------------------------- momentum and Adam


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
    # "about three restarts in four, plain descent in one in ten" (0.76 and
    # 0.72 against 0.1 here)
    assert 0.05 <= methods["gd"]["learned"][small] <= 0.15
    assert all(0.65 < methods[m]["learned"][small] < 0.85 for m in ("momentum", "adam"))


def test_momentum_best_rate_is_about_ten_times_smaller(methods):
    best = {m: r["lrs"][np.argmax(r["learned"])] for m, r in methods.items()}
    ratio = best["gd"] / best["momentum"]
    assert 4 < ratio < 40  # the heavy ball multiplies steps by up to 1/(1 - β) = 10


def test_no_optimizer_rescues_every_start(methods):
    # "each peaks at about three in four": 0.74 to 0.76 of 50 starts here, and
    # 0.75 to 0.8 of the demo's 20 (one start is 0.05 of them).
    for result in methods.values():
        assert 0.65 < result["learned"].max() < 0.85
    for result in s06.method_sweep(n=20).values():
        assert 0.65 < result["learned"].max() <= 0.85


def test_other_optimizers_change_which_starts_fail(methods):
    stuck = s06.stuck_starts(methods)
    for m in ("momentum", "adam"):
        share = 1 - stuck[m].mean()
        assert abs(share - (1 - stuck["gd"].mean())) <= 0.1  # "not how many"
    # Adam frees some of gradient descent's failures and fails on others.
    assert (stuck["gd"] & ~stuck["adam"]).sum() >= 1
    assert (~stuck["gd"] & stuck["adam"]).sum() >= 1
    # The demo's 20 starts: "a few fail for all three; Adam learns from a start
    # gradient descent leaves stuck and fails on another; momentum fails on
    # another too"; best rates "about 0.01 against 0.2".
    sweeps = s06.method_sweep(n=20)
    demo = s06.stuck_starts(sweeps)
    assert 1 <= np.logical_and.reduce(list(demo.values())).sum() <= 5
    assert (demo["gd"] & ~demo["adam"]).sum() >= 1
    assert (~demo["gd"] & demo["adam"]).sum() >= 1
    assert (~demo["gd"] & demo["momentum"]).sum() >= 1
    best = {m: r["lrs"][np.argmax(r["learned"])] for m, r in sweeps.items()}
    assert 0.005 < best["momentum"] < 0.025 and 0.1 < best["gd"] < 0.4


# ---------------------------------------------------- restarts and initial scale


def test_initial_scale_small_is_slow_large_is_stuck():
    res = s06.scale_sweep((0.1, 0.3, 1.0, 3.0, 4.0))
    p600 = dict(zip(res["scales"], res["learned"], strict=True))
    p2000 = dict(zip(res["scales"], res["learned_end"], strict=True))
    steps = dict(zip(res["scales"], res["median_steps"], strict=True))
    # 0.1: "about one in five within 600 steps, two in three by 2,000"
    assert 0.12 < p600[0.1] < 0.3 and 0.58 < p2000[0.1] < 0.75
    # 0.3: "nearly nine in ten, against three in four at 1, though slower
    # (about 310 against 185 steps)"
    assert 0.82 < p600[0.3] and p600[0.3] > p600[1.0] + 0.05
    assert steps[0.3] == pytest.approx(310, rel=0.15)
    assert steps[1.0] == pytest.approx(185, rel=0.15)
    # 3 and 4: "fewer than two in five learn even by 2,000 steps"
    assert p2000[3.0] < 0.4 and p2000[4.0] < 0.4
    # The same restarts as the first demo at scale 1.
    assert p600[1.0] == s06.success_rate()


def test_large_initial_scales_start_the_tanh_units_saturated():
    # "At scale 3 about half of the hidden units' responses to the four inputs
    # fall where the slope of tanh is below 0.1 (fewer than one in ten at
    # scale 1)". The starts are seeded draws, not a chaotic run.
    X, _ = datasets.xor()
    hidden = s06.network().layers[0]

    def flat_share(scale):
        w = s06.starts(s06.RESTARTS, scale=scale)
        W = w[:, hidden.weights].reshape(len(w), X.shape[1], -1)
        z = np.einsum("pi,nih->nph", X, W) + w[:, None, hidden.biases]
        return np.mean(1 - np.tanh(z) ** 2 < 0.1)

    assert flat_share(1.0) < 0.1
    assert 0.4 < flat_share(3.0) < 0.6 and flat_share(4.0) > flat_share(3.0)


def test_the_point_at_zero_weights_is_degenerate_not_a_saddle():
    w = np.zeros(9)
    w[-1] = 0.5  # W = 0, output bias ½
    surface = s06.loss_surface()
    assert surface.value(w) == pytest.approx(0.25)
    np.testing.assert_allclose(surface.grad(w), 0, atol=1e-12)
    eig = np.linalg.eigvalsh(surface.hessian(w))
    np.testing.assert_allclose(eig[:-1], 0, atol=1e-6)  # eight flat directions
    assert eig[-1] == pytest.approx(2.0, rel=1e-6)


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


# ---------------------------------------------------- predictions and exercises


@pytest.mark.parametrize(
    "make",
    [
        s06.predict_quality,
        s06.predict_time,
        s06.predict_noise,
        s06.predict_decay,
        s06.predict_optimizers,
    ],
)
def test_predictions_explain_only_after_a_commit_and_name_each_misreading(make):
    q = make()
    assert q.feedback.value == ""
    wrong = [o for o in q.options if o != q.answer]
    assert wrong and all(q.options[o] for o in wrong)  # each its own feedback
    assert len({q.options[o] for o in wrong}) == len(wrong)
    assert "Not quite" in q.reveal(wrong[0]) and "Yes" in q.reveal(q.answer)


def test_quality_prediction_quotes_the_one_success_rate():
    explanation = s06.predict_quality().explanation
    assert f"{round(s06.success_rate() * 200)} of the 200" in explanation


def test_ex06_best_of_k_accepts_the_right_chance_and_names_near_misses():
    p = s06.success_rate()
    assert s06.ex06_best_of_k(1 - (1 - p) ** 3)
    assert s06.ex06_best_of_k(1 - 0.25**3)  # p rounded to three in four
    for wrong, says in (
        (1.0, "certain"),
        (1 - (1 - p) ** 2, "2 restarts"),
        ((1 - p) ** 3, "all of them fail"),
        (p**3, "all of them learn"),
    ):
        feedback = s06.ex06_best_of_k(wrong)
        assert not feedback and says in feedback.message
    assert not s06.ex06_best_of_k(0.97)
    assert not s06.ex06_best_of_k("almost sure")


def test_ex06_momentum_factor_accepts_ten_and_names_near_misses():
    assert s06.ex06_momentum_factor(10)
    assert s06.ex06_momentum_factor("10.2")
    for wrong, says in (
        (9, "β/(1 − β)"),
        (16, "best rates"),
        (0.9, "β"),
        (100, "squares"),
    ):
        feedback = s06.ex06_momentum_factor(wrong)
        assert not feedback and says in feedback.message
    assert not s06.ex06_momentum_factor(11)
    assert not s06.ex06_momentum_factor(None)


@pytest.mark.parametrize("symptom", list(s06.REMEDIES))
def test_ex06_remedy_has_one_right_answer_and_a_reason_for_each_wrong_one(symptom):
    right = s06.REMEDIES[symptom]
    feedback = s06.ex06_remedy(right.upper() + ".", symptom=symptom)
    assert feedback and f"A run that {s06.SYMPTOMS[symptom]}:" in feedback.message
    reasons = set()
    for option in s06.REMEDIES.values():
        if option != right:
            feedback = s06.ex06_remedy(option, symptom=symptom)
            assert not feedback
            reasons.add(feedback.message)
    assert len(reasons) == len(s06.REMEDIES) - 1  # no generic hint
    assert not s06.ex06_remedy("lower the learning rate", symptom="bogus")


def test_ex06_remedy_accepts_obvious_spellings():
    assert s06.ex06_remedy("Lower the LR")
    assert s06.ex06_remedy("decay", symptom="jitters")
    assert s06.ex06_remedy("new seed", symptom="stuck")


def _epoch_without_last_batch(w, grad, X, y, lr, batch_size, order):
    for first in range(0, len(order) - batch_size + 1, batch_size):
        batch = order[first : first + batch_size]
        w = w - lr * grad(w, X[batch], y[batch])
    return w


def _epoch_in_index_order(w, grad, X, y, lr, batch_size, order):
    return s06.minibatch_epoch(w, grad, X, y, lr, batch_size, np.arange(len(order)))


def _epoch_on_every_example(w, grad, X, y, lr, batch_size, order):
    for _ in range(0, len(order), batch_size):
        w = w - lr * grad(w, X, y)
    return w


def test_ex06_minibatch_epoch_accepts_a_loop_and_names_each_slip():
    assert s06.ex06_minibatch_epoch(s06.minibatch_epoch)

    def in_place(w, grad, X, y, lr, batch_size, order):
        for first in range(0, len(order), batch_size):
            batch = order[first : first + batch_size]
            w -= lr * grad(w, X[batch], y[batch])
        return w

    assert s06.ex06_minibatch_epoch(in_place)
    for wrong, says in (
        (_epoch_without_last_batch, "last, smaller batch"),
        (_epoch_in_index_order, "ignores `order`"),
        (_epoch_on_every_example, "all the examples"),
        (lambda w, *rest: w, "unchanged"),
    ):
        feedback = s06.ex06_minibatch_epoch(wrong)
        assert not feedback and says in feedback.hint
    assert not s06.ex06_minibatch_epoch(np.zeros(2))  # a result, not a function
