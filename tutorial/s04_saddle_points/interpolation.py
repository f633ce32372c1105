"""Maybe it is not so bad: the loss on the straight line from the first weights to
the trained ones, and a curved valley where that line climbs; and the demo.
"""

from __future__ import annotations

import functools

import numpy as np

from .. import datasets, plotting, widgets
from ..landscapes import Landscape
from ..nn import MLP
from ..optimizers import optimize

INTERP_SEEDS = 10
ALPHA = np.linspace(-0.5, 1.5, 201)


@functools.lru_cache(maxsize=1)
def _moons_training():
    X, y = datasets.moons(60, noise=0.15, seed=0)
    net = MLP([2, 8, 1])
    surface = net.landscape(X, y, loss="bce")
    w0 = np.concatenate([net.init(1, seed=s) for s in range(INTERP_SEEDS)])
    traj = optimize(surface, w0, lr=0.1, steps=1000, method="momentum", every=1000)
    return surface, w0, traj.final


def interpolation(seed: int = 0, alpha=ALPHA):
    """Return the loss along (1 − α)θ₀ + αθ* for the moons network of `seed`.

    θ₀ are the random first weights, θ* the weights after 1000 steps of
    momentum. Returns an array with the shape of `alpha`.
    """
    _check_seed(seed)
    surface, w0, w1 = _moons_training()
    alpha = np.asarray(alpha, dtype=float)
    points = (1 - alpha)[..., None] * w0[seed] + alpha[..., None] * w1[seed]
    return surface.value(points)


def _check_seed(seed) -> None:
    if not (isinstance(seed, (int, np.integer)) and 0 <= seed < INTERP_SEEDS):
        raise ValueError(f"seed must be a whole number in [0, {INTERP_SEEDS - 1}]")


@functools.lru_cache(maxsize=1)
def all_interpolations() -> np.ndarray:
    """Return `interpolation` for every seed at once, (INTERP_SEEDS, len(ALPHA))."""
    surface, w0, w1 = _moons_training()
    a = ALPHA[None, :, None]
    return surface.value((1 - a) * w0[:, None] + a * w1[:, None])


def largest_rise(values) -> float:
    """Return the largest climb along a curve: max over a < b of f(b) − f(a).

    Zero for a curve that never goes up.
    """
    values = np.asarray(values, dtype=float)
    return float(np.max(values - np.minimum.accumulate(values)))


def ring_valley() -> Landscape:
    """Return (x² + y² − 1)² − 0.3x: a curved valley round a hill.

    Descent from the left follows the ring to the minimum on the right; the
    straight line between the two crosses the hill in the middle.
    """
    tilt = 0.3

    def f(p):
        x, y = p[:, 0], p[:, 1]
        return (x**2 + y**2 - 1) ** 2 - tilt * x

    def df(p):
        x, y = p[:, 0], p[:, 1]
        r = x**2 + y**2 - 1
        return np.stack([4 * x * r - tilt, 4 * y * r], -1)

    def d2f(p):
        x, y = p[:, 0], p[:, 1]
        r = x**2 + y**2 - 1
        hxy = 8 * x * y
        return np.stack(
            [
                np.stack([4 * r + 8 * x**2, hxy], -1),
                np.stack([hxy, 4 * r + 8 * y**2], -1),
            ],
            -2,
        )

    return Landscape(
        name="ring valley",
        dim=2,
        bounds=(np.array([-1.5, -1.5]), np.array([1.5, 1.5])),
        minima=np.zeros((0, 2)),
        f=f,
        df=df,
        d2f=d2f,
        description="a ring-shaped valley round a hill, tilted towards +x",
    )


RING_START = np.array([-0.95, 0.35])


@functools.lru_cache(maxsize=1)
def ring_paths():
    """Return (descent path, straight line) on ring_valley(), each (201, 2)."""
    surface = ring_valley()
    traj = optimize(surface, RING_START, lr=0.02, steps=2000, every=10)
    path = traj.path[:, 0]
    a = np.linspace(0, 1, path.shape[0])[:, None]
    line = (1 - a) * path[0] + a * path[-1]
    return path, line


def interpolation_demo(seed: int = 0) -> widgets.Demo:
    """Loss on the straight line from first to trained weights, and a counter-case."""
    fig, (ax_net, ax_map, ax_toy) = plotting.new_figure(12.5, 4.0, ncols=3)
    path, line = ring_paths()
    surface = ring_valley()
    with plotting.style():
        (net_line,) = ax_net.plot(ALPHA, ALPHA, color=plotting.BLUE)
        for a, label in ((0, "θ₀ first"), (1, "θ* trained")):
            ax_net.axvline(a, color=plotting.GREY, ls=":", lw=1)
            ax_net.text(
                a,
                1,
                f" {label}",
                color=plotting.GREY,
                transform=ax_net.get_xaxis_transform(),
                va="top",
            )
        # One height for every seed: the curves compare at a glance, and the
        # axis (and its tick labels) need not be drawn again for each seed.
        top = 1.05 * all_interpolations().max()
        ax_net.set(
            xlim=(ALPHA[0], ALPHA[-1]), ylim=(0, top), xlabel="α in (1 − α)θ₀ + αθ*"
        )
        ax_net.set_ylabel("loss (cross-entropy)")
        ax_net.set_title("Moons network: first → trained weights")

        # Our own levels: quantile levels would hide the hill among the steep
        # corners, and the hill is the point of this picture.
        X, Y, Z = plotting.grid(surface, 160)
        levels = np.linspace(-0.35, 1.25, 17)
        ax_map.contourf(
            X, Y, Z, levels=levels, cmap=plotting.SURFACE_CMAP, extend="both"
        )
        ax_map.contour(
            X, Y, Z, levels=levels[::2], colors="white", linewidths=0.5, alpha=0.5
        )
        ax_map.plot(*path.T, color=plotting.ORANGE, label="descent path")
        ax_map.plot(*line.T, "--", color="white", label="straight line")
        ax_map.plot(*path[0], "o", color="white", mec=plotting.BLACK, ms=7)
        ax_map.plot(*path[-1], "*", color="white", mec=plotting.BLACK, ms=13)
        ax_map.set(xlabel="x", ylabel="y")
        ax_map.set_title("Counter-example: a ring valley")
        ax_map.legend(loc="lower left", fontsize=9)

        s = np.linspace(0, 1, path.shape[0])
        ax_toy.plot(s, surface.value(path), color=plotting.ORANGE, label="descent path")
        ax_toy.plot(
            s, surface.value(line), "--", color=plotting.BLACK, label="straight line"
        )
        ax_toy.set(xlabel="progress from start (0) to end (1)", ylabel="loss")
        ax_toy.set_title("The straight line climbs a hill")
        ax_toy.legend(loc="upper right", fontsize=9)

    controls = {"seed": widgets.seed_slider(seed, max=INTERP_SEEDS - 1)}

    def draw(seed):
        _check_seed(seed)
        values = all_interpolations()[seed]  # all seeds computed at once
        net_line.set_ydata(values)
        inside = (ALPHA >= 0) & (ALPHA <= 1)
        rise = largest_rise(values[inside])
        drop = values[np.argmin(np.abs(ALPHA))] - values[np.argmin(np.abs(ALPHA - 1))]
        return (
            f"Seed {seed}: from α = 0 to 1 the loss falls by {drop:.3f}; the "
            f"largest climb on the way is {rise:.2g}."
        )

    return widgets.Demo(
        fig, controls, draw, alt=INTERPOLATION_ALT, exported=("seed",)
    ).warm_up("seed", (seed + 1) % INTERP_SEEDS)


INTERPOLATION_ALT = (
    "Three panels. Left: a blue curve of the moons network's loss along the "
    "straight line (1 − α) θ₀ + α θ* for α from −0.5 to 1.5, with dotted grey "
    "lines at α = 0 (first weights) and α = 1 (trained weights); between them it "
    "falls all the way. Middle: a contour map of a ring-shaped valley round a "
    "hill, with an orange descent path round the ring from a white dot to a "
    "white star and a dashed white straight line across the hill. Right: the "
    "loss along both, against progress from start to end: the orange descent "
    "path falls steadily, the dashed black straight line climbs over a hill."
)
