import numpy as np
import pytest

from tutorial.intervals import Z_99, wilson_interval


def test_known_values():
    # Wilson's interval for 5 of 10 at 95 %: 0.5 ± 0.2634 (by hand from the formula).
    low, high = wilson_interval(5, 10)
    assert (low, high) == pytest.approx((0.2366, 0.7634), abs=1e-4)
    # At 0 of n the interval is [0, z² / (n + z²)], not empty.
    low, high = wilson_interval(0, 20_000)
    assert low == 0 and high == pytest.approx(1.96**2 / (20_000 + 1.96**2))
    low, high = wilson_interval(50, 100)
    assert high - low == pytest.approx(0.19, abs=0.01)


def test_99_percent_is_wider_and_arrays_work():
    k, n = np.array([0, 3, 10]), np.array([10, 10, 10])
    low95, high95 = wilson_interval(k, n)
    low99, high99 = wilson_interval(k, n, z=Z_99)
    assert np.all(low99 <= low95) and np.all(high99 >= high95)
    assert np.all((low99 >= 0) & (high99 <= 1))
    assert high99[2] == 1 and low99[0] == 0


@pytest.mark.parametrize("args", [(3, 2), (-1, 5), (1, 0), ([1, 2], [2, 1])], ids=str)
def test_impossible_counts_are_refused(args):
    with pytest.raises(ValueError, match="trials must be >= 1"):
        wilson_interval(*args)


@pytest.mark.parametrize("z", [0, -1.96, float("nan")])
def test_z_must_be_positive(z):
    with pytest.raises(ValueError, match="z must be"):
        wilson_interval(1, 2, z=z)
