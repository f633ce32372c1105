"""Notebook 05's claims, as numbers."""

import math

import numpy as np
import pytest

from tutorial import checks
from tutorial import s05_high_dimensionality as s05


def test_grid_points_grow_as_k_to_the_d():
    assert s05.grid_points(10, 3) == 1000
    assert s05.grid_points(10, 80) == 10**80


def test_ball_share_closed_form_and_monte_carlo():
    assert s05.ball_share(1) == pytest.approx(1.0)
    assert s05.ball_share(2) == pytest.approx(math.pi / 4)
    assert round(s05.ball_share(2), 3) == 0.785
    assert s05.ball_share(10) == pytest.approx(math.pi**5 / 120 / 2**10)
    assert round(s05.ball_share(10), 4) == 0.0025
    # Monte Carlo agrees at d = 3 (4 standard errors).
    n = 200_000
    pts = np.random.default_rng(0).uniform(-1, 1, (n, 3))
    share = ((pts**2).sum(1) <= 1).mean()
    p = math.pi / 6
    assert abs(share - s05.ball_share(3)) < 4 * math.sqrt(p * (1 - p) / n)
    assert s05.ball_share(100) > 0  # finite, no underflow to an error


def test_distances_concentrate_as_dimension_grows():
    spread = [s05.distance_spread(d) for d in (1, 2, 10, 100)]
    assert all(a > b for a, b in zip(spread, spread[1:], strict=False))
    assert spread[1] > 50 and spread[-1] < 1.5


@pytest.mark.parametrize(
    "dim, expected", [(1, 0.5), (2, (2 - math.sqrt(2)) / 4), (3, 0.025)]
)
def test_fraction_of_minima_matches_known_values(dim, expected):
    n = 100_000
    p = s05.fraction_of_minima(dim, n, seed=1)
    sigma = math.sqrt(expected * (1 - expected) / n)
    assert abs(p - expected) < 4 * sigma, (p, expected, sigma)


def test_fraction_of_minima_falls_faster_than_exponentially():
    measured = s05.measured_fractions()
    seen = measured[measured > 0]
    assert len(seen) >= 4 and np.all(np.diff(seen) < 0)
    # log p is concave in d: each step down is steeper than the last.
    assert np.all(np.diff(np.log(seen), 2) < 0)
    a, c = s05.fit_decay(s05.MEASURED_DIMS, measured)
    assert 0.3 < c < 0.4  # the notebook quotes c ≈ 0.35


def test_goe_spectrum_follows_the_semicircle_for_large_d():
    evals = s05.goe_eigenvalues(100, 200, seed=0) / np.sqrt(2 * 100)
    hist, edges = np.histogram(evals, bins=20, range=(-1, 1), density=True)
    mid = (edges[1:] + edges[:-1]) / 2
    np.testing.assert_allclose(hist, s05.semicircle(mid), atol=0.06)
    assert abs((evals < 0).mean() - 0.5) < 0.01


def test_spectrum_histograms_are_those_of_goe_eigenvalues():
    density, negative = s05.spectrum_histograms(30)
    assert density.shape == (30, len(s05.GOE_EDGES) - 1) and negative.shape == (30,)
    for d in (1, 7, 30):
        evals = s05.goe_eigenvalues(d, max(20_000 // d, 200), seed=1) / np.sqrt(2 * d)
        expected = np.histogram(evals, bins=s05.GOE_EDGES, density=True)[0]
        np.testing.assert_array_equal(density[d - 1], expected)
        assert negative[d - 1] == (evals < 0).mean()
    assert abs(negative[-1] - 0.5) < 0.01  # "half of them below zero"


def test_distance_curves_match_distance_spread():
    dims, spread, density = s05.distance_curves(100)
    for d in (1, 2, 10, 100):
        assert spread[d - 1] == pytest.approx(s05.distance_spread(d), rel=1e-12)
        dist = s05.pairwise_distances(d)
        expected = np.histogram(
            dist / dist.mean(), bins=s05.DISTANCE_EDGES, density=True
        )[0]
        np.testing.assert_allclose(density[d - 1], expected)


def test_fraction_arguments_are_checked():
    for bad in (0, -1, 2.5, True, "3"):
        with pytest.raises(ValueError, match="dim"):
            s05.fraction_of_minima(bad)
    with pytest.raises(ValueError, match="n_samples"):
        s05.fraction_of_minima(3, 0)


def test_spearman():
    assert s05.spearman([1, 2, 3, 4], [10, 20, 30, 40]) == pytest.approx(1.0)
    assert s05.spearman([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1.0)
    # Ties get average ranks: same as Pearson on the ranks [1.5, 1.5, 3, 4].
    expected = np.corrcoef([1.5, 1.5, 3, 4], [1, 2, 3, 4])[0, 1]
    assert s05.spearman([5, 5, 6, 7], [1, 2, 3, 4]) == pytest.approx(expected)


def test_critical_points_higher_loss_more_ways_down():
    found = s05.critical_points()
    keep = found["grad_norm"] < 1e-6
    loss, index = found["loss"][keep], found["index"][keep]
    assert keep.sum() >= 50
    assert s05.spearman(loss, index) > 0.5
    # Both kinds are there: minima near zero loss, saddles higher up.
    assert np.any((index == 0) & (loss < 1e-3))
    assert np.any((index > 0) & (loss > 0.3))
    assert loss[index == 0].max() < 1e-3 < loss[index > 0].min()
    # The highest loss comes with the largest index (most ways down).
    assert index[loss > loss.max() - 1e-3].max() == index.max()


def test_critical_points_are_critical():
    net, surface = s05.sine_net()
    found = s05.critical_points()
    w = found["w"]
    assert w.shape == (s05.CRITICAL_STARTS, net.dim) and net.dim == 10
    gnorm = np.linalg.norm(surface.grad(w), axis=1)
    np.testing.assert_allclose(gnorm, found["grad_norm"], rtol=1e-6, atol=1e-15)
    keep = gnorm < 1e-6
    evals = np.linalg.eigvalsh(surface.hessian(w[keep]))
    np.testing.assert_allclose((evals < s05.NEGATIVE).mean(1), found["index"][keep])
    np.testing.assert_allclose(surface.value(w), found["loss"])


def test_filter_normalised_directions_match_each_units_size():
    net, surface, w = s05.trained_moons(8)
    d = s05.filter_normalized_directions(net, w, seed=0)
    for fan_in, fan_out, ws, bs in net.layers:
        W = w[ws].reshape(fan_in, fan_out)
        for k in range(2):
            D = d[k, ws].reshape(fan_in, fan_out)
            np.testing.assert_allclose(
                np.linalg.norm(D, axis=0), np.linalg.norm(W, axis=0)
            )
            assert np.all(d[k, bs] == 0)


def test_slice_is_centred_on_the_trained_weights():
    a, L = s05.loss_slice(8)
    net, surface, w = s05.trained_moons(8)
    mid = len(a) // 2
    assert L.shape == (s05.SLICE_GRID, s05.SLICE_GRID) and a[mid] == 0
    assert L[mid, mid] == pytest.approx(surface.value(w))
    # The trained point is (close to) the lowest point of the slice, and the
    # edges are far higher.
    assert L[mid, mid] <= L.min() * 1.05
    assert L.max() > 100 * L[mid, mid]


def test_wider_networks_fit_better():
    low = [s05.loss_slice(w)[1][20, 20] for w in (2, 8, 32)]
    assert low[0] > 0.1 and low[1] < 0.01 and low[2] < low[0]


def test_every_slice_fits_the_fixed_loss_axis():
    low, high = s05.SLICE_LOSS_RANGE
    for width in s05.SLICE_WIDTHS:
        _, L = s05.loss_slice(width)
        assert low < L.min() and L.max() < high, width


def test_real_networks_table():
    years = [row[1] for row in s05.REAL_NETWORKS]
    assert years == sorted(years)
    assert all(row[3] > 1e4 for row in s05.REAL_NETWORKS)
    assert s05.REAL_NETWORKS[-1][3] == 175e9


def test_ex05_right_answers():
    assert checks.ex05_ball_share(math.pi / 6)
    assert not checks.ex05_ball_share(0.785)
    assert checks.ex05_grid_points(1e17) and checks.ex05_grid_points(10**17)
    assert not checks.ex05_grid_points(170)
    assert checks.ex05_typical_point("saddle")
    assert not checks.ex05_typical_point("minimum")
