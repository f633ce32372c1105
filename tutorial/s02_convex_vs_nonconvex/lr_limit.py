"""The learning-rate limit on a quadratic: contraction per step, 2/λmax, and the
demo.
"""

from __future__ import annotations

import functools

import numpy as np

from .. import landscapes, plotting, widgets
from ..landscapes import Landscape
from ..optimizers import optimize


def valley(kappa: float) -> Landscape:
    """Return a tilted quadratic valley with curvatures 1/κ and 1 (λmax = 1)."""
    if not (np.isfinite(kappa) and kappa >= 1):
        raise ValueError(f"kappa must be a finite number >= 1; got {kappa}")
    return landscapes.quadratic([1.0 / kappa, 1.0], angle=np.pi / 6)


def contraction(lr: float, eigenvalues) -> float:
    """Return max |1 − η λ|: how much one step shrinks (< 1) or grows the error."""
    lam = np.asarray(eigenvalues, dtype=float)
    return float(np.max(np.abs(1 - lr * lam)))


def largest_stable_lr(eigenvalues) -> float:
    """Return 2/λmax: gradient descent on a quadratic converges iff η < 2/λmax."""
    lam = np.asarray(eigenvalues, dtype=float)
    if lam.size == 0 or not np.all(np.isfinite(lam)) or lam.max() <= 0:
        raise ValueError("eigenvalues must be finite with a positive largest one")
    return 2.0 / float(lam.max())


LR_START = np.array([-1.8, 1.2])
LR_STEPS = 60
LR_GRID = np.geomspace(0.01, 3.0, 240)  # the η axis of the third panel


@functools.lru_cache(maxsize=32)
def loss_after(kappa: float) -> np.ndarray:
    """Return the loss after LR_STEPS steps for every η of LR_GRID (one run)."""
    runs = optimize(
        valley(kappa),
        np.broadcast_to(LR_START, (LR_GRID.size, 2)),
        lr=LR_GRID[None, :],
        steps=LR_STEPS,
        every=LR_STEPS,
    )
    # A diverged run keeps its last sane loss; show it as off the chart.
    return np.where(runs.diverged, np.inf, runs.final_loss)


def _level_set(lam, level: float, theta) -> tuple[np.ndarray, np.ndarray]:
    """Return (x, y) of `valley`'s level set at `level`, at the angles `theta`.

    Level sets of ½ Σ λᵢ zᵢ² are ellipses with half-axes √(2c/λᵢ), turned by
    the valley's angle (π/6).
    """
    c, s = np.cos(np.pi / 6), np.sin(np.pi / 6)
    u = np.sqrt(2 * level / lam[0]) * np.cos(theta)
    v = np.sqrt(2 * level / lam[1]) * np.sin(theta)
    return c * u - s * v, s * u + c * v


def lr_limit_demo(lr: float = 1.8, kappa: int = 10) -> widgets.Demo:
    """A quadratic valley: zig-zag, and the sharp edge of divergence at 2/λmax."""
    fig, (ax_map, ax_loss, ax_lr) = plotting.new_figure(11.5, 3.9, ncols=3)
    xs = np.linspace(-2, 2, 120)
    grid_pts = np.stack(np.meshgrid(xs, xs), -1)
    theta = np.linspace(0, 2 * np.pi, 100)
    levels = [0.005, 0.02, 0.08, 0.3, 1.0, 3.0]
    with plotting.style():
        image = ax_map.imshow(
            np.zeros((xs.size, xs.size)),
            extent=(-2, 2, -2, 2),
            origin="lower",
            cmap=plotting.SURFACE_CMAP,
            vmin=-3.5,
            vmax=1,
            aspect="auto",
            zorder=plotting.IMAGE_ZORDER,
        )
        rings = [
            ax_map.plot([], [], color="white", lw=0.7, alpha=0.7)[0] for _ in levels
        ]
        (path_line,) = ax_map.plot([], [], ".-", color=plotting.ORANGE, ms=4, lw=1.3)
        ax_map.plot(*LR_START, "o", color="white", mec="black", ms=7, zorder=7)
        ax_map.plot(0, 0, "*", color="white", mec="black", ms=13, zorder=7)
        ax_map.set(xlim=(-2, 2), ylim=(-2, 2), xlabel="weight w₁", ylabel="weight w₂")
        # A fixed title (fast demos, rule 4): κ and η are on the sliders.
        ax_map.set_title("1. the valley and the descent")

        (loss_line,) = ax_loss.semilogy([], [], color=plotting.BLUE)
        ax_loss.set(xlim=(0, LR_STEPS), ylim=(1e-8, 1e4), xlabel="step", ylabel="loss")
        ax_loss.set_title("2. loss during descent")

        (sweep,) = ax_lr.loglog([], [], color=plotting.BLUE)
        ax_lr.axvline(2.0, color=plotting.VERMILION, ls="--", lw=1.5)
        ax_lr.text(
            2.0, 2e3, "2/λmax ", color=plotting.VERMILION, ha="right", fontsize=11
        )
        ax_lr.axvspan(2.0, LR_GRID[-1], color=plotting.VERMILION, alpha=0.12)
        (here,) = ax_lr.plot([], [], "o", color=plotting.ORANGE, mec="black", ms=9)
        ax_lr.set(
            xlim=(LR_GRID[0], LR_GRID[-1]),
            ylim=(1e-8, 1e4),
            xlabel="learning rate η",
            ylabel=f"loss after {LR_STEPS} steps",
        )
        ax_lr.set_title("3. every η at once")

    controls = {
        "lr": widgets.lr_slider(lr, min=0.01, max=3.0),
        # A new κ redraws the map and sweeps 240 learning rates: on release.
        "kappa": widgets.int_slider(
            "condition number κ", kappa, 1, 100, continuous_update=False
        ),
    }

    shown = {"kappa": None}  # the valley drawn now: the lr slider leaves it be

    def draw(lr, kappa):
        land = valley(float(kappa))
        lam = np.array([1.0 / kappa, 1.0])
        if shown["kappa"] != kappa:
            shown["kappa"] = kappa
            z = land.value(grid_pts)
            image.set_data(np.log10(z + 1e-4))
            for ring, level in zip(rings, levels, strict=True):
                ring.set_data(*_level_set(lam, level, theta))
            after = loss_after(float(kappa))
            sweep.set_data(
                LR_GRID, plotting.positive_floor(np.minimum(after, 1e5), 1e-8)
            )
        traj = optimize(land, LR_START, lr=lr, steps=LR_STEPS)
        path_line.set_data(traj.path[:, 0, 0], traj.path[:, 0, 1])
        grows = contraction(lr, lam) > 1
        path_line.set_color(plotting.DIVERGED if grows else plotting.ORANGE)
        loss_line.set_data(traj.t, plotting.positive_floor(traj.loss[:, 0], 1e-8))
        loss_line.set_color(plotting.DIVERGED if grows else plotting.BLUE)
        here_loss = traj.final_loss[0] if not traj.diverged[0] else 1e4
        here.set_data([lr], [np.clip(here_loss, 1e-8, 1e4)])
        factor = contraction(lr, lam)
        edge = largest_stable_lr(lam)
        here_text = f"κ = {kappa}, η = {lr:.3g}"
        if grows:
            return (
                f"{here_text} > 2/λmax = {edge:.0f}: each step multiplies the "
                f"error by up to {factor:.3g}, so descent diverges."
            )
        return (
            f"{here_text} < 2/λmax = {edge:.0f}: each step multiplies the error "
            f"by at most {factor:.3g}; the slowest direction sets the pace."
        )

    alt = (
        "Three panels for a quadratic valley with λmax = 1. Left: the valley "
        "from above (dark is low, white rings are contours), the start (white "
        "dot), the bottom (white star) and the path of gradient descent "
        "(orange; red when it diverges). Middle: the loss at each step, log "
        "scale (blue; red when it grows). Right: the loss after 60 steps for 240 "
        "learning rates at once (blue, log-log), the edge 2/λmax as a red dashed "
        "line with the diverging side shaded, and the chosen η as an orange dot."
    )
    # The largest η diverges: every artist the η slider can change, changes.
    return widgets.Demo(fig, controls, draw, alt=alt, exported=("lr",)).warm_up("lr")
