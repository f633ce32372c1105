"""What several parts of notebook 04 share: the saddle surface of the escape problem,
and the small XOR network of the plateau.
"""

from __future__ import annotations

import numpy as np

from .. import datasets
from ..landscapes import Landscape
from ..nn import MLP

ESCAPE = 1.0  # a run has escaped the saddle once |y| > ESCAPE
WALL = 1.0  # beyond |y| = WALL the surface curves back up (bounded below)
X_START = 1.0  # runs start at (X_START, ε): ε off the ridge y = 0


def _wall_roots() -> float:
    # Where -2y + 4(y - 1)^3 = 0 for y > 1: the bottom of each valley.
    roots = np.roots([4.0, -12.0, 10.0, -4.0])
    return float(max(r.real for r in roots if abs(r.imag) < 1e-9))


Y_MIN = _wall_roots()


def saddle_surface() -> Landscape:
    """Return 5x² − y² near the saddle, bounded below by a wall beyond |y| = 1.

    For |y| <= 1 the surface is exactly 5x² − y² (a saddle at the origin);
    beyond, (|y| − 1)⁴ is added, which has zero value and zero first three
    derivatives at |y| = 1, so near the saddle nothing changes, but the loss
    stops falling at two valleys y = ±Y_MIN instead of going to −∞.
    """

    def f(p):
        x, y = p[:, 0], p[:, 1]
        out = np.maximum(np.abs(y) - WALL, 0.0)
        return 5 * x**2 - y**2 + out**4

    def df(p):
        x, y = p[:, 0], p[:, 1]
        out = np.maximum(np.abs(y) - WALL, 0.0)
        return np.stack([10 * x, -2 * y + 4 * np.sign(y) * out**3], -1)

    def d2f(p):
        x, y = p[:, 0], p[:, 1]
        out = np.maximum(np.abs(y) - WALL, 0.0)
        zero = 0 * x
        return np.stack(
            [np.stack([10 + zero, zero], -1), np.stack([zero, -2 + 12 * out**2], -1)],
            -2,
        )

    return Landscape(
        name="saddle 5x² − y²",
        dim=2,
        bounds=(np.array([-1.2, -2.6]), np.array([1.2, 2.6])),
        minima=np.array([[0.0, Y_MIN], [0.0, -Y_MIN]]),
        f=f,
        df=df,
        d2f=d2f,
        description="5x² − y² near the origin (a saddle), two valleys at y = ±2",
    )


PLATEAU_LR = 0.2


def _xor_net():
    X, y = datasets.xor()
    net = MLP([2, 4, 1])
    return net, net.landscape(X, y)
