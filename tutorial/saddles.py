"""A saddle in d dimensions: k directions curve down, d - k up.

The core of notebook 04's escape demo, numpy only: the surface
(`saddle_nd`), random starts near it, escape runs that take exactly the
steps `optimize` would take (`saddle_escape`), and the theory they are
measured against: without noise a run escapes at the first whole step after
ln(1/eps) / ln(1 + lr * mu), eps its start's distance from the stable
manifold and mu the steepest downhill curvature (`escape_time`); with
Gaussian gradient noise, as if it had started sqrt(eps^2 + k tau^2) away
(`noise_distance`, `escape_time_quantiles`). Gradient descent moves each
eigen-direction on its own, so d enters only through eps.
"""

from __future__ import annotations

import functools
import math
from typing import NamedTuple

import numpy as np

from .arguments import number, whole
from .landscapes import Landscape
from .seeding import generator

ND_LR = 0.1  # η of every run in this part
ND_START = 0.01  # runs start this far from the saddle, in a random direction
ND_ESCAPE = 1.0  # escaped once the distance from the stable manifold passes this
ND_UPHILL = (1.0, 4.0)  # the d − k uphill curvatures, spread evenly
ND_DIMS = tuple(2**j for j in range(1, 11))  # the d slider: 2, 4, ..., 1024
ND_RUNS = 100  # random starts per dimension
ND_MAX_STEPS = 500  # runs still near the saddle after this count as not escaped
ND_MAX_DIM = 2000
ND_SAMPLES = 4000  # draws behind each theoretical quantile


def saddle_curvatures(dim: int, down: int, curvature: float = 1.0) -> np.ndarray:
    """Return the Hessian's eigenvalues of the d-dimensional saddle, shape (dim,).

    The first `down` are −`curvature` (the downhill directions); the other
    dim − down are spread evenly over ND_UPHILL (uphill).
    """
    dim = whole(dim, "dim", 2, ND_MAX_DIM)
    down = whole(down, "down", 1, dim - 1)
    curvature = number(curvature, "curvature", 0, 100, open_low=True)
    lam = np.empty(dim)
    lam[:down] = -curvature
    lam[down:] = np.linspace(*ND_UPHILL, dim - down)
    return lam


def saddle_nd(dim: int, down: int, curvature: float = 1.0) -> Landscape:
    """Return ½ Σ λᵢ xᵢ² with `saddle_curvatures`: a saddle at the origin.

    Its stable manifold (the starts from which descent flows into the saddle)
    is the span of the uphill directions: the points with xᵢ = 0 for i < down.
    The same surface as ``landscapes.quadratic(saddle_curvatures(...))``,
    computed coordinate by coordinate instead of with a dim × dim matrix.
    """
    lam = saddle_curvatures(dim, down, curvature)

    def f(x):
        return 0.5 * np.einsum("ni,i,ni->n", x, lam, x)

    def df(x):
        return x * lam

    def d2f(x):
        return np.broadcast_to(np.diag(lam), (len(x), dim, dim)).copy()

    return Landscape(
        f"saddle in {dim} dimensions, {down} downhill",
        dim,
        (-np.ones(dim), np.ones(dim)),
        np.zeros((0, dim)),
        f,
        df,
        d2f,
        f"½ Σ λᵢ xᵢ², λ = −{curvature:g} ({down}×) and {ND_UPHILL[0]:g} to "
        f"{ND_UPHILL[1]:g}",
    )


class SaddleEscape(NamedTuple):
    """Runs of gradient descent from random starts near a d-dimensional saddle."""

    escape: np.ndarray  # (n,) first step with distance > ND_ESCAPE, -1 if none
    eps: np.ndarray  # (n,) each start's distance from the stable manifold
    distance: np.ndarray  # (rows, n) that distance at steps 0, 1, ...


def saddle_starts(dim: int, runs: int = ND_RUNS, seed: int = 0) -> np.ndarray:
    """Return `runs` starts ND_START from the saddle, shape (runs, dim).

    Each lies in a direction drawn uniformly at random (a normalised Gaussian).
    """
    rng = generator(seed, allow_none=False)
    dim = whole(dim, "dim", 2, ND_MAX_DIM)
    runs = whole(runs, "runs", 1, 10_000)
    u = rng.standard_normal((runs, dim))
    return ND_START * u / np.linalg.norm(u, axis=1, keepdims=True)


def saddle_escape(
    dim: int,
    down: int = 1,
    curvature: float = 1.0,
    noise: float = 0.0,
    runs: int = ND_RUNS,
    seed: int = 0,
    max_steps: int = ND_MAX_STEPS,
) -> SaddleEscape:
    """Run gradient descent (η = ND_LR) from random starts near the saddle.

    Every one of the `dim` weights is stepped, x ← x − η (∇L + σξ), with the
    Gaussian noise ξ drawn as ``optimize(saddle_nd(...), saddle_starts(...),
    noise=σ, seed=seed + 1)`` draws it: the runs are exactly those of
    `optimize`. Only the distance from the stable manifold is kept (every
    position of 100 runs in 1,000 dimensions would fill hundreds of
    megabytes), and the loop stops once every run has escaped.
    """
    noise = number(noise, "noise", 0, 10)
    max_steps = whole(max_steps, "max_steps", 1, 100_000)
    generator(seed, allow_none=False)  # checks the seed before any work
    lam = saddle_curvatures(dim, down, curvature)
    x = saddle_starts(dim, runs, seed)
    n = x.shape[0]
    rng = np.random.default_rng(seed + 1) if noise else None
    g = np.empty_like(x)
    head = x[:, :down]  # a view: the downhill coordinates
    distance = [np.sqrt(np.einsum("ij,ij->i", head, head))]
    escape = np.full(n, -1)
    for t in range(1, max_steps + 1):
        np.multiply(x, lam, out=g)  # the gradient
        if noise:
            g += noise * rng.standard_normal((n, dim))
        g *= ND_LR
        x -= g
        d = np.sqrt(np.einsum("ij,ij->i", head, head))
        distance.append(d)
        escape[(d > ND_ESCAPE) & (escape < 0)] = t
        if escape.min() >= 0:
            break
    return SaddleEscape(escape, distance[0], np.array(distance))


def escape_time(eps, curvature: float = 1.0, lr: float = ND_LR):
    """Return ln(1/ε) / ln(1 + ημ): steps from distance ε to distance 1.

    Along a downhill direction of curvature −μ one step of gradient descent
    multiplies the distance from the stable manifold by (1 + ημ); the escape
    is the first whole step after this value.
    """
    eps = np.asarray(eps, dtype=float)
    if eps.size == 0 or np.any(~np.isfinite(eps) | (eps <= 0)):
        raise ValueError(f"eps must be positive numbers; got {eps}")
    growth = 1 + number(lr, "lr", 0, 10, open_low=True) * number(
        curvature, "curvature", 0, 100, open_low=True
    )
    return np.log(ND_ESCAPE / eps) / np.log(growth)


def noise_distance(
    down: int = 1, curvature: float = 1.0, noise: float = 0.0, lr: float = ND_LR
) -> float:
    """Return τ√k, the distance from the stable manifold the noise alone gives.

    τ = ησ / √((1 + ημ)² − 1) is the size, in each of the k downhill
    directions, of all the noise's kicks grown back to step 0: a run then
    leaves as if it had started about √(ε² + kτ²) away.
    """
    down = whole(down, "down", 1, ND_MAX_DIM)
    return math.sqrt(down) * _tau(curvature, noise, lr)


def _tau(curvature, noise, lr) -> float:
    g = 1 + number(lr, "lr", 0, 10, open_low=True) * number(
        curvature, "curvature", 0, 100, open_low=True
    )
    return lr * number(noise, "noise", 0, 10) / math.sqrt(g * g - 1)


@functools.lru_cache(maxsize=64)
def _unit_noise(down: int) -> np.ndarray:
    # Fixed draws, so that the theory's numbers do not change between calls.
    return np.random.default_rng(20240).standard_normal((ND_SAMPLES, down))


def first_step_after(distance, curvature, lr) -> np.ndarray:
    """The escape step from each distance: the first whole step after T."""
    return np.floor(escape_time(distance, curvature, lr)) + 1


def escape_time_samples(
    eps, down: int = 1, curvature: float = 1.0, noise: float = 0.0, lr: float = ND_LR
) -> np.ndarray:
    """Return the theory's escape steps from each ε, shape (len(eps), ND_SAMPLES).

    Grown back to step 0, the noise's kicks add a Gaussian τz (z standard
    normal in the k downhill directions, τ as in `noise_distance`), so a run
    from distance ε leaves as if from |ε e₁ + τz|, at the first whole step
    after ln(1/|ε e₁ + τz|) / ln(1 + ημ). The columns are ND_SAMPLES fixed
    draws of z; without noise they are all the same.
    """
    eps = np.atleast_1d(np.asarray(eps, dtype=float))
    down = whole(down, "down", 1, ND_MAX_DIM)
    z = _tau(curvature, noise, lr) * _unit_noise(down)  # (samples, down)
    shifted = np.repeat(z[None], eps.size, axis=0)
    shifted[:, :, 0] += eps[:, None]
    radius = np.linalg.norm(shifted, axis=-1)
    return first_step_after(radius, curvature, lr)


def escape_time_quantiles(
    eps,
    down: int = 1,
    curvature: float = 1.0,
    noise: float = 0.0,
    q=(0.1, 0.5, 0.9),
    lr: float = ND_LR,
):
    """Return the theory's quantiles of the escape step from each ε.

    Quantiles over the draws of `escape_time_samples`; shape (len(q), len(eps)).
    """
    samples = escape_time_samples(eps, down, curvature, noise, lr)
    return np.quantile(samples, q, axis=1)


def escape_median_by_dim(
    dims=ND_DIMS,
    down: int = 1,
    curvature: float = 1.0,
    noise: float = 0.0,
    lr: float = ND_LR,
) -> np.ndarray:
    """Return the theory's median escape step from a random start, per dim.

    A random direction in d dimensions puts a share B ~ Beta(k/2, (d − k)/2)
    of its squared length in the k downhill directions, so a start ND_START
    from the saddle is ε = ND_START √B from the stable manifold: typically
    ND_START √(k/d). The median is over ND_SAMPLES fixed draws of B (and of
    the noise, as in `escape_time_quantiles`). Shape (len(dims),).
    """
    down = whole(down, "down", 1, ND_MAX_DIM)
    out = []
    for dim in dims:
        dim = whole(dim, "dim", down + 1, ND_MAX_DIM)
        share = np.random.default_rng(20241).beta(
            down / 2, (dim - down) / 2, ND_SAMPLES
        )
        head = _tau(curvature, noise, lr) * _unit_noise(down)
        head[:, 0] += ND_START * np.sqrt(share)
        radius = np.linalg.norm(head, axis=-1)
        out.append(np.median(first_step_after(radius, curvature, lr)))
    return np.array(out)


@functools.lru_cache(maxsize=32)
def saddle_escape_table(down: int = 1, curvature: float = 1.0, noise: float = 0.0):
    """Return {dim: saddle_escape(dim, ...)} for every dim of ND_DIMS above down.

    What the d-dimensional demo shows; each dimension's runs have their own
    seed (the dimension), so no two share a start.
    """
    return {
        dim: saddle_escape(dim, down, curvature, noise, seed=dim)
        for dim in ND_DIMS
        if dim > down
    }
