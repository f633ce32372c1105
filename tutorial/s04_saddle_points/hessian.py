"""What the Hessian says: a critical point classified by its eigenvalues, and the
demo.
"""

from __future__ import annotations

import numpy as np
from matplotlib import colormaps

from .. import plotting, widgets


def classify(eigenvalues, tol: float = 1e-6) -> str:
    """Return 'minimum', 'maximum', 'saddle' or 'degenerate' for a critical point.

    Parameters
    ----------
    eigenvalues : sequence of float
        The Hessian's eigenvalues there.
    tol : float
        Eigenvalues with |λ| <= tol count as zero: the second derivatives
        then cannot decide (a flat direction), unless other directions
        already curve both ways, which makes it a saddle anyway.
    """
    try:
        lam = np.asarray(eigenvalues, dtype=float)
    except (TypeError, ValueError):
        lam = np.array([np.nan])
    if lam.ndim != 1 or lam.size == 0 or not np.all(np.isfinite(lam)):
        raise ValueError(f"eigenvalues must be finite numbers; got {eigenvalues!r}")
    if np.any(lam > tol) and np.any(lam < -tol):
        return "saddle"
    if np.any(np.abs(lam) <= tol):
        return "degenerate"
    return "minimum" if lam[0] > 0 else "maximum"


_KIND_TITLE = {
    "minimum": "A minimum",
    "maximum": "A maximum",
    "saddle": "A saddle point",
    "degenerate": "Degenerate: a flat direction",
}
_KIND_TEXT = {
    "minimum": "a minimum: every direction curves up",
    "maximum": "a maximum: every direction curves down",
    "saddle": "a saddle: up one way, down the other",
    "degenerate": "degenerate: a flat direction, the Hessian cannot decide",
}


def hessian_demo(lam1: float = 1.0, lam2: float = -1.0) -> widgets.Demo:
    """A quadratic ½(λ₁x² + λ₂y²) morphing between bowl, saddle, ridge and flat."""
    # About half a value per screen pixel, coloured here (256 shades, as
    # matplotlib does) and drawn without smoothing: matplotlib's own colouring
    # and smoothing of the image took a third of a frame.
    n = 173
    shades = (colormaps[plotting.SURFACE_CMAP](np.linspace(0, 1, 256)) * 255).round()
    shades = shades.astype(np.uint8)
    xs = np.linspace(-2, 2, n)
    X2, Y2 = np.meshgrid(xs**2, xs**2)
    q = np.linspace(-1.75, 1.75, 8)
    QX, QY = np.meshgrid(q, q)
    fig, (ax_map, ax_cut) = plotting.new_figure(10.0, 4.2, ncols=2, slide_height=3.9)
    with plotting.style():
        image = ax_map.imshow(
            np.zeros((n, n)),
            extent=(-2, 2, -2, 2),
            origin="lower",
            cmap=plotting.SURFACE_CMAP,
            aspect="equal",
            zorder=plotting.IMAGE_ZORDER,
            interpolation="nearest",
        )
        # The map spreads each surface over the whole colour scale, lowest to
        # highest; the right panel has the numbers. A colour bar with numbers
        # would change on every frame (fast demos, rule 7).
        image.set_clim(0.0, 1.0)
        bar = fig.colorbar(image, ax=ax_map, shrink=0.85)
        bar.set_ticks([0.0, 1.0], labels=["lowest\nloss", "highest\nloss"])
        arrows = ax_map.quiver(
            QX,
            QY,
            np.zeros_like(QX),
            np.zeros_like(QY),
            color="white",
            angles="xy",
            scale_units="xy",
            scale=8,
            width=0.006,
        )
        ax_map.plot(0, 0, "o", color="white", mec=plotting.BLACK, ms=8)
        ax_map.set(xlabel="x (first eigenvector)", ylabel="y (second eigenvector)")
        map_title = ax_map.set_title(" ")
        (cut_x,) = ax_cut.plot(xs, 0 * xs, color=plotting.BLUE, label="along x: ½λ₁x²")
        (cut_y,) = ax_cut.plot(
            xs, 0 * xs, color=plotting.ORANGE, ls="--", label="along y: ½λ₂y²"
        )
        ax_cut.axhline(0, color=plotting.GREY, lw=0.8)
        ax_cut.set(xlim=(-2, 2), ylim=(-4.3, 4.3), xlabel="distance from the point")
        ax_cut.set_ylabel("loss")
        ax_cut.set_title("Cross-sections through the critical point")
        ax_cut.legend(loc="upper center")

    controls = {
        "lam1": widgets.float_slider("curvature λ₁ (along x)", lam1, -2.0, 2.0, 0.1),
        "lam2": widgets.float_slider("curvature λ₂ (along y)", lam2, -2.0, 2.0, 0.1),
    }

    def draw(lam1, lam2):
        Z = 0.5 * (lam1 * X2 + lam2 * Y2)
        low, high = Z.min(), Z.max()
        level = (Z - low) * (255.999 / (high - low)) if high > low else 127.5 + 0 * Z
        image.set_data(shades[level.astype(np.uint8)])
        arrows.set_UVC(-lam1 * QX, -lam2 * QY)
        cut_x.set_ydata(0.5 * lam1 * xs**2)
        cut_y.set_ydata(0.5 * lam2 * xs**2)
        kind = classify(np.sort([lam1, lam2]), tol=1e-6)
        # Just the kind (rule 4): the values are on the sliders and below.
        map_title.set_text(_KIND_TITLE[kind])
        return f"Eigenvalues {lam1:+.1f} and {lam2:+.1f}: {_KIND_TEXT[kind]}."

    # The opposite sign of λ₁ changes the map, the arrows, a cut and the title.
    return widgets.Demo(
        fig, controls, draw, alt=HESSIAN_ALT, exported=("lam2",)
    ).warm_up("lam1", -lam1 or 1.0)


HESSIAN_ALT = (
    "Two panels for L = ½(λ₁x² + λ₂y²) with the chosen curvatures. Left: a "
    "colour map of the loss around the critical point at the centre (white dot), "
    "dark for the lowest loss and light for the highest, with white arrows "
    "pointing downhill; its title names the kind of point. Right: two cross-"
    "sections through the point, the loss along x (solid blue, ½λ₁x²) and along "
    "y (dashed orange, ½λ₂y²): a curve opening upwards curves up, one opening "
    "downwards curves down, a flat one is flat."
)
