"""Stuck near a saddle: the escape problem, its theory and its runs, and the demo."""

from __future__ import annotations

import functools
import math

import numpy as np
from matplotlib.ticker import FixedLocator, NullFormatter

from .. import plotting, widgets
from ..optimizers import optimize
from ._common import ESCAPE, X_START, saddle_surface

EPS_GRID = 10.0 ** np.arange(-10, 0)  # distances measured in the escape plot


def escape_theory(eps, lr):
    """Return ln(1/ε) / ln(1 + 2η): steps for gradient descent to reach |y| = 1.

    On 5x² − y² one step multiplies y by (1 + 2η), so y_t = ε (1 + 2η)^t;
    the first step with |y_t| > 1 is the smallest whole t above this value.
    """
    eps, lr = np.asarray(eps, dtype=float), np.asarray(lr, dtype=float)
    if np.any(~np.isfinite(eps) | (eps <= 0) | (eps >= ESCAPE)):
        raise ValueError(f"eps must be in (0, 1); got {eps}")
    if np.any(~np.isfinite(lr) | (lr <= 0)):
        raise ValueError(f"lr must be positive; got {lr}")
    return np.log(ESCAPE / eps) / np.log1p(2 * lr)


def steps_needed(lr: float, eps_min: float) -> int:
    """Return steps for a start eps_min off the ridge to escape and settle."""
    return int(math.ceil(escape_theory(eps_min, lr))) + int(math.ceil(6 / lr))


def escape_steps(eps, lr: float = 0.1, noise: float = 0.0, seed: int = 0, steps=None):
    """Run gradient descent from (1, ε) for each ε; return first steps with |y| > 1.

    Parameters
    ----------
    eps : array of shape (n,)
        Distances from the ridge; 0 starts exactly on it.
    lr, noise, seed : float, float, int
        Learning rate, gradient-noise σ and its seed.
    steps : int or None
        Number of steps; by default enough for ε = 1e-10 to escape.

    Returns
    -------
    escape : int array of shape (n,)
        The escape step, or -1 for runs that never left the saddle.
    traj : Trajectory
    """
    eps = np.atleast_1d(np.asarray(eps, dtype=float))
    if eps.ndim != 1 or np.any(~np.isfinite(eps) | (eps < 0) | (eps >= ESCAPE)):
        raise ValueError(f"eps must be numbers in [0, 1); got {eps}")
    steps = steps_needed(lr, 1e-10) if steps is None else steps
    x0 = np.c_[np.full(eps.size, X_START), eps]
    traj = optimize(saddle_surface(), x0, lr=lr, steps=steps, noise=noise, seed=seed)
    out = np.abs(traj.path[:, :, 1]) > ESCAPE
    escape = np.where(out.any(0), traj.t[out.argmax(0)], -1)
    return escape, traj


# The ε slider's positions (10^-10 ... 10^-1 in quarter decades); the demo
# runs them all at once, so that dragging ε only looks up a finished run.
EPS_STEP = 0.25
EPS_SLIDER = 10.0 ** np.arange(-10, -1 + EPS_STEP / 2, EPS_STEP)
EPS_MEASURED = np.flatnonzero(
    np.isin(np.round(np.log10(EPS_SLIDER), 6), np.log10(EPS_GRID))
)


ROUND_STEPS = (1.0, 1.5, 2.0, 3.0, 5.0, 7.0)  # limits snap to m × 10^k


def round_up(value: float) -> float:
    """Return the smallest 1, 1.5, 2, 3, 5 or 7 × 10^k that is >= value > 0."""
    return plotting.nice_ceiling(value, ROUND_STEPS)


@functools.lru_cache(maxsize=8)
def _escape_table(noise: float, lr: float, extra: tuple = ()):
    # One vectorised run from every slider position (and `extra` starts), then
    # ε = 0. A round number of steps: the loss axis then changes only when η
    # crosses a round value, not on every η (its tick labels are slow to draw).
    steps = int(round_up(steps_needed(lr, 1e-10)))
    starts = np.r_[EPS_SLIDER, extra, 0.0]
    return escape_steps(starts, lr=lr, noise=noise, steps=steps)


def escape_runs(eps: float, noise: float, lr: float):
    """Return (escape, traj, k): the escape demo's runs, run k starting at `eps`.

    escape[EPS_MEASURED] are the runs from EPS_GRID and escape[-1] the one
    from ε = 0; all share one noise draw.
    """
    near = np.flatnonzero(np.isclose(EPS_SLIDER, eps, rtol=1e-9, atol=0))
    if near.size:
        return (*_escape_table(noise, lr), int(near[0]))
    return (*_escape_table(noise, lr, (eps,)), EPS_SLIDER.size)


def _from_zero(noise: float, escape: int) -> str:
    """Return what the run from ε = 0 did: `escape` is its escape step (or -1)."""
    if noise == 0:
        return "from ε = 0 exactly it never escapes"
    if escape >= 0:
        return f"from ε = 0 the noise frees it after {escape} steps"
    return "from ε = 0 it has not escaped yet"


def escape_demo(eps: float = 1e-4, noise: float = 0.0, lr: float = 0.1) -> widgets.Demo:
    """GD from (1, ε) on 5x² − y²: loss plateau, and escape time against ε."""
    surface = saddle_surface()
    fig, (ax_map, ax_loss, ax_esc) = plotting.new_figure(
        12.0, 4.0, ncols=3, slide_height=3.7
    )
    with plotting.style():
        plotting.draw_surface(ax_map, surface)
        ax_map.plot(0, 0, "X", color="white", mec=plotting.BLACK, ms=10, zorder=7)
        (path_line,) = ax_map.plot([], [], ".-", color=plotting.ORANGE, ms=3, lw=1.2)
        ax_map.plot(X_START, 0, "o", color="white", mec=plotting.BLACK, ms=7, zorder=7)
        ax_map.set(xlabel="x", ylabel="y")
        ax_map.set_title("Start ε above the ridge y = 0")

        (loss_line,) = ax_loss.plot([], [], color=plotting.BLUE)
        escape_mark = ax_loss.axvline(0, color=plotting.VERMILION, ls=":", lw=1.5)
        ax_loss.axhline(0, color=plotting.GREY, lw=0.8)
        ax_loss.set(ylim=(-3.5, 5.5), xlabel="step", ylabel="loss")
        ax_loss.set_title("Loss: a plateau at the saddle, then a drop")

        eps_line = np.logspace(-10, -1, 50)
        (theory_line,) = ax_esc.semilogx(
            eps_line, eps_line, color=plotting.GREY, label="theory ln(1/ε)/ln(1+2η)"
        )
        (measured,) = ax_esc.semilogx(
            EPS_GRID, EPS_GRID, "o", color=plotting.BLUE, label="measured"
        )
        (current,) = ax_esc.semilogx(
            [eps],
            [0],
            "o",
            color=plotting.ORANGE,
            mec=plotting.BLACK,
            ms=10,
            label="your ε",
        )
        zero_line = ax_esc.axhline(
            0, color=plotting.VERMILION, ls="--", lw=1.5, label="ε = 0 with noise"
        )
        ax_esc.set(xlabel="distance from the ridge ε", ylabel="steps to reach |y| > 1")
        # A tick at every decade (where the measured points are), labelled
        # every other one, and no finer minor ticks: fewer ticks to draw when
        # η changes the height of this panel.
        ax_esc.set_xticks(10.0 ** np.arange(-10, 0, 2))
        ax_esc.xaxis.set_minor_locator(FixedLocator(10.0 ** np.arange(-9, 0, 2)))
        ax_esc.xaxis.set_minor_formatter(NullFormatter())
        ax_esc.set_title("Escape time grows like ln(1/ε)")
        ax_esc.legend(loc="upper right", fontsize=9)

    controls = {
        "eps": widgets.log_slider(
            "distance ε", eps, EPS_SLIDER[0], EPS_SLIDER[-1], step=EPS_STEP, fmt=".1e"
        ),
        "noise": widgets.noise_slider(noise, max=0.5, step=0.01),
        # η rescales both right-hand panels (their axes change): on release.
        "lr": widgets.lr_slider(
            lr, min=0.02, max=0.15, steps=20, continuous_update=False
        ),
    }

    def draw(eps, noise, lr):
        escape, traj, k = escape_runs(eps, noise, lr)
        mine = traj.path[:, k]
        path_line.set_data(mine[:, 0], mine[:, 1])
        loss_line.set_data(traj.t, traj.loss[:, k])
        steps_eps = escape[k]
        # NaN rather than hidden (fast demos, rule 6).
        escape_mark.set_xdata([steps_eps if steps_eps >= 0 else np.nan] * 2)
        current.set_data([eps], [steps_eps if steps_eps >= 0 else np.nan])
        # Limits only when η moves them: setting them marks the axis as changed.
        if ax_loss.get_xlim() != (0, traj.t[-1]):
            ax_loss.set_xlim(0, traj.t[-1])
        theory_line.set_ydata(escape_theory(eps_line, lr))
        grid = escape[EPS_MEASURED]
        measured.set_ydata(np.where(grid >= 0, grid, np.nan))
        zero_line.set_ydata([escape[-1] if escape[-1] >= 0 else np.nan] * 2)
        top = round_up(escape_theory(1e-10, lr) * 1.1)
        if ax_esc.get_ylim() != (0, top):
            ax_esc.set_ylim(0, top)
        return (
            f"ε = {eps:.1e}: escaped after {steps_eps} steps "
            f"(theory {escape_theory(eps, lr):.1f}); {_from_zero(noise, escape[-1])}."
        )

    # Every frame sets the same artists, so any other ε warms them all up.
    other = EPS_SLIDER[-1] if eps < EPS_SLIDER[-1] else EPS_SLIDER[0]
    return widgets.Demo(
        fig, controls, draw, alt=ESCAPE_ALT, exported=("eps", "noise")
    ).warm_up("eps", float(other))


ESCAPE_ALT = (
    "Three panels for gradient descent on 5x² − y² from (1, ε). Left: a contour "
    "map of the saddle (a white cross at the centre) with the run's orange path "
    "from the white start dot: straight in to the saddle along x, then slowly "
    "out along y to one of the two valleys. Middle: the loss against the step: "
    "flat at 0 (the plateau) until a dotted red line at the escape, then a drop. "
    "Right: the steps to reach |y| > 1 against ε on a log axis: blue dots "
    "measured at every power of ten, a grey line for the theory "
    "ln(1/ε)/ln(1 + 2η), a large orange dot for the chosen ε, and a dashed red "
    "line for the escape from ε = 0 with noise."
)
