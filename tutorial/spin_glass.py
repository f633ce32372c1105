"""The spherical 3-spin glass: a random loss over N weights whose shape is known.

    H(σ) = N⁻¹ Σ_ijk J_ijk σ_i σ_j σ_k,   |σ|² = N,   J_ijk independent N(0, 1)

(Crisanti & Sommers 1992). Choromanska et al. ("The loss surfaces of multilayer
networks", 2015) argue that the loss of a ReLU network with two hidden layers
behaves like it, under simplifying assumptions (every path through the network
independent of the others, among them) that real networks do not meet. What
makes it worth studying is that its critical points have been counted
(Auffinger, Ben Arous & Černý, "Random matrices and complexity of spin
glasses", 2013): for large N, the loss per weight H/N of almost every local
minimum lies in a thin band between −E₀ ≈ −1.657 (the lowest loss) and
−E∞ = −2√(2/3) ≈ −1.633, and a critical point's Hessian is a random
symmetric matrix shifted by 3H/N, so its share of downhill directions is fixed
by its loss (`index_at_loss`).

The weights x live in R^N. The loss is read on the sphere, at σ = √N x/|x|,
and a stiff radial term (κ/4N)(|x|² − N)² holds x near it. So gradient descent
runs with `tutorial.optimizers.optimize` like on any surface, every critical
point lies on the sphere and is one of H's, and the radial direction adds one
positive curvature 2κ = 4 to its Hessian.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from .critical import find_critical_points
from .landscapes import Landscape
from .optimizers import optimize
from .seeding import generator

__all__ = [
    "P",
    "THRESHOLD",
    "STIFFNESS",
    "MAX_DIM",
    "ground_state",
    "index_at_loss",
    "sphere_points",
    "SpinGlass",
    "POOR_GAP",
    "train_ends",
    "poor_ends",
    "SNAPSHOTS",
    "critical_points",
]

P = 3  # the degree: each term couples three weights
THRESHOLD = 2 * math.sqrt((P - 1) / P)  # E∞: below −E∞ critical points are minima
STIFFNESS = 2.0  # κ of the radial term: curvature 2κ across the sphere
MAX_DIM = 100  # the couplings take N³ numbers: 8 MB at N = 100
MAX_COPIES = 16
_PERMUTATIONS = ((0, 1, 2), (0, 2, 1), (1, 0, 2), (1, 2, 0), (2, 0, 1), (2, 1, 0))


def _complexity(u: float, k: int) -> float:
    """Return Θ_k(u): (1/N) log of the mean number of critical points of index k
    with loss per weight below u < −E∞, for large N (Auffinger et al. 2013,
    Theorem 2.8)."""
    e = THRESHOLD
    root = math.sqrt(u * u - e * e)
    i1 = -u / (e * e) * root - math.log(-u + root) + math.log(e)
    return 0.5 * math.log(P - 1) - (P - 2) / (4 * (P - 1)) * u * u - (k + 1) * i1


@functools.lru_cache(maxsize=1)
def ground_state() -> float:
    """Return E₀ ≈ 1.657: for large N the lowest loss per weight is −E₀.

    −E₀ is where the mean number of minima below a loss stops being
    exponentially small, the zero of Θ₀ (found by bisection).
    """
    low, high = -3.0, -THRESHOLD - 1e-12  # Θ₀ < 0 at −3, > 0 just below −E∞
    for _ in range(100):
        mid = (low + high) / 2
        if _complexity(mid, 0) < 0:
            low = mid
        else:
            high = mid
    return -(low + high) / 2


def index_at_loss(loss_per_weight) -> np.ndarray:
    """Return the share of downhill directions at a critical point, from its loss.

    For large N the Hessian at a critical point with loss per weight u is a
    random symmetric matrix (the notebook's semicircle, of radius 2√6)
    shifted by −3u, so the share of its eigenvalues below zero is the
    semicircle's share below 3u/(2√6) = u/E∞: 0 at u ≤ −E∞ (minima), ½ at
    u = 0, 1 at u ≥ E∞ (maxima).
    """
    x = np.clip(np.asarray(loss_per_weight, dtype=float) / THRESHOLD, -1.0, 1.0)
    return 0.5 + (x * np.sqrt(1 - x * x) + np.arcsin(x)) / np.pi


def _dim(dim) -> int:
    if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)):
        raise ValueError(f"dim must be a whole number in [2, {MAX_DIM}]; got {dim!r}")
    if not 2 <= dim <= MAX_DIM:
        raise ValueError(f"dim must be in [2, {MAX_DIM}]; got {dim}")
    return int(dim)


def sphere_points(dim: int, n: int, seed: int = 0) -> np.ndarray:
    """Return n random points on the sphere |x|² = dim, shape (n, dim).

    Uniform on the sphere: standard normal vectors rescaled to length √dim.
    Each weight is then about ±1, as in a network initialised at scale 1.
    """
    d = _dim(dim)
    if (
        isinstance(n, bool)
        or not isinstance(n, (int, np.integer))
        or not (1 <= n <= 100_000)
    ):
        raise ValueError(f"n must be a whole number in [1, 100000]; got {n!r}")
    z = generator(seed, allow_none=False).standard_normal((int(n), d))
    return math.sqrt(d) * z / np.linalg.norm(z, axis=1, keepdims=True)


class SpinGlass:
    """Independent draws of the 3-spin glass with `dim` weights each.

    Parameters
    ----------
    dim : int
        N, the number of weights of one problem, 2 <= N <= 100.
    seed : int
        Seed of the couplings J: same seed, same surface.
    copies : int
        K independent problems side by side, drawn with seeds seed, seed + 1,
        ...: a weight vector then has K·N entries, problem k owning
        x[..., k·N : (k + 1)·N], and the loss is the sum of the K losses. No
        term couples two problems, so gradient descent on the sum moves each
        problem exactly as if it were trained alone: one call to `optimize`
        trains K problems from n starts each (a run is stopped as diverged
        when any of its problems diverges).

    Attributes
    ----------
    dim : int
        N·K, the length of a weight vector (as for any Landscape).
    weights : int
        N, the weights of one problem.
    copies : int
    seed : int
    """

    def __init__(self, dim: int, seed: int = 0, copies: int = 1):
        n_w = _dim(dim)
        if (
            isinstance(copies, bool)
            or not isinstance(copies, (int, np.integer))
            or not (1 <= copies <= MAX_COPIES)
        ):
            raise ValueError(
                f"copies must be a whole number in [1, {MAX_COPIES}]; got {copies!r}"
            )
        generator(seed, allow_none=False)
        self.weights, self.copies, self.seed = n_w, int(copies), int(seed)
        self.dim = n_w * self.copies
        self._rows, self._cols = np.triu_indices(n_w)
        # S(·, x, x) = Σ_{j<=k} c_ijk x_j x_k with c = S (j = k) or 2S (j < k):
        # one matrix product over the N(N+1)/2 distinct products x_j x_k.
        factor = np.where(self._rows == self._cols, 1.0, 2.0)
        squares, halves = [], []
        for k in range(self.copies):
            J = np.random.default_rng(seed + k).standard_normal((n_w, n_w, n_w))
            # The symmetrised couplings S give the same H; its gradient is
            # 3 S(·, x, x).
            S = sum(J.transpose(p) for p in _PERMUTATIONS) / 6
            squares.append(S.reshape(n_w * n_w, n_w))
            halves.append(S[:, self._rows, self._cols] * factor)
        self._square = np.stack(squares)  # (K, N², N)
        self._half = {np.float64: np.stack(halves)}  # (K, N, N(N+1)/2)
        self._half[np.float32] = self._half[np.float64].astype(np.float32)

    def __repr__(self) -> str:
        return f"SpinGlass({self.weights}, seed={self.seed}, copies={self.copies})"

    def _blocks(self, x) -> np.ndarray:
        """Return the points as (K, N, n): each problem's weights, runs last."""
        return np.asarray(x.T).reshape(self.copies, self.weights, -1)

    def _contract(self, xk, dtype=np.float64) -> np.ndarray:
        """Return S(·, x, x) for blocks xk (K, N, n), shape (K, N, n)."""
        xk = np.asarray(xk, dtype=dtype)
        products = xk[:, self._rows] * xk[:, self._cols]
        return np.matmul(self._half[dtype], products).astype(float, copy=False)

    def loss_per_weight(self, x) -> np.ndarray:
        """Return H/N of each problem on the sphere, shape (..., K) for x (..., K·N).

        On the sphere (|x_k|² = N for each problem) it is the landscape's
        value divided by N, problem by problem; off it the radial term is
        left out.
        """
        x = np.asarray(x, dtype=float)
        if x.ndim == 0 or x.shape[-1] != self.dim:
            raise ValueError(f"x must have shape (..., {self.dim}); got {x.shape}")
        flat = x.reshape(-1, self.dim)
        xk = self._blocks(flat)
        r2 = np.einsum("kin,kin->kn", xk, xk)
        t = np.einsum("kin,kin->kn", self._contract(xk), xk)
        with np.errstate(all="ignore"):
            u = t / (math.sqrt(self.weights) * r2 * np.sqrt(r2))
        return u.T.reshape(x.shape[:-1] + (self.copies,))

    def landscape(self, *, single: bool = False) -> Landscape:
        """Return the loss over the weights as a Landscape.

        Its value is Σ_k H_k + (κ/4N)(|x_k|² − N)² with each H_k read at
        √N x_k/|x_k|: on the sphere, the total loss (divide by N for the loss
        per weight). Gradient and Hessian are exact. With `single`, the
        gradient's contraction runs in single precision: about twice as fast,
        accurate to about 1e-6, enough for training (searching for critical
        points needs double precision).
        """
        n_w, k_n = self.weights, self.copies
        root, kappa = math.sqrt(n_w), STIFFNESS / n_w
        dtype = np.float32 if single else np.float64

        def fdf(x):
            xk = self._blocks(x)
            sx = self._contract(xk, dtype)
            r2 = np.einsum("kin,kin->kn", xk, xk)
            t = np.einsum("kin,kin->kn", sx, xk)
            # H = √N t/|x|³ does not change when x is rescaled.
            a = root / (r2 * np.sqrt(r2))
            value = (a * t + kappa / 4 * (r2 - n_w) ** 2).sum(0)
            radial = kappa * (r2 - n_w) - 3 * a * t / r2
            grad = (3 * a)[:, None] * sx + radial[:, None] * xk
            return value, grad.reshape(self.dim, -1).T

        def hessian(x):
            n = x.shape[0]
            out = np.zeros((n, self.dim, self.dim))
            xk = np.ascontiguousarray(self._blocks(x), dtype=float)  # (K, N, n)
            for k in range(k_n):  # block diagonal: one block per problem
                xb = xk[k].T  # (n, N)
                # S(·, ·, x) for every point in one matrix product: (n, N, N).
                H = (self._square[k] @ xk[k]).T.reshape(n, n_w, n_w)
                sx = np.matmul(H, xb[:, :, None])[..., 0]
                t = np.einsum("ni,ni->n", sx, xb)
                r2 = np.einsum("ni,ni->n", xb, xb)
                r = np.sqrt(r2)
                H *= (6 * root / r**3)[:, None, None]
                # Every term along x together: u xᵀ + x uᵀ.
                u = (-9 * root / r**5)[:, None] * sx + (7.5 * root * t / r**7 + kappa)[
                    :, None
                ] * xb
                H += u[:, :, None] * xb[:, None, :]
                H += xb[:, :, None] * u[:, None, :]
                diagonal = -3 * root * t / r**5 + kappa * (r2 - n_w)
                H.reshape(n, -1)[:, :: n_w + 1] += diagonal[:, None]
                block = slice(k * n_w, (k + 1) * n_w)
                out[:, block, block] = H
            return out

        return Landscape(
            name=f"3-spin glass N={n_w}" + (f" ×{k_n}" if k_n > 1 else ""),
            dim=self.dim,
            bounds=(-3.0 * np.ones(self.dim), 3.0 * np.ones(self.dim)),
            minima=np.zeros((0, self.dim)),
            f=lambda x: fdf(x)[0],
            df=lambda x: fdf(x)[1],
            d2f=hessian,
            description=f"spherical 3-spin glass, {n_w} weights, seed {self.seed}"
            + (f", {k_n} independent copies" if k_n > 1 else ""),
            fdf=fdf,
        )

    def curvatures(self, x) -> np.ndarray:
        """Return each problem's N − 1 curvatures across its sphere, sorted.

        For points x of shape (n, N) with copies = 1: the Hessian's
        eigenvalues without the radial one, shape (n, N − 1). At a critical
        point the radial direction is an eigenvector (curvature 2κ); we drop
        the eigenvalue whose eigenvector lies closest to x.
        """
        if self.copies != 1:
            raise ValueError("curvatures needs a SpinGlass with copies=1")
        x = np.atleast_2d(np.asarray(x, dtype=float))
        if x.ndim != 2 or x.shape[1] != self.dim:
            raise ValueError(f"x must have shape (n, {self.dim}); got {x.shape}")
        values, vectors = np.linalg.eigh(self.landscape().hessian(x))
        along = np.abs(np.einsum("nij,ni->nj", vectors, x))
        keep = np.ones(values.shape, dtype=bool)
        keep[np.arange(len(x)), along.argmax(1)] = False
        return values[keep].reshape(len(x), self.dim - 1)

    def starts(self, n: int, seed: int = 0) -> np.ndarray:
        """Return n random starts, shape (n, K·N): each problem's weights
        uniform on its sphere |x_k|² = N (each weight about ±1)."""
        blocks = [
            sphere_points(self.weights, n, seed + 7919 * k) for k in range(self.copies)
        ]
        return np.concatenate(blocks, axis=1)


# ------------------------------------------------ training from many starts

POOR_GAP = 0.3  # an end this far above its problem's best (per weight) is poor


@functools.lru_cache(maxsize=16)
def _problems(dim: int, seed: int, copies: int) -> SpinGlass:
    return SpinGlass(dim, seed, copies)


def train_ends(
    dim: int,
    *,
    lr: float = 0.15,
    noise: float = 0.0,
    problems: int = 6,
    restarts: int = 25,
    steps: int = 100,
    seed: int = 0,
):
    """Train gradient descent on `problems` spin glasses from `restarts` starts each.

    All problems and runs move in one call to `optimize` (a `SpinGlass` with
    copies). `noise` is the Gaussian *model* of minibatch noise (standard
    deviation per weight; there is no data here to draw batches from); it
    shrinks linearly to zero over the run, as a learning-rate schedule would,
    so that every run ends by settling.

    Returns
    -------
    loss : array of shape (restarts, problems)
        Loss per weight H/N where each run ended.
    diverged : bool array of shape (restarts, problems)
        Runs that blew up (their loss is NaN).
    """
    if not (isinstance(lr, (int, float, np.floating)) and 0 < lr <= 10):
        raise ValueError(f"lr must be a number in (0, 10]; got {lr!r}")
    if not (isinstance(noise, (int, float, np.floating)) and 0 <= noise <= 100):
        raise ValueError(f"noise must be a number in [0, 100]; got {noise!r}")
    for name, value, high in (("restarts", restarts, 1000), ("steps", steps, 10_000)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
            raise ValueError(
                f"{name} must be a whole number in [1, {high}]; got {value!r}"
            )
        if not 1 <= value <= high:
            raise ValueError(f"{name} must be in [1, {high}]; got {value}")
    model = _problems(_dim(dim), int(seed), int(problems))
    x0 = model.starts(int(restarts), seed=1000 + int(seed))
    schedule = noise * np.linspace(1.0, 0.0, steps) if noise else 0.0
    runs = optimize(
        model.landscape(single=True),
        x0,
        lr=float(lr),
        steps=int(steps),
        noise=schedule,
        seed=int(seed),
        every=int(steps),
    )
    diverged = np.repeat(runs.diverged[:, None], model.copies, axis=1)
    with np.errstate(all="ignore"):
        loss = model.loss_per_weight(runs.final)
    return np.where(diverged, np.nan, loss), diverged


def poor_ends(loss, diverged, gap: float = POOR_GAP) -> np.ndarray:
    """Return which runs ended poorly: diverged, or `gap` above their problem's best.

    `loss` and `diverged` have shape (restarts, problems), as `train_ends`
    returns them; the best is the lowest end among a problem's runs.
    """
    loss, diverged = np.asarray(loss, dtype=float), np.asarray(diverged, dtype=bool)
    ok = np.where(diverged, np.inf, loss)
    best = ok.min(axis=0, keepdims=True)
    with np.errstate(invalid="ignore"):
        return diverged | (ok > best + gap)


# ------------------------------------------------ critical points of one draw

SNAPSHOTS = (0, 1, 3, 6, 10, 20, 50, 200)  # training steps the searches start from


def critical_points(dim: int, *, runs: int = 13, seed: int = 0) -> dict:
    """Find critical points of one spin glass from many starts, minima and saddles.

    Gradient descent runs from `runs` random starts; the points it passes
    after each of `SNAPSHOTS` steps, and their mirror images (H is odd, so
    −x lies on the mirrored path uphill), are the starts of a search for a
    critical point of any kind (`critical.find_critical_points`).

    Returns
    -------
    dict
        ``loss`` (k,): loss per weight of each critical point found (|∇L| <
        1e-8); ``index`` (k,): share of its N − 1 curvatures across the
        sphere that are negative; ``curvatures`` (k, N − 1); ``starts``: the
        number of searches.
    """
    model = SpinGlass(_dim(dim), int(seed))
    path = optimize(
        model.landscape(single=True),
        model.starts(runs, seed=1 + int(seed)),
        lr=0.1,
        steps=SNAPSHOTS[-1],
    ).path
    snaps = path[list(SNAPSHOTS)].reshape(-1, model.dim)
    x, grad_norm = find_critical_points(
        model.landscape(), np.r_[snaps, -snaps], iterations=30
    )
    x = x[grad_norm < 1e-8]
    curvatures = model.curvatures(x)
    return {
        "loss": model.loss_per_weight(x)[:, 0],
        "index": (curvatures < 0).mean(1),
        "curvatures": curvatures,
        "starts": 2 * len(snaps),
    }
