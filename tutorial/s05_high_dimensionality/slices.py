"""A slice through a trained network: the loss on a plane of filter-normalised
directions, by width, and the demo.
"""

from __future__ import annotations

import functools

import numpy as np

from .. import datasets, plotting, widgets
from ..nn import MLP
from ..optimizers import optimize
from ..seeding import generator
from ._common import _dim

SLICE_GRID = 41
SLICE_SPAN = 1.0
SLICE_WIDTHS = (2, 4, 8, 16, 32)
# The cuts' loss axis, the same for every width: the slices of all five
# networks lie inside it (a test checks), the widths can be compared at a
# glance, and choosing another width does not redraw the whole log axis.
SLICE_LOSS_RANGE = (1e-4, 1e2)


@functools.lru_cache(maxsize=8)
def trained_moons(width: int):
    """Return (net, surface, w*): a 2-width-1 network trained on moons (Adam)."""
    X, y = datasets.moons(60, noise=0.15, seed=0)
    net = MLP([2, width, 1])
    surface = net.landscape(X, y, loss="bce")
    traj = optimize(
        surface, net.init(1, seed=0), lr=0.05, steps=600, method="adam", every=600
    )
    return net, surface, traj.final[0]


def filter_normalized_directions(net: MLP, w, seed: int = 0) -> np.ndarray:
    """Return two random directions, shape (2, dim), scaled neuron by neuron.

    Li et al. (2018): each unit's incoming weights in a direction are rescaled
    to the length of that unit's incoming weights in `w`, so a step of 1
    changes every unit by as much as its own size, whatever the scale of
    its layer. Biases are left out (zero in both directions).
    """
    w = np.asarray(w, dtype=float)
    if w.shape != (net.dim,):
        raise ValueError(f"w must have shape ({net.dim},); got {w.shape}")
    d = generator(seed, allow_none=False).standard_normal((2, net.dim))
    out = np.zeros_like(d)
    for fan_in, fan_out, ws, _ in net.layers:
        W = w[ws].reshape(fan_in, fan_out)
        D = d[:, ws].reshape(2, fan_in, fan_out)
        scale = np.linalg.norm(W, axis=0) / np.linalg.norm(D, axis=1)
        out[:, ws] = (D * scale[:, None, :]).reshape(2, -1)
    return out


@functools.lru_cache(maxsize=8)
def loss_slice(width: int = 8, seed: int = 0):
    """Return (a, L) for the trained moons network of `width` hidden units.

    L[i, j] is the loss at w* + a[j]·δ₁ + a[i]·δ₂ on a 41 × 41 grid, all
    points evaluated in one vectorised call; shape (41, 41).
    """
    width = _dim(width, "width", 256)
    net, surface, w = trained_moons(width)
    d = filter_normalized_directions(net, w, seed)
    a = np.linspace(-SLICE_SPAN, SLICE_SPAN, SLICE_GRID)
    A, B = np.meshgrid(a, a)
    points = w + A[..., None] * d[0] + B[..., None] * d[1]
    return a, surface.value(points)


VALLEY_RISE = (
    0.05  # the valley's width: how far the loss stays within this of its floor
)


def valley_profile(width: int = 8) -> dict:
    """Return how deep and how wide the slice's valley is for `width` hidden units.

    Returns
    -------
    dict
        ``floor``: the loss at the trained weights (the slice's centre);
        ``reach``: the mean, over the four half-axes of the slice, of the
        first step at which the loss is more than VALLEY_RISE above the
        floor (in filter-normalised units, so widths compare);
        ``edge_ratio``: the slice's highest loss over its floor.
    """
    a, L = loss_slice(width)
    mid = len(a) // 2
    floor = float(L[mid, mid])
    reach = []
    for half in (L[mid, mid:], L[mid, mid::-1], L[mid:, mid], L[mid::-1, mid]):
        above = np.flatnonzero(half > floor + VALLEY_RISE)
        reach.append(a[mid + above[0]] if above.size else SLICE_SPAN)
    return {
        "floor": floor,
        "reach": float(np.mean(reach)),
        "edge_ratio": float(L.max() / floor),
    }


def slice_demo(width: int = 8) -> widgets.Demo:
    """A filter-normalised 2-D slice of a trained network's loss."""
    fig, (ax_map, ax_cut) = plotting.new_figure(10.5, 4.2, ncols=2)
    a = np.linspace(-SLICE_SPAN, SLICE_SPAN, SLICE_GRID)
    with plotting.style():
        image = ax_map.imshow(
            np.zeros((SLICE_GRID, SLICE_GRID)),
            origin="lower",
            extent=(-SLICE_SPAN, SLICE_SPAN, -SLICE_SPAN, SLICE_SPAN),
            cmap=plotting.SURFACE_CMAP,
            aspect="equal",
            interpolation="bilinear",
            zorder=plotting.IMAGE_ZORDER,
        )
        fig.colorbar(image, ax=ax_map, label="log₁₀ loss (dark is low)", shrink=0.85)
        # Room between the colour bar's label and the next panel's y-label,
        # which would otherwise read as one pair of labels.
        fig.get_layout_engine().set(wspace=0.08)
        ax_map.plot(0, 0, "*", color="white", mec=plotting.BLACK, ms=14)
        ax_map.set(xlabel="direction δ₁", ylabel="direction δ₂")
        map_title = ax_map.set_title(" ")
        (cut1,) = ax_cut.semilogy(
            a, np.ones_like(a), color=plotting.BLUE, label="along δ₁"
        )
        (cut2,) = ax_cut.semilogy(
            a, np.ones_like(a), "--", color=plotting.ORANGE, label="along δ₂"
        )
        ax_cut.set(
            xlim=(-SLICE_SPAN, SLICE_SPAN),
            ylim=SLICE_LOSS_RANGE,
            xlabel="step along the direction",
        )
        ax_cut.set_ylabel("loss (cross-entropy)")
        ax_cut.set_xticks(np.linspace(-SLICE_SPAN, SLICE_SPAN, 5))  # as on the map
        plotting.log_axis(ax_cut, "y", range(-4, 3))
        ax_cut.set_title("Two cuts through the trained weights")
        ax_cut.legend(loc="upper center")

    controls = {"width": widgets.choice("hidden units", list(SLICE_WIDTHS), width)}
    slices = {}  # width -> loss_slice(width): five choices, each a training

    def draw(width):
        if width not in slices:
            slices[width] = loss_slice(width)
        _, L = slices[width]
        logL = np.log10(L)
        image.set_data(logL)
        image.set_clim(logL.min(), logL.max())
        mid = SLICE_GRID // 2
        cut1.set_ydata(L[mid])
        cut2.set_ydata(L[:, mid])
        dim = MLP([2, width, 1]).dim
        map_title.set_text(f"2-{width}-1 network ({dim} weights) on moons")
        return (
            f"{width} hidden units, {dim} weights: loss {L[mid, mid]:.3f} at the "
            f"trained weights, up to {L.max():.2f} at the edge of the slice."
        )

    alt = (
        "Left: a map of the log of the loss of a network trained on the two "
        "moons, on a 2-D slice through its trained weights (a white star at the "
        "centre) along two filter-normalised random directions; dark is low. "
        "Right: the loss on a log scale along the two axes of the slice through "
        "the star, a blue line along the first direction and a dashed orange "
        "line along the second."
    )
    demo = widgets.Demo(fig, controls, draw, alt=alt, exported=("width",))
    return demo
