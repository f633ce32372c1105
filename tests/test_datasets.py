import numpy as np
import pytest

from tutorial import datasets


@pytest.mark.parametrize("make", [datasets.moons, datasets.spirals, datasets.blobs])
def test_two_balanced_classes_seeded(make):
    X, y = make(n=101, seed=0)
    assert X.shape == (101, 2) and y.shape == (101,)
    assert set(np.unique(y)) == {0.0, 1.0}
    assert abs(y.mean() - 0.5) < 0.01
    np.testing.assert_array_equal(X, make(n=101, seed=0)[0])
    assert not np.array_equal(X, make(n=101, seed=1)[0])


def test_xor_is_xor():
    X, y = datasets.xor()
    np.testing.assert_array_equal(y, np.logical_xor(X[:, 0], X[:, 1]).astype(float))
    X, y = datasets.xor(repeats=5, noise=0.1, seed=0)
    assert X.shape == (20, 2) and y.sum() == 10


def test_line_is_near_its_line():
    X, y = datasets.line(n=500, slope=2.0, intercept=1.0, noise=0.1, seed=0)
    slope, intercept = np.polyfit(X[:, 0], y, 1)
    assert slope == pytest.approx(2.0, abs=0.03) and intercept == pytest.approx(
        1.0, abs=0.03
    )


@pytest.mark.parametrize(
    "call, word",
    [
        (lambda: datasets.moons(n=0), "n"),
        (lambda: datasets.moons(noise=-1), "noise"),
        (lambda: datasets.spirals(turns=0), "turns"),
        (lambda: datasets.xor(repeats=1.5), "repeats"),
        (lambda: datasets.blobs(n=10**9), "n"),
    ],
)
def test_bad_arguments(call, word):
    with pytest.raises(ValueError, match=word):
        call()
