"""Curvature in every direction: the curvature along a direction, and the demo."""

from __future__ import annotations

import numpy as np

from .. import plotting, widgets
from ._common import START, loss_surface, optimum


def axis_curvatures(seed: int = 0) -> np.ndarray:
    """Return the curvatures along the two axes, (∂²L/∂w², ∂²L/∂b²).

    ∂²L/∂w² = 2·mean(x²) is what the walk along w alone (b held fixed)
    feels; it lies between λmin and λmax, like the curvature along any line.
    """
    return np.diag(loss_surface(seed).hessian(START)).copy()


def curvature_along(angle_deg) -> np.ndarray:
    """Return uᵀHu for the unit directions u at `angle_deg` degrees from the w axis.

    Parameters
    ----------
    angle_deg : float or array
        0 is the w axis (b fixed), 90 the b axis.

    Returns
    -------
    array of the shape of `angle_deg`
    """
    theta = np.radians(np.asarray(angle_deg, dtype=float))
    u = np.stack([np.cos(theta), np.sin(theta)], -1)
    H = loss_surface().hessian(START)
    return np.einsum("...i,ij,...j->...", u, H, u)


CURVATURE_ALT = (
    "Two panels. Left: the error surface near its bottom over weight w "
    "(across) and bias b (up), dark where low; a dashed white line is the "
    "line through the bottom in the chosen direction, a black arrow the "
    "unit direction u, an orange arrow the product Hu (scaled by 1/λmax); "
    "dotted white lines are the two eigenvector directions. Right: the "
    "curvature uᵀHu (up) for every direction θ from 0 to 180 degrees "
    "(across), a blue wave between grey dashed lines at λmin and λmax; a "
    "black dot marks the chosen direction."
)


def curvature_demo(angle: int = 0) -> widgets.Demo:
    """Primer: the curvature of the bowl along a direction, and its eigenvectors."""
    surface = loss_surface()
    H = surface.hessian(START)
    lam, vecs = np.linalg.eigh(H)
    center = optimum()
    half = np.array([1.5, 1.5])
    fig, (ax_map, ax_curve) = plotting.new_figure(10.5, 3.9, ncols=2)
    with plotting.style():
        # A smooth quadratic: a coarse grid draws the same contours, faster.
        plotting.draw_surface(
            ax_map, surface, n=60, bounds=(center - half, center + half)
        )
        # The two eigenvector directions, fixed: where u and Hu line up.
        for k in range(2):
            ends = center + np.outer([-2, 2], vecs[:, k])
            ax_map.plot(*ends.T, ":", color="white", lw=1.2, zorder=4)
        (cut,) = ax_map.plot([], [], "--", color="white", lw=1.5, zorder=5)
        # Hu under u, wider: where they line up both stay visible.
        (arrow_h,) = ax_map.plot([], [], "-", color=plotting.ORANGE, lw=6, zorder=6)
        (tip_h,) = ax_map.plot([], [], "s", color=plotting.ORANGE, ms=10, zorder=6)
        (arrow_u,) = ax_map.plot([], [], "-", color=plotting.BLACK, lw=2, zorder=7)
        (tip_u,) = ax_map.plot([], [], "o", color=plotting.BLACK, ms=6, zorder=7)
        ax_map.set(xlabel="weight w", ylabel="bias b")
        ax_map.set_aspect("equal")  # so that right angles look right
        ax_map.set_title("1. direction u (black), Hu (orange)")

        degrees = np.arange(0, 181)
        ax_curve.plot(degrees, curvature_along(degrees), color=plotting.BLUE)
        for value, name in ((lam[0], "λmin"), (lam[1], "λmax")):
            ax_curve.axhline(value, color=plotting.GREY, ls="--", lw=1)
            ax_curve.text(
                178, value + 0.1, f"{name} = {value:.2f}", ha="right", va="bottom"
            )
        (here,) = ax_curve.plot([], [], "o", color=plotting.BLACK, ms=9, zorder=6)
        ax_curve.set(
            xlim=(0, 180),
            ylim=(0, 1.2 * lam[1]),
            xlabel="direction θ (degrees from the w axis)",
            ylabel="curvature uᵀHu",
        )
        ax_curve.set_xticks([0, 45, 90, 135, 180])
        ax_curve.set_title("2. curvature along each direction")

    controls = {"angle": widgets.int_slider("direction θ (°)", angle, 0, 180)}
    scale = 1.0 / lam[1]  # Hu drawn at 1/λmax: it reaches the circle at most
    eigen_angles = np.degrees(np.arctan2(vecs[1], vecs[0])) % 180

    def draw(angle):
        theta = np.radians(angle)
        u = np.array([np.cos(theta), np.sin(theta)])
        hu = H @ u
        cut.set_data(*(center + np.outer([-2, 2], u)).T)
        arrow_u.set_data(*np.c_[center, center + u])
        tip_u.set_data([center[0] + u[0]], [center[1] + u[1]])
        tip = center + scale * hu
        arrow_h.set_data(*np.c_[center, tip])
        tip_h.set_data([tip[0]], [tip[1]])
        c = float(u @ hu)
        here.set_data([angle], [c])
        # Within 1° of an eigenvector: Hu = λu up to that 1°.
        off = np.abs((angle - eigen_angles + 90) % 180 - 90)
        if off.min() <= 1:
            k = int(off.argmin())
            along = (
                f" Within 1° of the eigenvector of λ{('min', 'max')[k]}: there "
                "Hu = λu points along u."
            )
        else:
            apart = np.degrees(np.arccos(min(1.0, abs(u @ hu) / np.linalg.norm(hu))))
            along = f" Hu points {apart:.0f}° away from u."
        return (
            f"θ = {angle}°: curvature along u is {c:.2f}, between λmin = "
            f"{lam[0]:.2f} and λmax = {lam[1]:.2f}.{along}"
        )

    return widgets.Demo(
        fig, controls, draw, alt=CURVATURE_ALT, exported=("angle",)
    ).warm_up("angle")
