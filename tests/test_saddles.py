"""The saddle in d dimensions (tutorial.saddles): escape time against theory."""

import math

import numpy as np
import pytest

from tutorial import saddles
from tutorial.landscapes import Landscape
from tutorial.optimizers import optimize


def downhill_escape(traj, down):
    """First recorded step with the downhill part longer than ND_ESCAPE."""
    distance = np.linalg.norm(traj.path[:, :, :down], axis=-1)
    out = distance > saddles.ND_ESCAPE
    return np.where(out.any(0), traj.t[out.argmax(0)], -1), distance


@pytest.mark.parametrize("dim", [2, 10, 100, 1000])
def test_escape_theory_holds_within_one_step_in_any_dimension(dim):
    """Plain `optimize` on the d-dimensional saddle: every run escapes at
    the first whole step after ln(1/ε)/ln(1 + ημ), for k = 1 and 3 downhill
    directions and three curvatures."""
    for down in {1, min(3, dim - 1)}:
        for curvature in (0.5, 1.0, 2.0):
            surface = saddles.saddle_nd(dim, down, curvature)
            starts = saddles.saddle_starts(dim, 20, seed=dim)
            traj = optimize(surface, starts, lr=saddles.ND_LR, steps=320)
            escape, distance = downhill_escape(traj, down)
            theory = saddles.escape_time(distance[0], curvature)
            assert np.all(escape > theory) and np.all(escape - theory <= 1.0)


@pytest.mark.parametrize(
    "dim, down, noise", [(2, 1, 0.0), (100, 3, 0.02), (1000, 1, 0.05)]
)
def test_saddle_escape_takes_the_very_steps_optimize_takes(dim, down, noise):
    runs = saddles.saddle_escape(dim, down, 1.0, noise, runs=6, seed=4, max_steps=150)
    steps = runs.distance.shape[0] - 1
    traj = optimize(
        saddles.saddle_nd(dim, down, 1.0),
        saddles.saddle_starts(dim, 6, seed=4),
        lr=saddles.ND_LR,
        steps=steps,
        noise=noise,
        seed=5,
    )
    escape, distance = downhill_escape(traj, down)
    np.testing.assert_allclose(runs.distance, distance, rtol=1e-12, atol=1e-15)
    np.testing.assert_array_equal(runs.escape, escape)


def test_escape_time_depends_on_d_only_through_the_start():
    """Without noise, medians rise by ½ ln 2 / ln(1 + ημ) ≈ 3.6 steps per
    doubling of d (a random start is closer to the stable manifold), and
    points from every d lie on one curve against ε."""
    dims = np.array(saddles.ND_DIMS)
    medians = [
        np.median(saddles.saddle_escape(d, runs=400, seed=d).escape) for d in dims
    ]
    slope = np.polyfit(np.log2(dims), medians, 1)[0]
    assert slope == pytest.approx(0.5 * math.log(2) / math.log(1.1), rel=0.1)
    np.testing.assert_allclose(
        medians, saddles.escape_median_by_dim(dims), atol=2.5
    )  # 400 runs: the median's standard error is under one step
    assert medians[0] == pytest.approx(52, abs=2) and medians[-1] == pytest.approx(
        89, abs=2
    )


def test_a_steeper_downhill_curvature_escapes_faster_at_every_d():
    for dim in (2, 64, 1024):
        steep, gentle = (
            saddles.saddle_escape(dim, 1, mu, seed=dim) for mu in (2.0, 0.5)
        )
        np.testing.assert_array_equal(steep.eps, gentle.eps)
        ratio = np.median(gentle.escape) / np.median(steep.escape)
        assert ratio == pytest.approx(math.log(1.2) / math.log(1.05), rel=0.06)


@pytest.mark.parametrize("dim, runs", [(2, 400), (10, 400), (100, 400), (1000, 200)])
@pytest.mark.parametrize("down, noise", [(1, 0.01), (3, 0.05)])
def test_escape_with_noise_follows_the_theory(dim, runs, down, noise):
    """Measured median within 3 steps of the theory's, 10% and 90% within 4.

    Over 25 to 100 seeds per case the median's gap had a mean within ±0.4 and
    a standard deviation of 0.8 steps at most: 3 steps is 3.7 standard
    deviations, a chance failure of about 2e-4 per case.
    """
    down = min(down, dim - 1)
    measured = saddles.saddle_escape(dim, down, 1.0, noise, runs=runs, seed=7)
    assert np.all(measured.escape > 0)
    q = (0.1, 0.5, 0.9)
    spread = np.quantile(measured.escape, q)
    # The theory's distribution over these runs' starts and the noise draws.
    theory = np.quantile(saddles.escape_time_samples(measured.eps, down, 1.0, noise), q)
    assert abs(spread[1] - theory[1]) <= 3
    assert np.all(np.abs(spread - theory)[[0, 2]] <= 4)


def test_noise_erases_the_dimension():
    """With σ = 0.02 the noise sets the distance (4.4e-3) and the medians
    from d = 64 to 1,024 agree within 2 steps; without noise they differ by
    about 15."""
    medians = [
        np.median(saddles.saddle_escape(d, 1, 1.0, 0.02, runs=400, seed=d).escape)
        for d in (64, 1024)
    ]
    assert abs(medians[1] - medians[0]) <= 2
    assert saddles.noise_distance(1, 1.0, 0.02) == pytest.approx(4.4e-3, rel=0.01)
    quiet = [
        np.median(saddles.saddle_escape(d, runs=400, seed=d).escape) for d in (64, 1024)
    ]
    assert quiet[1] - quiet[0] > 10


def test_more_downhill_directions_collect_more_noise():
    """With noise the run leaves as if √(ε² + kτ²) away: at the same d,
    k = 4 escapes sooner than k = 1."""
    one, four = (
        np.median(saddles.saddle_escape(64, k, 1.0, 0.02, runs=400).escape)
        for k in (1, 4)
    )
    assert four < one - 4


def test_the_steepest_downhill_curvature_sets_the_pace():
    """Downhill curvatures −2 and −0.5: the escape lies between the times the
    steepest part alone would take from the whole downhill distance and from
    its own share of it."""
    lam = np.r_[-2.0, -0.5, np.linspace(1, 4, 30)]
    surface = Landscape(
        "two downhill curvatures",
        lam.size,
        (-np.ones(lam.size), np.ones(lam.size)),
        np.zeros((0, lam.size)),
        lambda x: 0.5 * (x * x) @ lam,
        lambda x: x * lam,
        lambda x: np.broadcast_to(np.diag(lam), (len(x), lam.size, lam.size)),
    )
    starts = saddles.saddle_starts(lam.size, 200, seed=3)
    traj = optimize(surface, starts, lr=saddles.ND_LR, steps=400)
    escape, distance = downhill_escape(traj, 2)
    fastest = saddles.escape_time(distance[0], 2.0)
    slowest = saddles.escape_time(np.abs(starts[:, 0]), 2.0)
    assert np.all(escape > fastest) and np.all(escape <= np.floor(slowest) + 1)
