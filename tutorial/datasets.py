"""Small data sets made with numpy, seeded: each returns (X, y).

X has shape (m, features) and y shape (m,). Class labels are 0.0 or 1.0.
"""

from __future__ import annotations

import numpy as np

from .seeding import generator

__all__ = ["xor", "moons", "spirals", "blobs", "line"]

MAX_SAMPLES = 1_000_000
MAX_NOISE = 1000.0  # far beyond any useful jitter, far below overflow


def _count(n, name="n") -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise ValueError(
            f"{name} must be a whole number in [1, {MAX_SAMPLES}]; got {n!r}"
        )
    if not 1 <= n <= MAX_SAMPLES:
        raise ValueError(f"{name} must be in [1, {MAX_SAMPLES}]; got {n}")
    return int(n)


def _real(value, name: str, low: float, high: float) -> float:
    ok = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(
        value, bool
    )
    if not (ok and np.isfinite(value) and low <= value <= high):
        raise ValueError(
            f"{name} must be a number in [{low:g}, {high:g}]; got {value!r}"
        )
    return float(value)


def _spread(noise) -> float:
    return _real(noise, "noise", 0.0, MAX_NOISE)


def xor(repeats: int = 1, noise: float = 0.0, seed: int | None = None):
    """Return the four XOR points (0/1 inputs, label = x₁ XOR x₂).

    `repeats` copies of each corner, jittered by Gaussian `noise`.
    """
    repeats = _count(repeats, "repeats")
    corners = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    X = np.repeat(corners, repeats, axis=0)
    y = np.repeat(np.array([0.0, 1.0, 1.0, 0.0]), repeats)
    X = X + _spread(noise) * generator(seed).standard_normal(X.shape)
    return X, y


def moons(n: int = 200, noise: float = 0.1, seed: int | None = None):
    """Return two interleaving half circles, n points in all."""
    n, noise = _count(n), _spread(noise)
    rng = generator(seed)
    label = np.arange(n) % 2
    angle = rng.uniform(0, np.pi, n)
    X = np.stack([np.cos(angle), np.sin(angle)], -1)
    X[label == 1] = 1 - X[label == 1] * [1, 1] - [0, 0.5]
    X = X + noise * rng.standard_normal(X.shape)
    return X, label.astype(float)


def spirals(n: int = 200, noise: float = 0.05, turns: float = 1.5, seed=None):
    """Return two interleaved spirals, n points in all."""
    n, noise = _count(n), _spread(noise)
    if not (_real(turns, "turns", 0.0, 10.0) > 0):
        raise ValueError(f"turns must be in (0, 10]; got {turns}")
    rng = generator(seed)
    label = np.arange(n) % 2
    r = rng.uniform(0.1, 1.0, n)
    angle = 2 * np.pi * turns * r + np.pi * label
    X = r[:, None] * np.stack([np.cos(angle), np.sin(angle)], -1)
    X = X + noise * rng.standard_normal(X.shape)
    return X, label.astype(float)


def blobs(n: int = 200, noise: float = 0.5, seed: int | None = None):
    """Return two Gaussian clouds centred at (-1, -1) and (1, 1)."""
    n, noise = _count(n), _spread(noise)
    rng = generator(seed)
    label = np.arange(n) % 2
    centre = np.where(label[:, None] == 1, 1.0, -1.0) * np.ones(2)
    X = centre + noise * rng.standard_normal((n, 2))
    return X, label.astype(float)


def line(
    n: int = 20,
    slope: float = 2.0,
    intercept: float = 1.0,
    noise: float = 0.3,
    seed: int | None = None,
):
    """Return n noisy points of y = slope·x + intercept with x in [0, 2].

    X has shape (n, 1) and y shape (n,): data for a single linear neuron.
    """
    n, noise = _count(n), _spread(noise)
    slope = _real(slope, "slope", -1e6, 1e6)
    intercept = _real(intercept, "intercept", -1e6, 1e6)
    rng = generator(seed)
    x = np.sort(rng.uniform(0, 2, n))
    y = slope * x + intercept + noise * rng.standard_normal(n)
    return x[:, None], y
