"""Critical points of any surface, from many starts: minima and saddles alike."""

import numpy as np
import pytest

from tutorial import landscapes
from tutorial.critical import find_critical_points


def test_himmelblau_has_nine_critical_points_of_three_kinds():
    surface = landscapes.get("himmelblau")
    starts = np.random.default_rng(0).uniform(-5, 5, (400, 2))
    x, gnorm = find_critical_points(surface, starts, iterations=60)
    found = np.unique(np.round(x[gnorm < 1e-10], 4), axis=0)
    assert len(found) == 9
    kinds = np.sign(np.linalg.eigvalsh(surface.hessian(found))).sum(1)
    # Four minima (+2), four saddles (0) and one maximum (-2).
    assert sorted(kinds) == [-2] + [0] * 4 + [2] * 4
    np.testing.assert_allclose(np.linalg.norm(surface.grad(x), axis=1), gnorm)


def test_a_saddle_attracts_the_search_unlike_descent():
    surface = landscapes.quadratic([2.0, -1.0])
    starts = np.random.default_rng(1).normal(size=(20, 2))
    x, gnorm = find_critical_points(surface, starts, iterations=20)
    assert np.abs(x).max() < 1e-8 and gnorm.max() < 1e-8


@pytest.mark.parametrize(
    "kwargs, word",
    [
        ({"landscape": "himmelblau"}, "landscape"),
        ({"x0": np.zeros((3, 3))}, "x0"),
        ({"x0": np.full((2, 2), np.nan)}, "x0"),
        ({"iterations": 0}, "iterations"),
        ({"iterations": 2.5}, "iterations"),
        ({"stop": -1.0}, "stop"),
    ],
)
def test_bad_arguments_name_themselves(kwargs, word):
    args = {"landscape": landscapes.get("himmelblau"), "x0": np.zeros((2, 2))}
    with pytest.raises(ValueError, match=word):
        find_critical_points(**(args | kwargs))
