"""The surfaces of notebook 02 (convex, non-convex and a slice of a network's loss),
the descents on them and the drawing of them, shared by its first two parts.
"""

from __future__ import annotations

import functools

import numpy as np

from .. import datasets, landscapes, plotting
from ..landscapes import Landscape
from ..nn import MLP
from ..optimizers import optimize

# Label shown in the menus -> surface key.
SURFACES = {
    "round bowl (convex)": "bowl",
    "narrow valley (convex)": "valley",
    "Himmelblau (four minima)": "himmelblau",
    "six-hump camel (six minima)": "six_hump_camel",
    "tiny network (two of its weights)": "network",
}
CONVEX = ("bowl", "valley")

# The tiny network: 2-2-1 tanh on XOR with cross-entropy. All weights are held
# at a solution of XOR except the two weights into the first hidden unit,
# which span the picture. Layout: W1 (2x2, row-major), b1, W2 (2x1), b2.
NET_REFERENCE = np.array([-4.0, -3.8, 3.9, 3.9, -1.9, 1.8, 6.9, -6.9, 6.4])
NET_AXES = (0, 2)  # x1 -> h1 and x2 -> h1
NET_BOX = (np.array([-8.0, -8.0]), np.array([8.0, 8.0]))

STEPS = 300  # enough for every convex run to reach its bottom at the default η


def _network_slice() -> Landscape:
    """Return the XOR loss of the 2-2-1 network over two of its weights."""
    X, y = datasets.xor()
    full = MLP([2, 2, 1]).landscape(X, y, loss="bce")
    i, j = NET_AXES

    def lift(p):
        w = np.broadcast_to(NET_REFERENCE, (len(p), full.dim)).copy()
        w[:, i], w[:, j] = p[:, 0], p[:, 1]
        return w

    def fdf(p):
        value, grad = full.fdf(lift(p))
        return value, grad[:, [i, j]]

    return Landscape(
        name="network",
        dim=2,
        bounds=NET_BOX,
        minima=np.zeros((0, 2)),
        f=lambda p: fdf(p)[0],
        df=lambda p: fdf(p)[1],
        d2f=lambda p: full.hessian(lift(p))[:, [i, j]][:, :, [i, j]],
        description=(
            "XOR loss of a 2-2-1 network along the two weights into one hidden unit"
        ),
        fdf=fdf,
    )


def swap_hidden_units(w) -> np.ndarray:
    """Return the 2-2-1 weights with the two hidden units swapped, shape (..., 9).

    The swapped network computes exactly the same function, so it has the
    same loss: every solution comes with a twin elsewhere in weight space.
    """
    w = np.asarray(w, dtype=float)
    if w.shape[-1:] != (9,):
        raise ValueError(f"w must have shape (..., 9); got {w.shape}")
    return w[..., [1, 0, 3, 2, 5, 4, 7, 6, 8]]


def xor_loss(w) -> np.ndarray:
    """Return the cross-entropy of 2-2-1 networks on XOR, w of shape (..., 9)."""
    X, y = datasets.xor()
    return MLP([2, 2, 1]).landscape(X, y, loss="bce").value(w)


def _scaled(base: Landscape, scale: float) -> Landscape:
    """Return base / scale: same shape, same minima, gentler slopes."""

    def fdf(p):
        value, grad = base.fdf(p) if base.fdf is not None else (base.f(p), base.df(p))
        return value / scale, grad / scale

    return Landscape(
        name=base.name,
        dim=base.dim,
        bounds=base.bounds,
        minima=base.minima,
        f=lambda p: base.f(p) / scale,
        df=lambda p: base.df(p) / scale,
        d2f=lambda p: base.d2f(p) / scale,
        description=base.description,
        fdf=fdf,
    )


def _steepest_curvature(base: Landscape) -> float:
    """Return the largest Hessian eigenvalue at the known minima.

    Without known minima (the network), take the largest over a grid of the
    box instead, so that η < 2 is stable everywhere in the picture.
    """
    if len(base.minima):
        points = base.minima
    else:
        X, Y, _ = plotting.grid(base, 121)  # fine: the ridges are sharp
        points = np.stack([X.ravel(), Y.ravel()], -1)
    return float(np.linalg.eigvalsh(base.hessian(points)).max())


@functools.cache
def surface(key: str = "bowl") -> Landscape:
    """Return a surface of this notebook, scaled so that λmax ≈ 1 at its bottom.

    Dividing a surface by a constant changes neither its shape nor its minima,
    only its steepness; with every surface scaled so that its steepest
    curvature at its lowest point is about 1, one range of learning rates
    suits them all, and η < 2 is the stable range near the bottom.

    Parameters
    ----------
    key : str
        One of the values of `SURFACES`.
    """
    if key not in SURFACES.values():
        raise ValueError(
            f"key must be one of {', '.join(SURFACES.values())}; got {key!r}"
        )
    base = _network_slice() if key == "network" else landscapes.get(key)
    return _scaled(base, _steepest_curvature(base))


def start_grid(landscape: Landscape, per_side: int = 7) -> np.ndarray:
    """Return per_side² starting points on an even grid inside the box, (n, 2)."""
    low, high = landscape.bounds
    # Slightly off-centre, so that no start sits exactly on a symmetric
    # stationary point such as the saddle at the middle of the camel.
    frac = np.linspace(0.1, 0.9, per_side) + 0.013
    gx, gy = np.meshgrid(frac, frac)
    return low + (high - low) * np.stack([gx.ravel(), gy.ravel()], -1)


def descend(key: str, lr: float = 0.5, noise: float = 0.0, seed: int = 0, every=3):
    """Run gradient descent from every point of `start_grid`; return a Trajectory."""
    land = surface(key)
    return optimize(
        land,
        start_grid(land),
        lr=lr,
        steps=STEPS,
        noise=noise,
        seed=seed,
        every=every,
    )


def settled(traj, tol: float = 1e-3) -> np.ndarray:
    """Return which runs have come to rest: moved less than `tol` at the end.

    The last two recorded points are compared; a run that bounces between
    places (a rate too large for the minimum it is near) has not settled.
    """
    if traj.path.shape[0] < 2:
        return np.zeros(traj.path.shape[1], dtype=bool)
    moved = np.linalg.norm(traj.path[-1] - traj.path[-2], axis=-1)
    return (moved < tol) & ~traj.diverged


def minimum_edges(key: str) -> np.ndarray:
    """Return 2/λmax at each known minimum of a surface, sorted, shape (k,).

    Near a minimum, gradient descent can settle there only if η is below its
    edge; the surfaces are scaled so that the smallest edge is 2.
    """
    land = surface(key)
    if not len(land.minima):
        raise ValueError(f"key: the {key!r} surface has no known minima")
    lam = np.linalg.eigvalsh(land.hessian(land.minima))[:, -1]
    return np.sort(2.0 / lam)


def _layer_surfaces(ax, keys):
    """Draw every surface once into `ax`; return key -> its artists.

    A chooser then only switches which layer is visible, so the figure is
    updated in place and the costly contours are drawn a single time.
    """
    layers = {}
    for key in keys:
        before = set(ax.get_children())
        plotting.draw_surface(ax, surface(key))
        layers[key] = [a for a in ax.get_children() if a not in before]
    return layers


def _show_layer(ax, layers, key):
    for name, artists in layers.items():
        for artist in artists:
            artist.set_visible(name == key)
    low, high = surface(key).bounds
    ax.set_xlim(low[0], high[0])
    ax.set_ylim(low[1], high[1])


def _axis_labels(ax, key):
    if key == "network":
        ax.set(xlabel="weight x₁ → hidden unit 1", ylabel="weight x₂ → hidden unit 1")
    else:
        ax.set(xlabel="weight w₁", ylabel="weight w₂")
